using System.Text;

namespace PerfSim.Fuzz.Tests;

/// <summary>
/// Seeded mutations of a seed file: bit flips, interesting bytes, deleted, duplicated or spliced spans, tokens of the
/// format inserted or written over, numbers swapped for extreme ones; and now and then a generated hostile input
/// (deep nesting, alias fan-out) that mutation alone would take long to find. Same seed, same inputs.
/// </summary>
public sealed class Mutator(int seed)
{
    readonly Random rng = new(seed);

    static readonly byte[] Interesting = [0, 0xFF, 0x7F, 0x80, (byte)'\r', (byte)'\n', (byte)':', (byte)'[', (byte)'{', (byte)'&', (byte)'*',
        (byte)'"', (byte)'\\', (byte)',', (byte)'?', (byte)'-', (byte)' ', (byte)'9', (byte)'0', 0xED, 0xC0];

    static readonly string[] Numbers = ["0", "-1", "1e308", "1e-320", "2147483647", "2147483648", "4294967295", "65536", "1073741824", "NaN", "1e9", "3"];

    public byte[] Next(FuzzTarget target)
    {
        if (target.Extension == ".yaml" && rng.Next(50) == 0) return Hostile();
        var seedFile = target.Seeds[rng.Next(target.Seeds.Count)];
        var b = new List<byte>(seedFile);
        int n = 1 + rng.Next(rng.Next(4) == 0 ? 12 : 3);
        for (int i = 0; i < n; i++) Mutate(b, target);
        return b.ToArray();
    }

    int Pos(List<byte> b) => b.Count == 0 ? 0 : rng.Next(b.Count);

    void Mutate(List<byte> b, FuzzTarget t)
    {
        switch (rng.Next(9))
        {
            case 0: if (b.Count > 0) { int i = Pos(b); b[i] ^= (byte)(1 << rng.Next(8)); } break;
            case 1: if (b.Count > 0) b[Pos(b)] = Interesting[rng.Next(Interesting.Length)]; break;
            case 2: if (b.Count > 1) { int i = Pos(b); b.RemoveRange(i, Math.Min(b.Count - i, 1 + rng.Next(rng.Next(8) == 0 ? 256 : 16))); } break;
            case 3:
                if (b.Count > 1)
                {
                    int i = Pos(b), len = Math.Min(b.Count - i, 1 + rng.Next(64));
                    var span = b.GetRange(i, len);
                    int times = rng.Next(10) == 0 ? 1 + rng.Next(50) : 1;
                    int at = Pos(b);
                    for (int k = 0; k < times; k++) b.InsertRange(at, span);
                }
                break;
            case 4: b.InsertRange(Pos(b), t.Tokens[rng.Next(t.Tokens.Count)]); break;
            case 5:
            {
                var tok = t.Tokens[rng.Next(t.Tokens.Count)];
                int i = Pos(b);
                for (int k = 0; k < tok.Length && i + k < b.Count; k++) b[i + k] = tok[k];
                break;
            }
            case 6: ReplaceNumber(b); break;
            case 7:
            {
                var other = t.Seeds[rng.Next(t.Seeds.Count)];
                if (other.Length == 0) break;
                int from = rng.Next(other.Length), len = Math.Min(other.Length - from, 1 + rng.Next(200));
                b.InsertRange(Pos(b), other.Skip(from).Take(len));
                break;
            }
            default:
                // Line-level: drop or repeat one line (keeps the file mostly well-formed, so deeper checks are reached).
                var text = Encoding.UTF8.GetString(b.ToArray()).Split('\n').ToList();
                if (text.Count < 2) break;
                int li = rng.Next(text.Count);
                if (rng.Next(2) == 0) text.RemoveAt(li); else text.Insert(li, text[rng.Next(text.Count)]);
                b.Clear();
                b.AddRange(Encoding.UTF8.GetBytes(string.Join('\n', text)));
                break;
        }
    }

    void ReplaceNumber(List<byte> b)
    {
        var digits = new List<int>();
        for (int i = 0; i < b.Count; i++)
            if (b[i] is >= (byte)'0' and <= (byte)'9' && (i == 0 || b[i - 1] is < (byte)'0' or > (byte)'9')) digits.Add(i);
        if (digits.Count == 0) return;
        int start = digits[rng.Next(digits.Count)], end = start;
        while (end < b.Count && (b[end] is >= (byte)'0' and <= (byte)'9' || b[end] == '.')) end++;
        b.RemoveRange(start, end - start);
        b.InsertRange(start, Encoding.ASCII.GetBytes(Numbers[rng.Next(Numbers.Length)]));
    }

    /// <summary>Generated YAML the issue found by hand: nesting up to 30,000 deep, alias fan-out ("billion laughs"), cycles.</summary>
    byte[] Hostile()
    {
        var sb = new StringBuilder("id: x\nnotes: ");
        switch (rng.Next(3))
        {
            case 0:
                int depth = 1 + rng.Next(30_000);
                sb.Append('[', depth).Append(']', depth);
                break;
            case 1:
                sb.Clear().Append("a: &a [x, x, x, x, x, x, x, x, x]\n");
                int levels = 2 + rng.Next(9);
                for (int l = 1; l < levels; l++)
                    sb.Append($"{(char)('a' + l)}: &{(char)('a' + l)} [{string.Join(", ", Enumerable.Repeat($"*{(char)('a' + l - 1)}", 9))}]\n");
                break;
            default:
                sb.Append("&r [*r]");
                break;
        }
        return Encoding.UTF8.GetBytes(sb.Append('\n').ToString());
    }
}

using PerfSim.Data.Input;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PerfSim.Data.Profiles;

/// <summary>
/// A first pass over the YAML event stream (iterative, constant stack) that refuses what the tree builder cannot
/// survive or should not be asked to: nesting deeper than <see cref="ReaderLimits.YamlDepth"/> (the tree builder
/// recurses), an alias inside the node it names (a cycle), alias fan-out beyond <see cref="ReaderLimits.YamlExpandedNodes"/>
/// nodes once expanded ("billion laughs"), keys that are lists, mappings, aliases or empty, and huge scalars.
/// </summary>
static class YamlGuard
{
    sealed class Frame(bool mapping, string? anchor)
    {
        public bool Mapping { get; } = mapping;
        public string? Anchor { get; } = anchor;
        public bool ExpectKey { get; set; } = true;
        public long Size { get; set; } = 1;
    }

    public static void Check(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        var stack = new Stack<Frame>();
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        long expanded = 0;
        int aliases = 0;

        ProfileException Error(ParsingEvent e, string problem) => new(file, (int)e.Start.Line, "", problem);

        // Every node is a key or a value of the frame it sits in; a key must be a plain, non-empty scalar.
        void Enter(ParsingEvent e, bool isScalarKeyCandidate, string? scalarValue)
        {
            if (stack.Count == 0 || !stack.Peek().Mapping) return;
            var top = stack.Peek();
            if (top.ExpectKey)
            {
                if (!isScalarKeyCandidate)
                    throw Error(e, "a key must be a plain name, not a list, a mapping or an alias");
                if (string.IsNullOrWhiteSpace(scalarValue))
                    throw Error(e, "a key must not be empty (is a name missing before ':'?)");
            }
            top.ExpectKey = !top.ExpectKey;
        }

        void Add(long size)
        {
            expanded += size;
            if (expanded > ReaderLimits.YamlExpandedNodes)
                throw new ProfileException(file, 0, "", $"more than {ReaderLimits.YamlExpandedNodes} values once aliases are expanded (alias fan-out); write the values out instead");
            if (stack.Count > 0) stack.Peek().Size += size;
        }

        while (parser.MoveNext())
        {
            var e = parser.Current!;
            switch (e)
            {
                case Scalar s:
                    if (s.Value.Length > ReaderLimits.YamlScalarChars)
                        throw Error(e, $"a value of {s.Value.Length} characters is longer than the limit of {ReaderLimits.YamlScalarChars}");
                    Enter(e, true, s.Value);
                    if (!s.Anchor.IsEmpty) sizes[s.Anchor.Value] = 1;
                    Add(1);
                    break;
                case AnchorAlias a:
                    if (++aliases > ReaderLimits.YamlAliases)
                        throw Error(e, $"more than {ReaderLimits.YamlAliases} aliases");
                    Enter(e, false, null);
                    if (stack.Any(f => f.Anchor == a.Value.Value))
                        throw Error(e, $"alias '*{Printable.Of(a.Value.Value)}' refers to the node that contains it (a cycle)");
                    if (!sizes.TryGetValue(a.Value.Value, out var size))
                        throw Error(e, $"alias '*{Printable.Of(a.Value.Value)}' refers to no anchor defined before it");
                    Add(size);
                    break;
                case MappingStart or SequenceStart:
                    Enter(e, false, null);
                    var anchor = e is MappingStart ms ? ms.Anchor : ((SequenceStart)e).Anchor;
                    if (stack.Count >= ReaderLimits.YamlDepth)
                        throw Error(e, $"nested deeper than {ReaderLimits.YamlDepth} levels");
                    expanded++;
                    stack.Push(new Frame(e is MappingStart, anchor.IsEmpty ? null : anchor.Value));
                    break;
                case MappingEnd or SequenceEnd:
                    var done = stack.Pop();
                    if (done.Anchor is { } name) sizes[name] = done.Size;
                    if (stack.Count > 0) stack.Peek().Size += done.Size;
                    break;
            }
        }
    }
}

using System.Text;

namespace PerfSim.Core;

/// <summary>Enum names as written in files and reports: "Fp16" → "fp16", "MultiQuery" → "multi-query".</summary>
public static class EnumText
{
    public static string Kebab(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && !char.IsDigit(name[i - 1])) sb.Append('-');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    public static string Kebab<T>(this T value) where T : struct, Enum => Kebab(value.ToString());
}

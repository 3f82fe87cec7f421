using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PerfSim.Data.Profiles;

/// <summary>
/// Loads YAML files into <see cref="YamlMap"/>s and resolves `extends: base-id` by merging the base's mapping
/// under the child's (maps merge key by key, lists and values are replaced). Each node remembers its file so
/// errors in inherited fields point at the base file.
/// </summary>
public sealed class YamlDocumentSet
{
    readonly Dictionary<YamlNode, string> origin = new(ReferenceEqualityComparer.Instance);

    public string FileOf(YamlNode node) => origin.TryGetValue(node, out var f) ? f : "<merged>";

    /// <summary>Parses one file that must hold a single mapping; syntax errors become one-line errors.</summary>
    public YamlMappingNode Parse(string path, string displayPath)
    {
        var text = Input.InputFiles.ReadText(path, Input.ReaderLimits.YamlBytes, why => new ProfileException(displayPath, 0, "", why));
        return ParseText(text, displayPath);
    }

    public YamlMappingNode ParseText(string text, string displayPath)
    {
        if (text.Length > Input.ReaderLimits.YamlBytes)
            throw new ProfileException(displayPath, 0, "", $"text of {text.Length} characters is larger than the limit of {Input.ReaderLimits.YamlBytes}");
        var stream = new YamlStream();
        try
        {
            YamlGuard.Check(text, displayPath);
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var msg = (e.InnerException?.Message ?? e.Message).Split('\n')[0];
            throw new ProfileException(displayPath, (int)e.Start.Line, "", $"not valid YAML: {msg}");
        }
        catch (ArgumentException e)
        {
            // YamlDotNet's parser throws this (without a position) for a tag that is not a valid URI, e.g. `!!binary]:`.
            throw new ProfileException(displayPath, 0, "", $"not valid YAML: {e.Message.Split('\n')[0].Replace(" (Parameter 'value')", "")}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (without a position) on some malformed flow mappings, e.g. a missing '}'.
            throw new ProfileException(displayPath, 0, "", "not valid YAML: malformed flow mapping or sequence (check for an unclosed '{' or '[')");
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ProfileException(displayPath, 1, "", "expected one YAML document whose top level is a mapping of fields");
        Remember(root, displayPath);
        return root;
    }

    void Remember(YamlNode node, string file)
    {
        origin[node] = file;
        switch (node)
        {
            case YamlMappingNode m:
                foreach (var (k, v) in m.Children) { origin[k] = file; Remember(v, file); }
                break;
            case YamlSequenceNode s:
                foreach (var c in s.Children) Remember(c, file);
                break;
        }
    }

    /// <summary>
    /// Child over base: nested mappings merge, everything else in the child replaces the base. The child's nodes
    /// are extended in place (so they keep their file:line); base nodes are only referenced, never changed.
    /// </summary>
    public YamlMappingNode Merge(YamlMappingNode baseNode, YamlMappingNode child)
    {
        foreach (var (k, v) in baseNode.Children)
        {
            if (!child.Children.TryGetValue(k, out var mine))
                child.Children.Add(k, v);
            else if (mine is YamlMappingNode cm && v is YamlMappingNode bm)
                Merge(bm, cm);
        }
        return child;
    }
}

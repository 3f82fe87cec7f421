using System.Buffers.Binary;
using System.Xml.Linq;

namespace PerfSim.Plots.Tests;

/// <summary>Reads the size a PNG or SVG declares, and fails if the bytes are not one.</summary>
public static class ImageFiles
{
    static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Width and height from the IHDR chunk, after checking the signature and that IEND closes the file.</summary>
    public static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.True(png.Length > 57, "PNG too short");
        Assert.Equal(PngSignature, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal("IEND", System.Text.Encoding.ASCII.GetString(png, png.Length - 8, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    /// <summary>Width and height of the root &lt;svg&gt; element of a well-formed SVG document.</summary>
    public static (int Width, int Height) SvgSize(string svg)
    {
        var root = XDocument.Parse(svg).Root!;
        Assert.Equal("svg", root.Name.LocalName);
        static int Px(string? v) => (int)double.Parse(v!.Replace("px", ""), System.Globalization.CultureInfo.InvariantCulture);
        return (Px(root.Attribute("width")?.Value), Px(root.Attribute("height")?.Value));
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.InteropServices;

namespace PerfSim.Plots.Rendering;

/// <summary>
/// SkiaSharp's native libraries, found beside this assembly. An application finds them through its deps.json; a host
/// that loads PerfSim.Plots.dll by path (a .NET Interactive notebook's `#r`) does not, so SkiaSharp and HarfBuzzSharp
/// get an import resolver that tries runtimes/RID/native/ under this assembly's folder before the default lookup.
/// </summary>
public static class NativeAssets
{
    static readonly Lazy<bool> installed = new(Install);

    public static void EnsureLoaded() => _ = installed.Value;

    // In a single-file or native AOT executable Location is empty and the application's own lookup finds the libraries.
    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An empty Location is handled: no resolver is installed.")]
    static bool Install()
    {
        var dir = Path.GetDirectoryName(typeof(NativeAssets).Assembly.Location);
        if (string.IsNullOrEmpty(dir)) return false;
        var native = Path.Combine(dir, "runtimes", RuntimeInformation.RuntimeIdentifier, "native");
        if (!Directory.Exists(native)) return false;
        IntPtr Resolve(string name, Assembly _, DllImportSearchPath? __)
        {
            var file = Directory.EnumerateFiles(native, name + ".*").FirstOrDefault();
            return file is not null && NativeLibrary.TryLoad(file, out var handle) ? handle : IntPtr.Zero;
        }
        bool any = false;
        foreach (var asm in new[] { typeof(SkiaSharp.SKObject).Assembly, typeof(HarfBuzzSharp.Blob).Assembly })
        {
            try { NativeLibrary.SetDllImportResolver(asm, Resolve); any = true; }
            catch (InvalidOperationException) { }   // the assembly already has a resolver: leave it be
        }
        return any;
    }
}

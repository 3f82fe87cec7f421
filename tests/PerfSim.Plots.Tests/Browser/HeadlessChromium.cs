using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PerfSim.Plots.Tests.Browser;

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol on a loopback WebSocket (no browser download, no
/// Playwright driver): open a page, collect console errors, uncaught exceptions, log errors and every request URL,
/// evaluate an expression. Each instance has a fresh profile folder, deleted on dispose.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string DefaultPath = "/usr/bin/chromium";
    readonly Process process;
    readonly string profile;
    readonly ClientWebSocket socket = new();
    readonly Dictionary<int, TaskCompletionSource<JsonNode>> pending = [];
    readonly List<JsonNode> events = [];
    readonly object gate = new();
    readonly CancellationTokenSource stop = new();
    Task? reader;
    int nextId;
    string? session;

    HeadlessChromium(Process process, string profile) => (this.process, this.profile) = (process, profile);

    public static string? Find()
    {
        var env = Environment.GetEnvironmentVariable("PERFSIM_CHROMIUM");
        if (!string.IsNullOrEmpty(env)) return File.Exists(env) ? env : null;
        return File.Exists(DefaultPath) ? DefaultPath : null;
    }

    public static async Task<HeadlessChromium> Launch(CancellationToken cancel)
    {
        var exe = Find() ?? throw new InvalidOperationException($"chromium not found at {DefaultPath} (install it: apt-get install -y chromium; or set PERFSIM_CHROMIUM)");
        var profile = Path.Combine(Path.GetTempPath(), "perfsim-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-extensions", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                     $"--user-data-dir={profile}", "about:blank" })
            psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var b = new HeadlessChromium(p, profile);
        // Chromium writes the port it chose and the browser's WebSocket path to DevToolsActivePort in the profile.
        var portFile = Path.Combine(profile, "DevToolsActivePort");
        string[]? lines = null;
        while (lines is not { Length: >= 2 })
        {
            cancel.ThrowIfCancellationRequested();
            if (p.HasExited) throw new InvalidOperationException($"chromium exited with {p.ExitCode} before opening its DevTools port");
            await Task.Delay(50, cancel);
            try { if (File.Exists(portFile)) lines = File.ReadAllLines(portFile); } catch (IOException) { }
        }
        await b.socket.ConnectAsync(new Uri($"ws://127.0.0.1:{lines[0].Trim()}{lines[1].Trim()}"), cancel);
        b.reader = Task.Run(() => b.ReadLoop(b.stop.Token));
        var target = await b.Send("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, cancel, browserLevel: true);
        var attached = await b.Send("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true }, cancel, browserLevel: true);
        b.session = attached["sessionId"]!.GetValue<string>();
        foreach (var domain in new[] { "Runtime.enable", "Log.enable", "Page.enable", "Network.enable" })
            await b.Send(domain, new JsonObject(), cancel);
        return b;
    }

    /// <summary>Navigates and waits for the load event.</summary>
    public async Task Open(string url, CancellationToken cancel)
    {
        int seen = Events().Count;
        await Send("Page.navigate", new JsonObject { ["url"] = url }, cancel);
        while (!Events().Skip(seen).Any(e => (string?)e["method"] == "Page.loadEventFired"))
            await Task.Delay(50, cancel);
    }

    /// <summary>Console errors and assertions, uncaught exceptions and log entries at level error, as one line each.</summary>
    public IReadOnlyList<string> Errors() => Events().Select(e => (string?)e["method"] switch
    {
        "Runtime.consoleAPICalled" when (string?)e["params"]!["type"] is "error" or "assert" => "console: " + e["params"]!["args"]!.ToJsonString(),
        "Runtime.exceptionThrown" => "exception: " + e["params"]!["exceptionDetails"]!.ToJsonString(),
        "Log.entryAdded" when (string?)e["params"]!["entry"]!["level"] == "error" => "log: " + (string?)e["params"]!["entry"]!["text"] + " " + (string?)e["params"]!["entry"]!["url"],
        _ => null,
    }).Where(s => s is not null).Select(s => s!).ToList();

    /// <summary>Every URL the page requested (the document itself included).</summary>
    public IReadOnlyList<string> Requests() => Events().Where(e => (string?)e["method"] == "Network.requestWillBeSent")
        .Select(e => (string)e["params"]!["request"]!["url"]!).ToList();

    /// <summary>Evaluates a JavaScript expression in the page and returns its JSON value.</summary>
    public async Task<JsonNode?> Evaluate(string expression, CancellationToken cancel)
    {
        var r = await Send("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }, cancel);
        if (r["exceptionDetails"] is { } ex) throw new InvalidOperationException("evaluate: " + ex.ToJsonString());
        return r["result"]!["value"];
    }

    List<JsonNode> Events() { lock (gate) return [.. events]; }

    async Task<JsonNode> Send(string method, JsonObject args, CancellationToken cancel, bool browserLevel = false)
    {
        int id;
        var tcs = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate) { id = ++nextId; pending[id] = tcs; }
        var msg = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = args };
        if (!browserLevel && session is not null) msg["sessionId"] = session;
        await socket.SendAsync(Encoding.UTF8.GetBytes(msg.ToJsonString()), WebSocketMessageType.Text, true, cancel);
        using (cancel.Register(() => tcs.TrySetCanceled()))
            return await tcs.Task;
    }

    async Task ReadLoop(CancellationToken cancel)
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (!cancel.IsCancellationRequested && socket.State == WebSocketState.Open)
            {
                var r = await socket.ReceiveAsync(buffer, cancel);
                if (r.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                var node = JsonNode.Parse(message.ToArray())!;
                message.SetLength(0);
                lock (gate)
                {
                    if (node["id"] is { } idNode && pending.Remove(idNode.GetValue<int>(), out var tcs))
                    {
                        if (node["error"] is { } err) tcs.TrySetException(new InvalidOperationException(err.ToJsonString()));
                        else tcs.TrySetResult(node["result"] ?? new JsonObject());
                    }
                    else events.Add(node);
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (WebSocketException) { }
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        try { if (socket.State == WebSocketState.Open) await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None); } catch (WebSocketException) { }
        try { if (!process.HasExited) { process.Kill(entireProcessTree: true); process.WaitForExit(10_000); } } catch (InvalidOperationException) { }
        if (reader is not null) try { await reader; } catch (Exception) { }
        socket.Dispose();
        process.Dispose();
        try { Directory.Delete(profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

using System.Diagnostics;
using SwfServerless.LambdaRuntime;

namespace SwfServerless.Benchmarks;

/// <summary>
/// One build of the custom runtime running as its own process against its own stand-in of the Runtime API, with
/// the environment a deployed function gets: what Lambda's execution environment is to `bootstrap`.
/// </summary>
internal sealed class LambdaProcess : IAsyncDisposable
{
    private static readonly TimeSpan InvocationLimit = TimeSpan.FromSeconds(30);
    private readonly List<string> log = [];

    private LambdaProcess(RuntimeApiStandIn api, Process process, long startedAt, Task<PostedResult>? first)
    {
        Api = api;
        Process = process;
        StartedAt = startedAt;
        First = first;
    }

    public RuntimeApiStandIn Api { get; }

    public Process Process { get; }

    /// <summary>Just before the process was started (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public long StartedAt { get; }

    /// <summary>The answer to the event queued before the start (the cold invocation), if one was.</summary>
    public Task<PostedResult>? First { get; }

    /// <summary>
    /// Starts <paramref name="variant"/> with _HANDLER=<paramref name="handler"/>. <paramref name="firstEvent"/> is
    /// queued before the process starts, as the event that causes a cold start waits for the runtime's first /next.
    /// </summary>
    public static async Task<LambdaProcess> StartAsync(
        RuntimeVariant variant, IReadOnlyDictionary<string, string> environment, string handler, byte[]? firstEvent, CancellationToken ct)
    {
        var api = await RuntimeApiStandIn.StartAsync(ct);
        var first = firstEvent is null ? null : api.Enqueue(firstEvent);
        var psi = new ProcessStartInfo(variant.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = variant.Directory,
        };
        foreach (var arg in variant.Arguments)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment.Clear(); // only what Lambda would set: nothing of this machine's environment leaks in
        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }

        psi.Environment["_HANDLER"] = handler;
        psi.Environment["AWS_LAMBDA_RUNTIME_API"] = api.RuntimeApi;
        psi.Environment["LAMBDA_TASK_ROOT"] = variant.Directory;

        var startedAt = Stopwatch.GetTimestamp();
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {variant.FileName}.");
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }

        var running = new LambdaProcess(api, process, startedAt, first);
        process.OutputDataReceived += (_, e) => running.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => running.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>Sends one event and returns what the runtime posted for it.</summary>
    public Task<PostedResult> InvokeAsync(byte[] payload, CancellationToken ct) => AnswerAsync(Api.Enqueue(payload), ct);

    /// <summary>Waits for an answer; fails early, with the process's last output, if it dies or reports an init error.</summary>
    public async Task<PostedResult> AnswerAsync(Task<PostedResult> pending, CancellationToken ct)
    {
        var exited = Process.WaitForExitAsync(ct);
        var done = await Task.WhenAny(pending, Api.InitError, exited, Task.Delay(InvocationLimit, ct));
        if (done == pending)
        {
            return await pending;
        }

        var why = done == Api.InitError ? $"init error {Api.InitError.Result.Text}"
            : done == exited ? $"the process exited with code {Process.ExitCode}"
            : $"no answer within {InvocationLimit.TotalSeconds:0} s";
        throw new InvalidOperationException($"{why}. Output:{Environment.NewLine}{Output()}");
    }

    /// <summary>The last lines the process wrote (stdout and stderr).</summary>
    public string Output()
    {
        lock (log)
        {
            return string.Join(Environment.NewLine, log);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }

        await Process.WaitForExitAsync(CancellationToken.None);
        Process.Dispose();
        await Api.DisposeAsync();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.Add(line);
            if (log.Count > 40)
            {
                log.RemoveAt(0);
            }
        }
    }
}

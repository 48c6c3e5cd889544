using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.SQS;
using Amazon.SQS.Model;
using SwfServerless.Functions.Timers;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>
/// The SQS timer queue through AWSSDK.SQS against moto_server's SQS (started here on a free port): SendMessageBatch
/// with a delay per message, in batches of 10, and a delayed message becomes receivable only after its delay.
/// Needs <c>moto_server</c> on the PATH (<c>pip install "moto[server]"</c>); without it the test fails and says so.
/// </summary>
public sealed class SqsTimerQueueTests
{
    [Fact]
    public async Task SendMessageBatch_DelaysEachMessage_OnMotoSqs()
    {
        await using var moto = await MotoServer.StartAsync();
        using var sqs = new AmazonSQSClient(
            new Amazon.Runtime.BasicAWSCredentials("local", "local"),
            new AmazonSQSConfig { ServiceURL = moto.Endpoint, AuthenticationRegion = "us-east-1" });
        var queueUrl = (await sqs.CreateQueueAsync("swf-timers")).QueueUrl;
        var queue = new SqsTimerQueue(queueUrl, sqs);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()); // whole ms, as bodies carry it
        var dueNow = new DueEntry("0123456789abcdef0123456789abcdef", "TMR|now", now);
        var dueSoon = new DueEntry("0123456789abcdef0123456789abcdef", "TMR|soon", now + TimeSpan.FromSeconds(3));

        var sent = Stopwatch.StartNew();
        await queue.SendAsync([TimerMessage.For(dueNow, now), TimerMessage.For(dueSoon, now)], default);

        // At once: only the message without a delay.
        var first = await ReceiveAsync(sqs, queueUrl);
        Assert.Equal([dueNow], first.Select(m => TimerMessage.ParseBody(m.Body)));

        // The delayed one arrives after its 3 s, not before.
        var received = new List<Message>();
        while (received.Count == 0 && sent.Elapsed < TimeSpan.FromSeconds(15))
        {
            var early = sent.Elapsed;
            received.AddRange(await ReceiveAsync(sqs, queueUrl));
            if (received.Count == 0)
            {
                await Task.Delay(200);
            }
            else
            {
                Assert.True(early >= TimeSpan.FromSeconds(2.5), $"the delayed message came after {early.TotalSeconds:F1} s, before its 3 s delay");
            }
        }

        Assert.Equal([dueSoon], received.Select(m => TimerMessage.ParseBody(m.Body)));

        // Any number of messages: batches of at most 10 (SQS refuses more), every one delivered.
        var many = Enumerable.Range(0, 23).Select(i => TimerMessage.For(new DueEntry("fedcba9876543210fedcba9876543210", $"ACT|a{i}", now), now)).ToList();
        await queue.SendAllAsync(many, default);
        var all = new List<DueEntry>();
        for (var i = 0; i < 20 && all.Count < many.Count; i++)
        {
            all.AddRange((await ReceiveAsync(sqs, queueUrl)).Select(m => TimerMessage.ParseBody(m.Body)!));
        }

        Assert.Equal(many.Select(m => m.Entry).OrderBy(e => e.ItemKey), all.OrderBy(e => e.ItemKey));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendAsync(many, default));
    }

    private static async Task<List<Message>> ReceiveAsync(AmazonSQSClient sqs, string queueUrl)
    {
        var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 0 });
        var messages = response.Messages ?? [];
        foreach (var m in messages)
        {
            await sqs.DeleteMessageAsync(queueUrl, m.ReceiptHandle);
        }

        return messages;
    }

    /// <summary>moto_server on a free loopback port, stopped (with its process tree) at the end.</summary>
    private sealed class MotoServer : IAsyncDisposable
    {
        private readonly Process process;

        private MotoServer(Process process, string endpoint)
        {
            this.process = process;
            Endpoint = endpoint;
        }

        public string Endpoint { get; }

        public static async Task<MotoServer> StartAsync()
        {
            var executable = Find("moto_server");
            if (executable is null)
            {
                Assert.Fail("moto_server is not installed (not on the PATH): this test of the SQS timer queue needs it. Install it with: pip install \"moto[server]\"");
            }

            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            var process = Process.Start(new ProcessStartInfo(executable, ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new MotoServer(process, $"http://127.0.0.1:{port}");
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port);
                    return server;
                }
                catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(30) && !process.HasExited)
                {
                    await Task.Delay(200);
                }
                catch (SocketException)
                {
                    await server.DisposeAsync();
                    Assert.Fail($"moto_server ({executable}) did not listen on port {port} within 30 s.");
                    throw;
                }
            }
        }

        private static string? Find(string name) =>
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }
}

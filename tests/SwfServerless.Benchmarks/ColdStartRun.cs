using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SwfServerless.Functions.Lambda;
using SwfServerless.LambdaRuntime;

namespace SwfServerless.Benchmarks;

/// <summary>One cold start, in milliseconds from the process start: to its first /next (init), to its first
/// response posted (the cold invocation), and the warm invocations after it; with the process's peak RSS.</summary>
internal sealed record ColdStartSample(double InitMs, double FirstResponseMs, IReadOnlyList<double> WarmMs, long PeakRssKb);

/// <summary>
/// Starts one build as a fresh process (<see cref="LambdaProcess"/>, _HANDLER=api) and times it: the cold event is
/// queued before the process starts, then a few warm events follow one at a time; then the process is killed.
/// </summary>
internal static class ColdStartRun
{
    public static async Task<ColdStartSample> RunAsync(
        RuntimeVariant variant, IReadOnlyDictionary<string, string> environment, string domain, int warm, CancellationToken ct)
    {
        var describe = JsonSerializer.Serialize(new Dictionary<string, string> { ["name"] = domain });
        await using var lambda = await LambdaProcess.StartAsync(variant, environment, "api", Event("DescribeDomain", describe), ct);
        var first = Ok(await lambda.AnswerAsync(lambda.First!, ct), lambda);
        var initMs = Ms(lambda.StartedAt, lambda.Api.NextCalls.First());
        var firstMs = Ms(lambda.StartedAt, first.PostedAt);

        var warmMs = new List<double>();
        for (var i = 0; i < warm; i++)
        {
            var (action, body) = i % 2 == 0 ? ("DescribeDomain", describe) : ("ListDomains", """{"registrationStatus": "REGISTERED", "maximumPageSize": 10}""");
            var queued = Stopwatch.GetTimestamp();
            var result = Ok(await lambda.InvokeAsync(Event(action, body), ct), lambda);
            warmMs.Add(Ms(queued, result.PostedAt));
        }

        return new ColdStartSample(initMs, firstMs, warmMs, PeakRssKb(lambda.Process));
    }

    /// <summary>An API Gateway proxy event for one SWF action, shaped as the sample events in events/ are.</summary>
    public static byte[] Event(string action, string body) => JsonSerializer.SerializeToUtf8Bytes(
        new ApiGatewayProxyRequest
        {
            Resource = "/",
            Path = "/",
            HttpMethod = "POST",
            Headers = new Dictionary<string, string>
            {
                ["Content-Type"] = "application/x-amz-json-1.0",
                ["X-Amz-Target"] = $"SimpleWorkflowService.{action}",
                ["Host"] = "swf.example.com",
            },
            Body = body,
            RequestContext = new ProxyRequestContext
            {
                RequestId = Guid.NewGuid().ToString(),
                Stage = "prod",
                Identity = new ProxyIdentity { SourceIp = "127.0.0.1" },
            },
        },
        LambdaJsonContext.Default.ApiGatewayProxyRequest);

    /// <summary>The proxy response in a result, which must be a 200.</summary>
    public static ApiGatewayProxyResponse Response(PostedResult result, LambdaProcess lambda)
    {
        var response = result.IsError ? null : JsonSerializer.Deserialize(result.Body, LambdaJsonContext.Default.ApiGatewayProxyResponse);
        return response?.StatusCode == 200
            ? response
            : throw new InvalidOperationException($"The invocation did not answer 200: {(result.IsError ? "error " : "")}{result.Text}{Environment.NewLine}{lambda.Output()}");
    }

    private static PostedResult Ok(PostedResult result, LambdaProcess lambda)
    {
        Response(result, lambda);
        return result;
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    /// <summary>VmHWM: the most resident memory the process had (Lambda bills and limits memory).</summary>
    private static long PeakRssKb(Process process)
    {
        try
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}

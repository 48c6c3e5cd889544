using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace SwfServerless.Benchmarks;

/// <summary>
/// Raw SWF JSON 1.0 over HttpClient, with no SDK in between, so the latency measured is the server's plus one
/// loopback HTTP round trip. Every call is timed and recorded with the capacity header the server returns.
/// </summary>
internal sealed class SwfClient(HttpClient http, string endpoint)
{
    /// <summary>Header the server adds to every response: <c>read=R;write=W;calls=N</c> DynamoDB capacity units and requests.</summary>
    public const string CapacityHeader = "X-SwfServerless-Consumed-Capacity";

    /// <summary>Sends one action; returns the parsed body, or null when the call failed (recorded as an error).</summary>
    public async Task<CallResult> CallAsync(CallRecorder recorder, string action, JsonObject body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8),
        };
        // Exactly botocore's media type: StringContent would add "; charset=utf-8", which SWF clients never send.
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        // An action with a dot names its whole target (the operator API: "SwfServerless.StartBatchOperation").
        request.Headers.TryAddWithoutValidation("X-Amz-Target", action.Contains('.', StringComparison.Ordinal) ? action : $"SimpleWorkflowService.{action}");

        var clock = Stopwatch.StartNew();
        HttpResponseMessage response;
        string text;
        try
        {
            response = await http.SendAsync(request, ct);
            text = await response.Content.ReadAsStringAsync(ct);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            // No answer at all (connection refused, HttpClient timeout): an error, not an end of the benchmark.
            recorder.Record(action, new CallSample(clock.Elapsed.TotalMilliseconds, false, 0, 0, 0));
            recorder.Fail($"{action} -> no response: {e.GetType().Name}: {e.Message}");
            return new CallResult(false, null, 0, 0);
        }

        using var _ = response;
        var elapsed = clock.Elapsed.TotalMilliseconds;

        var (read, write, calls) = Capacity(response);
        var ok = response.StatusCode == HttpStatusCode.OK;
        recorder.Record(action, new CallSample(elapsed, ok, read, write, calls));
        if (!ok)
        {
            recorder.Fail($"{action} -> {(int)response.StatusCode}: {Shorten(text)}");
            return new CallResult(false, null, read, write);
        }

        var json = text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)?.AsObject() ?? new JsonObject();
        return new CallResult(true, json, read, write);
    }

    /// <summary>Parses <c>read=R;write=W;calls=N</c>; a missing or malformed header counts as zero (and shows as such).</summary>
    private static (double Read, double Write, double Calls) Capacity(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues(CapacityHeader, out var values))
        {
            return (0, 0, 0);
        }

        double read = 0, write = 0, calls = 0;
        foreach (var part in string.Join(';', values).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2);
            if (kv.Length == 2 && double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var units))
            {
                if (kv[0] == "read")
                {
                    read = units;
                }
                else if (kv[0] == "write")
                {
                    write = units;
                }
                else if (kv[0] == "calls")
                {
                    calls = units;
                }
            }
        }

        return (read, write, calls);
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}

/// <summary>The outcome of one call: the body when it succeeded, and the capacity it consumed.</summary>
internal sealed record CallResult(bool Ok, JsonObject? Body, double ReadUnits, double WriteUnits);

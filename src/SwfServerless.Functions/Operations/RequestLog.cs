using System.Text;
using System.Text.Json;

namespace SwfServerless.Functions.Operations;

/// <summary>
/// One JSON line per request or worker batch on stdout (Lambda sends it to CloudWatch Logs), in CloudWatch's
/// embedded metric format: the same line is the log entry (request id, action, domain, status, fault, latency,
/// DynamoDB calls and units) and the metrics, with no metrics API call. The metrics are a fixed set with no
/// dimension (namespace <c>SwfServerless</c>: Faults (5xx) from every line, and the timer's TimerLagMilliseconds),
/// so the custom-metric bill ($0.30 per metric-month) stays two metrics however many actions are in use; requests,
/// latency, DynamoDB calls and units by action are log fields (CloudWatch Logs Insights groups them by Action), and
/// API Gateway's and Lambda's own metrics (free) give the totals.
/// </summary>
/// <param name="output">Where lines go; stdout deployed. Null writes nothing (the local host, unless SWF_REQUEST_LOG=on).</param>
public sealed class RequestLog(TextWriter? output)
{
    public const string Namespace = "SwfServerless";

    public sealed record Entry(string Kind, string RequestId, string Action, int Status, double LatencyMilliseconds)
    {
        public string? Domain { get; init; }
        public string? Fault { get; init; }
        public int DynamoDbCalls { get; init; }
        public double ReadUnits { get; init; }
        public double WriteUnits { get; init; }

        /// <summary>Worker batches: how many records or items the batch held, and how many failed.</summary>
        public int? Items { get; init; }
        public int? FailedItems { get; init; }

        /// <summary>The timer entry point: how late the latest item it fired was (the TimerLagMilliseconds metric).</summary>
        public double? LagMilliseconds { get; init; }
    }

    public void Write(Entry e, DateTimeOffset now)
    {
        if (output is null)
        {
            return;
        }

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("_aws");
            w.WriteNumber("Timestamp", now.ToUnixTimeMilliseconds());
            w.WriteStartArray("CloudWatchMetrics");
            w.WriteStartObject();
            w.WriteString("Namespace", Namespace);
            w.WriteStartArray("Dimensions");
            w.WriteStartArray(); // one empty dimension set: each metric is one series, whatever the Action
            w.WriteEndArray();
            w.WriteEndArray();
            w.WriteStartArray("Metrics");
            Metric(w, "Faults", "Count");
            if (e.LagMilliseconds is not null)
            {
                Metric(w, "TimerLagMilliseconds", "Milliseconds");
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteString("kind", e.Kind);
            w.WriteString("requestId", e.RequestId);
            w.WriteString("Action", e.Action);
            if (e.Domain is not null)
            {
                w.WriteString("domain", e.Domain);
            }

            w.WriteNumber("status", e.Status);
            if (e.Fault is not null)
            {
                w.WriteString("fault", e.Fault);
            }

            w.WriteNumber("Requests", 1);
            w.WriteNumber("Faults", e.Status >= 500 ? 1 : 0);
            w.WriteNumber("LatencyMilliseconds", Math.Round(e.LatencyMilliseconds, 2));
            w.WriteNumber("DynamoDbCalls", e.DynamoDbCalls);
            w.WriteNumber("ReadUnits", e.ReadUnits);
            w.WriteNumber("WriteUnits", e.WriteUnits);
            if (e.Items is { } items)
            {
                w.WriteNumber("items", items);
            }

            if (e.FailedItems is { } failed)
            {
                w.WriteNumber("failedItems", failed);
            }

            if (e.LagMilliseconds is { } lag)
            {
                w.WriteNumber("TimerLagMilliseconds", Math.Round(lag, 1));
            }

            w.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        lock (output)
        {
            output.WriteLine(line);
        }
    }

    private static void Metric(Utf8JsonWriter w, string name, string unit)
    {
        w.WriteStartObject();
        w.WriteString("Name", name);
        w.WriteString("Unit", unit);
        w.WriteEndObject();
    }
}

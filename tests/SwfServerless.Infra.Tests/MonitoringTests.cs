using System.Text.Json.Nodes;
using Amazon.CDK.AWS.Lambda;

namespace SwfServerless.Infra.Tests;

/// <summary>Alarms (metric, threshold, missing data, the topic) and the dashboard's metrics.</summary>
[Collection(StackCollection.Name)]
public sealed class MonitoringTests(StackFixture stack)
{
    private List<JsonObject> Alarms => [.. stack.Resources.OfType("AWS::CloudWatch::Alarm").Select(a => a.Resource.Props())];

    private string Topic => "${" + stack.Id(stack.Stack.Monitoring.AlarmTopic) + "}";

    /// <summary>The alarm on a metric with these dimensions (rendered).</summary>
    private JsonObject Alarm(string ns, string metric, params (string Name, string Value)[] dimensions) => Assert.Single(Alarms, a =>
        (string?)a["Namespace"] == ns && (string?)a["MetricName"] == metric
        && (a["Dimensions"]?.AsArray() ?? []).Select(d => ((string)d!["Name"]!, TemplateJson.Render(d["Value"]))).Order().SequenceEqual(dimensions.Order()));

    private (string, string) FunctionDimension(Function f) => ("FunctionName", "${" + stack.Id(f) + "}");

    private static void Is(JsonObject alarm, string statistic, double threshold, string comparison, int periodSeconds)
    {
        Assert.Equal(statistic, (string?)(alarm["Statistic"] ?? alarm["ExtendedStatistic"]));
        Assert.Equal(threshold, alarm["Threshold"]!.GetValue<double>());
        Assert.Equal(comparison, (string?)alarm["ComparisonOperator"]);
        Assert.Equal(periodSeconds, alarm["Period"].Int());
    }

    [Fact]
    public void EveryAlarm_NotBreachingWhenMissing_ToTheTopic()
    {
        Assert.Equal(10, Alarms.Count);
        Assert.All(Alarms, a =>
        {
            Assert.Equal("notBreaching", (string?)a["TreatMissingData"]);
            Assert.Equal([Topic], TemplateJson.Strings(a["AlarmActions"]));
            Assert.Equal([Topic], TemplateJson.Strings(a["OKActions"]));
            Assert.False(string.IsNullOrWhiteSpace((string?)a["AlarmDescription"]));
        });
    }

    [Fact]
    public void ErrorsAndThrottles_ForEachFunction()
    {
        foreach (var f in stack.Stack.Functions.All)
        {
            Is(Alarm("AWS/Lambda", "Errors", FunctionDimension(f)), "Sum", 1, "GreaterThanOrEqualToThreshold", 300);
            Is(Alarm("AWS/Lambda", "Throttles", FunctionDimension(f)), "Sum", 5, "GreaterThanOrEqualToThreshold", 300);
        }
    }

    [Fact]
    public void Api5xx()
    {
        var stage = "${" + stack.Resources.OfType("AWS::ApiGateway::Stage").Single().Id + "}";
        Is(Alarm("AWS/ApiGateway", "5XXError", ("ApiName", "SwfServerless"), ("Stage", stage)), "Sum", 5, "GreaterThanOrEqualToThreshold", 300);
    }

    [Fact]
    public void StreamIteratorAge_OverAMinute()
    {
        var alarm = Alarm("AWS/Lambda", "IteratorAge", FunctionDimension(stack.Stack.Functions.Stream));
        Is(alarm, "Maximum", 60_000, "GreaterThanThreshold", 60);
        Assert.Equal(5, alarm["EvaluationPeriods"].Int());
        Assert.Equal(3, alarm["DatapointsToAlarm"].Int());
    }

    [Fact]
    public void FailureQueue_AnyMessage()
    {
        var queue = stack.Id(stack.Stack.StreamWorker.FailureQueue);
        Is(Alarm("AWS/SQS", "ApproximateNumberOfMessagesVisible", ("QueueName", "${" + queue + ".QueueName}")), "Maximum", 0, "GreaterThanThreshold", 300);
    }

    [Fact]
    public void TimerLag_P99Over5Seconds_OfFiresAndSweeps()
    {
        var alarm = Assert.Single(Alarms, a => a["Metrics"] is not null);
        Assert.Equal(5000, alarm["Threshold"]!.GetValue<double>());
        Assert.Equal("GreaterThanThreshold", (string?)alarm["ComparisonOperator"]);
        var metrics = alarm["Metrics"]!.AsArray();
        Assert.Equal("MAX([fire, sweep])", (string?)metrics.Single(m => m!["Expression"] is not null)!["Expression"]);
        var lags = metrics.Where(m => m!["MetricStat"] is not null).Select(m => m!["MetricStat"]!).Select(m => (
            Namespace: (string?)m["Metric"]!["Namespace"], Name: (string?)m["Metric"]!["MetricName"],
            Action: TemplateJson.Render(m["Metric"]!["Dimensions"]!.AsArray().Single(d => (string?)d!["Name"] == "Action")!["Value"]),
            Stat: (string?)m["Stat"], Period: m["Period"].Int())).OrderBy(m => m.Action).ToList();
        Assert.Equal(
            [("SwfServerless", "TimerLagMilliseconds", "TimerFire", "p99", 300), ("SwfServerless", "TimerLagMilliseconds", "TimerSweep", "p99", 300)],
            lags.Select(l => (l.Namespace, l.Name, l.Action, l.Stat, l.Period)));
    }

    [Fact]
    public void Dashboard_HasEveryMetric()
    {
        var body = TemplateJson.Render(stack.Resources.OfType("AWS::CloudWatch::Dashboard").Single().Resource.Props()["DashboardBody"]);
        string[] expected =
        [
            "\"AWS/ApiGateway\",\"Count\"", "\"AWS/ApiGateway\",\"Latency\"", "\"AWS/ApiGateway\",\"5XXError\"",
            "\"AWS/Lambda\",\"Errors\"", "\"AWS/Lambda\",\"Throttles\"", "\"AWS/Lambda\",\"IteratorAge\"",
            "\"AWS/SQS\",\"ApproximateNumberOfMessagesVisible\"",
            "\"AWS/DynamoDB\",\"ConsumedWriteCapacityUnits\"", "\"AWS/DynamoDB\",\"ConsumedReadCapacityUnits\"",
            "\"SwfServerless\",\"TimerLagMilliseconds\"",
            "{SwfServerless,Action} MetricName=\\\"Requests\\\"", "{SwfServerless,Action} MetricName=\\\"Faults\\\"",
            "{SwfServerless,Action} MetricName=\\\"LatencyMilliseconds\\\"",
        ];
        Assert.All(expected, e => Assert.Contains(e, body));
    }
}

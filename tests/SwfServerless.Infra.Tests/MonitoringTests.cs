using System.Text.Json.Nodes;
using Amazon.CDK.AWS.Lambda;

namespace SwfServerless.Infra.Tests;

/// <summary>Alarms (metric, threshold, missing data, the topic), within the fixed cost at rest: no dashboard.</summary>
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
        Assert.Equal(7, Alarms.Count); // $0.70 a month at list prices (scripts/cost.py)
        Assert.All(Alarms, a =>
        {
            Assert.Equal("notBreaching", (string?)a["TreatMissingData"]);
            Assert.Equal([Topic], TemplateJson.Strings(a["AlarmActions"]));
            Assert.Equal([Topic], TemplateJson.Strings(a["OKActions"]));
            Assert.False(string.IsNullOrWhiteSpace((string?)a["AlarmDescription"]));
        });
    }

    [Fact]
    public void Errors_ForEachFunction_NoThrottleAlarms()
    {
        foreach (var f in stack.Stack.Functions.All)
        {
            Is(Alarm("AWS/Lambda", "Errors", FunctionDimension(f)), "Sum", 1, "GreaterThanOrEqualToThreshold", 300);
        }

        // Throttles show as API 5xx, iterator age and timer lag, each alarmed: no alarm of their own ($0.10 each).
        Assert.DoesNotContain(Alarms, a => (string?)a["MetricName"] == "Throttles");
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
    public void TimerLag_P99Over5Seconds_OneSeries()
    {
        // Fires and sweeps write one series with no dimension: a fixed custom-metric budget.
        Is(Alarm("SwfServerless", "TimerLagMilliseconds"), "p99", 5000, "GreaterThanThreshold", 300);
    }

    [Fact]
    public void EveryAlarm_OneMetric_NoDashboard()
    {
        // CloudWatch bills an alarm per metric it reads ($0.10) and a dashboard $3 a month (beyond 3 free ones).
        Assert.All(Alarms, a => Assert.Null(a["Metrics"]));
        Assert.Empty(stack.Resources.OfType("AWS::CloudWatch::Dashboard"));
    }
}

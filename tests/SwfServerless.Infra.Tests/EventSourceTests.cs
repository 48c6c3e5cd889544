namespace SwfServerless.Infra.Tests;

/// <summary>The stream worker's mapping and failure queue; the timer's rule, delay queue and mapping.</summary>
[Collection(StackCollection.Name)]
public sealed class EventSourceTests(StackFixture stack)
{
    [Fact]
    public void StreamMapping_Settings()
    {
        var p = stack.Resource(stack.Stack.StreamWorker.Mapping).Props();
        Assert.Equal("${" + stack.Id(stack.Stack.Table.Resource) + ".StreamArn}", TemplateJson.Render(p["EventSourceArn"]));
        Assert.Equal("${" + stack.Id(stack.Stack.Functions.Stream) + "}", TemplateJson.Render(p["FunctionName"]));
        Assert.Equal("TRIM_HORIZON", (string?)p["StartingPosition"]);
        Assert.Equal(100, p["BatchSize"].Int());
        Assert.Equal(1, p["MaximumBatchingWindowInSeconds"].Int());
        Assert.True((bool)p["BisectBatchOnFunctionError"]!);
        Assert.Equal(10, p["MaximumRetryAttempts"].Int());
        Assert.Equal(86400, p["MaximumRecordAgeInSeconds"].Int());
        Assert.Equal(["ReportBatchItemFailures"], p["FunctionResponseTypes"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(1, p["ParallelizationFactor"].Int());
        Assert.Equal("${" + stack.Id(stack.Stack.StreamWorker.FailureQueue) + ".Arn}", TemplateJson.Render(p["DestinationConfig"]!["OnFailure"]!["Destination"]));
    }

    [Fact]
    public void FailureQueue_Encrypted_14Days()
    {
        var p = stack.Resource(stack.Stack.StreamWorker.FailureQueue).Props();
        Assert.Equal(14 * 86400, p["MessageRetentionPeriod"].Int());
        Assert.True((bool)p["SqsManagedSseEnabled"]!);
    }

    [Fact]
    public void SweepRule_EveryMinute_InvokesTheTimer()
    {
        var p = stack.Resource(stack.Stack.Timers.Sweep).Props();
        Assert.Equal("rate(1 minute)", (string?)p["ScheduleExpression"]);
        Assert.Equal("ENABLED", (string?)p["State"]);
        var target = p["Targets"]!.AsArray().Single()!;
        Assert.Equal("${" + stack.Id(stack.Stack.Functions.Timer) + ".Arn}", TemplateJson.Render(target["Arn"]));
        Assert.Equal(60, target["RetryPolicy"]!["MaximumEventAgeInSeconds"].Int());

        var permission = stack.Resources.OfType("AWS::Lambda::Permission").Select(r => r.Resource.Props())
            .Single(r => (string?)r["Principal"] == "events.amazonaws.com");
        Assert.Equal("${" + stack.Id(stack.Stack.Timers.Sweep) + ".Arn}", TemplateJson.Render(permission["SourceArn"]));
    }

    [Fact]
    public void DelayQueue_VisibilityAtLeastSixTimesTheTimersTimeout()
    {
        var timeout = stack.Resource(stack.Stack.Functions.Timer).Props()["Timeout"].Int();
        var p = stack.Resource(stack.Stack.Timers.DelayQueue).Props();
        Assert.True(p["VisibilityTimeout"].Int() >= timeout * 6);
        Assert.True((bool)p["SqsManagedSseEnabled"]!);
    }

    [Fact]
    public void DelayQueueMapping_Batches10_PartialFailures_ToTheTimer()
    {
        var queue = "${" + stack.Id(stack.Stack.Timers.DelayQueue) + ".Arn}";
        var p = stack.Resources.OfType("AWS::Lambda::EventSourceMapping").Select(m => m.Resource.Props())
            .Single(m => TemplateJson.Render(m["EventSourceArn"]) == queue);
        Assert.Equal("${" + stack.Id(stack.Stack.Functions.Timer) + "}", TemplateJson.Render(p["FunctionName"]));
        Assert.Equal(10, p["BatchSize"].Int());
        Assert.Equal(["ReportBatchItemFailures"], p["FunctionResponseTypes"]!.AsArray().Select(t => (string)t!));
        Assert.Null(p["MaximumBatchingWindowInSeconds"]); // a window would delay fires
    }
}

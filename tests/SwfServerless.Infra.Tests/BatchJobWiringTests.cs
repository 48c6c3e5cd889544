namespace SwfServerless.Infra.Tests;

/// <summary>
/// What the batch job engine needs of the stack (docs/operations.md, "Batch jobs"): no function of its own; the stream
/// function hands a new job to the delay queue, the queue's mapping invokes the timer function, which steps the job for
/// up to 5 s and sends its next wake-up to the same queue; the sweep rule is its backstop.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class BatchJobWiringTests(StackFixture stack)
{
    /// <summary>A step budget of 5 s plus its longest step (a second's operations at 1,000/s) fits the timer's timeout.</summary>
    [Fact]
    public void TimerTimeout_HoldsAJobsStepBudget()
    {
        Assert.True(stack.Resource(stack.Stack.Functions.Timer).Props()["Timeout"].Int() >= 15);
        Assert.True(stack.Resource(stack.Stack.Functions.Stream).Props()["Timeout"].Int() >= 15);
    }

    [Fact]
    public void BothStreamAndTimer_KnowTheDelayQueue_ForWakeUps()
    {
        foreach (var function in new[] { stack.Stack.Functions.Stream, stack.Stack.Functions.Timer })
        {
            Assert.True(stack.Resource(function).Props()["Environment"]!["Variables"]!.AsObject().ContainsKey("SWF_TIMER_QUEUE_URL"));
        }
    }
}

using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.Operator;

namespace SwfServerless.Core.Tests.Operator;

/// <summary>The batch job state machine: the start's rules, the frozen set walked once per phase, exact counts, the pacing clock.</summary>
public sealed class BatchJobTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static BatchRequest Request(
        string operation = BatchOperation.Terminate, IReadOnlyList<BatchTarget>? executions = null, bool filter = true, DateTimeOffset? oldest = null,
        DateTimeOffset? latest = null, string? workflowId = null, string? typeName = null, bool typeFilter = false, string? tag = null,
        string? signalName = null, string? childPolicy = null, int? grace = null, int? rate = null, string jobId = "job-1") =>
        new("d", jobId, operation, executions, filter ? oldest ?? Now.AddDays(-1) : null, latest, filter, workflowId, typeName, null, typeFilter, tag,
            "bad deploy", null, childPolicy, signalName, null, grace, rate);

    private static BatchTarget T(int i) => new($"wf-{i}", $"run{i:D4}");

    private static (BatchJob Job, BatchProgress Progress) Explicit(int n, string operation = BatchOperation.Terminate, int rate = 1000, int grace = 30)
    {
        var targets = Enumerable.Range(0, n).Select(T).ToList();
        var job = Request(operation, targets, filter: false, rate: rate, grace: operation == BatchOperation.CancelThenTerminate ? grace : null).ToJob(Now, "alice");
        var chunks = targets.Chunk(BatchProgress.ChunkSize).ToList();
        return (job, BatchProgress.Start(job, n, chunks.Count));
    }

    [Theory]
    [InlineData("startTimeFilter")]
    [InlineData("mutually exclusive")]
    public void Start_RefusesNoTargetsAndBothKinds(string expected)
    {
        var request = expected == "startTimeFilter" ? Request(filter: false) : Request(executions: [T(1)]);
        Assert.Contains(expected, Assert.Throws<ValidationFault>(() => request.ToJob(Now, null)).Message);
    }

    [Fact]
    public void Start_RefusesAFilterThatCanNeverMatch()
    {
        Assert.Contains("never match", Assert.Throws<ValidationFault>(() => Request(oldest: Now, latest: Now.AddHours(-1)).ToJob(Now, null)).Message);
        Assert.Contains("never match", Assert.Throws<ValidationFault>(() => Request(oldest: Now.AddHours(1)).ToJob(Now, null)).Message);
        Assert.Contains("mutually exclusive", Assert.Throws<ValidationFault>(() => Request(typeName: "wf", typeFilter: true, tag: "t").ToJob(Now, null)).Message);
        Assert.Contains("typeFilter.name", Assert.Throws<ValidationFault>(() => Request(typeFilter: true).ToJob(Now, null)).Message);
        Assert.Contains("tagFilter", Assert.Throws<ValidationFault>(() => Request(filter: false, tag: "t").ToJob(Now, null)).Message);
    }

    [Fact]
    public void Start_RefusesMembersOfAnotherOperationAndBadValues()
    {
        Assert.Contains("signalName", Assert.Throws<ValidationFault>(() => Request(BatchOperation.Signal).ToJob(Now, null)).Message);
        Assert.Contains("signalName", Assert.Throws<ValidationFault>(() => Request(signalName: "s").ToJob(Now, null)).Message);
        Assert.Contains("terminateAfterSeconds", Assert.Throws<ValidationFault>(() => Request(grace: 5).ToJob(Now, null)).Message);
        Assert.Contains("childPolicy", Assert.Throws<ValidationFault>(() => Request(BatchOperation.RequestCancel, childPolicy: "ABANDON").ToJob(Now, null)).Message);
        Assert.Contains("maxOperationsPerSecond", Assert.Throws<ValidationFault>(() => Request(rate: 0).ToJob(Now, null)).Message);
        Assert.Contains("jobId", Assert.Throws<ValidationFault>(() => Request(jobId: "a|b").ToJob(Now, null)).Message);
        Assert.Contains("executions", Assert.Throws<ValidationFault>(() => Request(executions: [T(1), T(1)], filter: false).ToJob(Now, null)).Message);
        Assert.Contains("executions", Assert.Throws<ValidationFault>(() => Request(executions: [.. Enumerable.Range(0, 1001).Select(T)], filter: false).ToJob(Now, null)).Message);
    }

    [Fact]
    public void Fingerprint_SameRequestSameJob_AnyDifferenceAnother()
    {
        Assert.Equal(Request().Fingerprint(), Request().Fingerprint());
        Assert.NotEqual(Request().Fingerprint(), Request(rate: 5).Fingerprint());
        Assert.NotEqual(Request().Fingerprint(), Request(BatchOperation.RequestCancel).Fingerprint());
        Assert.Equal(Request().ToJob(Now, null).Fingerprint, Request().ToJob(Now.AddMinutes(1), null).Fingerprint);
    }

    [Fact]
    public void FilteredJob_FreezesFirst_NoLaterThanItsStart()
    {
        var job = Request(latest: Now.AddDays(1)).ToJob(Now, null);
        var p = BatchProgress.Start(job, 0, 0);
        Assert.IsType<BatchStep.Freeze>(BatchSteps.Next(job, p, Now));
        Assert.Equal(Now, job.FreezeLatest);

        p = BatchSteps.AfterFreeze(job, p, 10, 1000, "token", Now);
        Assert.Equal((BatchPhase.Freeze, 10, 1000), (p.Phase, p.Chunks, p.Counts.Total));
        p = BatchSteps.AfterFreeze(job, p, 3, 250, null, Now);
        Assert.Equal((BatchPhase.Act, 13, 1250, 0, 0), (p.Phase, p.Chunks, p.Counts.Total, p.Chunk, p.Offset));
    }

    [Fact]
    public void FilteredJob_MatchingNothing_IsDoneAtOnce()
    {
        var job = Request().ToJob(Now, null);
        var p = BatchSteps.AfterFreeze(job, BatchProgress.Start(job, 0, 0), 0, 0, null, Now);
        Assert.True(p.IsDone);
        Assert.IsType<BatchStep.Finished>(BatchSteps.Next(job, p, Now));
    }

    [Fact]
    public void Take_WalksChunksFromTheCursor_WithUniquePositions()
    {
        var (_, p) = Explicit(250);
        var chunks = Enumerable.Range(0, 250).Select(T).Chunk(100).Select(c => (IReadOnlyList<BatchTarget>)c).ToList();
        var (first, chunk, offset) = BatchSteps.Take(p, chunks, 150);
        Assert.Equal((150, 1, 50), (first.Count, chunk, offset));
        Assert.Equal(Enumerable.Range(0, 150).Select(i => (long)i), first.Select(t => t.Position));

        p = p with { Chunk = chunk, Offset = offset };
        Assert.Equal(2, BatchSteps.ChunksToRead(p, 150));
        var (rest, c2, o2) = BatchSteps.Take(p, chunks.Skip(1).ToList(), 150);
        Assert.Equal((100, 3, 0), (rest.Count, c2, o2));
        Assert.Equal(T(150), rest[0].Target);
        Assert.Equal(249L, rest[^1].Position);
    }

    [Fact]
    public void Terminate_CountsExactly_AndCompletesAfterItsLastStep()
    {
        var (job, p) = Explicit(3);
        Assert.Equal(new BatchStep.Act(BatchPhase.Act, 1000), BatchSteps.Next(job, p, Now));
        p = BatchSteps.AfterAct(p, [new(T(0), BatchOutcome.Succeeded), new(T(1), BatchOutcome.AlreadyClosed), new(T(2), BatchOutcome.Failed, "Unknown execution")], 1, 0, Now, Now);
        Assert.Equal(new BatchCounts(Total: 3, Succeeded: 1, AlreadyClosed: 1, Failed: 1), p.Counts);
        Assert.Equal("wf-2", Assert.Single(p.Failures).WorkflowId);
        var done = Assert.IsType<BatchStep.Move>(BatchSteps.Next(job, p, Now)).Next;
        Assert.True(done.IsDone);
        Assert.Equal(Now, done.FinishedAt);
    }

    [Fact]
    public void Failures_AreCountedAll_ButNamedOnlyUpToTheBound()
    {
        var (_, p) = Explicit(150);
        var results = Enumerable.Range(0, 150).Select(i => new BatchResult(T(i), BatchOutcome.Failed, "x")).ToList();
        p = BatchSteps.AfterAct(p, results, 2, 0, Now, Now);
        Assert.Equal(150, p.Counts.Failed);
        Assert.Equal(BatchProgress.MaxFailures, p.Failures.Count);
    }

    [Fact]
    public void CancelThenTerminate_AsksAll_WaitsTheGrace_ThenSettlesEachRunOnce()
    {
        var (job, p) = Explicit(4, BatchOperation.CancelThenTerminate, grace: 30);
        Assert.Equal(BatchPhase.Cancel, p.Phase);
        p = BatchSteps.AfterAct(p, [new(T(0), BatchOutcome.CancelRequested), new(T(1), BatchOutcome.CancelRequested), new(T(2), BatchOutcome.CancelRequested), new(T(3), BatchOutcome.CancelSkipped)], 1, 0, Now, Now);
        p = Assert.IsType<BatchStep.Move>(BatchSteps.Next(job, p, Now)).Next;
        Assert.Equal((BatchPhase.Grace, Now.AddSeconds(30)), (p.Phase, p.GraceEndsAt));
        Assert.Equal(new BatchStep.Wait(Now.AddSeconds(30)), BatchSteps.Next(job, p, Now.AddSeconds(29)));

        p = Assert.IsType<BatchStep.Move>(BatchSteps.Next(job, p, Now.AddSeconds(30))).Next;
        Assert.Equal((BatchPhase.Terminate, 0, 0), (p.Phase, p.Chunk, p.Offset));
        p = BatchSteps.AfterAct(p, [new(T(0), BatchOutcome.CanceledGracefully), new(T(1), BatchOutcome.TerminatedAfterGrace), new(T(2), BatchOutcome.AlreadyClosed), new(T(3), BatchOutcome.TerminatedAfterGrace)], 1, 0, Now, Now);
        Assert.Equal(new BatchCounts(Total: 4, Succeeded: 3, AlreadyClosed: 1, CanceledGracefully: 1, TerminatedAfterGrace: 2, CancelRequested: 3), p.Counts);
        Assert.Equal(p.Counts.Total, p.Counts.Settled);
        Assert.True(Assert.IsType<BatchStep.Move>(BatchSteps.Next(job, p, Now)).Next.IsDone);
    }

    [Theory]
    [InlineData(BatchPhase.Act, true, true, null, false, null)]
    [InlineData(BatchPhase.Act, true, false, CloseStatus.Completed, false, BatchOutcome.AlreadyClosed)]
    [InlineData(BatchPhase.Act, true, false, CloseStatus.Terminated, true, BatchOutcome.Succeeded)]
    [InlineData(BatchPhase.Act, false, false, null, false, BatchOutcome.Failed)]
    [InlineData(BatchPhase.Cancel, true, false, CloseStatus.Completed, false, BatchOutcome.CancelSkipped)]
    [InlineData(BatchPhase.Cancel, false, false, null, false, BatchOutcome.CancelSkipped)]
    [InlineData(BatchPhase.Terminate, true, false, CloseStatus.Canceled, false, BatchOutcome.CanceledGracefully)]
    [InlineData(BatchPhase.Terminate, true, false, CloseStatus.Terminated, true, BatchOutcome.TerminatedAfterGrace)]
    [InlineData(BatchPhase.Terminate, true, false, CloseStatus.Completed, false, BatchOutcome.AlreadyClosed)]
    public void Outcomes_ByPhaseAndWhatTheRunIs(string phase, bool exists, bool open, CloseStatus? status, bool byJob, BatchOutcome? expected) =>
        Assert.Equal(expected, BatchOutcomes.Settled(phase, exists, open, status, byJob));

    [Fact]
    public void Pacing_SlotsAreEvenAndContiguous_LostTimeMadeUpOnlyWithinTheBurstWindow()
    {
        var origin = BatchPacing.Origin(Now, Now.AddMilliseconds(300)); // a stream hop: made up
        Assert.Equal(Now, origin);
        Assert.Equal(Now.AddMilliseconds(10), BatchPacing.Slot(origin, 1, 100));
        Assert.Equal(Now.AddSeconds(1), BatchPacing.Slot(origin, 100, 100));

        var resumed = Now.AddMinutes(5); // a crash: no burst of five minutes' worth
        Assert.Equal(resumed, BatchPacing.Origin(Now, resumed));
        Assert.Equal(Now.AddSeconds(2), BatchPacing.Origin(Now.AddSeconds(2), Now)); // ahead: wait for it
        Assert.Equal((1, 7, 1000), (BatchPacing.StepSize(1), BatchPacing.StepSize(7), BatchPacing.StepSize(5000)));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(79, 1)] // below 80/s a run is its own transaction, as before groups
    [InlineData(80, 2)]
    [InlineData(400, 10)]
    [InlineData(1000, 25)]
    [InlineData(10_000, 25)] // DynamoDB's 100 items a transaction, at ~4 a terminate
    public void Groups_AreAFortiethOfASecondsWorth_AtMost25(int rate, int size)
    {
        Assert.Equal(size, BatchPacing.GroupSize(rate));

        // A group starts at its last run's slot, so it is never ahead of the runs' own slots.
        var origin = Now;
        Assert.True(BatchPacing.Slot(origin, size - 1, rate) - origin < TimeSpan.FromSeconds(1.0 / 40));
    }
}

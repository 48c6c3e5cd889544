using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Core;
using SwfServerless.Core.Decisions;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Operator;
using SwfServerless.Functions;
using SwfServerless.Functions.Operator;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;
using Xunit.Abstractions;

namespace SwfServerless.Integration.Tests.Operator;

/// <summary>
/// The close preview is exact on a tree of 10,100 open descendants (a root, 100 children under TERMINATE,
/// REQUEST_CANCEL and ABANDON policies, 100 grandchildren each), seeded with the service's own item builders
/// (<see cref="RunSeeder"/>: each parent's decision to start its children and their ChildWorkflowExecutionStarted
/// events written as the service writes them, child links included); and so is a batch's dry run over the root and
/// some of its children. The cost is printed.
/// The table has no stream, and is deleted at the end: DynamoDB Local keeps every stream record of the whole test run
/// and grows slower with them, so 30,000 seeded items on a streamed table slowed every later write of the suite.
/// Nothing here needs the stream: no run is closed.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class PreviewScaleTests(DynamoDbFixture db, ITestOutputHelper output)
{
    private const int Children = 100;
    private const int GrandchildrenEach = 100;

    private static readonly string[] Policies = [ChildPolicy.Terminate, ChildPolicy.RequestCancel, ChildPolicy.Abandon];

    [Fact]
    public async Task PreviewClose_IsExactOnTenThousandDescendants_AndStatesItsCost()
    {
        var clock = Stopwatch.StartNew();
        var table = $"swf-preview-{Guid.NewGuid():N}";
        await CreateWithoutStreamAsync(table);
        try
        {
            var s = await db.ServicesOverAsync(table);
            await new ApiDriver(s).RegisterDomainAndWorkflowTypeAsync();
            var (root, children, seeded) = await SeedTreeAsync(s);
            output.WriteLine($"Seeded {seeded} runs in {clock.Elapsed.TotalSeconds:F1} s");

            var loaded = (await s.Runs.LoadManyAsync([root.RunId], default))[root.RunId].State;
            var timer = Stopwatch.StartNew();
            var (preview, readUnits, calls) = await ClosePreviews.PreviewAsync(s, loaded, CloseOperation.Terminate, null, ClosePreviews.DefaultMaximumNodes, default);
            output.WriteLine($"PreviewClose of {preview.Counts.Descendants} descendants: {readUnits:F0} read units, {calls} DynamoDB calls, {timer.ElapsedMilliseconds} ms");

            // Root TERMINATE: its 100 children terminated; below them, each child's own policy (34 TERMINATE, 33
            // REQUEST_CANCEL, 33 ABANDON) over its 100 grandchildren.
            var (t, c, a) = (Children + (34 * GrandchildrenEach), 33 * GrandchildrenEach, 33 * GrandchildrenEach);
            Assert.Equal(new PreviewCounts(Children * (GrandchildrenEach + 1), t, c, a, 0), preview.Counts);
            Assert.True(preview.Complete);
            Assert.Equal((ClosePreviews.DefaultMaximumNodes, true), (preview.Nodes.Count, preview.Truncated));

            // One state read per descendant (1 read unit each, in BatchGetItem of 100), and one link Query per parent
            // (a read unit per ~25 links: 4 for 100): about 10,100 + 101 x 4 read units.
            Assert.InRange(readUnits, preview.Counts.Descendants, preview.Counts.Descendants + ((Children + 1) * ((GrandchildrenEach / 25) + 1)));

            // A batch's dry run over the root and two of its children (nested targets): the same runs, counted once.
            var job = new BatchRequest("d", "dry", BatchOperation.Terminate, [root, children[0], children[1]], null, null, false, null, null, null, false, null,
                null, null, null, null, null, null, null).ToJob(s.Time.GetUtcNow(), null);
            timer.Restart();
            var batch = await ClosePreviews.PreviewBatchAsync(s, job, job.Executions!, ClosePreviews.MaxDescendants, default);
            output.WriteLine($"Dry run cascade of 3 targets, {batch.Cascade.Counts.Descendants} descendants: {batch.ReadUnits:F0} read units, {batch.Calls} DynamoDB calls, {timer.ElapsedMilliseconds} ms");
            Assert.Equal(new PreviewCounts(preview.Counts.Descendants - 2, t - 2, c, a, 0), batch.Cascade.Counts);
            Assert.Equal((2, 2, false), (batch.Cascade.NestedTargets, batch.Cascade.NestedTargetsReached, batch.Cascade.Truncated));

            var cut = await ClosePreviews.PreviewBatchAsync(s, job, job.Executions!, 500, default);
            Assert.Equal((true, 500), (cut.Cascade.Truncated, cut.Cascade.Counts.Descendants + cut.Cascade.NestedTargets));
        }
        finally
        {
            await db.Client.DeleteTableAsync(table);
            output.WriteLine($"Whole test (table created, seeded, previewed, deleted): {clock.Elapsed.TotalSeconds:F1} s");
        }
    }

    /// <summary>The service's table, as it deploys it, but without a stream.</summary>
    private async Task CreateWithoutStreamAsync(string table)
    {
        var request = TableSchema.CreateRequest(table);
        request.StreamSpecification = null;
        await db.Client.CreateTableAsync(request);
        await Waits.Eventually(async () => (await db.Client.DescribeTableAsync(table)).Table.TableStatus == TableStatus.ACTIVE, $"table {table} active");
    }

    /// <summary>
    /// The root, its children and their children, each parent written with the events its decider's
    /// StartChildWorkflowExecution decisions and the children's starts leave (state, history, child links).
    /// </summary>
    private static async Task<(BatchTarget Root, List<BatchTarget> Children, int Seeded)> SeedTreeAsync(SwfServices s)
    {
        var type = await s.Registry.GetTypeAsync(TypeKind.Workflow, "d", "wf", "1", default);
        var retention = (await s.Registry.GetDomainAsync("d", default)).RetentionDays;
        var context = new DecisionContext { FindWorkflowType = (_, _) => type, NewRunId = s.NewRunId };
        var now = s.Time.GetUtcNow();
        var settings = WorkflowStart.Resolve(type, new RequestedSettings(null, null, null, null, null, null)).Settings!;
        var seeder = new RunSeeder(s.Table, s.Runs.Limits, s.Settings.MaxOpenExecutions);
        var items = new List<IReadOnlyList<Dictionary<string, AttributeValue>>>();

        // A parent's items, with children started under the given policies; returns the children's started runs.
        List<Execution> Parent(Execution run, IReadOnlyList<string> childPolicies)
        {
            var kids = new List<Execution>();
            items.Add(seeder.Items(run, retention, e =>
            {
                var decisions = childPolicies.Select((p, i) => (Decision)new StartChildWorkflowExecution(
                    new WorkflowType("wf", "1"), $"{e.State.WorkflowId}.{i}", ChildPolicy: p)).ToList();
                var outcome = e.CompleteDecisionTask(e.StartDecisionTask("seeder"), decisions, null, null, null, context);
                foreach (var effect in outcome.Effects)
                {
                    e.RecordChildStarted(effect);
                    kids.Add(Execution.Start(effect.Child!, now, s.Runs.Limits));
                }

                return RunChange.None;
            }, now));
            return kids;
        }

        var root = Execution.Start(settings.ToStartParameters(new ExecutionId("d", "root", s.NewRunId()), "wf", "1", null, []), now, s.Runs.Limits);
        var children = Parent(root, [.. Enumerable.Range(0, Children).Select(i => Policies[i % 3])]);
        foreach (var child in children)
        {
            foreach (var grandchild in Parent(child, [.. Enumerable.Repeat(ChildPolicy.Terminate, GrandchildrenEach)]))
            {
                items.Add(seeder.Items(grandchild, retention));
            }
        }

        await seeder.WriteAsync(items.Select(i => (Func<IReadOnlyList<Dictionary<string, AttributeValue>>>)(() => i)), 4, default);
        await seeder.WriteCountersAsync(default);
        return (new BatchTarget("root", root.State.RunId), [.. children.Select(c => new BatchTarget(c.State.WorkflowId, c.State.RunId))], items.Count);
    }
}

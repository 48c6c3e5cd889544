using SwfServerless.Core.Executions;
using SwfServerless.Core.Operator;

namespace SwfServerless.Core.Tests;

/// <summary>The cascade of child policies a close sets off, rule by rule and over trees.</summary>
public sealed class PreviewCascadeTests
{
    [Theory]
    [InlineData("TERMINATED", "TERMINATE", "TERMINATED")]
    [InlineData("TERMINATED", "REQUEST_CANCEL", "CANCEL_REQUESTED")]
    [InlineData("TERMINATED", "ABANDON", "ABANDONED")]
    [InlineData("CANCEL_REQUESTED", "TERMINATE", "UNCERTAIN")]
    [InlineData("CANCEL_REQUESTED", "ABANDON", "UNCERTAIN")]
    [InlineData("UNCERTAIN", "TERMINATE", "UNCERTAIN")]
    [InlineData("ABANDONED", "TERMINATE", "ABANDONED")]
    [InlineData("ABANDONED", "REQUEST_CANCEL", "ABANDONED")]
    public void EffectOnChild(string parentEffect, string parentPolicy, string expected) =>
        Assert.Equal(expected, PreviewCascade.EffectOnChild(parentEffect, parentPolicy));

    private static readonly ExecutionId Root = new("d", "root", "r0");

    // A tree written "name:policy<-parent" in parent-first order.
    private static List<TreeNode> Tree(params string[] nodes) => [.. nodes.Select(n =>
    {
        var (self, parent) = (n.Split("<-")[0], n.Split("<-")[1]);
        var (name, policy) = (self.Split(':')[0], self.Split(':')[1]);
        return new TreeNode(new ExecutionId("d", name, name), parent, 0, policy, "wf", "1");
    })];

    // root -> a (TERMINATE) -> a1 (ABANDON) -> a11
    //      -> b (REQUEST_CANCEL) -> b1
    //      -> c (ABANDON) -> c1
    private static readonly List<TreeNode> Mixed = Tree(
        "a:TERMINATE<-r0", "b:REQUEST_CANCEL<-r0", "c:ABANDON<-r0", "a1:ABANDON<-a", "b1:TERMINATE<-b", "c1:TERMINATE<-c", "a11:TERMINATE<-a1");

    public static TheoryData<string, string?, string, string, int, int, int, int> Cases => new()
    {
        // operation, childPolicy, root policy, effects of a,b,c,a1,b1,c1,a11, counts T/C/A/U
        { "TERMINATE", "TERMINATE", "ABANDON", "T T T T C A A", 4, 1, 2, 0 },
        { "TERMINATE", "REQUEST_CANCEL", "TERMINATE", "C C C U U U U", 0, 3, 0, 4 },
        { "TERMINATE", "ABANDON", "TERMINATE", "A A A A A A A", 0, 0, 7, 0 },
        { "TERMINATE", null, "TERMINATE", "T T T T C A A", 4, 1, 2, 0 },
        { "REQUEST_CANCEL", "TERMINATE", "TERMINATE", "U U U U U U U", 0, 0, 0, 7 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_CountsEveryDescendantByEffect(string operation, string? childPolicy, string rootPolicy, string effects, int t, int c, int a, int u)
    {
        var preview = PreviewCascade.Compute(Root, rootPolicy, operation, childPolicy, Mixed, maximumNodes: 100);

        var letters = string.Join(' ', preview.Nodes.Select(n => n.Effect[0].ToString()));
        Assert.Equal(effects, letters);
        Assert.Equal(new PreviewCounts(7, t, c, a, u), preview.Counts);
        Assert.False(preview.Truncated);
        Assert.Equal(operation == "REQUEST_CANCEL" || c > 0, preview.Uncertain);
        Assert.Equal(operation == "TERMINATE" ? childPolicy ?? rootPolicy : null, preview.ChildPolicy);
    }

    [Fact]
    public void AMixedTree_TerminateWithMixedPolicies()
    {
        // root (TERMINATE) -> a (TERMINATE) -> a1 (ABANDON) -> a11; b (REQUEST_CANCEL) -> b1; c (ABANDON) -> c1
        var preview = PreviewCascade.Compute(Root, "TERMINATE", "TERMINATE", null, Mixed, 100);

        Assert.Equal(
            ["a TERMINATED", "b TERMINATED", "c TERMINATED", "a1 TERMINATED", "b1 CANCEL_REQUESTED", "c1 ABANDONED", "a11 ABANDONED"],
            preview.Nodes.Select(n => $"{n.Node.Run.WorkflowId} {n.Effect}"));
    }

    [Fact]
    public void ALargeTree_IsCountedExactly_AndListedUpToTheBound()
    {
        // 10,000 children under TERMINATE, each with 2 children of its own under REQUEST_CANCEL: 30,000 descendants.
        var nodes = new List<TreeNode>();
        for (var i = 0; i < 10_000; i++)
        {
            nodes.Add(new TreeNode(new ExecutionId("d", $"c{i}", $"c{i}"), "r0", 1, "REQUEST_CANCEL", "wf", "1"));
        }

        for (var i = 0; i < 20_000; i++)
        {
            nodes.Add(new TreeNode(new ExecutionId("d", $"g{i}", $"g{i}"), $"c{i / 2}", 2, "ABANDON", "wf", "1"));
        }

        var preview = PreviewCascade.Compute(Root, "TERMINATE", "TERMINATE", null, nodes, maximumNodes: 1000);

        Assert.Equal(new PreviewCounts(30_000, 10_000, 20_000, 0, 0), preview.Counts);
        Assert.Equal(1000, preview.Nodes.Count);
        Assert.True(preview.Truncated);
    }

    [Fact]
    public void AChildListedBeforeItsParent_IsRefused() =>
        Assert.Throws<ArgumentException>(() => PreviewCascade.Compute(Root, "TERMINATE", "TERMINATE", null, Tree("a1:TERMINATE<-a", "a:TERMINATE<-r0"), 10));
    // Batches: targets t1 (TERMINATE), t2 (REQUEST_CANCEL), t3 (ABANDON); t1 -> a (TERMINATE) -> a1;
    // t2 -> b (TERMINATE) -> b1; t3 -> c (TERMINATE). The nested target n sits under a or under c.
    private static readonly List<CascadeRoot> Targets =
        [new(new("d", "t1", "t1"), "TERMINATE"), new(new("d", "t2", "t2"), "REQUEST_CANCEL"), new(new("d", "t3", "t3"), "ABANDON")];

    private static readonly List<TreeNode> Forest = Tree("a:TERMINATE<-t1", "b:TERMINATE<-t2", "c:TERMINATE<-t3", "a1:ABANDON<-a", "b1:ABANDON<-b");

    public static TheoryData<string, string?, int, int, int, int, bool> BatchCases => new()
    {
        // operation, childPolicy, counts T/C/A/U of a, a1, b, b1, c; uncertain
        { "TERMINATE", null, 2, 1, 1, 1, true },
        { "TERMINATE", "TERMINATE", 5, 0, 0, 0, false },
        { "TERMINATE", "ABANDON", 0, 0, 5, 0, false },
        { "TERMINATE", "REQUEST_CANCEL", 0, 3, 0, 2, true },
        { "CANCEL_THEN_TERMINATE", "TERMINATE", 5, 0, 0, 0, true },
        { "REQUEST_CANCEL", null, 0, 0, 0, 5, true },
    };

    [Theory]
    [MemberData(nameof(BatchCases))]
    public void Batch_CountsEveryTargetsDescendantsOnce(string operation, string? childPolicy, int t, int c, int a, int u, bool uncertain)
    {
        var cascade = BatchCascades.Compute(operation, childPolicy, Targets, Forest);

        Assert.Equal(new PreviewCounts(5, t, c, a, u), cascade.Counts);
        Assert.Equal(uncertain, cascade.Uncertain);
        Assert.Equal((0, 0, false), (cascade.NestedTargets, cascade.NestedTargetsReached, cascade.Truncated));
    }

    public static TheoryData<string, string, string?, int, int, bool> NestedCases => new()
    {
        // the nested target's parent, its own policy, the job's childPolicy; nested reached; terminated in all; uncertain
        { "a", "TERMINATE", "TERMINATE", 1, 4, true },
        { "c", "TERMINATE", "ABANDON", 0, 0, false },
        { "a1", "TERMINATE", "TERMINATE", 0, 4, false },
    };

    [Theory]
    [MemberData(nameof(NestedCases))]
    public void Batch_ANestedTarget_CountsAsATarget_AndIsUncertainWhereTheCascadeReachesIt(string parent, string policy, string? childPolicy, int reached, int terminated, bool uncertain)
    {
        // t1 -> a (TERMINATE) -> a1 (ABANDON); t3 (ABANDON) -> c (TERMINATE); n (a target) under <parent>, with n1 under n.
        var targets = new List<CascadeRoot>(Targets) { new(new("d", "n", "n"), policy) };
        var forest = Tree("n1:TERMINATE<-n", "a:TERMINATE<-t1", "c:TERMINATE<-t3", "a1:ABANDON<-a", $"n:{policy}<-{parent}");

        var cascade = BatchCascades.Compute("TERMINATE", childPolicy, targets, forest);

        Assert.Equal(4, cascade.Counts.Descendants); // n1, a, c, a1: n is a target, and nothing is counted twice
        Assert.Equal(terminated, cascade.Counts.Terminated);
        Assert.Equal((1, reached), (cascade.NestedTargets, cascade.NestedTargetsReached));
        Assert.Equal(uncertain, cascade.Uncertain);
    }

    [Fact]
    public void Batch_ARunListedTwice_IsCountedOnce()
    {
        var cascade = BatchCascades.Compute("TERMINATE", "TERMINATE", Targets, Tree("a:TERMINATE<-t1", "a:TERMINATE<-t1"), truncated: true);

        Assert.Equal(new PreviewCounts(1, 1, 0, 0, 0), cascade.Counts);
        Assert.True(cascade.Truncated);
    }

    [Fact]
    public void Batch_Signal_HasNoCascade()
    {
        Assert.False(BatchCascades.HasCascade("SIGNAL"));
        Assert.Throws<ArgumentException>(() => BatchCascades.Compute("SIGNAL", null, Targets, []));
    }
}

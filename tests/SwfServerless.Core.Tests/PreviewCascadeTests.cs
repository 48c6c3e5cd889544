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
}

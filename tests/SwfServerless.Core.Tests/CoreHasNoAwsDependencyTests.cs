namespace SwfServerless.Core.Tests;

public sealed class CoreHasNoAwsDependencyTests
{
    [Fact]
    public void CoreAssembly_ReferencesNoAwsPackage()
    {
        var references = typeof(SwfServerless.Core.Domain).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(references, name => name.StartsWith("AWSSDK", StringComparison.Ordinal) || name.StartsWith("Amazon", StringComparison.Ordinal));
        Assert.Contains("System.Runtime", references);
    }
}

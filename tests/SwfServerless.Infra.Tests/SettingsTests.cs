using Amazon.CDK;

namespace SwfServerless.Infra.Tests;

/// <summary>The context values: the package directory is required, domains are parsed and checked, both before anything is built.</summary>
[Collection(StackCollection.Name)]
public sealed class SettingsTests(StackFixture stack)
{
    [Fact]
    public void Context_IsRead_RelativePackageFromBaseDirectory()
    {
        var parent = Path.GetDirectoryName(stack.Package)!;
        var app = new App(new AppProps
        {
            Context = new Dictionary<string, object> { ["lambdaPackage"] = Path.GetFileName(stack.Package), ["domains"] = " a ,,b,  " },
        });
        var settings = StackSettings.FromContext(app.Node, parent);
        Assert.Equal(stack.Package, settings.LambdaPackage);
        Assert.Equal(["a", "b"], settings.Domains);
    }

    [Fact]
    public void Defaults_PackageUnderArtifacts_NoDomains()
    {
        var infra = Directory.CreateTempSubdirectory("infra-").FullName;
        var package = Path.Combine(infra, "..", "artifacts", "lambda");
        var e = Assert.Throws<StackSettingsException>(() => StackSettings.FromContext(new App().Node, infra));
        Assert.Contains(Path.GetFullPath(package), e.Message);
        Assert.Equal("../artifacts/lambda", StackSettings.DefaultLambdaPackage);
        Assert.Empty(new StackSettings(stack.Package, StackSettings.ParseDomains("")).Checked().Domains);
        Directory.Delete(infra);
    }

    [Fact]
    public void MissingPackage_FailsSynth_SayingToRunPackageScript()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-lambda-package-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<StackSettingsException>(() => new StackSettings(missing, []).Checked());
        Assert.Contains("scripts/package.sh", e.Message);
        Assert.Contains(missing, e.Message);

        var empty = Directory.CreateTempSubdirectory("swf-empty-").FullName;
        Assert.Contains("bootstrap", Assert.Throws<StackSettingsException>(() => new StackSettings(empty, []).Checked()).Message);
        Directory.Delete(empty);
    }

    [Fact]
    public void MissingPackage_StackIsNotBuilt()
    {
        var app = new App(new AppProps { Context = new Dictionary<string, object> { ["lambdaPackage"] = "/nonexistent/lambda" } });
        var e = Assert.ThrowsAny<Exception>(() => SwfServerlessApp.Define(app));
        Assert.Contains("scripts/package.sh", e.Message);
    }

    [Theory]
    [InlineData("a:b")]
    [InlineData("a/b")]
    [InlineData("a|b")]
    [InlineData("arn")]
    [InlineData("orders*")]
    [InlineData("who?")]
    [InlineData("${aws:username}")]
    [InlineData("tab\tname")]
    public void BadDomainName_IsRefused(string domain)
    {
        var e = Assert.Throws<StackSettingsException>(() => new StackSettings(stack.Package, [domain]).Checked());
        Assert.Contains(domain, e.Message);
    }

    [Fact]
    public void DomainNamedTwice_IsRefused() =>
        Assert.Throws<StackSettingsException>(() => new StackSettings(stack.Package, StackSettings.ParseDomains("a,b,a")).Checked());

    [Fact]
    public void OutputKeys_KeepDomainsApart()
    {
        Assert.Equal("orders", SwfServerlessStack.OutputKey("orders"));
        Assert.NotEqual(SwfServerlessStack.OutputKey("a-b"), SwfServerlessStack.OutputKey("ab"));
        Assert.NotEqual(SwfServerlessStack.OutputKey("a-b"), SwfServerlessStack.OutputKey("a.b"));
        Assert.Matches("^[A-Za-z0-9]+$", SwfServerlessStack.OutputKey("é ü"));
    }
}

using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace SwfServerless.Infra.Tests;

/// <summary>
/// The stack synthesized once for every test (JSII starts Node once per process): domains <c>orders,billing</c>, a
/// package directory with a dummy bootstrap. Tests read it through <see cref="Template"/> (CDK's assertions) and
/// <see cref="Json"/> (the same template as JSON).
/// </summary>
public sealed class StackFixture : IDisposable
{
    public StackFixture()
    {
        Jsii.Quiet();
        Package = Jsii.DummyPackage();
        var app = new App(new AppProps
        {
            Context = new Dictionary<string, object> { ["domains"] = "orders, billing", ["lambdaPackage"] = Package },
        });
        Stack = SwfServerlessApp.Define(app);
        Template = Template.FromStack(Stack);
        Json = JsonNode.Parse(Newtonsoft.Json.JsonConvert.SerializeObject(Template.ToJSON()))!.AsObject();
    }

    public string Package { get; }

    public SwfServerlessStack Stack { get; }

    public Template Template { get; }

    public JsonObject Json { get; }

    public JsonObject Resources => Json["Resources"]!.AsObject();

    public JsonObject Outputs => Json["Outputs"]!.AsObject();

    /// <summary>The logical ID of a construct's CloudFormation resource.</summary>
    public string Id(Constructs.IConstruct construct) =>
        Stack.GetLogicalId(construct as CfnElement ?? (CfnElement)construct.Node.DefaultChild!);

    /// <summary>The resource of a construct, from the template.</summary>
    public JsonObject Resource(Constructs.IConstruct construct) => Resources[Id(construct)]!.AsObject();

    public void Dispose() => Directory.Delete(Package, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "Synthesized stack";
}

internal static class Jsii
{
    /// <summary>Node 20 is past its end of life; JSII would say so on every start.</summary>
    public static void Quiet() =>
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "14,16,18,20");

    /// <summary>A package directory as scripts/package.sh makes it, with a dummy bootstrap.</summary>
    public static string DummyPackage()
    {
        var dir = Directory.CreateTempSubdirectory("swf-lambda-").FullName;
        File.WriteAllText(Path.Combine(dir, "bootstrap"), "#!/bin/sh\nexit 1\n");
        return dir;
    }
}

using Amazon.CDK;

namespace SwfServerless.Infra;

/// <summary>The app's one stack, defined from the app's context; the program and the tests both start here.</summary>
public static class SwfServerlessApp
{
    public const string StackName = "SwfServerless";

    public static SwfServerlessStack Define(App app) =>
        new(app, StackName, StackSettings.FromContext(app.Node, Directory.GetCurrentDirectory()), new StackProps
        {
            Description = "SwfServerless: Amazon SWF's API on API Gateway, Lambda and DynamoDB",
        });
}

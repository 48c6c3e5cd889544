using Amazon.CDK;
using SwfServerless.Infra;

// The CDK app: `cdk synth` / `cdk deploy` in infra/ run this program (cdk.json). Context values (-c name=value):
// lambdaPackage (the directory scripts/package.sh made), domains (comma-separated SWF domains to make policies for),
// lambdaRoles and lambdaDeciders (StackSettings).
try
{
    var app = new App();
    SwfServerlessApp.Define(app);
    app.Synth();
    return 0;
}
catch (StackSettingsException e)
{
    Console.Error.WriteLine("SwfServerless: " + e.Message);
    return 1;
}

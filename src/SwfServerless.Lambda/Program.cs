using SwfServerless.Functions;
using SwfServerless.Lambda;

// The `bootstrap` executable of the provided.al2023 custom runtime. Lambda starts it once per execution
// environment with AWS_LAMBDA_RUNTIME_API and _HANDLER set; it builds the chosen entry point once (init), then
// loops over invocations until Lambda freezes or ends the process.
var runtimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
if (string.IsNullOrEmpty(runtimeApi))
{
    Console.Error.WriteLine("AWS_LAMBDA_RUNTIME_API is not set: bootstrap runs only inside Lambda (or a stand-in of its Runtime API).");
    return 2;
}

using var client = new RuntimeApiClient(runtimeApi);
return await Bootstrap.RunAsync(client, Environment.GetEnvironmentVariable("_HANDLER"), SwfServices.FromEnvironment, CancellationToken.None);

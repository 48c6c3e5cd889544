using SwfServerless.Functions;
using SwfServerless.Lambda;
using SwfServerless.Storage.Executions;

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
// The loop drains the work a request leaves for after its response (AfterResponse) before it asks for the next event.
return await Bootstrap.RunAsync(
    client, Environment.GetEnvironmentVariable("_HANDLER"), () => SwfServices.FromEnvironment(Environment.GetEnvironmentVariables(), new AfterResponse()), CancellationToken.None);

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SwfServerless.Functions.LambdaTasks;

/// <summary>
/// Lambda's Invoke API over plain HTTP, unsigned: <c>POST {endpoint}/2015-03-31/functions/{name}/invocations</c> with
/// the task's input as the payload, as <c>sam local start-lambda</c> and other local stand-ins serve it. A response with
/// <c>X-Amz-Function-Error</c> is a function error (reason and details from its errorType and errorMessage); a
/// non-2xx response or an endpoint that cannot be reached fails the task too (SWF's only start failure is
/// ASSUME_ROLE_FAILED, so what Lambda itself refuses is a LambdaFunctionFailed, with Lambda's error type as reason).
/// </summary>
public sealed class HttpLambdaInvoker(Uri endpoint, HttpClient? http = null) : ILambdaInvoker
{
    /// <summary>Past the task's own timeout the answer is discarded anyway; a little slack lets a just-in-time answer through.</summary>
    internal static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    private readonly HttpClient http = http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };

    public bool AssumesRole => false;

    public async Task<LambdaOutcome> InvokeAsync(LambdaInvocation call, CancellationToken ct)
    {
        var uri = new Uri(endpoint, InvocationsPath(call.FunctionName));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(call.Timeout + Slack);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri)
            {
                Content = new StringContent(call.Input ?? "", Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
            };
            using var response = await http.SendAsync(request, timeout.Token);
            return await OutcomeAsync(response, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new LambdaOutcome(LambdaOutcomeKind.NoAnswer);
        }
        catch (HttpRequestException e)
        {
            return LambdaOutcome.Failed("Lambda.ServiceException", $"The Lambda endpoint {endpoint} could not be reached: {e.Message}");
        }
    }

    /// <summary>
    /// What an Invoke response says: the function's answer, its error (<c>X-Amz-Function-Error</c>: reason and details
    /// from errorType and errorMessage), or Lambda's own refusal (non-2xx: its error type as reason, its body as details).
    /// </summary>
    internal static async Task<LambdaOutcome> OutcomeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            var type = response.Headers.TryGetValues("X-Amzn-ErrorType", out var t) ? t.First().Split(':')[0] : Member(body, "Type") ?? Member(body, "__type");
            return LambdaOutcome.Failed(type ?? $"Lambda.Http{(int)response.StatusCode}", body);
        }

        if (response.Headers.TryGetValues("X-Amz-Function-Error", out var functionError))
        {
            return LambdaOutcome.Failed(Member(body, "errorType") ?? functionError.First(), Member(body, "errorMessage") ?? body);
        }

        return LambdaOutcome.Completed(body);
    }

    /// <summary>The Invoke API's path of a function (its name, or its ARN escaped).</summary>
    internal static string InvocationsPath(string functionName) => $"2015-03-31/functions/{Uri.EscapeDataString(functionName)}/invocations";

    /// <summary>A string member of a JSON error document; null when the body is not one.</summary>
    private static string? Member(string body, string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

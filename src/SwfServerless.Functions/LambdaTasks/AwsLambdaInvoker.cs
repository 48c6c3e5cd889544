using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using SwfServerless.Aws;
using SwfServerless.Functions.Security;

namespace SwfServerless.Functions.LambdaTasks;

/// <summary>
/// Deployed Lambda tasks, as SWF runs them: the run's lambdaRole is assumed with STS AssumeRole (the function's own
/// credentials sign that call), and the function is invoked with Lambda's Invoke API under the role's credentials
/// (RequestResponse), both SigV4-signed HTTP as IAM and Secrets Manager are called (no SDK for STS or Lambda here).
/// A role that cannot be assumed is StartLambdaFunctionFailed ASSUME_ROLE_FAILED. A role's credentials are kept for
/// a while (they last an hour, renewed while they still outlast the longest task), so a busy workflow does not assume its role for every task.
/// With <paramref name="assumeRoles"/> false (Lambda deciders: the operator bound the function, and the stack grants the
/// service lambda:InvokeFunction on exactly the bound functions) no role is assumed: the service's own credentials sign.
/// </summary>
public sealed class AwsLambdaInvoker(
    string region, Func<AwsCall.Credentials?> ownCredentials, TimeProvider time, Uri? stsEndpoint = null, Uri? lambdaEndpoint = null, bool assumeRoles = true)
    : ILambdaInvoker
{
    /// <summary>How long the assumed credentials last (a role's default maximum session) and how long before their end they are renewed (past the longest task).</summary>
    private static readonly TimeSpan SessionLength = TimeSpan.FromHours(1);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(Core.Executions.Execution.MaxLambdaStartToCloseSeconds);

    /// <summary>One client for the container's life: its connections to STS and Lambda are reused across invocations.</summary>
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly ConcurrentDictionary<string, (AwsCall.Credentials Credentials, DateTimeOffset Until)> sessions = new(StringComparer.Ordinal);
    private readonly Uri sts = stsEndpoint ?? new Uri($"https://sts.{region}.amazonaws.com/");
    private readonly Uri lambda = lambdaEndpoint ?? new Uri($"https://lambda.{region}.amazonaws.com/");

    public bool AssumesRole => assumeRoles;

    public async Task<LambdaOutcome> InvokeAsync(LambdaInvocation call, CancellationToken ct)
    {
        AwsCall.Credentials role;
        try
        {
            role = assumeRoles
                ? await AssumeAsync(call.Role!, ct)
                : ownCredentials() ?? throw new InvalidOperationException("The function has no AWS credentials to invoke Lambda with.");
        }
        catch (Exception e) when (!assumeRoles && e is InvalidOperationException)
        {
            return LambdaOutcome.Failed("Lambda.CredentialsMissing", e.Message);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or System.Xml.XmlException)
        {
            return new LambdaOutcome(LambdaOutcomeKind.AssumeRoleFailed, Details: $"Could not assume {call.Role}: {e.Message}");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(call.Timeout + HttpLambdaInvoker.Slack);
        try
        {
            var uri = new Uri(lambda, HttpLambdaInvoker.InvocationsPath(call.FunctionName));
            var body = Encoding.UTF8.GetBytes(call.Input ?? "");
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var headers = new Dictionary<string, string> { ["host"] = Host(uri), ["content-type"] = "application/json" };
            foreach (var (name, value) in SigV4.Sign("POST", uri, headers, body, region, "lambda", role.AccessKeyId, role.SecretAccessKey, role.SessionToken, time.GetUtcNow()))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await Http.SendAsync(request, timeout.Token);
            return await HttpLambdaInvoker.OutcomeAsync(response, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new LambdaOutcome(LambdaOutcomeKind.NoAnswer);
        }
        catch (HttpRequestException e)
        {
            return LambdaOutcome.Failed("Lambda.ServiceException", $"Lambda could not be reached: {e.Message}");
        }
    }

    /// <summary>The role's credentials: kept ones while they outlast the longest task, else a new AssumeRole.</summary>
    private async Task<AwsCall.Credentials> AssumeAsync(string roleArn, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (sessions.TryGetValue(roleArn, out var kept) && kept.Until - RenewBefore > now)
        {
            return kept.Credentials;
        }

        var own = ownCredentials() ?? throw new InvalidOperationException("The function has no AWS credentials to call STS with.");
        var form = $"Action=AssumeRole&Version=2011-06-15&RoleArn={Uri.EscapeDataString(roleArn)}&RoleSessionName=swf-lambda-task"
                   + $"&DurationSeconds={((int)SessionLength.TotalSeconds).ToString(CultureInfo.InvariantCulture)}";
        var answer = await new AwsCall(Http, own, time).PostAsync(sts, region, "sts", "application/x-www-form-urlencoded; charset=utf-8", form, null, ct);
        var credentials = XDocument.Parse(answer).Descendants().FirstOrDefault(e => e.Name.LocalName == "Credentials")
                          ?? throw new InvalidOperationException("STS's AssumeRole answer has no Credentials.");
        string Part(string name) => credentials.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value
                                    ?? throw new InvalidOperationException($"STS's AssumeRole answer has no {name}.");
        var assumed = new AwsCall.Credentials(Part("AccessKeyId"), Part("SecretAccessKey"), Part("SessionToken"));
        sessions[roleArn] = (assumed, now + SessionLength);
        return assumed;
    }

    private static string Host(Uri uri) => uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
}

using System.Collections.Concurrent;
using System.Xml.Linq;

namespace SwfServerless.Functions.Security;

/// <summary>
/// Deployed action-level authorization: asks IAM whether the caller's own policies allow <c>swf:&lt;Action&gt;</c>
/// on the domain's SWF ARN (<c>iam:SimulatePrincipalPolicy</c>), so a team's existing SWF policies apply unchanged.
/// Answers are kept for <see cref="CacheFor"/> per principal, action and resource (a policy change takes that long
/// to reach running functions). An assumed-role session is asked about through its role (<c>iam:GetRole</c> finds
/// the role's path). Any failure to get an answer denies, and is not kept.
/// Not evaluated (IAM's simulation leaves them out unless given): session policies, SCPs, and SWF's condition keys.
/// </summary>
public sealed class IamActionAuthorizer(AwsCall aws, TimeProvider time, Uri? endpoint = null) : IActionAuthorizer
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);

    private static readonly XNamespace Iam = "https://iam.amazonaws.com/doc/2010-05-08/";
    private readonly Uri endpoint = endpoint ?? new Uri("https://iam.amazonaws.com/");
    private readonly ConcurrentDictionary<(string, string, string), (bool Allowed, DateTimeOffset Until)> answers = new();
    private readonly ConcurrentDictionary<string, (string Arn, DateTimeOffset Until)> roles = new();

    public async ValueTask<bool> IsAllowedAsync(string principal, string action, string resource, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (answers.TryGetValue((principal, action, resource), out var known) && known.Until > now)
        {
            return known.Allowed;
        }

        bool allowed;
        try
        {
            var source = await PolicySourceAsync(principal, ct);
            allowed = source is not null && await SimulateAsync(source, action, resource, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Whatever went wrong (IAM throttling, a network failure, an answer we cannot read), the request is denied.
            Console.Error.WriteLine($"Action authorization unavailable ({e.GetType().Name}: {e.Message}): {action} denied to {principal}");
            return false;
        }

        answers[(principal, action, resource)] = (allowed, now + CacheFor);
        return allowed;
    }

    /// <summary>The ARN IAM simulates for a caller: a user as is, an assumed role as its role; null for anything else (root).</summary>
    private async Task<string?> PolicySourceAsync(string principal, CancellationToken ct)
    {
        var parts = principal.Split(':', 6);
        if (parts.Length != 6)
        {
            return null;
        }

        if (parts[2] == "iam" && parts[5].StartsWith("user/", StringComparison.Ordinal))
        {
            return principal;
        }

        if (parts[2] != "sts" || !parts[5].StartsWith("assumed-role/", StringComparison.Ordinal))
        {
            return null;
        }

        var roleName = parts[5].Split('/')[1];
        var now = time.GetUtcNow();
        if (roles.TryGetValue(roleName, out var role) && role.Until > now)
        {
            return role.Arn;
        }

        var xml = XDocument.Parse(await CallAsync($"Action=GetRole&Version=2010-05-08&RoleName={Uri.EscapeDataString(roleName)}", ct));
        var arn = xml.Descendants(Iam + "Arn").FirstOrDefault()?.Value;
        if (arn is not null)
        {
            roles[roleName] = (arn, now + CacheFor);
        }

        return arn;
    }

    private async Task<bool> SimulateAsync(string source, string action, string resource, CancellationToken ct)
    {
        var xml = XDocument.Parse(await CallAsync(
            "Action=SimulatePrincipalPolicy&Version=2010-05-08" +
            $"&PolicySourceArn={Uri.EscapeDataString(source)}&ActionNames.member.1={Uri.EscapeDataString(action)}&ResourceArns.member.1={Uri.EscapeDataString(resource)}",
            ct));
        var decisions = xml.Descendants(Iam + "EvalDecision").Select(d => d.Value).ToList();
        return decisions.Count > 0 && decisions.All(d => d == "allowed");
    }

    private Task<string> CallAsync(string form, CancellationToken ct) =>
        aws.PostAsync(endpoint, "us-east-1", "iam", "application/x-www-form-urlencoded; charset=utf-8", form, null, ct);
}

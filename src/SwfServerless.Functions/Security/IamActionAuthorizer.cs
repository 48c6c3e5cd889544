using System.Collections.Concurrent;
using System.Xml.Linq;

namespace SwfServerless.Functions.Security;

/// <summary>
/// Deployed action-level authorization: asks IAM whether the caller's own policies allow <c>swf:&lt;Action&gt;</c>
/// on the domain's SWF ARN (<c>iam:SimulatePrincipalPolicy</c>, asked about both ARN forms at once), so a team's
/// existing SWF policies apply unchanged. An explicit Deny of either form denies; an Allow of either form allows.
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

    public async ValueTask<bool> IsAllowedAsync(string principal, string action, IReadOnlyList<string> resourceNames, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var resource = string.Join('\n', resourceNames);
        if (answers.TryGetValue((principal, action, resource), out var known) && known.Until > now)
        {
            return known.Allowed;
        }

        bool allowed;
        try
        {
            var source = await PolicySourceAsync(principal, ct);
            allowed = source is not null && await SimulateAsync(source, action, resourceNames, ct);
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

    private async Task<bool> SimulateAsync(string source, string action, IReadOnlyList<string> resourceNames, CancellationToken ct)
    {
        var form = "Action=SimulatePrincipalPolicy&Version=2010-05-08" +
                   $"&PolicySourceArn={Uri.EscapeDataString(source)}&ActionNames.member.1={Uri.EscapeDataString(action)}" +
                   string.Concat(resourceNames.Select((r, i) => $"&ResourceArns.member.{i + 1}={Uri.EscapeDataString(r)}"));
        return Decide(XDocument.Parse(await CallAsync(form, ct)), resourceNames.Count);
    }

    /// <summary>
    /// IAM's answer about one action on every name of one resource: explicitDeny of any name denies, else allowed of any
    /// name allows. IAM answers per name either as one EvaluationResult per resource (its older form) or as one
    /// aggregate result whose ResourceSpecificResults hold each name's decision (its current form); the aggregate's
    /// EvalDecision is the most restrictive, so an Allow written in one form only is read from the per-name results.
    /// An answer that does not give a decision for every name asked about is not understood, and denies.
    /// </summary>
    private static bool Decide(XDocument answer, int names)
    {
        var perResource = answer.Descendants(Iam + "EvalResourceDecision").Select(d => d.Value).ToList();
        var decisions = perResource.Count > 0 ? perResource : answer.Descendants(Iam + "EvalDecision").Select(d => d.Value).ToList();
        if (decisions.Count < names || decisions.Contains("explicitDeny") || answer.Descendants(Iam + "EvalDecision").Any(d => d.Value == "explicitDeny"))
        {
            return false;
        }

        return decisions.Contains("allowed");
    }

    private Task<string> CallAsync(string form, CancellationToken ct) =>
        aws.PostAsync(endpoint, "us-east-1", "iam", "application/x-www-form-urlencoded; charset=utf-8", form, null, ct);
}

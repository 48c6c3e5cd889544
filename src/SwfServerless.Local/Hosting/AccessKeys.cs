using System.Text.Json;
using SwfServerless.Core;
using SwfServerless.Core.Security;

namespace SwfServerless.Local.Hosting;

/// <summary>
/// The strict mode's file of access keys (<c>--access-keys FILE</c>): for each key its secret, the principal it
/// stands for and that principal's identity policies, either written out or named as the stack's roles:
/// <code>
/// { "accessKeys": [ { "accessKeyId": "AKIDWORKER", "secretAccessKey": "...",
///     "principal": "arn:aws:iam::000000000000:user/orders-worker",
///     "roles": [ { "role": "DeciderAndWorker", "domain": "orders" } ],
///     "policies": [ { "Version": "2012-10-17", "Statement": [ ... ] } ] } ] }
/// </code>
/// A role expands to exactly the managed policy the stack creates for it (<see cref="DomainRoles.PolicyDocument"/>).
/// </summary>
public sealed class AccessKeys
{
    /// <summary>The local API's stand-in for <c>arn:aws:execute-api:region:account:apiId/stage</c>.</summary>
    public static string ExecuteApiPrefix(string region) => $"arn:aws:execute-api:{region}:{LocalSettings.AccountId}:local/local";

    public sealed record Key(string AccessKeyId, string SecretAccessKey, string Principal, IReadOnlyList<IamPolicy> Policies);

    private readonly Dictionary<string, Key> keys;

    private AccessKeys(Dictionary<string, Key> keys) => this.keys = keys;

    public Key? Find(string accessKeyId) => keys.GetValueOrDefault(accessKeyId);

    /// <summary>Each principal's policies, for the function's action-level check.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IamPolicy>> PoliciesByPrincipal() =>
        keys.Values.GroupBy(k => k.Principal).ToDictionary(g => g.Key, g => (IReadOnlyList<IamPolicy>)g.SelectMany(k => k.Policies).ToList());

    /// <summary>Reads the file; FormatException naming what is wrong.</summary>
    public static AccessKeys Load(string path, string region)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.TryGetProperty("accessKeys", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{path}: expected {{\"accessKeys\": [...]}}.");
        }

        var arns = new DomainArn("aws", region, LocalSettings.AccountId);
        var keys = new Dictionary<string, Key>(StringComparer.Ordinal);
        foreach (var k in list.EnumerateArray())
        {
            string Text(string name) => k.TryGetProperty(name, out var v) && v.GetString() is { Length: > 0 } s
                ? s
                : throw new FormatException($"{path}: every access key needs {name}.");

            var policies = new List<IamPolicy>();
            if (k.TryGetProperty("roles", out var roles))
            {
                foreach (var r in roles.EnumerateArray())
                {
                    var role = r.GetProperty("role").GetString()!;
                    var domain = r.GetProperty("domain").GetString()!;
                    using var policy = JsonDocument.Parse(DomainRoles.PolicyDocument(role, domain, ExecuteApiPrefix(region), arns));
                    policies.Add(IamPolicy.Parse(policy.RootElement));
                }
            }

            if (k.TryGetProperty("policies", out var documents))
            {
                policies.AddRange(documents.EnumerateArray().Select(IamPolicy.Parse));
            }

            var key = new Key(Text("accessKeyId"), Text("secretAccessKey"), Text("principal"), policies);
            keys[key.AccessKeyId] = key;
        }

        return new AccessKeys(keys);
    }
}

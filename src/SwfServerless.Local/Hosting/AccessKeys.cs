using SwfServerless.Aws;
using System.Text.Json;
using SwfServerless.Core;

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
/// A role expands to exactly the managed policy the stack creates for it (<see cref="RolePolicies.Document"/>).
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

    private static readonly string[] KeyMembers = ["accessKeyId", "secretAccessKey", "principal", "roles", "policies"];
    private static readonly string[] RoleMembers = ["role", "domain"];

    /// <summary>
    /// Reads the file; FormatException naming what is wrong. Strict, like IAM: an unknown member, a policy IAM would
    /// refuse, or a role on a domain whose name IAM would read as a pattern stops the host from starting, rather than
    /// granting or failing to deny something the file's author did not mean.
    /// </summary>
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
            if (k.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{path}: every access key is an object.");
            }

            string Text(JsonElement e, string name, string where) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
                ? s
                : throw new FormatException($"{path}: {where} needs {name}.");

            var id = Text(k, "accessKeyId", "every access key");
            var where = $"access key {id}";
            Only(k, KeyMembers, path, where);
            var policies = new List<IamPolicy>();
            foreach (var r in Items(k, "roles", path, where))
            {
                Only(r, RoleMembers, path, where + "'s role");
                var role = Text(r, "role", where + "'s role");
                var domain = Text(r, "domain", where + "'s role");
                try
                {
                    using var policy = JsonDocument.Parse(RolePolicies.Document(role, domain, ExecuteApiPrefix(region), arns));
                    policies.Add(IamPolicy.Parse(policy.RootElement));
                }
                catch (ArgumentException e)
                {
                    throw new FormatException($"{path}: {where}: {e.Message.Split(" (Parameter")[0]}", e);
                }
            }

            foreach (var (policyDocument, i) in Items(k, "policies", path, where).Select((d, i) => (d, i)))
            {
                try
                {
                    policies.Add(IamPolicy.Parse(policyDocument));
                }
                catch (FormatException e)
                {
                    throw new FormatException($"{path}: {where}, policy {i + 1}: {e.Message}", e);
                }
            }

            var key = new Key(id, Text(k, "secretAccessKey", where), Text(k, "principal", where), policies);
            if (!keys.TryAdd(key.AccessKeyId, key))
            {
                throw new FormatException($"{path}: access key {id} is given twice.");
            }
        }

        return new AccessKeys(keys);
    }

    private static void Only(JsonElement element, string[] members, string path, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{path}: {where} is an object.");
        }

        foreach (var member in element.EnumerateObject().Where(p => !members.Contains(p.Name)))
        {
            throw new FormatException($"{path}: {where}: unknown member '{member.Name}' (members: {string.Join(", ", members)}).");
        }
    }

    private static List<JsonElement> Items(JsonElement element, string name, string path, string where) =>
        !element.TryGetProperty(name, out var list) ? []
        : list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList()
        : throw new FormatException($"{path}: {where}: {name} is a list.");
}

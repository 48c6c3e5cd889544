using System.Text.RegularExpressions;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Integration.Tests.Support;

/// <summary>A run's partition as text, for comparing a run written one way with one written another (a group against alone).</summary>
public static partial class StoredItems
{
    /// <summary>
    /// Every item of the run's partition, with its runId (and <paramref name="relatedRunIds"/>, a parent's, say), domain,
    /// times (epoch numbers, ISO dates) and the shards drawn from the runId or at random (open-run counter, expiry,
    /// visibility partitions) replaced.
    /// </summary>
    public static async Task<string> NormalizedAsync(SwfTable table, string runId, string domain, params string[] relatedRunIds)
    {
        var items = (await table.Client.QueryAsync(new QueryRequest
        {
            TableName = table.Name,
            KeyConditionExpression = "PK = :pk",
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue(Keys.RunPk(runId)) },
            ConsistentRead = true,
        })).Items;
        var text = string.Join("\n", items.Select(i => string.Join("; ", i.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={Show(a.Value)}"))));
        text = text.Replace(runId, "RUN", StringComparison.Ordinal);
        for (var i = 0; i < relatedRunIds.Length; i++)
        {
            text = text.Replace(relatedRunIds[i], $"RELATED{i}", StringComparison.Ordinal);
        }

        text = text.Replace(domain, "DOMAIN", StringComparison.Ordinal);
        return Shards().Replace(Times().Replace(text, "T"), "${key}S");
    }

    private static string Show(AttributeValue v) =>
        v.S ?? v.N ?? (v.M is { Count: > 0 } m ? "{" + string.Join(",", m.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}:{Show(a.Value)}")) + "}"
            : v.L is { Count: > 0 } l ? "[" + string.Join(",", l.Select(Show)) + "]"
            : v.SS is { Count: > 0 } ss ? string.Join("|", ss) : v.BOOL?.ToString() ?? (v.NULL == true ? "null" : "?"));

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)?|\d{9,}(\.\d+)?")]
    private static partial Regex Times();

    [GeneratedRegex(@"(?<key>ocs=|DUE\||EXP\||DOMAIN\|([OC]\|)?)\d+")]
    private static partial Regex Shards();
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Operator;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Storage.Operator;

/// <summary>
/// The batch jobs' items (docs/operations.md, "Batch jobs"): each job has a partition of its own, so jobs never
/// contend with each other or with runs:
/// <list type="bullet">
/// <item><c>BATCH|&lt;domain&gt;|&lt;jobId&gt;</c> / <c>JOB</c>: the request (<c>def</c>), the progress (<c>prog</c>) and its
/// version (<c>ver</c>), the status (<c>st</c>, changed apart from the progress so that a stop never races a step);</item>
/// <item>the same partition / <c>T|&lt;chunk, 6 digits&gt;</c>: a chunk of up to 100 frozen targets;</item>
/// <item><c>BATCHES|&lt;domain&gt;</c> / <c>&lt;created ms&gt;|&lt;jobId&gt;</c>: the domain's listing entry;</item>
/// <item><c>BATCHES-ACTIVE</c> / <c>&lt;domain&gt;|&lt;jobId&gt;</c>: a running job, for the timer sweep's backstop (written at
/// the start and removed at the end: two writes per job, never per run).</item>
/// </list>
/// </summary>
internal static class BatchItems
{
    public const string JobPrefix = "BATCH|";
    public const string JobSk = "JOB";
    public const string ChunkPrefix = "T|";
    public const string ListingPrefix = "BATCHES|";
    public const string ActivePk = "BATCHES-ACTIVE";

    public const string Definition = "def";
    public const string Progress = "prog";
    public const string Version = "ver";
    public const string Status = "st";
    public const string StopReason = "stopReason";
    public const string StoppedAt = "stoppedAt";
    public const string Lease = "lease";
    public const string Targets = "t";
    public const string JobId = "jobId";
    public const string Operation = "op";
    public const string Created = "created";
    public const string Domain = "domain";

    public static string JobPk(string domain, string jobId) => $"{JobPrefix}{domain}|{jobId}";

    public static string ChunkSk(int chunk) => $"{ChunkPrefix}{chunk.ToString("D6", CultureInfo.InvariantCulture)}";

    public static string ListingPk(string domain) => ListingPrefix + domain;

    public static string ListingSk(DateTimeOffset created, string jobId) =>
        $"{created.ToUnixTimeMilliseconds().ToString("D13", CultureInfo.InvariantCulture)}|{jobId}";

    public static string ActiveSk(string domain, string jobId) => $"{domain}|{jobId}";

    /// <summary>The job a key names; null for any other item.</summary>
    public static (string Domain, string JobId)? ParseJobKey(string? pk, string? sk)
    {
        if (sk != JobSk || pk is null || !pk.StartsWith(JobPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = pk[JobPrefix.Length..].Split('|');
        return parts.Length == 2 ? (parts[0], parts[1]) : null;
    }

    public static string Write(BatchJob job) => JsonSerializer.Serialize(job, BatchJsonContext.Default.BatchJob);

    public static string Write(BatchProgress progress) => JsonSerializer.Serialize(progress, BatchJsonContext.Default.BatchProgress);

    public static string Write(IReadOnlyList<BatchTarget> targets) => JsonSerializer.Serialize([.. targets], BatchJsonContext.Default.ListBatchTarget);

    public static BatchJob ReadJob(string json) => JsonSerializer.Deserialize(json, BatchJsonContext.Default.BatchJob) ?? throw new InvalidDataException("Empty batch job.");

    public static BatchProgress ReadProgress(string json) => JsonSerializer.Deserialize(json, BatchJsonContext.Default.BatchProgress) ?? throw new InvalidDataException("Empty batch progress.");

    public static IReadOnlyList<BatchTarget> ReadTargets(string json) => JsonSerializer.Deserialize(json, BatchJsonContext.Default.ListBatchTarget) ?? [];

    public static Dictionary<string, AttributeValue> ChunkItem(string domain, string jobId, int chunk, IReadOnlyList<BatchTarget> targets) => new()
    {
        [Keys.Pk] = Attr.S(JobPk(domain, jobId)), [Keys.Sk] = Attr.S(ChunkSk(chunk)), [Targets] = Attr.S(Write(targets)),
    };
}

/// <summary>
/// A job as stored: its request, progress, version, status, the stop's reason and time when stopped, and until when an
/// invocation holds its lease (the one stepping it).
/// </summary>
public sealed record StoredBatchJob(BatchJob Job, BatchProgress Progress, long Version, string Status, string? StopReason, DateTimeOffset? StoppedAt, DateTimeOffset? LeaseUntil = null);

/// <summary>A domain's listing entry for a job.</summary>
public sealed record BatchJobSummary(string JobId, string Operation, string Status, DateTimeOffset CreatedAt);

/// <summary>The job stream records name (<see cref="BatchImages.JobOf"/>).</summary>
public static class BatchImages
{
    /// <summary>The job whose item a stream record's keys name; null for every other item.</summary>
    public static (string Domain, string JobId)? JobOf(IItemImage keys) => BatchItems.ParseJobKey(keys.String(Keys.Pk), keys.String(Keys.Sk));
}

[JsonSourceGenerationOptions(IgnoreReadOnlyProperties = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BatchJob))]
[JsonSerializable(typeof(BatchProgress))]
[JsonSerializable(typeof(List<BatchTarget>))]
internal sealed partial class BatchJsonContext : JsonSerializerContext;

using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace SwfServerless.Infra;

/// <summary>
/// The table's stream → the stream worker (docs/child-policies.md, "Deployment settings"), with an SQS queue that
/// keeps what exhausted its retries (the batch's shard and sequence numbers, to inspect and replay within the
/// stream's 24 hours).
/// </summary>
public sealed class SwfStreamWorker : Construct
{
    /// <summary>A fan-out chunk is 100 children; batches stay short.</summary>
    public const int BatchSize = 100;

    /// <summary>Retries before a record goes to the failure queue: a poisoned record cannot hold its shard for long.</summary>
    public const int RetryAttempts = 10;

    /// <summary>
    /// The stream's own retention (24 hours). A record the worker could not reach in time goes to the failure queue
    /// instead of being handled: each record carries work nothing else redoes (a parent told of its child's close,
    /// a fan-out's next chunk, visibility, a purge step), so a shorter age would turn an outage of the worker into
    /// lost work; the IteratorAge alarm tells of a backlog long before.
    /// </summary>
    public static readonly Duration MaxRecordAge = Duration.Hours(24);

    /// <summary>
    /// TRIM_HORIZON: a mapping created (or replaced) after the table has written records still handles them; the
    /// worker is idempotent (delivery markers), so reading a record again is harmless, and skipping one is not.
    /// </summary>
    public static readonly StartingPosition StartingPosition = StartingPosition.TRIM_HORIZON;

    public SwfStreamWorker(Construct scope, string id, SwfTable table, Function worker)
        : base(scope, id)
    {
        FailureQueue = new Queue(this, "FailureQueue", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            RetentionPeriod = Duration.Days(14),
        });

        Mapping = new EventSourceMapping(this, "Mapping", new EventSourceMappingProps
        {
            Target = worker,
            EventSourceArn = table.StreamArn,
            StartingPosition = StartingPosition,
            BatchSize = BatchSize,
            MaxBatchingWindow = Duration.Seconds(1),
            BisectBatchOnError = true,
            RetryAttempts = RetryAttempts,
            MaxRecordAge = MaxRecordAge,
            ReportBatchItemFailures = true,
            ParallelizationFactor = 1, // records of one shard stay in order (a close before the fan-out it starts)
        });

        // The on-failure destination, set on the resource so that the role gets sqs:SendMessage alone (CDK's SqsDlq
        // would add GetQueueAttributes and GetQueueUrl, which Lambda does not use for a destination).
        ((CfnEventSourceMapping)Mapping.Node.DefaultChild!).DestinationConfig = new CfnEventSourceMapping.DestinationConfigProperty
        {
            OnFailure = new CfnEventSourceMapping.OnFailureProperty { Destination = FailureQueue.QueueArn },
        };
        FailureQueue.Grant(worker.Role!, "sqs:SendMessage");

        // Reading the stream, for the mapping: on this table's stream only, and only this role.
        worker.Role!.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "TableStream",
            Actions = [.. TableAccess.StreamRead],
            Resources = [table.StreamArn],
        }));
    }

    public Queue FailureQueue { get; }

    public EventSourceMapping Mapping { get; }
}

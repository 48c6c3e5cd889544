using System.Net;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using SwfServerless.Core.Faults;

namespace SwfServerless.Storage.DynamoDb;

/// <summary>What a failed call to the table means for the service, whatever DynamoDB (or the network) threw.</summary>
public enum StoreFailure
{
    /// <summary>Not a storage failure the service knows: a bug, a fault of SWF's, a request DynamoDB refused as invalid.</summary>
    Other,

    /// <summary>A write's condition did not hold (a single write, or an item of a cancelled transaction).</summary>
    ConditionFailed,

    /// <summary>Another writer got there first: reading again and deciding again may succeed.</summary>
    Conflict,

    /// <summary>Capacity refused (DynamoDB's throttling, or SWF's <see cref="ThrottlingFault"/> made of it).</summary>
    Throttled,

    /// <summary>The service or the network failed this time (a 5xx, a reset, a timeout).</summary>
    Transient,
}

/// <summary>
/// The one reading of DynamoDB's exceptions: <see cref="SwfTable"/> turns throttling into <see cref="ThrottlingFault"/>
/// and a cancelled transaction into <see cref="TransactionFailed"/> here; the stores ask <see cref="IsConditionFailed"/>
/// what a refused conditional write was; <see cref="OptimisticLoop"/> retries what is a <see cref="StoreFailure.Conflict"/>;
/// and the timer queue retries a message on <see cref="IsRetryable"/>. No other code names DynamoDB's exception types.
/// </summary>
public static class StoreErrors
{
    private const string ConditionalCheckFailed = "ConditionalCheckFailed";
    private const string TransactionConflict = "TransactionConflict";

    public static StoreFailure Classify(Exception e) => e switch
    {
        ConditionalCheckFailedException => StoreFailure.ConditionFailed,
        WriteConflict => StoreFailure.Conflict,
        TransactionFailed t => t.IsConflict ? StoreFailure.Conflict
            : t.Reasons.Any(r => r.Reason == ConditionalCheckFailed) ? StoreFailure.ConditionFailed
            : StoreFailure.Other,
        ThrottlingFault or ProvisionedThroughputExceededException or RequestLimitExceededException or ThrottlingException => StoreFailure.Throttled,
        TransactionConflictException or TransactionInProgressException => StoreFailure.Conflict,
        InternalServerErrorException => StoreFailure.Transient,
        AmazonServiceException a => a.ErrorCode switch
        {
            { } code when code.Contains("Throttl", StringComparison.Ordinal) || code is "ProvisionedThroughputExceededException" or "RequestLimitExceeded" => StoreFailure.Throttled,
            "TransactionConflictException" or "TransactionInProgressException" => StoreFailure.Conflict,
            _ when (int)a.StatusCode >= 500 => StoreFailure.Transient,
            _ when a.StatusCode == HttpStatusCode.TooManyRequests => StoreFailure.Throttled,
            _ => StoreFailure.Other,
        },
        HttpRequestException or TimeoutException or IOException or OperationCanceledException => StoreFailure.Transient,
        AggregateException aggregate => aggregate.InnerExceptions.Select(Classify).OrderBy(f => f is StoreFailure.Conflict or StoreFailure.Throttled or StoreFailure.Transient ? 0 : 1)
            .FirstOrDefault(f => f != StoreFailure.Other),
        _ => e.InnerException is { } inner ? Classify(inner) : StoreFailure.Other,
    };

    /// <summary>A conditional write was refused because its condition did not hold (what that means is the store's to say).</summary>
    public static bool IsConditionFailed(Exception e) => e is ConditionalCheckFailedException;

    /// <summary>The same call may succeed if made again later: a conflict, throttling, or a transient failure.</summary>
    public static bool IsRetryable(Exception e) => Classify(e) is StoreFailure.Conflict or StoreFailure.Throttled or StoreFailure.Transient;

    /// <summary>DynamoDB's own refusal for lack of capacity, which SWF answers with ThrottlingException.</summary>
    internal static bool IsThrottling(Exception e) => e is ProvisionedThroughputExceededException or RequestLimitExceededException or ThrottlingException;

    /// <summary>A cancelled transaction as the reasons DynamoDB gave for each of its items, in the items' order.</summary>
    internal static bool TryReadCancellation(Exception e, out IReadOnlyList<string> reasons)
    {
        reasons = e is TransactionCanceledException c ? c.CancellationReasons?.Select(r => r.Code ?? "None").ToList() ?? [] : [];
        return e is TransactionCanceledException;
    }

    /// <summary>True when a reason DynamoDB gave for an item is its condition failing.</summary>
    internal static bool IsConditionFailedReason(string reason) => reason == ConditionalCheckFailed;

    /// <summary>True when a reason DynamoDB gave for an item is another transaction writing it.</summary>
    internal static bool IsConflictReason(string reason) => reason == TransactionConflict;
}

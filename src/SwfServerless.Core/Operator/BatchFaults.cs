using SwfServerless.Core.Faults;

namespace SwfServerless.Core.Operator;

/// <summary>StartBatchOperation with a jobId the domain already has, for another request (the same request is the same job).</summary>
public sealed class BatchOperationAlreadyExistsFault(string message) : SwfFault(message)
{
    public static BatchOperationAlreadyExistsFault Of(string jobId) =>
        new($"Batch operation {jobId} already exists with a different request; use another jobId.");
}

public static class BatchFaults
{
    public static UnknownResourceFault UnknownJob(string jobId) => new($"Unknown batch operation: {jobId}");
}

using System.Security.Cryptography;
using System.Text;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.Names;

namespace SwfServerless.Core.Operator;

/// <summary>
/// StartBatchOperation as asked, before it is a job: the rules a start must pass (each refusal a
/// <see cref="ValidationFault"/> naming the member), so that a malformed filter, or one that can never match, is
/// refused at once rather than becoming a job that hangs or acts on nothing by surprise.
/// </summary>
public sealed record BatchRequest(
    string Domain,
    string JobId,
    string Operation,
    IReadOnlyList<BatchTarget>? Executions,
    DateTimeOffset? StartOldest,
    DateTimeOffset? StartLatest,
    bool HasStartTimeFilter,
    string? WorkflowIdFilter,
    string? TypeName,
    string? TypeVersion,
    bool HasTypeFilter,
    string? Tag,
    string? Reason,
    string? Details,
    string? ChildPolicy,
    string? SignalName,
    string? Input,
    int? TerminateAfterSeconds,
    int? MaxOperationsPerSecond)
{
    /// <summary>Explicit executions a job may name.</summary>
    public const int MaxExecutions = 1000;

    /// <summary>The grace of CANCEL_THEN_TERMINATE when none is given.</summary>
    public const int DefaultTerminateAfterSeconds = 60;

    /// <summary>The job this request starts at <paramref name="now"/>, by <paramref name="startedBy"/>; refuses what breaks a rule.</summary>
    public BatchJob ToJob(DateTimeOffset now, string? startedBy)
    {
        SwfNames.Require("jobId", JobId);
        if (!BatchOperation.All.Contains(Operation))
        {
            throw Validation.Single("operation", Operation, $"Member must satisfy enum value set: [{string.Join(", ", BatchOperation.All)}]");
        }

        var filter = Filter(now);
        var executions = Targets();
        if ((executions is null) == (filter is null))
        {
            throw executions is null
                ? Validation.Single("startTimeFilter", null, "Specify either executions or startTimeFilter (with at most one of typeFilter, tagFilter, executionFilter)")
                : new ValidationFault("executions and startTimeFilter are mutually exclusive: specify one of them.");
        }

        var signal = Operation == BatchOperation.Signal;
        if (signal && string.IsNullOrEmpty(SignalName))
        {
            throw Validation.Single("signalName", null, "Member must not be null when operation is SIGNAL");
        }

        OnlyFor("signalName", SignalName, signal);
        OnlyFor("input", Input, signal);
        OnlyFor("childPolicy", ChildPolicy, Operation is BatchOperation.Terminate or BatchOperation.CancelThenTerminate);
        OnlyFor("terminateAfterSeconds", TerminateAfterSeconds, Operation == BatchOperation.CancelThenTerminate);
        if (TerminateAfterSeconds is < 0 or > 86_400)
        {
            throw Validation.Single("terminateAfterSeconds", TerminateAfterSeconds.ToString(), "Member must have value between 0 and 86400");
        }

        if (MaxOperationsPerSecond is < 1 or > BatchPacing.MaxRate)
        {
            throw Validation.Single("maxOperationsPerSecond", MaxOperationsPerSecond.ToString(), $"Member must have value between 1 and {BatchPacing.MaxRate}");
        }

        var job = new BatchJob(
            Domain, JobId, Operation, executions, filter, Reason, Details, ChildPolicy, SignalName, Input,
            Operation == BatchOperation.CancelThenTerminate ? TerminateAfterSeconds ?? DefaultTerminateAfterSeconds : 0,
            MaxOperationsPerSecond ?? BatchPacing.DefaultRate, now, startedBy, "");
        return job with { Fingerprint = Fingerprint() };
    }

    /// <summary>
    /// The request's digest: what makes two starts with one jobId the same job. The times of an open-ended filter are
    /// as given, not as resolved, so a retried start matches the first.
    /// </summary>
    public string Fingerprint()
    {
        var canonical = string.Join('\u001f', new object?[]
        {
            Domain, JobId, Operation, Executions is null ? null : string.Join(',', Executions.Select(e => $"{e.WorkflowId}/{e.RunId}")),
            StartOldest?.ToUnixTimeMilliseconds(), StartLatest?.ToUnixTimeMilliseconds(), HasStartTimeFilter, WorkflowIdFilter, TypeName, TypeVersion, HasTypeFilter, Tag,
            Reason, Details, ChildPolicy, SignalName, Input, TerminateAfterSeconds, MaxOperationsPerSecond,
        }.Select(v => v?.ToString() ?? "\u0000"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private IReadOnlyList<BatchTarget>? Targets()
    {
        if (Executions is null)
        {
            return null;
        }

        if (Executions.Count is 0 or > MaxExecutions)
        {
            throw Validation.Single("executions", null, $"Member must have length between 1 and {MaxExecutions}");
        }

        if (Executions.Any(e => string.IsNullOrEmpty(e.RunId)))
        {
            throw Validation.Single("executions.member.runId", null, "Member must not be null: a batch names each run by its runId");
        }

        if (Executions.Select(e => e.RunId).Distinct().Count() != Executions.Count)
        {
            throw new ValidationFault("executions must not name a run twice.");
        }

        return Executions;
    }

    private BatchFilter? Filter(DateTimeOffset now)
    {
        var filters = new (string Name, bool Given)[] { ("executionFilter", WorkflowIdFilter is not null), ("typeFilter", HasTypeFilter), ("tagFilter", Tag is not null) }
            .Where(f => f.Given).Select(f => f.Name).ToList();
        if (filters.Count > 1)
        {
            throw new ValidationFault($"{string.Join(", ", filters)} are mutually exclusive: specify at most one of them.");
        }

        if (!HasStartTimeFilter)
        {
            return filters.Count == 0 ? null : throw Validation.Single("startTimeFilter", null, $"Member must not be null when {filters[0]} is given");
        }

        var oldest = StartOldest ?? throw Validation.Single("startTimeFilter.oldestDate", null, "Member must not be null");
        if (StartLatest is { } latest && latest < oldest)
        {
            throw new ValidationFault("startTimeFilter can never match: latestDate must not be earlier than oldestDate.");
        }

        if (oldest > now)
        {
            throw new ValidationFault("startTimeFilter can never match: oldestDate is in the future, and a batch acts only on runs started before it.");
        }

        if (HasTypeFilter && string.IsNullOrEmpty(TypeName))
        {
            throw Validation.Single("typeFilter.name", null, "Member must not be null");
        }

        return new BatchFilter(oldest, StartLatest, WorkflowIdFilter, TypeName, TypeVersion, Tag);
    }

    private static void OnlyFor(string member, object? value, bool allowed)
    {
        if (value is not null && !allowed)
        {
            throw Validation.Single(member, value.ToString(), "Member is not used by this operation");
        }
    }
}

/// <summary>
/// How a target stands when a step reads it, and what that means for the job (whether to act, and the outcome when
/// it does not). A run the job closed itself (its closer names the job) counts as the job's own success, so a step
/// repeated after a crash does not turn its own terminates into "already closed".
/// </summary>
public static class BatchOutcomes
{
    /// <summary>The outcome without acting; null when the run is open and the job should act on it.</summary>
    public static BatchOutcome? Settled(string phase, bool exists, bool open, CloseStatus? closeStatus, bool closedByThisJob) =>
        (phase, exists, open) switch
        {
            (BatchPhase.Cancel, _, false) or (BatchPhase.Cancel, false, _) => BatchOutcome.CancelSkipped,
            (_, false, _) => BatchOutcome.Failed,
            (_, true, true) => null,
            (BatchPhase.Terminate, _, _) when closedByThisJob => BatchOutcome.TerminatedAfterGrace,
            (BatchPhase.Terminate, _, _) when closeStatus == CloseStatus.Canceled => BatchOutcome.CanceledGracefully,
            (BatchPhase.Act, _, _) when closedByThisJob => BatchOutcome.Succeeded,
            _ => BatchOutcome.AlreadyClosed,
        };

    /// <summary>The outcome of acting on an open run, by phase.</summary>
    public static BatchOutcome Acted(string phase) => phase switch
    {
        BatchPhase.Cancel => BatchOutcome.CancelRequested,
        BatchPhase.Terminate => BatchOutcome.TerminatedAfterGrace,
        _ => BatchOutcome.Succeeded,
    };
}

namespace SwfServerless.Core.Security;

/// <summary>
/// SWF's IAM actions (<c>swf:&lt;ApiName&gt;</c>, the extension API's <c>swfserverless:&lt;Operation&gt;</c> and the decision pseudo-API) and the three usual roles of a domain.
/// One definition: the CDK stack builds its managed policies from it, the local host's strict mode checks the same
/// lists, and the docs name them. Access to a domain has two halves: <c>execute-api:Invoke</c> on the domain's own
/// API path (checked by API Gateway, or by the local host in strict mode) and <c>swf:&lt;Action&gt;</c> on the domain's
/// SWF ARN (checked by the function).
/// </summary>
public static class DomainRoles
{
    /// <summary>
    /// The extension API's actions are named <c>SwfServerless.&lt;Operation&gt;</c> inside the service (as their
    /// X-Amz-Target names them) and <c>swfserverless:&lt;Operation&gt;</c> in IAM, on the same domain ARNs as SWF's.
    /// </summary>
    public const string OperatorPrefix = "SwfServerless.";

    /// <summary>The extension API's actions that only read (a reader may make them).</summary>
    public static readonly IReadOnlyList<string> OperatorReadOnly =
        [OperatorPrefix + "DescribeClosure", OperatorPrefix + "PreviewClose", OperatorPrefix + "DescribeBatchOperation", OperatorPrefix + "ListBatchOperations",
         OperatorPrefix + "ListDeciderBindings"];

    /// <summary>Every action of the extension API: the operator role's.</summary>
    public static readonly IReadOnlyList<string> OperatorActions =
        [.. OperatorReadOnly, OperatorPrefix + "StartBatchOperation", OperatorPrefix + "StopBatchOperation"];

    /// <summary>The IAM action of an action: <c>swf:TerminateWorkflowExecution</c>, <c>swfserverless:DescribeClosure</c>.</summary>
    public static string IamAction(string action) => action.StartsWith(OperatorPrefix, StringComparison.Ordinal)
        ? "swfserverless:" + action[OperatorPrefix.Length..]
        : "swf:" + action;

    /// <summary>Actions that touch no one domain; served on the account path only.</summary>
    public static readonly IReadOnlyList<string> AccountActions = ["RegisterDomain", "ListDomains"];

    /// <summary>Actions a reader needs: describe, list, count, history.</summary>
    public static readonly IReadOnlyList<string> ReadOnly =
    [
        "DescribeDomain", "DescribeWorkflowType", "DescribeActivityType", "ListWorkflowTypes", "ListActivityTypes",
        "ListTagsForResource", "DescribeWorkflowExecution", "GetWorkflowExecutionHistory",
        "ListOpenWorkflowExecutions", "ListClosedWorkflowExecutions", "CountOpenWorkflowExecutions",
        "CountClosedWorkflowExecutions", "CountPendingDecisionTasks", "CountPendingActivityTasks",
        .. OperatorReadOnly,
    ];

    /// <summary>The decision pseudo-API: each decision of a response is allowed on its own (SWF's IAM).</summary>
    public static readonly IReadOnlyList<string> Decisions =
    [
        "ScheduleActivityTask", "RequestCancelActivityTask", "CompleteWorkflowExecution", "FailWorkflowExecution",
        "CancelWorkflowExecution", "ContinueAsNewWorkflowExecution", "RecordMarker", "StartTimer", "CancelTimer",
        "SignalExternalWorkflowExecution", "RequestCancelExternalWorkflowExecution", "StartChildWorkflowExecution",
        "ScheduleLambdaFunction",
    ];

    /// <summary>
    /// Deciders and activity workers: poll, respond, heartbeat, every decision, and registering their types (SWF
    /// frameworks register types when they start). Not terminate, cancel or signal from outside.
    /// </summary>
    public static readonly IReadOnlyList<string> DeciderAndWorker =
    [
        .. ReadOnly,
        "RegisterWorkflowType", "RegisterActivityType",
        "PollForDecisionTask", "RespondDecisionTaskCompleted",
        "PollForActivityTask", "RecordActivityTaskHeartbeat",
        "RespondActivityTaskCompleted", "RespondActivityTaskFailed", "RespondActivityTaskCanceled",
        .. Decisions,
    ];

    /// <summary>Operators: read, start, signal, cancel, terminate, and manage the domain's types and tags.</summary>
    public static readonly IReadOnlyList<string> Operator =
    [
        .. ReadOnly,
        "StartWorkflowExecution", "SignalWorkflowExecution", "RequestCancelWorkflowExecution", "TerminateWorkflowExecution",
        "RegisterWorkflowType", "RegisterActivityType",
        "DeprecateWorkflowType", "UndeprecateWorkflowType", "DeleteWorkflowType",
        "DeprecateActivityType", "UndeprecateActivityType", "DeleteActivityType",
        "DeprecateDomain", "UndeprecateDomain", "TagResource", "UntagResource",
        .. OperatorActions.Except(OperatorReadOnly),
    ];

    /// <summary>The roles by the name the stack and the docs give them.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ByName = new Dictionary<string, IReadOnlyList<string>>
    {
        ["ReadOnly"] = ReadOnly,
        ["DeciderAndWorker"] = DeciderAndWorker,
        ["Operator"] = Operator,
    };

    /// <summary>
    /// The request member that names the domain an action touches: <c>name</c> for the domain actions,
    /// <c>resourceArn</c> for the tag actions, <c>taskToken</c> for the answers to a task (its domain is sealed in
    /// it), <c>domain</c> for every other action; null for ListDomains, which touches none.
    /// </summary>
    public static string? DomainMember(string action) => action switch
    {
        "ListDomains" => null,
        "RegisterDomain" or "DescribeDomain" or "DeprecateDomain" or "UndeprecateDomain" => "name",
        "TagResource" or "UntagResource" or "ListTagsForResource" => "resourceArn",
        "RespondDecisionTaskCompleted" or "RecordActivityTaskHeartbeat" or "RespondActivityTaskCompleted"
            or "RespondActivityTaskFailed" or "RespondActivityTaskCanceled" => "taskToken",
        _ => "domain",
    };

    /// <summary>The API path that scopes a request to one domain: <c>/domains/{domain}</c> (URL-escaped).</summary>
    public static string DomainPath(string domain) => "/domains/" + Uri.EscapeDataString(domain);

    /// <summary>The API path of the account-level actions.</summary>
    public const string AccountPath = "/account";

    /// <summary>
    /// Why a domain name cannot be written into an IAM policy's resource, or null when it can: IAM reads <c>*</c> and
    /// <c>?</c> in a resource ARN as wildcards and <c>${...}</c> as a policy variable, so a role on domain
    /// <c>team*</c> would grant every domain whose name starts with "team". The stack and the strict mode's keys file
    /// refuse such names for roles with the same words.
    /// </summary>
    public static string? PolicyResourceProblem(string domain) =>
        domain.AsSpan().IndexOfAny("*?$") >= 0 ? "contains '*', '?' or '$', which IAM reads as a pattern in a resource ARN" : null;
}

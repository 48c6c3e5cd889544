namespace SwfServerless.Core.Security;

/// <summary>
/// SWF's IAM actions (<c>swf:&lt;ApiName&gt;</c> and the decision pseudo-API) and the three usual roles of a domain.
/// One definition: the CDK stack builds its managed policies from it, the local host's strict mode checks the same
/// lists, and the docs name them. Access to a domain has two halves: <c>execute-api:Invoke</c> on the domain's own
/// API path (checked by API Gateway, or by the local host in strict mode) and <c>swf:&lt;Action&gt;</c> on the domain's
/// SWF ARN (checked by the function).
/// </summary>
public static class DomainRoles
{
    /// <summary>Actions that touch no one domain; served on the account path only.</summary>
    public static readonly IReadOnlyList<string> AccountActions = ["RegisterDomain", "ListDomains"];

    /// <summary>Actions a reader needs: describe, list, count, history.</summary>
    public static readonly IReadOnlyList<string> ReadOnly =
    [
        "DescribeDomain", "DescribeWorkflowType", "DescribeActivityType", "ListWorkflowTypes", "ListActivityTypes",
        "ListTagsForResource", "DescribeWorkflowExecution", "GetWorkflowExecutionHistory",
        "ListOpenWorkflowExecutions", "ListClosedWorkflowExecutions", "CountOpenWorkflowExecutions",
        "CountClosedWorkflowExecutions", "CountPendingDecisionTasks", "CountPendingActivityTasks",
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
    /// The identity policy the stack attaches for a role on a domain, as a JSON document: <c>execute-api:Invoke</c>
    /// on the domain's path (<paramref name="executeApiPrefix"/> is <c>arn:aws:execute-api:region:account:apiId/stage</c>)
    /// and the role's <c>swf:</c> actions on the domain's ARN in both forms SWF documents.
    /// </summary>
    public static string PolicyDocument(string role, string domain, string executeApiPrefix, DomainArn arns)
    {
        var actions = ByName.TryGetValue(role, out var list) ? list : throw new ArgumentException($"Unknown role '{role}'.", nameof(role));
        using var buffer = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("Version", "2012-10-17");
            w.WriteStartArray("Statement");
            w.WriteStartObject();
            w.WriteString("Effect", "Allow");
            w.WriteString("Action", "execute-api:Invoke");
            // Some SDKs (JS v3, Java, .NET) add a trailing slash to an endpoint's path: both forms are the domain's.
            w.WriteStartArray("Resource");
            w.WriteStringValue($"{executeApiPrefix}/POST{DomainPath(domain)}");
            w.WriteStringValue($"{executeApiPrefix}/POST{DomainPath(domain)}/");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteString("Effect", "Allow");
            w.WriteStartArray("Action");
            foreach (var action in actions)
            {
                w.WriteStringValue("swf:" + action);
            }

            w.WriteEndArray();
            w.WriteStartArray("Resource");
            w.WriteStringValue(arns.For(domain));
            w.WriteStringValue(arns.For(domain).Replace(":/domain/", ":domain/", StringComparison.Ordinal));
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}

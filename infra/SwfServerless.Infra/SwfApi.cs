using Amazon.CDK;
using Amazon.CDK.AWS.APIGateway;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;
using SwfServerless.Core.Security;

namespace SwfServerless.Infra;

/// <summary>
/// The REST API (regional), stage <c>prod</c>, every method signed (AWS_IAM) and proxied to the API function with a
/// 29 s integration timeout. Three paths and one method each, which IAM tells apart with <c>execute-api:Invoke</c>:
/// <list type="bullet">
/// <item><c>POST /</c>: every action on every domain (account operators);</item>
/// <item><c>POST /account</c>: the account-level actions only (RegisterDomain, ListDomains);</item>
/// <item><c>POST /domains/{domain}</c>: actions on that one domain only (the function refuses anything else).</item>
/// </list>
/// Access logs go to a log group of their own.
/// </summary>
public sealed class SwfApi : Construct
{
    public const string StageName = "prod";

    /// <summary>API Gateway's longest integration; polls answer within SWF_POLL_SECONDS (25 s deployed).</summary>
    public static readonly Duration IntegrationTimeout = Duration.Seconds(29);

    public SwfApi(Construct scope, string id, IFunction handler)
        : base(scope, id)
    {
        AccessLogs = new LogGroup(this, "AccessLogs", new LogGroupProps
        {
            Retention = SwfFunctions.LogRetention,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        Api = new RestApi(this, "Resource", new RestApiProps
        {
            RestApiName = "SwfServerless",
            Description = "Amazon SWF's JSON 1.0 API (X-Amz-Target: SimpleWorkflowService.<Action>), SigV4-signed",
            EndpointConfiguration = new EndpointConfiguration { Types = [EndpointType.REGIONAL] },
            // Access logging needs the account's API Gateway CloudWatch role (one per account and region): created,
            // and kept when the stack goes, since other APIs of the account may rely on it.
            CloudWatchRole = true,
            CloudWatchRoleRemovalPolicy = RemovalPolicy.RETAIN,
            DeployOptions = new StageOptions
            {
                StageName = StageName,
                AccessLogDestination = new LogGroupLogDestination(AccessLogs),
                AccessLogFormat = AccessLogFormat.JsonWithStandardFields(new JsonWithStandardFieldProps
                {
                    Caller = true, HttpMethod = true, Ip = true, Protocol = true, RequestTime = true, ResourcePath = true,
                    ResponseLength = true, Status = true, User = true,
                }),
                MetricsEnabled = false, // per-method metrics cost extra; the stage's own metrics are free
            },
            DefaultMethodOptions = new MethodOptions { AuthorizationType = AuthorizationType.IAM },
        });

        Api.Node.TryRemoveChild("Endpoint"); // RestApi's own output; the stack names its endpoints itself

        var integration = new LambdaIntegration(handler, new LambdaIntegrationOptions
        {
            Proxy = true,
            Timeout = IntegrationTimeout,
            AllowTestInvoke = false,
        });
        AddSwfShapedErrors(Api);
        Everything = Api.Root.AddMethod("POST", integration);
        Account = Api.Root.AddResource(DomainRoles.AccountPath.TrimStart('/')).AddMethod("POST", integration);
        OneDomain = Api.Root.AddResource("domains").AddResource("{domain}").AddMethod("POST", integration);
    }

    /// <summary>
    /// API Gateway's own refusals, answered as SWF answers errors (JSON 1.0 body with <c>__type</c>), so that SWF
    /// clients report AccessDeniedException, InvalidSignatureException, ... instead of a bare 403; the local host's
    /// strict mode answers the same way. Each keeps its status and adds the type in <c>x-amzn-ErrorType</c>.
    /// </summary>
    public static readonly IReadOnlyList<(ResponseType_ Type, string Status, string ErrorType)> GatewayErrors =
    [
        (ResponseType_.ACCESS_DENIED, "403", "AccessDeniedException"),
        (ResponseType_.MISSING_AUTHENTICATION_TOKEN, "403", "MissingAuthenticationTokenException"),
        (ResponseType_.INVALID_SIGNATURE, "403", "InvalidSignatureException"),
        (ResponseType_.EXPIRED_TOKEN, "403", "ExpiredTokenException"),
        (ResponseType_.UNAUTHORIZED, "401", "UnrecognizedClientException"),
        (ResponseType_.THROTTLED, "429", "ThrottlingException"),
        (ResponseType_.INTEGRATION_TIMEOUT, "504", "ServiceUnavailableException"),
        (ResponseType_.DEFAULT_4XX, "400", "ValidationException"),
        (ResponseType_.DEFAULT_5XX, "500", "InternalFailure"),
    ];

    private static void AddSwfShapedErrors(RestApi api)
    {
        foreach (var (type, status, errorType) in GatewayErrors)
        {
            api.AddGatewayResponse(errorType.Replace("Exception", "", StringComparison.Ordinal) + type.ResponseType, new GatewayResponseOptions
            {
                Type = type,
                StatusCode = status,
                ResponseHeaders = new Dictionary<string, string>
                {
                    ["Content-Type"] = "'application/x-amz-json-1.0'",
                    ["x-amzn-ErrorType"] = $"'{errorType}'",
                },
                // $context.error.messageString is already a quoted JSON string.
                Templates = new Dictionary<string, string>
                {
                    ["application/json"] = $$"""{"__type":"{{errorType}}","message":$context.error.messageString}""",
                },
            });
        }
    }

    public RestApi Api { get; }

    public LogGroup AccessLogs { get; }

    public Method Everything { get; }

    public Method Account { get; }

    public Method OneDomain { get; }

    /// <summary>The stage URL (ends with /).</summary>
    public string Url => Api.Url;

    /// <summary><c>execute-api:Invoke</c>'s ARN for POST on a path of the prod stage (<c>/</c>, <c>/account</c>, <c>/domains/x</c>, <c>/domains/*</c>).</summary>
    public string InvokeArn(string path) => Api.ArnForExecuteApi("POST", path, StageName);
}

using System.Text.Json.Serialization;

namespace SwfServerless.Functions.Lambda;

// Stand-ins for the official event types. The NuGet mirror this project builds from has no Amazon.Lambda.*
// package, so the few members we use are declared here, with the official JSON names. Moving to
// Amazon.Lambda.APIGatewayEvents / Amazon.Lambda.DynamoDBEvents later replaces this file only.

/// <summary>API Gateway REST API proxy integration request (the subset SWF needs).</summary>
public sealed class ApiGatewayProxyRequest
{
    [JsonPropertyName("resource")] public string? Resource { get; set; }
    [JsonPropertyName("path")] public string? Path { get; set; }
    [JsonPropertyName("httpMethod")] public string? HttpMethod { get; set; }
    [JsonPropertyName("pathParameters")] public Dictionary<string, string>? PathParameters { get; set; }
    [JsonPropertyName("headers")] public Dictionary<string, string>? Headers { get; set; }
    [JsonPropertyName("queryStringParameters")] public Dictionary<string, string>? QueryStringParameters { get; set; }
    [JsonPropertyName("body")] public string? Body { get; set; }
    [JsonPropertyName("isBase64Encoded")] public bool IsBase64Encoded { get; set; }
    [JsonPropertyName("requestContext")] public ProxyRequestContext? RequestContext { get; set; }

    /// <summary>Header lookup ignoring case, as HTTP requires (API Gateway keeps the client's casing).</summary>
    public string? Header(string name) =>
        Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

public sealed class ProxyRequestContext
{
    [JsonPropertyName("requestId")] public string? RequestId { get; set; }
    [JsonPropertyName("stage")] public string? Stage { get; set; }
    [JsonPropertyName("identity")] public ProxyIdentity? Identity { get; set; }
}

public sealed class ProxyIdentity
{
    [JsonPropertyName("sourceIp")] public string? SourceIp { get; set; }
    [JsonPropertyName("userArn")] public string? UserArn { get; set; }

    /// <summary>The access key the request was signed with (IAM authorization).</summary>
    [JsonPropertyName("accessKey")] public string? AccessKey { get; set; }

    [JsonPropertyName("accountId")] public string? AccountId { get; set; }
}

/// <summary>API Gateway REST API proxy integration response.</summary>
public sealed class ApiGatewayProxyResponse
{
    [JsonPropertyName("statusCode")] public int StatusCode { get; set; }
    [JsonPropertyName("headers")] public Dictionary<string, string> Headers { get; set; } = new();
    [JsonPropertyName("body")] public string Body { get; set; } = "";
    [JsonPropertyName("isBase64Encoded")] public bool IsBase64Encoded { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiGatewayProxyRequest))]
[JsonSerializable(typeof(ApiGatewayProxyResponse))]
public sealed partial class LambdaJsonContext : JsonSerializerContext;

/// <summary>Lambda's DynamoDB Streams event (the subset the worker reads), as the event source mapping sends it.</summary>
public sealed class DynamoDbStreamEvent
{
    [JsonPropertyName("Records")] public List<DynamoDbStreamRecord> Records { get; set; } = [];
}

public sealed class DynamoDbStreamRecord
{
    [JsonPropertyName("eventID")] public string? EventId { get; set; }
    [JsonPropertyName("eventName")] public string? EventName { get; set; }
    [JsonPropertyName("eventSource")] public string? EventSource { get; set; }
    [JsonPropertyName("eventSourceARN")] public string? EventSourceArn { get; set; }
    [JsonPropertyName("awsRegion")] public string? AwsRegion { get; set; }
    [JsonPropertyName("dynamodb")] public StreamRecordData Dynamodb { get; set; } = new();
}

public sealed class StreamRecordData
{
    [JsonPropertyName("ApproximateCreationDateTime")] public double? ApproximateCreationDateTime { get; set; }
    [JsonPropertyName("Keys")] public Dictionary<string, StreamAttributeValue> Keys { get; set; } = new();
    [JsonPropertyName("NewImage")] public Dictionary<string, StreamAttributeValue>? NewImage { get; set; }
    [JsonPropertyName("OldImage")] public Dictionary<string, StreamAttributeValue>? OldImage { get; set; }
    [JsonPropertyName("SequenceNumber")] public string? SequenceNumber { get; set; }
    [JsonPropertyName("SizeBytes")] public long SizeBytes { get; set; }
    [JsonPropertyName("StreamViewType")] public string? StreamViewType { get; set; }
}

/// <summary>DynamoDB's JSON form of an attribute value; only the kinds our items use.</summary>
public sealed class StreamAttributeValue
{
    [JsonPropertyName("S")] public string? S { get; set; }
    [JsonPropertyName("N")] public string? N { get; set; }
    [JsonPropertyName("BOOL")] public bool? Bool { get; set; }
    [JsonPropertyName("NULL")] public bool? Null { get; set; }
    [JsonPropertyName("L")] public List<StreamAttributeValue>? L { get; set; }
    [JsonPropertyName("M")] public Dictionary<string, StreamAttributeValue>? M { get; set; }
}

/// <summary>The partial batch response (ReportBatchItemFailures): Lambda retries from the first failed record.</summary>
public sealed class StreamsEventResponse
{
    [JsonPropertyName("batchItemFailures")] public List<BatchItemFailure> BatchItemFailures { get; set; } = [];
}

public sealed class BatchItemFailure
{
    [JsonPropertyName("itemIdentifier")] public string ItemIdentifier { get; set; } = "";
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DynamoDbStreamEvent))]
[JsonSerializable(typeof(StreamsEventResponse))]
public sealed partial class StreamJsonContext : JsonSerializerContext;

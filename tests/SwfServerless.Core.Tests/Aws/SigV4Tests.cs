using SwfServerless.Aws;

namespace SwfServerless.Core.Tests.Aws;

public sealed class SigV4Tests
{
    // Signed by botocore 1.43.11 (SigV4Auth, service execute-api) at 2026-11-29T20:17:25Z: the same request must give
    // the same Authorization header, or clients and the strict mode would disagree.
    private const string Botocore =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/us-east-1/execute-api/aws4_request, " +
        "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, " +
        "Signature=88bf6227e86416c9b502d28ab704ccd7bf8bdaebac593402f8aef376d217ee63";

    private static readonly Uri Url = new("https://abc123.execute-api.us-east-1.amazonaws.com/prod/domains/my%20orders");
    private static readonly byte[] Body = System.Text.Encoding.UTF8.GetBytes("""{"name":"orders"}""");

    private static IReadOnlyDictionary<string, string> Sign(string secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", byte[]? body = null) =>
        SigV4.Sign("POST", Url, new Dictionary<string, string>
        {
            ["host"] = Url.Host,
            ["content-type"] = "application/x-amz-json-1.0",
            ["x-amz-target"] = "SimpleWorkflowService.DescribeDomain",
        }, body ?? Body, "us-east-1", "execute-api", "AKIDEXAMPLE", secret, "SESSIONTOKEN", new DateTimeOffset(2026, 11, 29, 20, 17, 25, TimeSpan.Zero));

    [Fact]
    public void Sign_MatchesBotocore()
    {
        var headers = Sign();

        Assert.Equal(Botocore, headers["Authorization"]);
        Assert.Equal("20261129T201725Z", headers["X-Amz-Date"]);
        Assert.Equal("SESSIONTOKEN", headers["X-Amz-Security-Token"]);
    }

    [Fact]
    public void ParseAuthorization_ReadsBotocoresHeader()
    {
        var a = SigV4.ParseAuthorization(Botocore)!;

        Assert.Equal(("AKIDEXAMPLE", "20261129", "us-east-1", "execute-api"), (a.AccessKeyId, a.Scope.Date, a.Scope.Region, a.Scope.Service));
        Assert.Equal(["content-type", "host", "x-amz-date", "x-amz-security-token", "x-amz-target"], a.SignedHeaders);
        Assert.Equal("88bf6227e86416c9b502d28ab704ccd7bf8bdaebac593402f8aef376d217ee63", a.Signature);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic abc")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AK/20261129/us-east-1/execute-api, SignedHeaders=host, Signature=00")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AK/20261129/us-east-1/execute-api/aws4_request, Signature=00")]
    [InlineData("AWS4-HMAC-SHA256 garbage")]
    public void ParseAuthorization_RefusesWhatIsNotOne(string? header) => Assert.Null(SigV4.ParseAuthorization(header));

    [Fact]
    public void Signature_ChangesWithTheSecretAndTheBody()
    {
        Assert.NotEqual(Botocore, Sign(secret: "other")["Authorization"]);
        Assert.NotEqual(Botocore, Sign(body: [.. Body, (byte)' '])["Authorization"]);
    }
}

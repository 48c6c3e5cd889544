using SwfServerless.Aws;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using SwfServerless.Functions.Security;

namespace SwfServerless.Integration.Tests.Security;

/// <summary>The token key read at start from Secrets Manager (a stand-in on loopback that checks the signature).</summary>
public sealed class SecretsManagerKeyTests
{
    [Fact]
    public async Task Read_SignsGetSecretValue_AndReturnsTheKey()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        string? target = null, secretId = null;
        bool? signed = null;
        var serving = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            target = context.Request.Headers["X-Amz-Target"];
            secretId = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("SecretId").GetString();
            var authorization = SigV4.ParseAuthorization(context.Request.Headers["Authorization"])!;
            var canonical = SigV4.CanonicalRequest("POST", context.Request.Url!.AbsolutePath, null, authorization.SignedHeaders,
                h => context.Request.Headers[h], SigV4.Hex(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(body))));
            signed = authorization.Scope.Service == "secretsmanager"
                     && SigV4.Signature("SECRET", authorization.Scope, SigV4.StringToSign(context.Request.Headers["X-Amz-Date"]!, authorization.Scope, canonical)) == authorization.Signature;
            var answer = System.Text.Encoding.UTF8.GetBytes("""{"SecretString":"{\"current\":\"new-key\",\"previous\":\"old-key\"}"}""");
            context.Response.ContentType = "application/x-amz-json-1.1";
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        });

        var saved = (Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"), Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"), Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN"));
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKID");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "SECRET");
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", "TOKEN");
        try
        {
            var keys = SecretsManagerKey.Read("arn:aws:secretsmanager:us-east-1:1:secret:swf", "us-east-1", new Uri($"http://127.0.0.1:{port}/"));
            await serving;

            Assert.Equal(("new-key", "old-key"), keys);
            Assert.Equal(("secretsmanager.GetSecretValue", "arn:aws:secretsmanager:us-east-1:1:secret:swf", true), (target, secretId, signed));
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", saved.Item1);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", saved.Item2);
            Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", saved.Item3);
        }
    }

    [Theory]
    [InlineData("plain-key", "plain-key", null)]
    [InlineData("""{"current":"a"}""", "a", null)]
    [InlineData("""{"current":"a","previous":"b"}""", "a", "b")]
    public void Keys_PlainOrRotation(string secret, string current, string? previous) =>
        Assert.Equal((current, previous), SecretsManagerKey.Keys(secret));

    [Fact]
    public void Keys_JsonWithoutCurrent_RefusesToStart() =>
        Assert.Throws<InvalidOperationException>(() => SecretsManagerKey.Keys("""{"previous":"b"}"""));

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}

using System.Text;
using Microsoft.AspNetCore.Http;
using SwfServerless.Local.OperatorConsole;

namespace SwfServerless.Integration.Tests.Hosting;

/// <summary>
/// The operator console's serving and the signing proxy's endpoint handling (the browser tests in tests/console drive
/// both end to end).
/// </summary>
public sealed class ConsoleHostingTests
{
    [Theory]
    [InlineData("https://abc.execute-api.eu-west-1.amazonaws.com/prod/domains/orders", "https://abc.execute-api.eu-west-1.amazonaws.com/prod", "orders")]
    [InlineData("https://abc.execute-api.eu-west-1.amazonaws.com/prod/domains/a%20b/", "https://abc.execute-api.eu-west-1.amazonaws.com/prod", "a b")]
    [InlineData("https://abc.execute-api.eu-west-1.amazonaws.com/prod", "https://abc.execute-api.eu-west-1.amazonaws.com/prod", null)]
    [InlineData("http://127.0.0.1:8042/", "http://127.0.0.1:8042", null)]
    public void Split_AnEndpoint_GivesTheStageAndThePinnedDomain(string endpoint, string stage, string? domain) =>
        Assert.Equal((stage, domain), ConsoleProxy.Split(endpoint));

    [Fact]
    public async Task Index_IsServedWithASelfOnlyContentSecurityPolicy()
    {
        var (handled, http, body) = await GetAsync("/console/");

        Assert.True(handled);
        Assert.Equal(200, http.Response.StatusCode);
        Assert.StartsWith("text/html", http.Response.ContentType);
        Assert.Contains("default-src 'self'", http.Response.Headers.ContentSecurityPolicy.ToString());
        Assert.Contains("<script type=\"module\" src=\"app.js\">", body);
    }

    [Fact]
    public async Task Config_SaysHowThePageReachesTheApi()
    {
        var (_, _, body) = await GetAsync("/console/config.json", new ConsoleConfig("proxy", "https://x/prod/domains/orders", "orders", "eu-west-1"));

        Assert.Equal("""{"mode":"proxy","endpoint":"https://x/prod/domains/orders","domain":"orders","region":"eu-west-1"}""", body);
    }

    [Theory]
    [InlineData("/console/../Program.cs")]
    [InlineData("/console/..%2FProgram.cs")]
    [InlineData("/console/nothing.js")]
    [InlineData("/console/ConsoleFiles.cs")]
    public async Task AnythingButTheConsolesOwnFiles_IsNotFound(string path)
    {
        var (handled, http, _) = await GetAsync(path);

        Assert.True(handled);
        Assert.Equal(404, http.Response.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/console/")]
    [InlineData("GET", "/")]
    [InlineData("GET", "/consoles")]
    [InlineData("GET", "/domains/console")]
    public async Task OtherRequests_AreLeftToTheApi(string method, string path)
    {
        var (handled, _, _) = await GetAsync(path, method: method);

        Assert.False(handled);
    }

    private static async Task<(bool Handled, HttpContext Http, string Body)> GetAsync(string path, ConsoleConfig? config = null, string method = "GET")
    {
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        http.Request.Path = path;
        using var body = new MemoryStream();
        http.Response.Body = body;
        var handled = await ConsoleFiles.TryServeAsync(http, config ?? new ConsoleConfig("local"));
        return (handled, http, Encoding.UTF8.GetString(body.ToArray()));
    }
}

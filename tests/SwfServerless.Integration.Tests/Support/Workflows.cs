using System.Text.Json;

namespace SwfServerless.Integration.Tests.Support;

/// <summary>Workflow steps over the API, and histories in the compact form "3 WorkflowExecutionTerminated".</summary>
public static class Workflows
{
    public static async Task<ApiDriver> DomainWithTypeAsync(DynamoDbFixture db, string domain = "d") =>
        await DomainWithTypeAsync(await db.NewServicesAsync(), domain);

    public static async Task<ApiDriver> DomainWithTypeAsync(Functions.SwfServices services, string domain = "d")
    {
        var api = new ApiDriver(services);
        await api.OkAsync("RegisterDomain", new { name = domain, workflowExecutionRetentionPeriodInDays = "1" });
        await api.OkAsync("RegisterWorkflowType", new
        {
            domain, name = "wf", version = "1",
            defaultTaskList = new { name = "tl" }, defaultChildPolicy = "TERMINATE",
            defaultExecutionStartToCloseTimeout = "3600", defaultTaskStartToCloseTimeout = "60",
        });
        return api;
    }

    public static async Task<string> StartAsync(this ApiDriver api, string workflowId, string domain = "d") =>
        (await api.OkAsync("StartWorkflowExecution", new { domain, workflowId, workflowType = new { name = "wf", version = "1" } }))
        .GetProperty("runId").GetString()!;

    public static async Task<JsonElement> PollAsync(this ApiDriver api, string domain = "d", string taskList = "tl")
    {
        var task = await api.OkAsync("PollForDecisionTask", new { domain, taskList = new { name = taskList }, identity = "test" });
        Assert.NotEqual("", task.GetProperty("taskToken").GetString());
        return task;
    }

    public static async Task<List<string>> HistoryAsync(this ApiDriver api, string workflowId, string runId, string domain = "d")
    {
        var events = new List<string>();
        string? token = null;
        do
        {
            var page = await api.OkAsync("GetWorkflowExecutionHistory", new { domain, execution = new { workflowId, runId }, nextPageToken = token, maximumPageSize = 1000 });
            events.AddRange(page.GetProperty("events").EnumerateArray().Select(e => $"{e.GetProperty("eventId").GetInt64()} {e.GetProperty("eventType").GetString()}"));
            token = page.TryGetProperty("nextPageToken", out var t) ? t.GetString() : null;
        }
        while (token is not null);
        return events;
    }

    /// <summary>Event ids are 1..N with no gap and no duplicate.</summary>
    public static void AssertDense(IReadOnlyList<string> history) =>
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => long.Parse(e.Split(' ')[0])));

    public static double WriteUnits(this Functions.Lambda.ApiGatewayProxyResponse response) => Cost(response, "write");

    public static double ReadUnits(this Functions.Lambda.ApiGatewayProxyResponse response) => Cost(response, "read");

    /// <summary>DynamoDB requests the call made.</summary>
    public static int Calls(this Functions.Lambda.ApiGatewayProxyResponse response) => (int)Cost(response, "calls");

    private static double Cost(Functions.Lambda.ApiGatewayProxyResponse response, string name) => double.Parse(
        response.Headers[Functions.ApiFunction.CapacityHeader].Split(';').Single(p => p.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..],
        System.Globalization.CultureInfo.InvariantCulture);
}

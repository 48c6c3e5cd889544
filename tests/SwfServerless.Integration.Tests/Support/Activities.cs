using System.Text.Json;

namespace SwfServerless.Integration.Tests.Support;

/// <summary>Activity steps over the API: a type with short timeouts, a decision that schedules it, a worker that polls it.</summary>
public static class Activities
{
    /// <summary>Domain "d" and workflow type wf/1 (task list "tl", child policy TERMINATE, no decision task timeout).</summary>
    public static async Task RegisterDomainAndWorkflowTypeAsync(this ApiDriver api, string executionStartToClose = "3600")
    {
        await api.OkAsync("RegisterDomain", new { name = "d", workflowExecutionRetentionPeriodInDays = "1" });
        await api.OkAsync("RegisterWorkflowType", new
        {
            domain = "d", name = "wf", version = "1", defaultTaskList = new { name = "tl" }, defaultChildPolicy = "TERMINATE",
            defaultExecutionStartToCloseTimeout = executionStartToClose, defaultTaskStartToCloseTimeout = "NONE",
        });
    }

    public static async Task RegisterActivityTypeAsync(this ApiDriver api, string domain = "d", string startToClose = "300", string heartbeat = "NONE") =>
        await api.OkAsync("RegisterActivityType", new
        {
            domain, name = "act", version = "1",
            defaultTaskList = new { name = "work" }, defaultTaskScheduleToCloseTimeout = "NONE", defaultTaskScheduleToStartTimeout = "NONE",
            defaultTaskStartToCloseTimeout = startToClose, defaultTaskHeartbeatTimeout = heartbeat,
        });

    /// <summary>Decides (on the run's queued decision task) to schedule activity <paramref name="activityId"/>.</summary>
    public static async Task ScheduleAsync(this ApiDriver api, string activityId = "a1", string domain = "d")
    {
        var task = await api.PollAsync(domain);
        await api.OkAsync("RespondDecisionTaskCompleted", new
        {
            taskToken = task.GetProperty("taskToken").GetString(),
            decisions = new[] { new { decisionType = "ScheduleActivityTask", scheduleActivityTaskDecisionAttributes = new { activityType = new { name = "act", version = "1" }, activityId } } },
        });
    }

    /// <summary>A worker's poll that must hand out a task; returns its task token.</summary>
    public static async Task<string> PollActivityAsync(this ApiDriver api, string domain = "d")
    {
        var task = await api.OkAsync("PollForActivityTask", new { domain, taskList = new { name = "work" }, identity = "worker" });
        var token = task.GetProperty("taskToken").GetString()!;
        Assert.NotEqual("", token);
        return token;
    }

    public static Task<Functions.Lambda.ApiGatewayProxyResponse> CompleteActivityAsync(this ApiDriver api, string token, string result = "done") =>
        api.SendAsync("RespondActivityTaskCompleted", JsonSerializer.Serialize(new { taskToken = token, result }));
}

namespace SwfServerless.Integration.Tests.Support;

/// <summary>Waiting for asynchronous work (the stream worker) without sleeping for a fixed time.</summary>
public static class Waits
{
    /// <summary>Waits for a condition, checking often; fails after 60 s.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string? what = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what ?? "condition not reached within 60 s");
            await Task.Delay(100);
        }
    }

    /// <summary>Awaits a background loop that was stopped through its cancellation token.</summary>
    public static async Task Stopped(Task running)
    {
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }
    }
}

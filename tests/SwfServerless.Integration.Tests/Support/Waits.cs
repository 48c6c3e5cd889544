namespace SwfServerless.Integration.Tests.Support;

/// <summary>Waiting for asynchronous work (the stream worker) without sleeping for a fixed time.</summary>
public static class Waits
{
    /// <summary>Waits for a condition, checking often; fails after <paramref name="seconds"/> (60 s by default).</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string? what = null, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what ?? $"condition not reached within {seconds} s");
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

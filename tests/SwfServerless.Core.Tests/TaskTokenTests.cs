using System.Buffers.Binary;
using System.Text;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.Security;

namespace SwfServerless.Core.Tests;

/// <summary>Decision task tokens: what they name, and tokens of the earlier layout (no scheduled event) still opening.</summary>
public sealed class TaskTokenTests
{
    private static readonly TokenKeys Keys = TokenKeys.From(new string('k', 32));
    private static readonly TaskTokens Tokens = new(new TokenSeal(Keys));
    private static readonly ExecutionId Run = new("d", "w", "0123456789abcdef0123456789abcdef");

    [Theory]
    [InlineData(3, 2)]
    [InlineData(7, 5)]
    [InlineData(long.MaxValue >> 8, 1)]
    public void ParseDecision_NamesTheStartedAndTheScheduledEvent(long started, long scheduled)
    {
        var token = Tokens.ParseDecision(Tokens.ForDecision(Run, started, scheduled));

        Assert.Equal((Run.RunId, started, scheduled), (token.RunId, token.StartedEventId, token.ScheduledEventId));
        Assert.True(token.IsFor("d"));
        Assert.False(token.IsFor("e"));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("r")]
    public void ParseDecision_TokenOfTheEarlierLayout_OpensWithoutItsScheduledEvent(string runId)
    {
        // fingerprint, started event, runId: as tokens were issued before they carried the scheduled event.
        var id = Encoding.UTF8.GetBytes(runId);
        var payload = new byte[8 + 8 + id.Length];
        TaskTokens.DomainFingerprint("d").CopyTo(payload, 0);
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(8, 8), 3);
        id.CopyTo(payload, 16);

        var token = Tokens.ParseDecision(new TokenSeal(Keys).Seal(TokenPurpose.DecisionTask, "", payload));

        Assert.Equal((runId, 3L, 0L), (token.RunId, token.StartedEventId, token.ScheduledEventId));
        Assert.True(token.IsFor("d"));
    }

    [Fact]
    public void ParseDecision_NewLayoutWithoutARunId_IsInvalid()
    {
        var payload = new byte[8 + 16];
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(8, 8), 3);

        Assert.Throws<ValidationFault>(() => Tokens.ParseDecision(new TokenSeal(Keys).Seal(TokenPurpose.DecisionTask, "", payload)));
    }
}

using SwfServerless.Core.Faults;
using SwfServerless.Core.Paging;
using SwfServerless.Core.Security;

namespace SwfServerless.Core.Tests;

public sealed class PageTokenTests
{
    private static readonly DateTimeOffset Issued = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
    private static readonly TokenKeys Keys = TokenKeys.From(new string('k', 32));

    private static PageTokens At(DateTimeOffset now, TokenKeys? keys = null) => new(new TokenSeal(keys ?? Keys), new FixedTime(now));

    [Fact]
    public void Decode_SameScope_ReturnsPosition()
    {
        var token = At(Issued).Encode("scope", ["a|b", "c"]);

        Assert.Equal(["a|b", "c"], At(Issued.AddHours(1)).Decode(token, "scope", 2));
    }

    [Fact]
    public void Decode_OtherScope_IsInvalid() =>
        Assert.Equal("Invalid token", Assert.Throws<ValidationFault>(() => At(Issued).Decode(At(Issued).Encode("a", ["x"]), "b", 1)).Message);

    [Fact]
    public void Decode_After24Hours_HasExceededItsLifetime() =>
        Assert.Contains("maximum lifetime", Assert.Throws<ValidationFault>(() => At(Issued.AddHours(24).AddSeconds(1)).Decode(At(Issued).Encode("a", ["x"]), "a", 1)).Message);

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("")]
    [InlineData("AAAA")]
    public void Decode_Garbage_IsInvalid(string token) =>
        Assert.Throws<ValidationFault>(() => At(Issued).Decode(token, "a", 1));

    [Fact]
    public void Decode_AnyAlteredByte_IsInvalid()
    {
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(At(Issued).Encode("a", ["position"]));
        for (var i = 0; i < bytes.Length; i++)
        {
            var altered = (byte[])bytes.Clone();
            altered[i] ^= 0x01;
            Assert.Throws<ValidationFault>(() => At(Issued).Decode(System.Buffers.Text.Base64Url.EncodeToString(altered), "a", 1));
        }
    }

    [Fact]
    public void Decode_TokenSealedWithAnotherKey_IsInvalid()
    {
        var forged = At(Issued, TokenKeys.From(new string('x', 32))).Encode("a", ["x"]);

        Assert.Throws<ValidationFault>(() => At(Issued).Decode(forged, "a", 1));
    }

    [Fact]
    public void Decode_TokenOfThePreviousKey_IsAcceptedDuringRotation()
    {
        var old = At(Issued).Encode("a", ["x"]);
        var rotated = TokenKeys.From(new string('n', 32), new string('k', 32));

        Assert.Equal(["x"], At(Issued, rotated).Decode(old, "a", 1));
        Assert.Throws<ValidationFault>(() => At(Issued, TokenKeys.From(new string('n', 32))).Decode(old, "a", 1));
    }

    [Fact]
    public void Decode_WrongNumberOfParts_IsInvalid() =>
        Assert.Throws<ValidationFault>(() => At(Issued).Decode(At(Issued).Encode("a", ["x", "y"]), "a", 1));

    [Fact]
    public void Decode_TaskTokenAsPageToken_IsInvalid()
    {
        var taskToken = new Executions.TaskTokens(new TokenSeal(Keys)).ForDecision(new Executions.ExecutionId("d", "w", "r"), 3, 2);

        Assert.Throws<ValidationFault>(() => At(Issued).Decode(taskToken, "", 0));
    }

    [Fact]
    public void Scope_DifferentParts_NeverCollide() =>
        Assert.NotEqual(PageTokens.Scope("a|b", "c"), PageTokens.Scope("a", "b|c"));

    [Fact]
    public void Encode_LongestNames_StaysWithinSwfLimit()
    {
        var longest = new string('\u20ac', 256); // 3 bytes each in UTF-8
        Assert.True(At(Issued).Encode("s", [longest, new string('\u20ac', 64)]).Length <= 2048);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

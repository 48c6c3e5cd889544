using SwfServerless.Core.Faults;
using SwfServerless.Core.Paging;

namespace SwfServerless.Core.Tests;

public sealed class PageTokenTests
{
    private static readonly DateTimeOffset Issued = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Decode_SameScope_ReturnsPosition()
    {
        var token = PageToken.Encode("scope", ["a|b", "c"], Issued);

        Assert.Equal(["a|b", "c"], PageToken.Decode(token, "scope", Issued.AddHours(1)));
    }

    [Fact]
    public void Decode_OtherScope_InvalidToken() =>
        Assert.Equal("Invalid token", Assert.Throws<ValidationFault>(() => PageToken.Decode(PageToken.Encode("a", ["x"], Issued), "b", Issued)).Message);

    [Fact]
    public void Decode_After24Hours_Expired() =>
        Assert.Contains("maximum lifetime", Assert.Throws<ValidationFault>(() => PageToken.Decode(PageToken.Encode("a", ["x"], Issued), "a", Issued.AddHours(24).AddSeconds(1))).Message);

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("e30")] // "{}"
    [InlineData("bnVsbA")] // "null"
    public void Decode_Garbage_InvalidToken(string token) =>
        Assert.Throws<ValidationFault>(() => PageToken.Decode(token, "a", Issued));

    [Fact]
    public void Encode_LongestNames_StaysUnderSwfTokenLimit()
    {
        var longest = new string('\u20ac', 256); // 3 UTF-8 bytes each
        Assert.True(PageToken.Encode("s", [longest, new string('\u20ac', 64)], Issued).Length <= 2048);
    }
}

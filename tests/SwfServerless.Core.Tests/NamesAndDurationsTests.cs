using SwfServerless.Core.Faults;
using SwfServerless.Core.Names;

namespace SwfServerless.Core.Tests;

public sealed class NamesAndDurationsTests
{
    [Theory]
    [InlineData("orders", true)]
    [InlineData("with space#and.dots$", true)]
    [InlineData("a:b", false)]
    [InlineData("a/b", false)]
    [InlineData("a|b", false)]
    [InlineData("tab\there", false)]
    [InlineData("c1\u0085control", false)]
    [InlineData("arn", false)]
    [InlineData("arn:aws", false)]
    [InlineData("arns", true)]
    public void Problem_SwfNameRule(string name, bool valid) => Assert.Equal(valid, SwfNames.Problem(name) is null);

    [Theory]
    [InlineData(" lead")]
    [InlineData("trail ")]
    public void Problem_DomainNamesMayNotBeSurroundedByWhitespace(string name)
    {
        Assert.Null(SwfNames.Problem(name));
        Assert.NotNull(SwfNames.Problem(name, noSurroundingWhitespace: true));
    }

    [Fact]
    public void Require_BadName_CoralWordingNamesTheMember()
    {
        var fault = Assert.Throws<ValidationFault>(() => SwfNames.Require("name", "a|b"));

        Assert.StartsWith("1 validation error detected: Value 'a|b' at 'name' failed to satisfy constraint:", fault.Message);
    }

    [Theory]
    [InlineData("0", true, true)]
    [InlineData("31536000", true, true)]
    [InlineData("31536001", true, false)]
    [InlineData("NONE", true, true)]
    [InlineData("NONE", false, false)]
    [InlineData("-1", true, false)]
    [InlineData("1.5", true, false)]
    [InlineData("abc", true, false)]
    public void RequireSeconds_SecondsOrNone(string value, bool allowNone, bool valid)
    {
        var thrown = Record.Exception(() => Durations.RequireSeconds("t", value, allowNone));

        Assert.Equal(valid, thrown is null);
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("90", true)]
    [InlineData("91", false)]
    [InlineData("NONE", true)]
    [InlineData("x", false)]
    public void RequireRetentionDays_ZeroToNinetyOrNone(string value, bool valid) =>
        Assert.Equal(valid, Record.Exception(() => Durations.RequireRetentionDays("r", value)) is null);

    [Theory]
    [InlineData("arn:aws:swf:us-east-1:000000000000:/domain/orders", "orders")]
    [InlineData("arn:aws:swf:us-east-1:000000000000:domain/orders", "orders")]
    public void DomainName_BothArnForms(string arn, string domain) =>
        Assert.Equal(domain, new DomainArn("aws", "us-east-1", "000000000000").DomainName(arn));

    [Theory]
    [InlineData("arn:aws:swf:eu-west-1:000000000000:/domain/orders")]
    [InlineData("arn:aws:swf:us-east-1:111111111111:/domain/orders")]
    [InlineData("arn:aws:swf:us-east-1:000000000000:/domain/")]
    [InlineData("not an arn")]
    public void DomainName_ForeignOrMalformedArn_UnknownResource(string arn) =>
        Assert.Throws<UnknownResourceFault>(() => new DomainArn("aws", "us-east-1", "000000000000").DomainName(arn));
}

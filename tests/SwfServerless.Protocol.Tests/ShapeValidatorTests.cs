using System.Text.Json;
using SwfServerless.Core.Faults;
using SwfServerless.Protocol.Validation;

namespace SwfServerless.Protocol.Tests;

public sealed class ShapeValidatorTests
{
    private static Exception? Check(string operation, string json) =>
        Record.Exception(() => ShapeValidator.Swf.Validate(SwfShapes.Operations[operation].Input, JsonDocument.Parse(json).RootElement));

    [Theory]
    [InlineData("""{"registrationStatus":"REGISTERED"}""")]
    [InlineData("""{"registrationStatus":"DEPRECATED","maximumPageSize":1000,"reverseOrder":true,"unknownMember":1}""")]
    [InlineData("""{"registrationStatus":"REGISTERED","nextPageToken":null}""")]
    public void Validate_ValidListDomains_Passes(string json) => Assert.Null(Check("ListDomains", json));

    [Theory]
    [InlineData("ListDomains", "{}", "Value null at 'registrationStatus' failed to satisfy constraint: Member must not be null")]
    [InlineData("ListDomains", """{"registrationStatus":"X"}""", "Member must satisfy enum value set: [REGISTERED, DEPRECATED]")]
    [InlineData("ListDomains", """{"registrationStatus":"REGISTERED","maximumPageSize":1001}""", "Member must have value less than or equal to 1000")]
    [InlineData("DescribeDomain", """{"name":""}""", "Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1")]
    [InlineData("DescribeWorkflowType", """{"domain":"d","workflowType":{"name":"n"}}""", "Value null at 'workflowType.version'")]
    [InlineData("UntagResource", """{"resourceArn":"a","tagKeys":[""]}""", "at 'tagKeys.1.member' failed to satisfy constraint: Member must have length greater than or equal to 1")]
    public void Validate_BrokenConstraint_ValidationFaultInCoralWording(string operation, string json, string expected)
    {
        var fault = Assert.IsType<ValidationFault>(Check(operation, json));

        Assert.StartsWith("1 validation error detected: ", fault.Message);
        Assert.Contains(expected, fault.Message);
    }

    [Fact]
    public void Validate_SeveralProblems_CountedAndListed()
    {
        var fault = Assert.IsType<ValidationFault>(Check("RegisterWorkflowType", """{"domain":"","version":"1"}"""));

        Assert.StartsWith("2 validation errors detected: ", fault.Message);
        Assert.Contains("'domain'", fault.Message);
        Assert.Contains("'name'", fault.Message);
    }

    [Theory]
    [InlineData("ListDomains", """{"registrationStatus":1}""")]
    [InlineData("ListDomains", """{"registrationStatus":"REGISTERED","maximumPageSize":"10"}""")]
    [InlineData("ListDomains", """{"registrationStatus":"REGISTERED","maximumPageSize":1.5}""")]
    [InlineData("ListDomains", """{"registrationStatus":"REGISTERED","reverseOrder":"yes"}""")]
    [InlineData("DescribeWorkflowType", """{"domain":"d","workflowType":"n"}""")]
    [InlineData("TagResource", """{"resourceArn":"a","tags":{"key":"k"}}""")]
    [InlineData("ListDomains", "[]")]
    public void Validate_WrongJsonType_SerializationFault(string operation, string json) =>
        Assert.IsType<SerializationFault>(Check(operation, json));

    [Fact]
    public void Validate_StringLengthCountsUtf16Units()
    {
        Assert.Null(Check("DescribeDomain", JsonSerializer.Serialize(new { name = new string('é', 256) })));
        Assert.IsType<ValidationFault>(Check("DescribeDomain", JsonSerializer.Serialize(new { name = new string('é', 257) })));
    }
}

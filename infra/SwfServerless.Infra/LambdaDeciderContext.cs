using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.CDK;
using SwfServerless.Core.Deciders;

namespace SwfServerless.Infra;

/// <summary>
/// The context value <c>lambdaDeciders</c>, read with the rules the functions apply to SWF_LAMBDA_DECIDERS
/// (<see cref="DeciderBindings"/>), so that synth refuses what a deployed function would refuse to start with; and
/// the ARN that IAM checks when a bound function is invoked.
/// </summary>
public static partial class LambdaDeciderContext
{
    /// <summary>
    /// The context value: a JSON array in a string (<c>-c lambdaDeciders='[…]'</c>) or the array itself (cdk.json).
    /// Anything else fails synth with a message that names the entry and what is wrong.
    /// </summary>
    public static IReadOnlyList<DeciderBinding> Parse(object? context)
    {
        var text = context switch
        {
            null => "",
            string s => s,
            _ => Newtonsoft.Json.JsonConvert.SerializeObject(context), // cdk.json's array, as JSII hands it over
        };
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        try
        {
            return DeciderBindings.Parse(text).All;
        }
        catch (FormatException e)
        {
            throw Refused(e.Message);
        }
    }

    /// <summary>The bindings as the functions read them: a compact JSON array of {domain, taskList, function}.</summary>
    public static string ToJson(IEnumerable<DeciderBinding> bindings)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var b in bindings)
            {
                writer.WriteStartObject();
                writer.WriteString("domain", b.Domain);
                writer.WriteString("taskList", b.TaskList);
                writer.WriteString("function", b.Function);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// The ARN IAM checks when the function is invoked, in any form Invoke accepts: what a full ARN or a partial one
    /// (<c>account:function:name</c>) leaves out is the stack's own partition, region and account, where the service's
    /// Invoke call resolves it; a qualifier (version or alias) stays, since IAM checks the qualified ARN.
    /// </summary>
    public static string FunctionArn(string function)
    {
        var m = FunctionReference().Match(function);
        if (!m.Success)
        {
            throw Refused($"function '{function}' is not a Lambda function name or ARN.");
        }

        string Part(string group, string stack) => m.Groups[group].Success ? m.Groups[group].Value : stack;
        return $"arn:{Part("partition", Aws.PARTITION)}:lambda:{Part("region", Aws.REGION)}:{Part("account", Aws.ACCOUNT_ID)}:function:{m.Groups["name"].Value}{m.Groups["qualifier"].Value}";
    }

    internal static StackSettingsException Refused(string problem) =>
        new($"Context '{StackSettings.LambdaDecidersContext}': {problem}");

    // Lambda's FunctionName pattern (as DeciderBindings checks it), with its parts named.
    [GeneratedRegex(@"^(arn:(?<partition>aws[a-zA-Z-]*)?:lambda:)?((?<region>[a-z]{2}(-gov)?-[a-z]+-\d{1}):)?((?<account>\d{12}):)?(function:)?(?<name>[a-zA-Z0-9-_\.]+)(?<qualifier>:(\$LATEST|[a-zA-Z0-9-_]+))?$")]
    private static partial Regex FunctionReference();
}

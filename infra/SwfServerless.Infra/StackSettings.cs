using Constructs;
using SwfServerless.Core.Deciders;
using SwfServerless.Core.Names;
using SwfServerless.Core.Security;

namespace SwfServerless.Infra;

/// <summary>
/// What a deployment chooses, from the CDK context (<c>-c name=value</c> or cdk.json):
/// <list type="bullet">
/// <item><c>lambdaPackage</c>: the directory <c>scripts/package.sh</c> made, holding the Native AOT <c>bootstrap</c>
/// (default <c>../artifacts/lambda</c>, relative to the directory cdk runs in, infra/);</item>
/// <item><c>domains</c>: SWF domains, comma-separated, each getting its three managed policies (default: none).</item>
/// <item><c>lambdaRoles</c>: IAM role ARNs (a trailing <c>*</c> allowed), comma-separated, that workflows may name as
/// their lambdaRole: the functions that invoke Lambda tasks may assume them (default: none, and Lambda tasks off).</item>
/// <item><c>lambdaDeciders</c>: a JSON array of bindings <c>{"domain", "taskList", "function"}</c>, whose task lists'
/// decision tasks are delivered by invoking the function (default: none; see <see cref="SwfLambdaDeciders"/>).</item>
/// </list>
/// </summary>
public sealed partial record StackSettings(string LambdaPackage, IReadOnlyList<string> Domains)
{
    public const string LambdaPackageContext = "lambdaPackage";
    public const string DomainsContext = "domains";
    public const string LambdaRolesContext = "lambdaRoles";
    public const string LambdaDecidersContext = "lambdaDeciders";

    /// <summary>
    /// The most the bindings' JSON may take: Lambda allows 4 KB of environment variables per function in all, and the
    /// others (table name, secret ARN, settings) take under 1 KB.
    /// </summary>
    public const int LambdaDecidersMaxBytes = 3072;
    public const string DefaultLambdaPackage = "../artifacts/lambda";

    /// <summary>The settings from the context; relative paths are taken from <paramref name="baseDirectory"/>.</summary>
    public static StackSettings FromContext(Node node, string baseDirectory)
    {
        var package = node.TryGetContext(LambdaPackageContext) as string is { Length: > 0 } p ? p : DefaultLambdaPackage;
        var domains = node.TryGetContext(DomainsContext) as string ?? "";
        var lambdaRoles = node.TryGetContext(LambdaRolesContext) as string ?? "";
        var lambdaDeciders = LambdaDeciderContext.Parse(node.TryGetContext(LambdaDecidersContext));
        return new StackSettings(Path.GetFullPath(package, baseDirectory), ParseDomains(domains))
        {
            LambdaRoles = ParseDomains(lambdaRoles),
            LambdaDeciders = lambdaDeciders,
        }.Checked();
    }

    /// <summary>The roles a run's lambdaRole may be (Lambda tasks are on when there is one): see <see cref="SwfLambdaTasks"/>.</summary>
    public IReadOnlyList<string> LambdaRoles { get; init; } = [];

    /// <summary>The task lists whose decision tasks a function decides: see <see cref="SwfLambdaDeciders"/>.</summary>
    public IReadOnlyList<DeciderBinding> LambdaDeciders { get; init; } = [];

    /// <summary><c>orders, billing</c> → [orders, billing]; blanks are skipped.</summary>
    public static IReadOnlyList<string> ParseDomains(string value) =>
        [.. value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>
    /// Refuses, with a message that says what to do, a package directory without a bootstrap and a domain name that
    /// SWF would refuse or that IAM would read as a pattern (<c>*</c>, <c>?</c>, <c>$</c> in a policy's resource).
    /// </summary>
    public StackSettings Checked()
    {
        if (!File.Exists(Path.Combine(LambdaPackage, "bootstrap")))
        {
            throw new StackSettingsException(
                $"The Lambda package '{LambdaPackage}' does not exist or has no 'bootstrap' file. Run scripts/package.sh first " +
                $"(it writes artifacts/lambda/), or pass -c {LambdaPackageContext}=DIR with a directory that holds the Native AOT bootstrap.");
        }

        foreach (var domain in Domains)
        {
            var problem = domain.Length > 256 ? "is longer than 256 characters"
                : SwfNames.Problem(domain, noSurroundingWhitespace: true) is { } p ? $"is not a valid SWF domain name ({p})"
                : DomainRoles.PolicyResourceProblem(domain);
            if (problem is not null)
            {
                throw new StackSettingsException($"Domain '{domain}' (context '{DomainsContext}') {problem}.");
            }
        }

        foreach (var role in LambdaRoles)
        {
            if (!role.StartsWith("arn:", StringComparison.Ordinal) || !role.Contains(":role/", StringComparison.Ordinal) || role.TrimEnd('*').Contains('*', StringComparison.Ordinal))
            {
                throw new StackSettingsException(
                    $"'{role}' (context '{LambdaRolesContext}') is not an IAM role ARN (arn:aws:iam::<account>:role/<name>, a trailing * allowed).");
            }
        }

        if (Domains.GroupBy(d => d, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new StackSettingsException($"Domain '{twice.Key}' is named twice in context '{DomainsContext}'.");
        }

        CheckLambdaDeciders();
        return this;
    }

    /// <summary>
    /// The bindings by the functions' own rules (when set in code, not read from the context), and within Lambda's
    /// environment size.
    /// </summary>
    private void CheckLambdaDeciders()
    {
        var json = LambdaDeciderContext.ToJson(LambdaDeciders);
        try
        {
            _ = DeciderBindings.Parse(json);
        }
        catch (FormatException e)
        {
            throw LambdaDeciderContext.Refused(e.Message);
        }

        if (System.Text.Encoding.UTF8.GetByteCount(json) > LambdaDecidersMaxBytes)
        {
            throw LambdaDeciderContext.Refused(
                $"the bindings take more than {LambdaDecidersMaxBytes} bytes as JSON, more than Lambda's 4 KB of environment variables leaves for them.");
        }
    }
}

/// <summary>A context value the stack cannot be built with; the program prints its message and exits 1.</summary>
public sealed class StackSettingsException(string message) : InvalidOperationException(message);

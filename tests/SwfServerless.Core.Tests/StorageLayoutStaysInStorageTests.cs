using System.Text.RegularExpressions;

namespace SwfServerless.Core.Tests;

/// <summary>
/// The storage layout (key shapes, attribute names) and DynamoDB's exceptions are Storage's alone
/// (docs/storage.md): every other project goes through its typed accessors (Keys, StreamImages, StoreErrors).
/// These tests read the sources under src/ outside SwfServerless.Storage and name the file and line of any slip.
/// </summary>
public sealed partial class StorageLayoutStaysInStorageTests
{
    /// <summary>The prefixes Storage's keys begin with.</summary>
    private static readonly string[] KeyPrefixes =
        ["RUN", "DUE", "PLAN", "E", "ACT", "TMR", "FX", "CHILD", "RCV", "TAG", "WFID", "DOMAIN", "DOMAINS", "TYPE", "TYPES", "OPEN-COUNT", "DQ", "AQ"];

    /// <summary>Attribute names of Storage's items that mean nothing on SWF's wire (so no other project has a reason to spell them).</summary>
    private static readonly string[] AttributeNames =
    [
        "PK", "SK", "GSI1PK", "GSI1SK", "state", "ver", "ttl", "duePk", "dueSk", "tqPk", "tqSk", "vis", "ocs", "ret", "evs", "plan",
        "aid", "se", "st", "sat", "tp", "tn", "tv", "tl", "s2s", "s2c", "st2c", "hb", "stat", "hbat", "hbd", "cr", "tid", "fire",
        "cursor", "policy", "done", "initiated",
    ];

    /// <summary>DynamoDB's exceptions, which only StoreErrors (and the table wrapper) name.</summary>
    private static readonly string[] DynamoDbExceptions =
    [
        "ConditionalCheckFailedException", "TransactionCanceledException", "TransactionConflictException", "TransactionInProgressException",
        "ProvisionedThroughputExceededException", "RequestLimitExceededException", "ThrottlingException", "InternalServerErrorException",
    ];

    [Fact]
    public void Sources_OutsideStorage_BuildNoKeyFromItsPrefixes()
    {
        var prefix = new Regex($"\"({string.Join('|', KeyPrefixes.Select(Regex.Escape))})\\|");
        var runPk = new Regex(@"RunPk\(\s*""""\s*\)");
        AssertNone(Code().Where(l => prefix.IsMatch(l.Text) || runPk.IsMatch(l.Text)), "builds or parses a key by its prefix; use Keys");
    }

    [Fact]
    public void Sources_OutsideStorage_SpellNoAttributeName()
    {
        var names = new Regex($"\"({string.Join('|', AttributeNames.Select(Regex.Escape))})\"");
        AssertNone(Code().Where(l => names.IsMatch(l.Text)), "spells a storage attribute name; use Storage's accessors (StreamImages, Keys)");
    }

    [Fact]
    public void Sources_OutsideStorage_NameNoDynamoDbException()
    {
        var types = new Regex($"\\b({string.Join('|', DynamoDbExceptions)})\\b");
        AssertNone(Code().Where(l => types.IsMatch(StringLiteral().Replace(l.Text, "\"\""))), "reads a DynamoDB exception; use StoreErrors");
    }

    [Fact]
    public void Scan_FindsTheSources()
    {
        // A scan of nothing would pass anything: the stream worker and the local host are among the files read.
        var files = Code().Select(l => l.File).Distinct().ToList();
        Assert.Contains(files, f => f.EndsWith("StreamWorker.cs", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("LocalTtl.cs", StringComparison.Ordinal));
    }

    private static void AssertNone(IEnumerable<(string File, int Line, string Text)> found, string what)
    {
        var lines = found.Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}").ToList();
        Assert.True(lines.Count == 0, $"Outside SwfServerless.Storage, code that {what}:\n{string.Join('\n', lines)}");
    }

    /// <summary>Every code line of src/ outside the storage project (comments left out), with its file and line number.</summary>
    private static IEnumerable<(string File, int Line, string Text)> Code()
    {
        var root = RepositoryRoot();
        var storage = Path.Combine(root, "src", "SwfServerless.Storage") + Path.DirectorySeparatorChar;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, file);
            if (file.StartsWith(storage, StringComparison.Ordinal) || relative.Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"))
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var text = lines[i];
                var trimmed = text.TrimStart();
                if (trimmed.StartsWith("//", StringComparison.Ordinal) || trimmed.StartsWith('*'))
                {
                    continue;
                }

                yield return (relative, i + 1, text);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SwfServerless.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No SwfServerless.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringLiteral();
}

using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Local.DynamoDbLocal;

namespace SwfServerless.Integration.Tests.Hosting;

/// <summary>
/// DynamoDB Local's class-data archive (docs/development.md, "How the local host starts"): the first java records it as
/// it exits, the next one starts from it and serves.
/// </summary>
public sealed class ClassDataArchiveTests
{
    [Fact]
    public async Task The_first_java_records_the_archive_and_the_next_one_starts_from_it()
    {
        Assert.True(OperatingSystem.IsLinux(), "reads java's command line from /proc");
        // A cache of its own (links to the shared jar and libraries), so that no archive is there yet.
        var shared = Path.Combine(DynamoDbLocalServer.DefaultCacheDirectory(), "emulator");
        var cache = Path.Combine(Path.GetTempPath(), $"swf-cds-{Guid.NewGuid():N}");
        var emulator = Path.Combine(cache, "emulator");
        Directory.CreateDirectory(emulator);
        try
        {
            if (!File.Exists(Path.Combine(shared, "DynamoDBLocal.jar")))
            {
                // A fresh machine: fetching is part of a launch.
                await (await DynamoDbLocalServer.LaunchAsync(new DynamoDbLocalOptions(DynamoDbLocalServer.DefaultCacheDirectory()))).DisposeAsync();
            }

            File.CreateSymbolicLink(Path.Combine(emulator, "DynamoDBLocal.jar"), Path.Combine(shared, "DynamoDBLocal.jar"));
            Directory.CreateSymbolicLink(Path.Combine(emulator, "DynamoDBLocal_lib"), Path.Combine(shared, "DynamoDBLocal_lib"));

            await using (var first = await DynamoDbLocalServer.StartAsync(new DynamoDbLocalOptions(cache)))
            {
                Assert.Contains("-XX:ArchiveClassesAtExit=", CommandLine(first.ProcessId));
                await ServesAsync(first);
            }

            var archive = Assert.Single(Directory.GetFiles(emulator, "DynamoDBLocal-*"), f => f.EndsWith(".jsa", StringComparison.Ordinal));
            Assert.Empty(Directory.GetFiles(emulator, "*.tmp").Concat(Directory.GetFiles(emulator, "*.lock")));

            await using var second = await DynamoDbLocalServer.StartAsync(new DynamoDbLocalOptions(cache));
            Assert.Contains("-XX:SharedArchiveFile=" + archive, CommandLine(second.ProcessId));
            await ServesAsync(second);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    private static string CommandLine(int pid) => File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');

    private static async Task ServesAsync(DynamoDbLocalServer server)
    {
        using var client = new AmazonDynamoDBClient(
            new Amazon.Runtime.BasicAWSCredentials("local", "local"),
            new AmazonDynamoDBConfig { ServiceURL = server.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = "archived",
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });
        Assert.Equal(["archived"], (await client.ListTablesAsync(new ListTablesRequest())).TableNames);
    }
}

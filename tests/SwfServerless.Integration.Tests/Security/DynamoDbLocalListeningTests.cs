using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Local.DynamoDbLocal;

namespace SwfServerless.Integration.Tests.Security;

/// <summary>
/// DynamoDB Local holds every domain's data and checks no credentials: the java process the local host starts must
/// listen on the loopback interface only (DynamoDB Local's own main listens on every interface).
/// </summary>
public sealed class DynamoDbLocalListeningTests
{
    [Fact]
    public async Task Every_socket_DynamoDB_Local_listens_on_is_a_loopback_one_and_it_serves_from_its_data_directory()
    {
        Assert.True(OperatingSystem.IsLinux(), "reads the listening sockets from /proc");
        // A comma, quotes, a backslash and a space: the path reaches DynamoDB Local through one CSV-quoted argument.
        var dataDir = Path.Combine(Path.GetTempPath(), $"swf dynamodb, \"local\\\" {Guid.NewGuid():N}");
        try
        {
            await using (var server = await DynamoDbLocalServer.StartAsync(new DynamoDbLocalOptions(DynamoDbLocalServer.DefaultCacheDirectory(), dataDir)))
            {
                var listening = ListeningSockets.Of(server.ProcessId);
                Assert.Contains(listening, s => s.Port == server.Endpoint.Port);
                Assert.All(listening, s => Assert.True(ListeningSockets.IsLoopback(s.Address), $"DynamoDB Local listens on {s}"));

                using var client = server.NewClient();
                await client.CreateTableAsync(new CreateTableRequest
                {
                    TableName = "listening",
                    AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
                    KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                });
                Assert.Equal(["listening"], (await client.ListTablesAsync(new ListTablesRequest())).TableNames);
            }

            Assert.NotEmpty(Directory.GetFiles(dataDir, "*.db"));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}

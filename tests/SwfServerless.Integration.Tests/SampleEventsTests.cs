using System.Text.Json;
using SwfServerless.Functions;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Local.DynamoDbLocal;

namespace SwfServerless.Integration.Tests;

/// <summary>Every sample event in events/ works, in order, through the Stream entry point Lambda calls.</summary>
[Collection(DynamoDbCollection.Name)]
public sealed class SampleEventsTests(DynamoDbFixture db)
{
    [Fact]
    public async Task EventsFolder_EveryEventInOrder_Answers200()
    {
        var folder = Path.Combine(DynamoDbLocalServer.FindRepositoryRoot(AppContext.BaseDirectory), "events");
        var files = Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).ToList();
        var function = new ApiFunction(await db.NewServicesAsync());

        Assert.True(files.Count >= 16, $"expected the sample events in {folder}");
        foreach (var file in files)
        {
            await using var input = File.OpenRead(file);
            await using var output = await function.HandleAsync(input);
            var response = JsonDocument.Parse(output).RootElement;
            Assert.True(response.GetProperty("statusCode").GetInt32() == 200, $"{Path.GetFileName(file)}: {response}");
        }
    }
}

using SwfServerless.Functions;

namespace SwfServerless.Local.Hosting;

/// <summary>Invokes the entry point once with an event file and prints the response, as <c>sam local invoke -e</c> does.</summary>
internal static class Invoke
{
    public static async Task<int> RunAsync(ApiFunction function, string eventFile)
    {
        if (!File.Exists(eventFile))
        {
            Console.Error.WriteLine($"No event file at {Path.GetFullPath(eventFile)}.");
            return 2;
        }

        await using var input = File.OpenRead(eventFile);
        await using var output = await function.HandleAsync(input);
        using var reader = new StreamReader(output);
        Console.WriteLine(await reader.ReadToEndAsync());
        return 0;
    }
}

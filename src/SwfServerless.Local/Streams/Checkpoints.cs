using System.Text.Json;

namespace SwfServerless.Local.Streams;

/// <summary>
/// The last sequence number handled per shard, as Lambda's event source mapping keeps it. With a data
/// directory it is a file written after every batch, so a restarted host resumes where it stopped.
/// </summary>
public sealed class Checkpoints(string? file)
{
    /// <summary>The file the positions are kept in, if any.</summary>
    public string? File => file;

    private readonly Dictionary<string, string> positions = Load(file);

    public string? For(string shardId)
    {
        lock (positions)
        {
            return positions.GetValueOrDefault(shardId);
        }
    }

    public void Save(string shardId, string sequenceNumber)
    {
        lock (positions)
        {
            positions[shardId] = sequenceNumber;
            if (file is not null)
            {
                var temp = file + ".tmp";
                System.IO.File.WriteAllText(temp, JsonSerializer.Serialize(positions, CheckpointJson.Default.DictionaryStringString));
                System.IO.File.Move(temp, file, overwrite: true);
            }
        }
    }

    private static Dictionary<string, string> Load(string? file) =>
        file is not null && System.IO.File.Exists(file)
            ? JsonSerializer.Deserialize(System.IO.File.ReadAllText(file), CheckpointJson.Default.DictionaryStringString) ?? []
            : [];
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class CheckpointJson : System.Text.Json.Serialization.JsonSerializerContext;

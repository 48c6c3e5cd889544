namespace SwfServerless.Local.DynamoDbLocal;

/// <summary>How to run DynamoDB Local. No <see cref="DataDirectory"/> means an in-memory database.</summary>
public sealed record DynamoDbLocalOptions(string CacheDirectory, string? DataDirectory = null, int Port = 0)
{
    public bool InMemory => DataDirectory is null;
}

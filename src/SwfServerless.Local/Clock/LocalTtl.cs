using Amazon.DynamoDBv2;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Local.Clock;

/// <summary>
/// DynamoDB's time to live, which DynamoDB Local does not run: every so often, what has expired is deleted, each
/// item on the condition that it is still expired, and the deletions reach the stream as DynamoDB's own would. The
/// candidates come from the expiry index (<see cref="ExpiryStore"/>), never from a scan of the table: a sweep reads
/// what has expired, not what is kept. The deployed table has TTL on the same attribute.
/// </summary>
public sealed class LocalTtl(IAmazonDynamoDB dynamoDb, string table, TimeSpan interval, TimeProvider time)
{
    /// <summary>The table's TTL attribute, as Storage writes it.</summary>
    public const string Attribute = Keys.ExpiresAt;

    private readonly ExpiryStore expiry = new(new SwfTable(dynamoDb, table));

    public async Task RunAsync(CancellationToken ct)
    {
        var backfilled = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // Once per data directory (a marker item then answers): runs closed before the expiry index existed.
                if (!backfilled && await expiry.BackfillAsync(ct) is > 0 and var added)
                {
                    Console.Error.WriteLine($"[ttl] {added} runs closed before the expiry index were put in it");
                }

                backfilled = true;
                await ExpireAsync(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                Console.Error.WriteLine($"[ttl] {e.Message}");
            }

            await Task.Delay(interval, time, ct).ContinueWith(_ => { }, CancellationToken.None);
        }
    }

    /// <summary>Deletes what expired by now; returns how many runs expired.</summary>
    public Task<int> ExpireAsync(CancellationToken ct) => expiry.ExpireAsync(time.GetUtcNow(), ct);
}

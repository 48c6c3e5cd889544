using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Local.DynamoDbLocal;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Benchmarks;

/// <summary>
/// The <c>--scenario schema</c> run: what the table's global secondary indexes cost DynamoDB Local per item written,
/// whether or not the item is in them. For each index count (the first k of <see cref="TableSchema"/>'s indexes, in
/// its order), a fresh DynamoDB Local in memory and a table with those indexes; then transactions of the three
/// conditional puts a run's start writes (the open-run pointer, the state, the first events), on 4 clients:
/// once as plain items (in no index) and once with the state item in the task-queue and due indexes, as a child's
/// start writes it. Measured: java's CPU (its /proc stat) per transaction, and the wall time. Rounds are
/// interleaved over the index counts (--runs of them), so that a machine that slows down slows every count.
/// Why it matters: DynamoDB Local reads the table's stored description (its indexes included) and parses it several
/// times for every item it reads or writes, so the per-item cost grows with the number of indexes (docs/performance.md).
/// </summary>
internal static class SchemaCostCommand
{
    private static readonly int[] IndexCounts = [0, 1, 3, 5, 7];
    private const int Warmup = 300;
    private const int Transactions = 1500;
    private const int Clients = 4;

    public static async Task<int> RunAsync(BenchmarkOptions options, DateTimeOffset startedAt, CancellationToken ct)
    {
        var all = TableSchema.CreateRequest("t").GlobalSecondaryIndexes;
        Console.WriteLine("SwfServerless benchmark: the table's indexes and DynamoDB Local's cost per item");
        Console.WriteLine(Report.Pairs(Machine.Describe().Concat(
        [
            ("DynamoDB", Machine.DynamoDbLocalVersion() + ", a fresh process per table"),
            ("Date", startedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)),
            ("Load average", $"{Machine.LoadAverage()} (1/5/15 min, at start)"),
            ("Parameters", $"--scenario schema --runs {options.Runs}"),
            ("Workload", $"per table {Warmup} warm-up transactions, then {Transactions} measured, on {Clients} clients: TransactWriteItems of 3 puts, each attribute_not_exists(PK)"),
            ("Indexes", string.Join(", ", all.Select((g, i) => $"{i + 1} {g.IndexName}"))),
        ])));
        Console.WriteLine();

        var samples = IndexCounts.ToDictionary(k => k, _ => new List<(double Plain, double Indexed, double Wall)>());
        for (var round = 0; round < options.Runs; round++)
        {
            foreach (var k in round % 2 == 0 ? IndexCounts : IndexCounts.Reverse())
            {
                Console.Error.WriteLine($"Round {round + 1}: {k} indexes...");
                samples[k].Add(await MeasureAsync(all.Take(k).ToList(), ct));
            }
        }

        var baseline = samples[0].Select(s => s.Plain).Order().ElementAt(samples[0].Count / 2);
        Console.WriteLine(Report.Table(
            ["Indexes", "java CPU ms/tx, plain items", "× no index", "java CPU ms/tx, state item indexed", "Wall s (indexed)", "Each round (plain)"],
            IndexCounts.Select(k =>
            {
                var s = samples[k];
                var plain = Median(s.Select(x => x.Plain));
                return new[]
                {
                    Report.N(k), Report.F(plain, 2), Report.F(plain / baseline, 2), Report.F(Median(s.Select(x => x.Indexed)), 2),
                    Report.F(Median(s.Select(x => x.Wall)), 2), string.Join(" ", s.Select(x => Report.F(x.Plain, 2))),
                };
            })));
        Console.WriteLine();
        Console.WriteLine($"Load average at end: {Machine.LoadAverage()}");
        return 0;
    }

    private static async Task<(double Plain, double Indexed, double Wall)> MeasureAsync(List<GlobalSecondaryIndex> indexes, CancellationToken ct)
    {
        await using var dynamoDb = await DynamoDbLocalServer.StartAsync(new DynamoDbLocalOptions(DynamoDbLocalServer.DefaultCacheDirectory()), ct);
        using var client = dynamoDb.NewClient();
        var full = TableSchema.CreateRequest("SchemaCost");
        var keys = indexes.SelectMany(g => g.KeySchema.Select(k => k.AttributeName)).Append(Keys.Pk).Append(Keys.Sk).ToHashSet();
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = full.TableName,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = full.KeySchema,
            AttributeDefinitions = [.. full.AttributeDefinitions.Where(a => keys.Contains(a.AttributeName))],
            GlobalSecondaryIndexes = indexes.Count == 0 ? null : indexes,
            StreamSpecification = full.StreamSpecification,
        }, ct);

        await RunAsync(client, full.TableName, "warm", Warmup, indexed: true, ct);
        var plain = await CpuPerTransactionAsync(dynamoDb.ProcessId, () => RunAsync(client, full.TableName, "plain", Transactions, indexed: false, ct));
        var wall = Stopwatch.StartNew();
        var indexed = await CpuPerTransactionAsync(dynamoDb.ProcessId, () => RunAsync(client, full.TableName, "indexed", Transactions, indexed: true, ct));
        return (plain, indexed, wall.Elapsed.TotalSeconds);
    }

    private static async Task<double> CpuPerTransactionAsync(int pid, Func<Task> work)
    {
        var before = ProcessCpuSeconds(pid);
        await work();
        return (ProcessCpuSeconds(pid) - before) * 1000 / Transactions;
    }

    private static Task RunAsync(AmazonDynamoDBClient client, string table, string prefix, int count, bool indexed, CancellationToken ct) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Clients, CancellationToken = ct }, async (i, c) =>
        {
            var run = $"{prefix}-{i:D6}";
            Put Item(string pk, string sk, Dictionary<string, AttributeValue> rest)
            {
                rest[Keys.Pk] = S(pk);
                rest[Keys.Sk] = S(sk);
                return new Put { TableName = table, Item = rest, ConditionExpression = "attribute_not_exists(PK)" };
            }

            var state = new Dictionary<string, AttributeValue> { ["v"] = N(1), ["s"] = S(new string('s', 600)) };
            if (indexed)
            {
                // As a child's state item: queued for a decision task, its run timeout due.
                state[Keys.QueuePkAttribute] = S($"q|{i % 16}");
                state[Keys.QueueSkAttribute] = S($"0|{i:D6}");
                state[Keys.DuePk] = S($"due|{i % 8}");
                state[Keys.DueSk] = S($"20261203T000000|{run}");
            }

            await client.TransactWriteItemsAsync(new TransactWriteItemsRequest
            {
                TransactItems =
                [
                    new() { Put = Item($"WFID#{run}", "OPEN", new() { ["runId"] = S(run) }) },
                    new() { Put = Item($"RUN#{run}", "STATE", state) },
                    new() { Put = Item($"RUN#{run}", "E#00000001", new() { ["e"] = S(new string('e', 400)) }) },
                ],
            }, c);
        });

    private static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static double ProcessCpuSeconds(int pid)
    {
        // /proc/<pid>/stat: utime and stime are fields 14 and 15, counted after the command's closing parenthesis, in
        // clock ticks of USER_HZ, which is 100 on every Linux architecture .NET runs on.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    // The middle value, or the mean of the middle two (Report.Percentile's nearest rank would report the lower of two rounds).
    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}

using System.Globalization;

namespace SwfServerless.Local.Hosting;

/// <summary>Command line of the local host. See <see cref="Usage"/>.</summary>
public sealed record LocalOptions
{
    public const string Usage = """
        Usage:
          ./scripts/local [options]                     (or: dotnet run --project src/SwfServerless.Local [-- options])
          ./scripts/local invoke <event.json> [options]
          ./scripts/local console --endpoint URL [--profile P] [--port N]   (docs/console.md)

        Options:
          --port N                    SWF endpoint port on 127.0.0.1 (default 8042; 0 picks a free one)
          --dynamodb-endpoint URL     use a DynamoDB that is already running; start none
          --data-dir DIR              where DynamoDB Local keeps its data (default ./.swf-local)
          --in-memory                 keep nothing: DynamoDB Local runs in memory
          --table NAME                table name (default SwfServerless)
          --region REGION             region used in ARNs (default us-east-1)
          --ttl-seconds N             how often expired runs are deleted, as DynamoDB's TTL does (default 60)
          --access-keys FILE          strict mode: verify SigV4 signatures (service execute-api) against these keys and
                                      apply their IAM policies as deployed (docs/deploy.md); without it any signature passes
          --lambda-endpoint URL       invoke Lambda tasks (ScheduleLambdaFunction) at this endpoint of Lambda's Invoke API
                                      (sam local start-lambda: http://127.0.0.1:3001); also SWF_LAMBDA_ENDPOINT. Without it
                                      the decision fails with LAMBDA_SERVICE_NOT_AVAILABLE_IN_REGION
          --lambda-deciders FILE      Lambda deciders: a JSON array of {"domain", "taskList", "function"}; each bound task
                                      list's decision tasks are delivered by invoking its function at --lambda-endpoint
                                      instead of waiting for a poll (docs/deploy.md, "Lambda deciders"); also
                                      SWF_LAMBDA_DECIDERS (the array itself)
          --as-deployed               compose the functions as a Lambda does: no run cache, no task-list mirror, no
                                      in-process wake-ups (polls re-query with a backoff); the clock sends the timer
                                      function its scheduled and delay-queue (SQS) events as JSON; Lambda tasks and
                                      deciders reach the Call function by an asynchronous Invoke request to the host
          --verbose                   also print how long each part of the start took
        """;

    public string Command { get; init; } = "serve";

    public string? EventFile { get; init; }

    public int Port { get; init; } = 8042;

    public string? DynamoDbEndpoint { get; init; }

    public string DataDirectory { get; init; } = Path.GetFullPath(".swf-local");

    public bool InMemory { get; init; }

    public string TableName { get; init; } = Storage.DynamoDb.TableSchema.DefaultTableName;

    public string Region { get; init; } = "us-east-1";

    /// <summary>Strict mode's file of access keys, principals and policies (<see cref="AccessKeys"/>).</summary>
    public string? AccessKeysFile { get; init; }

    /// <summary>
    /// Compose the functions as the deployed ones are (<see cref="SwfServerless.Storage.Executions.LocalShortcuts.None"/>):
    /// what the host proves then is what a Lambda instance does.
    /// </summary>
    public bool AsDeployed { get; init; }

    /// <summary>Where Lambda tasks are invoked (Lambda's Invoke API, unsigned); null: SWF_LAMBDA_ENDPOINT, or none.</summary>
    public string? LambdaEndpoint { get; init; }

    /// <summary>The file of Lambda decider bindings (a JSON array; <see cref="Core.Deciders.DeciderBindings"/>), or null.</summary>
    public string? LambdaDecidersFile { get; init; }

    /// <summary>Print the parts of the start (<see cref="StartupTimeline"/>) after the serving line.</summary>
    public bool Verbose { get; init; }

    /// <summary>How often the host deletes expired items (DynamoDB Local has no TTL of its own).</summary>
    public TimeSpan TtlInterval { get; init; } = TimeSpan.FromSeconds(60);

    public static LocalOptions Parse(string[] args)
    {
        var options = new LocalOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--port" => options with { Port = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--dynamodb-endpoint" => options with { DynamoDbEndpoint = Value() },
                "--data-dir" => options with { DataDirectory = Path.GetFullPath(Value()) },
                "--in-memory" => options with { InMemory = true },
                "--table" => options with { TableName = Value() },
                "--region" => options with { Region = Value() },
                "--access-keys" => options with { AccessKeysFile = Path.GetFullPath(Value()) },
                "--as-deployed" => options with { AsDeployed = true },
                "--lambda-endpoint" => options with { LambdaEndpoint = Value() },
                "--lambda-deciders" => options with { LambdaDecidersFile = Path.GetFullPath(Value()) },
                "--verbose" => options with { Verbose = true },
                "--ttl-seconds" => options with { TtlInterval = TimeSpan.FromSeconds(int.Parse(Value(), CultureInfo.InvariantCulture)) },
                "invoke" when i == 0 => options with { Command = "invoke", EventFile = Value() },
                "-h" or "--help" => options with { Command = "help" },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'."),
            };
        }

        return options;
    }
}

namespace SwfServerless.Functions;

/// <summary>
/// What a host or a test composes into <see cref="SwfServices"/> besides the settings: where the request log goes,
/// and the points at which a test stops a writer as a crash would. Given once, with the services; nothing here is a
/// static, so services built side by side (two "containers" in one test) each have their own.
/// </summary>
public sealed record SwfSeams
{
    /// <summary>The deployed composition: the request log on stdout, no test hooks.</summary>
    public static readonly SwfSeams Deployed = new();

    /// <summary>Where the request log's lines go (<see cref="Operations.RequestLog"/>): stdout deployed; null writes nothing.</summary>
    public TextWriter? RequestLog { get; init; } = Console.Out;

    /// <summary>For tests: called at each step of a staged commit ("planned", "marked", "applied"); throwing there stands for a crash.</summary>
    public Action<string>? StagedCommitStep { get; init; }

    /// <summary>For tests: called before the effects of a committed decision are carried out; throwing there stands for a crash.</summary>
    public Action? BeforeCarryingOut { get; init; }

    /// <summary>
    /// For tests: called with the runIds of a batch job's group after they were loaded, before the group decides on
    /// that copy and writes its one transaction; a test changes a run here to race the group.
    /// </summary>
    public Func<IReadOnlyList<string>, Task>? BeforeBatchGroup { get; init; }

    /// <summary>
    /// For tests: called with the runIds of a child policy's group of terminates after they were loaded, before the
    /// group writes its one transaction (<see cref="Streams.FanOutHandler"/>); a test changes a child here to race it.
    /// </summary>
    public Func<IReadOnlyList<string>, Task>? BeforeFanOutGroup { get; init; }
}

namespace SwfServerless.Protocol.Validation;

/// <summary>
/// The constraint model of SWF's API (2012-01-25): one entry per named shape, as AWS publishes it.
/// Request bodies are checked against it before they are bound to records, because SWF clients
/// do not check maximum lengths, patterns or ranges themselves.
/// </summary>
public abstract record Shape(string Name);

/// <summary>A string: length bounds in UTF-16 code units, an optional enum and an optional regex pattern.</summary>
public sealed record StringShape(string Name, int? Min = null, int? Max = null, string[]? Enum = null, string? Pattern = null) : Shape(Name);

/// <summary>An integer with optional inclusive bounds.</summary>
public sealed record IntegerShape(string Name, long? Min = null, long? Max = null) : Shape(Name);

public sealed record BooleanShape(string Name) : Shape(Name);

/// <summary>A timestamp: epoch seconds on the wire, integer or fractional.</summary>
public sealed record TimestampShape(string Name) : Shape(Name);

/// <summary>A list of <paramref name="Member"/> shapes with optional count bounds.</summary>
public sealed record ListShape(string Name, string Member, int? Min = null, int? Max = null) : Shape(Name);

/// <summary>A map (JSON object) from <paramref name="Key"/> to <paramref name="Value"/> shapes.</summary>
public sealed record MapShape(string Name, string Key, string Value, int? Min = null, int? Max = null) : Shape(Name);

/// <summary>A structure; member names are SWF's lowerCamelCase wire names.</summary>
public sealed record StructureShape(string Name, params Member[] Members) : Shape(Name);

/// <summary>A member of a structure, naming the shape of its value.</summary>
public sealed record Member(string Name, string Shape, bool Required = false);

/// <summary>An operation: its input shape and its output shape (null when SWF answers with an empty body).</summary>
public sealed record Operation(string Name, string Input, string? Output);

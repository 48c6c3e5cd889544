namespace SwfServerless.Core.Faults;

/// <summary>
/// A fault SWF models on its operations. The wire name of the fault is the class name; the protocol
/// layer maps it to <c>com.amazonaws.swf.base.model#&lt;Name&gt;</c> with HTTP 400.
/// </summary>
public abstract class SwfFault(string message) : Exception(message)
{
    /// <summary>SWF's name for this fault, e.g. <c>UnknownResourceFault</c>.</summary>
    public string FaultName => GetType().Name;
}

/// <summary>A domain, type, execution or task that does not exist (or is no longer available) in this scope.</summary>
public sealed class UnknownResourceFault(string message) : SwfFault(message)
{
    public static UnknownResourceFault Domain(string name) => new($"Unknown domain: {name}");

    public static UnknownResourceFault Type(TypeKind kind, string name, string version) =>
        new($"Unknown type: {kind.Describe(name, version)}");
}

public sealed class DomainAlreadyExistsFault(string message) : SwfFault(message);

public sealed class DomainDeprecatedFault(string message) : SwfFault(message);

public sealed class TypeAlreadyExistsFault(string message) : SwfFault(message);

public sealed class TypeDeprecatedFault(string message) : SwfFault(message);

public sealed class TypeNotDeprecatedFault(string message) : SwfFault(message);

public sealed class LimitExceededFault(string message) : SwfFault(message);

public sealed class TooManyTagsFault(string message) : SwfFault(message);

public sealed class DefaultUndefinedFault(string message) : SwfFault(message);

public sealed class WorkflowExecutionAlreadyStartedFault(string message) : SwfFault(message);

public sealed class OperationNotPermittedFault(string message) : SwfFault(message);

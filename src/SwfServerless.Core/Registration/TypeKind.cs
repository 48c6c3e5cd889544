namespace SwfServerless.Core;

/// <summary>SWF registers two kinds of types per domain; they share one lifecycle.</summary>
public enum TypeKind
{
    Workflow,
    Activity,
}

public static class TypeKindExtensions
{
    /// <summary>SWF's own rendering in fault messages: <c>WorkflowType=[name=N, version=V]</c>.</summary>
    public static string Describe(this TypeKind kind, string name, string version) =>
        $"{kind}Type=[name={name}, version={version}]";
}

namespace SwfServerless.Core.Faults;

/// <summary>
/// Input that breaks a documented SWF constraint the core checks (forbidden characters, a close decision
/// that is not last, an expired page token). The protocol layer answers <c>ValidationException</c>.
/// </summary>
public sealed class ValidationFault(string message) : Exception(message);

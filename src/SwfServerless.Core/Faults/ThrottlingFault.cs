namespace SwfServerless.Core.Faults;

/// <summary>The backing store refused for lack of capacity: SWF answers that with ThrottlingException, and clients retry.</summary>
public sealed class ThrottlingFault(string message) : Exception(message);

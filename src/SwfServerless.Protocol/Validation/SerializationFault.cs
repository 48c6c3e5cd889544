namespace SwfServerless.Protocol.Validation;

/// <summary>The body is not JSON, or a member has the wrong JSON type: Coral's SerializationException.</summary>
public sealed class SerializationFault(string message) : Exception(message);

namespace SwfServerless.Protocol.Wire;

public sealed record TagResourceInput(string ResourceArn, IReadOnlyList<ResourceTag> Tags);

public sealed record UntagResourceInput(string ResourceArn, IReadOnlyList<string> TagKeys);

public sealed record ListTagsForResourceInput(string ResourceArn);

public sealed record ListTagsForResourceOutput(IReadOnlyList<ResourceTag> Tags);

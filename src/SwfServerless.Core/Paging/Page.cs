namespace SwfServerless.Core.Paging;

/// <summary>One page of a listing and the opaque token for the next, if any.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextPageToken);

/// <summary>How a caller asked for a page. SWF's maximumPageSize is 1–1000; 0 or absent means 1000.</summary>
public sealed record PageRequest(string? NextPageToken, int? MaximumPageSize, bool ReverseOrder)
{
    public const int MaxPageSize = 1000;

    public int Size => MaximumPageSize is null or <= 0 ? MaxPageSize : Math.Min(MaximumPageSize.Value, MaxPageSize);
}

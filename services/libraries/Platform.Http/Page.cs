namespace Platform.Http;

/// <summary>One page of a list; pass <see cref="NextCursor"/> as <c>cursor</c> for the next (null: no more).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

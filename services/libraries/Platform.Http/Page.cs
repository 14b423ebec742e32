namespace Platform.Http;

/// <summary>One page of a list; pass <see cref="NextCursor"/> as <c>cursor</c> for the next (null: no more).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>How a keyset-paged list makes its page.</summary>
public static class Page
{
    /// <summary>
    /// The page of rows read with one more than <paramref name="size"/> (so that the extra one tells whether more
    /// follow): the first <paramref name="size"/> as views, and, when more follow, the cursor of the last one kept.
    /// </summary>
    public static Page<TView> Of<TRow, TView>(IReadOnlyList<TRow> rows, int size, Func<TRow, TView> view, Func<TRow, string> cursor) =>
        new(rows.Take(size).Select(view).ToList(), rows.Count > size ? cursor(rows[size - 1]) : null);
}

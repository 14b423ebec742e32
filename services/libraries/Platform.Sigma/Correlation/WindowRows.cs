namespace Platform.Sigma.Correlation;

/// <summary>
/// A window's rows in order, kept in chunks of <see cref="ChunkSize"/> rows (64 KB, under the large object heap's
/// threshold) rather than one growing array: under an attack a group's window holds hundreds of thousands of rows, and
/// a <see cref="List{T}"/> of them was one array of megabytes, copied to a twice larger one as it grew, the copies left
/// on the large object heap until a full collection. Rows are added at the end mostly (a late event goes in its
/// place, shifting those after it) and dropped from the front as the window moves on; a chunk emptied at the front is
/// used again at the end.
/// </summary>
internal sealed class WindowRows
{
    public const int ChunkSize = 1 << Shift;
    private const int Shift = 10;
    private const int Mask = ChunkSize - 1;

    private readonly List<WindowRow[]> _chunks = [];
    private WindowRow[]? _spare;
    private int _start;

    public int Count { get; private set; }

    public WindowRow this[int index] => _chunks[(_start + index) >> Shift][(_start + index) & Mask];

    /// <summary>Puts <paramref name="row"/> at <paramref name="index"/>, moving the rows from there on by one.</summary>
    public void Insert(int index, WindowRow row)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)index, (uint)Count, nameof(index));
        if (_start + Count == _chunks.Count * ChunkSize)
        {
            _chunks.Add(_spare ?? new WindowRow[ChunkSize]);
            _spare = null;
        }

        // Physical positions (target, end] take the row before them, chunk by chunk from the end.
        var target = _start + index;
        for (var p = _start + Count; p > target;)
        {
            var chunk = _chunks[p >> Shift];
            var chunkStart = p & ~Mask;
            var low = Math.Max(target + 1, chunkStart + 1);
            if (p >= low)
            {
                Array.Copy(chunk, low - 1 - chunkStart, chunk, low - chunkStart, p - low + 1);
            }

            if (chunkStart > target)
            {
                chunk[0] = _chunks[(p >> Shift) - 1][ChunkSize - 1];
            }

            p = chunkStart - 1;
        }

        _chunks[target >> Shift][target & Mask] = row;
        Count++;
    }

    /// <summary>Drops the first <paramref name="count"/> rows.</summary>
    public void RemoveFirst(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)count, (uint)Count, nameof(count));
        for (var p = _start; p < _start + count;)
        {
            var length = Math.Min(ChunkSize - (p & Mask), _start + count - p);
            Array.Clear(_chunks[p >> Shift], p & Mask, length);
            p += length;
        }

        _start += count;
        Count -= count;
        while (_start >= ChunkSize)
        {
            _spare = _chunks[0];
            _chunks.RemoveAt(0);
            _start -= ChunkSize;
        }
    }
}

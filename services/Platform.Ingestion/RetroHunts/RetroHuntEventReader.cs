using System.Buffers.Binary;
using System.Text;

namespace Platform.Ingestion.RetroHunts;

/// <summary>
/// Reads a hunt's range of the raw log store: its count, and the events of a part of it that the hunt's
/// <see cref="RetroHuntFilter"/> keeps, in (event_time, event_id) order, as one binary COPY of a query streamed while it is
/// scanned (Postgres produces rows while the scan evaluates the ones before). Each row is parsed where it lies in the
/// copy's buffer: the filter sees the document's UTF-8 bytes (as stored: no conversion on either side), the envelope is
/// decoded and the event built only for the events kept.
/// </summary>
public sealed class RetroHuntEventReader(NpgsqlDataSource dataSource)
{
    private const string InRange = "event_time >= $1 AND event_time < $2";

    /// <summary>
    /// The copy's range: COPY takes no parameters, so the bounds are settings of the scan's transaction, set by a
    /// parameterised <c>set_config</c> (values never in SQL text) and read back in the query.
    /// </summary>
    private const string CopyInRange =
        "event_time >= current_setting('platform.retro_hunt_from')::timestamptz AND event_time < current_setting('platform.retro_hunt_to')::timestamptz";

    /// <summary>The columns a copied row holds, in order: <see cref="RawLogStore.EnvelopeColumns"/>, then the document.</summary>
    private const int Columns = 13;

    private const int EventIdColumn = 0, SourceTypeColumn = 1, EventTimeColumn = 2, DocumentColumn = 12;

    /// <summary>What is read from the copy at once (a row larger than this grows the buffer to hold it).</summary>
    private const int BufferBytes = 64 * 1024;

    /// <summary>Binary COPY's signature, flags and header extension length.</summary>
    private const int HeaderBytes = 19;

    private static readonly DateTimeOffset PostgresEpoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task<long> CountAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM log_events WHERE {InRange}");
        command.Parameters.Add(new NpgsqlParameter { Value = from.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = to.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// The events of [<paramref name="from"/>, <paramref name="to"/>) in chunks: the events <paramref name="filter"/> kept
    /// and how many were scanned, a chunk ending when it keeps <paramref name="batchSize"/> events or has scanned
    /// <paramref name="scanLimit"/>, the last one short (none for no events). The same stored events give the same chunks.
    /// Memory: the copy's buffer (a row at least) and the chunk.
    /// </summary>
    public async IAsyncEnumerable<RetroHuntChunk> ScanAsync(
        DateTimeOffset from, DateTimeOffset to, RetroHuntFilter filter, int batchSize, int scanLimit,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The index's order, not a sort: the planner, which does not know the bounds, would sort what it guesses is a small
        // part of the table (a sort of a slice of a 90-day range would spill gigabytes to disk).
        await using (var order = new NpgsqlCommand("SET LOCAL enable_sort = off", connection, transaction))
        {
            await order.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var range = new NpgsqlCommand(
            "SELECT set_config('platform.retro_hunt_from', $1, true), set_config('platform.retro_hunt_to', $2, true)", connection, transaction))
        {
            range.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Timestamp(from) });
            range.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Timestamp(to) });
            await range.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var copy = await connection.BeginRawBinaryCopyAsync(
            $"COPY (SELECT {RawLogStore.EnvelopeColumns}, coalesce(document, record) FROM log_events WHERE {CopyInRange} " +
            "ORDER BY event_time, event_id) TO STDOUT (FORMAT BINARY)",
            cancellationToken);
        var rows = new CopyRows(copy);
        await rows.SkipHeaderAsync(cancellationToken);
        var kept = new List<NormalizedLogEvent>();
        var scanned = 0;
        string? sourceType = null;
        while (await rows.NextAsync(cancellationToken))
        {
            scanned++;
            // Rows of a range are of a few source types: the last one's name is reused while its bytes are the same.
            var sourceTypeBytes = rows.Field(SourceTypeColumn);
            if (sourceType is null || !Ascii.Equals(sourceTypeBytes, sourceType))
            {
                sourceType = Encoding.UTF8.GetString(sourceTypeBytes);
            }

            if (filter.Keep(sourceType, rows.Field(DocumentColumn)) is { } document)
            {
                kept.Add(EventOf(rows, sourceType, document));
            }

            if (kept.Count == batchSize || scanned == scanLimit)
            {
                yield return new RetroHuntChunk([.. kept], scanned);
                kept.Clear();
                scanned = 0;
            }
        }

        if (scanned > 0)
        {
            yield return new RetroHuntChunk([.. kept], scanned);
        }
    }

    /// <summary>A bound as Postgres reads an ISO 8601 timestamp, to the microsecond (as a timestamptz parameter is sent).</summary>
    private static string Timestamp(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff'+00'", CultureInfo.InvariantCulture);

    /// <summary>The event of a copied row (the columns of <see cref="RawLogStore.EnvelopeColumns"/>, in order) around its document.</summary>
    private static NormalizedLogEvent EventOf(CopyRows row, string sourceType, LogDocument document)
    {
        string? Text(int column) => row.IsNull(column) ? null : Encoding.UTF8.GetString(row.Field(column));
        var micros = BinaryPrimitives.ReadInt64BigEndian(row.Field(EventTimeColumn));
        return new NormalizedLogEvent(
            Text(EventIdColumn)!, sourceType, PostgresEpoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond),
            Text(3), Text(4), Text(5), Text(6), Text(7), Text(8), Text(9), Text(10), Text(11), document);
    }

    /// <summary>
    /// The rows of a binary COPY (a header, then per row a 16-bit field count and each field as a 32-bit length, -1 for
    /// null, and its bytes; a count of -1 ends it), read a buffer at a time and parsed in place.
    /// </summary>
    private sealed class CopyRows(Stream copy)
    {
        private readonly (int Offset, int Length)[] _fields = new (int, int)[Columns];
        private byte[] _buffer = new byte[BufferBytes];

        /// <summary>The current row's start, the end of what was read, and the current row's length.</summary>
        private int _start, _end, _rowLength;

        public ReadOnlySpan<byte> Field(int column) => _fields[column] is var (offset, length) && length > 0
            ? _buffer.AsSpan(_start + offset, length)
            : [];

        public bool IsNull(int column) => _fields[column].Length < 0;

        public async Task SkipHeaderAsync(CancellationToken cancellationToken)
        {
            await FillAsync(HeaderBytes, cancellationToken);
            var extension = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start + HeaderBytes - 4));
            await FillAsync(HeaderBytes + extension, cancellationToken);
            _start += HeaderBytes + extension;
        }

        /// <summary>Moves to the next row (past the current one); false at the end of the copy.</summary>
        public async ValueTask<bool> NextAsync(CancellationToken cancellationToken)
        {
            _start += _rowLength;
            _rowLength = 0;
            int needed;
            while ((needed = TryParse()) > 0)
            {
                await FillAsync(needed, cancellationToken);
            }

            return needed == 0;
        }

        /// <summary>
        /// Parses the row at the start of what was read: 0 when it is whole (its fields set), -1 at the end of the copy,
        /// otherwise how many bytes from the row's start must be read before it can be parsed further.
        /// </summary>
        private int TryParse()
        {
            var read = _buffer.AsSpan(_start, _end - _start);
            if (read.Length < 2)
            {
                return 2;
            }

            var count = BinaryPrimitives.ReadInt16BigEndian(read);
            if (count < 0)
            {
                return -1;
            }

            if (count != Columns)
            {
                throw new InvalidDataException($"A copied row has {count} fields, not {Columns}.");
            }

            var at = 2;
            for (var i = 0; i < Columns; i++)
            {
                if (read.Length < at + 4)
                {
                    return at + 4;
                }

                var length = BinaryPrimitives.ReadInt32BigEndian(read[at..]);
                at += 4;
                _fields[i] = (at, length);
                if (length > 0 && read.Length < (at += length))
                {
                    return at;
                }
            }

            _rowLength = at;
            return 0;
        }

        /// <summary>Reads until <paramref name="bytes"/> from the current row's start are in the buffer (offsets from it stay valid).</summary>
        private async ValueTask FillAsync(int bytes, CancellationToken cancellationToken)
        {
            if (bytes > _buffer.Length - _start)
            {
                var buffer = bytes > _buffer.Length ? new byte[Math.Max(bytes, _buffer.Length * 2)] : _buffer;
                _buffer.AsSpan(_start, _end - _start).CopyTo(buffer);
                (_buffer, _end, _start) = (buffer, _end - _start, 0);
            }

            while (_end - _start < bytes)
            {
                var read = await copy.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
                if (read == 0)
                {
                    throw new EndOfStreamException("The copy ended inside a row.");
                }

                _end += read;
            }
        }
    }
}

/// <summary>A stretch of a hunt's scan: the events kept, in order, and how many events it scanned (those included).</summary>
public sealed record RetroHuntChunk(NormalizedLogEvent[] Kept, int Scanned);

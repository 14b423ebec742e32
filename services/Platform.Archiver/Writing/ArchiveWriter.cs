using System.Runtime.CompilerServices;
using System.Text;
using Platform.Archiver.Integrity;

namespace Platform.Archiver.Writing;

/// <summary>What one pass wrote.</summary>
public sealed record ArchivePass(int FilesWritten, long EventsArchived, string? DigestKey);

/// <summary>
/// Turns buffered events into archive files, exactly once in effect. A file is first planned (its chunks of events
/// chosen and its key fixed, from the first and last chunks' sequence numbers, in one transaction), then written, then
/// marked written and its chunks dropped, in one statement. A crash before the mark leaves the plan: the next pass
/// writes the same events under the same key again, replacing the object with itself, so no event is lost or archived
/// twice. One pass at a time across instances (an advisory lock); the digests of the written files are chained after
/// the files.
/// </summary>
public sealed partial class ArchiveWriter(
    NpgsqlDataSource dataSource,
    ArchiveBucket bucket,
    ArchiveLayout layout,
    DigestChain digests,
    ArchiverOptions options,
    ArchiverTelemetry telemetry,
    TimeProvider clock,
    ILogger<ArchiveWriter> logger)
{
    /// <summary>The advisory lock of archive passes ("archiver" in ASCII).</summary>
    private const long LockKey = 0x6172636869766572;

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Each open group's run in progress, as this instance's passes have read it: the buffer is read from where the
    /// last pass stopped, not whole again every pass (a busy hour buffers millions of events before its files close).
    /// Used by one pass at a time (<see cref="_gate"/>).
    /// </summary>
    private readonly Dictionary<PendingGroup, OpenRun> _runs = [];

    /// <summary>
    /// Closes the files that are due (their hour ended <see cref="ArchiverOptions.CloseDelay"/> ago, or they reached
    /// <see cref="ArchiverOptions.TargetFileBytes"/>; every open file when <paramref name="flush"/>), writes a digest when one is due
    /// (always when flushing and files were written since the last), and forgets archived ids past the deduplication window.
    /// Null when another instance is running a pass.
    /// </summary>
    public async Task<ArchivePass?> RunAsync(bool flush, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ArchivePass? pass = null;
            for (var attempt = 0; pass is null; attempt++)
            {
                var ran = await AdvisoryLock.TryRunAsync(dataSource, LockKey, async ct => pass = await PassAsync(flush, ct), cancellationToken);
                if (!ran && (!flush || attempt >= 100))
                {
                    return null;
                }
                if (!ran)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), clock, cancellationToken); // a flush waits for the other instance's pass
                }
            }
            return pass;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ArchivePass> PassAsync(bool flush, CancellationToken cancellationToken)
    {
        using var activity = ArchiverTelemetry.ActivitySource.StartActivity("archive pass");
        var files = 0;
        long events = 0;
        foreach (var planned in await PlannedFilesAsync(cancellationToken))
        {
            events += await WriteFileAsync(planned, cancellationToken);
            files++;
        }
        var now = clock.GetUtcNow();
        var groups = await PendingGroupsAsync(cancellationToken);
        foreach (var gone in _runs.Keys.Except(groups).ToList())
        {
            _runs.Remove(gone);
        }
        foreach (var group in groups)
        {
            var closed = flush || group.Partition.Hour + TimeSpan.FromHours(1) + options.CloseDelay <= now;
            foreach (var planned in await PlanFilesAsync(group, closed, cancellationToken))
            {
                events += await WriteFileAsync(planned, cancellationToken);
                files++;
            }
        }
        var digest = await digests.WriteDueAsync(flush, cancellationToken);
        await ForgetArchivedAsync(cancellationToken);
        await UpdateLagAsync(cancellationToken);
        activity?.SetTag("platform.files", files);
        return new ArchivePass(files, events, digest);
    }

    private sealed record PendingGroup(ArchivePartition Partition, string KmsKeyId);

    /// <summary>
    /// How far a group's buffer has been read (<see cref="ReadThrough"/>, a sequence number) and the run not yet a full
    /// file: its first sequence number and its records' bytes (<see cref="First"/> -1 when none).
    /// </summary>
    private sealed record OpenRun(long ReadThrough, long First, long Bytes)
    {
        public static readonly OpenRun None = new(0, -1, 0);
    }

    private sealed record PlannedFile(long Id, string Key, string KmsKeyId);

    private async Task<List<PlannedFile>> PlannedFilesAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, object_key, kms_key_id FROM archive_files WHERE written_at IS NULL ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var planned = new List<PlannedFile>();
        while (await reader.ReadAsync(cancellationToken))
        {
            planned.Add(new PlannedFile(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }
        return planned;
    }

    private async Task<List<PendingGroup>> PendingGroupsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT DISTINCT source_type, account, region, hour, kms_key_id FROM archive_chunks WHERE file_id IS NULL
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var groups = new List<PendingGroup>();
        while (await reader.ReadAsync(cancellationToken))
        {
            groups.Add(new PendingGroup(
                new ArchivePartition(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)),
                reader.GetString(4)));
        }
        return groups;
    }

    /// <summary>
    /// Plans the group's files: runs of pending chunks in buffer order, each run ending at the chunk that takes its
    /// records to the target size (so a file passes the target by less than one batch). Only full runs unless the group is
    /// <paramref name="closed"/>, when the rest makes a last file. Reads only the chunks buffered since the last pass read
    /// the group (<see cref="OpenRun"/>): one that commits later with an earlier sequence number is not counted in a run
    /// but belongs to the file whose range holds it, or to the group's last file; every pending chunk of the group is in
    /// exactly one file either way. A run another instance planned meanwhile makes a smaller file here.
    /// </summary>
    private async Task<List<PlannedFile>> PlanFilesAsync(PendingGroup group, bool closed, CancellationToken cancellationToken)
    {
        var runs = new List<(long First, long Last)>();
        var run = _runs.GetValueOrDefault(group, OpenRun.None);
        await using (var select = GroupCommand("SELECT seq, record_bytes FROM archive_chunks WHERE file_id IS NULL AND {0} AND seq > $6 ORDER BY seq", group))
        {
            select.Parameters.Add(new NpgsqlParameter<long> { TypedValue = run.ReadThrough });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            var (first, bytes, through) = (run.First, run.Bytes, run.ReadThrough);
            while (await reader.ReadAsync(cancellationToken))
            {
                var seq = reader.GetInt64(0);
                if (first < 0)
                {
                    first = seq;
                }
                through = seq;
                bytes += reader.GetInt64(1);
                if (bytes >= options.TargetFileBytes)
                {
                    runs.Add((first, seq));
                    (first, bytes) = (-1, 0);
                }
            }
            run = new OpenRun(through, first, bytes);
        }

        var planned = new List<PlannedFile>();
        foreach (var (first, last) in runs)
        {
            if (await PlanFileAsync(group, first, last, cancellationToken) is { } file)
            {
                planned.Add(file);
            }
        }

        if (closed)
        {
            // The rest: every chunk of the group still pending up to the last one read, one that committed late with an
            // earlier sequence number included.
            await using var rest = GroupCommand("SELECT min(seq), max(seq) FROM archive_chunks WHERE file_id IS NULL AND {0} AND seq <= $6", group);
            rest.Parameters.Add(new NpgsqlParameter<long> { TypedValue = run.ReadThrough });
            long? restFirst = null, restLast = null;
            await using (var reader = await rest.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(0))
                {
                    (restFirst, restLast) = (reader.GetInt64(0), reader.GetInt64(1));
                }
            }
            if (restFirst is { } first && restLast is { } last && await PlanFileAsync(group, first, last, cancellationToken) is { } file)
            {
                planned.Add(file);
            }
            run = OpenRun.None with { ReadThrough = run.ReadThrough };
        }

        _runs[group] = run;
        return planned;
    }

    /// <summary>
    /// Plans one file: its key from <paramref name="first"/> and <paramref name="last"/>, and the group's pending chunks
    /// between them assigned to it, in one transaction. Null, and nothing planned, when none is pending there any more
    /// (another instance planned them).
    /// </summary>
    private async Task<PlannedFile?> PlanFileAsync(PendingGroup group, long first, long last, CancellationToken cancellationToken)
    {
        var key = layout.FileKey(group.Partition, first, last);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long id;
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO archive_files (object_key, kms_key_id, events, planned_at) VALUES ($1, $2, 0, $3) RETURNING id", connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = group.KmsKeyId });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
            id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }
        await using (var assign = GroupCommand("""
            WITH assigned AS (
                UPDATE archive_chunks SET file_id = $6 WHERE file_id IS NULL AND {0} AND seq BETWEEN $7 AND $8 RETURNING events)
            UPDATE archive_files SET events = (SELECT coalesce(sum(events), 0) FROM assigned) WHERE id = $6 RETURNING events
            """, group, connection, transaction))
        {
            assign.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
            assign.Parameters.Add(new NpgsqlParameter<long> { TypedValue = first });
            assign.Parameters.Add(new NpgsqlParameter<long> { TypedValue = last });
            if ((int)(await assign.ExecuteScalarAsync(cancellationToken))! == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return null;
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return new PlannedFile(id, key, group.KmsKeyId);
    }

    /// <summary>A command over one group's rows: <c>{0}</c> becomes the group's condition on parameters $1 to $5.</summary>
    private NpgsqlCommand GroupCommand(string sql, PendingGroup group, NpgsqlConnection? connection = null, NpgsqlTransaction? transaction = null)
    {
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, sql,
            "source_type = $1 AND account = $2 AND region = $3 AND hour = $4 AND kms_key_id = $5");
        var command = connection is null ? dataSource.CreateCommand(text) : new NpgsqlCommand(text, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = group.Partition.SourceType });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = group.Partition.Account });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = group.Partition.Region });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = group.Partition.Hour });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = group.KmsKeyId });
        return command;
    }

    /// <summary>
    /// Builds the file from its planned chunks, uploads it, then marks it written and drops its chunks (in one statement:
    /// a file is written or its events are still buffered); the number of events.
    /// </summary>
    private async Task<long> WriteFileAsync(PlannedFile file, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var content = new FileStream(
            Path.Combine(Path.GetTempPath(), $"platform-archive-{Guid.NewGuid():N}.parquet"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
            bufferSize: 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        var events = await ParquetArchiveFile.WriteAsync(RowGroupsAsync(file, cancellationToken), content, cancellationToken);
        content.Position = 0;
        var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken));
        content.Position = 0;
        await bucket.PutAsync(file.Key, content, ParquetArchiveFile.ContentType, file.KmsKeyId, null, cancellationToken);

        await using (var mark = dataSource.CreateCommand("""
            WITH written AS (DELETE FROM archive_chunks WHERE file_id = $1)
            UPDATE archive_files SET written_at = $2, bytes = $3, sha256 = $4 WHERE id = $1
            """))
        {
            mark.Parameters.Add(new NpgsqlParameter<long> { TypedValue = file.Id });
            mark.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
            mark.Parameters.Add(new NpgsqlParameter<long> { TypedValue = content.Length });
            mark.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sha256 });
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }
        telemetry.FilesWritten.Add(1);
        telemetry.EventsArchived.Add(events);
        telemetry.BytesWritten.Add(content.Length);
        telemetry.FileDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        LogFileWritten(file.Key, events, content.Length);
        return events;
    }

    /// <summary>
    /// The file's planned events in order (its chunks by sequence number, each chunk's events in their batch's order),
    /// read in one statement a chunk at a time and cut into row groups of <see cref="ArchiverOptions.RowGroupBytes"/> of records.
    /// </summary>
    private async IAsyncEnumerable<IReadOnlyList<ArchivedEvent>> RowGroupsAsync(PlannedFile file, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var select = dataSource.CreateCommand("""
            SELECT ingested_at, event_ids, event_times, log_group, log_streams, event_sources, event_names, principals, source_ips,
                   error_codes, records
            FROM archive_chunks WHERE file_id = $1 ORDER BY seq
            """);
        select.Parameters.Add(new NpgsqlParameter<long> { TypedValue = file.Id });
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var rows = new List<ArchivedEvent>();
        long bytes = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var ingestedAt = reader.GetFieldValue<DateTime>(0);
            var ids = reader.GetFieldValue<string[]>(1);
            var times = reader.GetFieldValue<DateTime[]>(2);
            var logGroup = reader.IsDBNull(3) ? null : reader.GetString(3);
            var (logStreams, sources, names, principals, ips, errors, records) = (
                Texts(reader, 4), Texts(reader, 5), Texts(reader, 6), Texts(reader, 7), Texts(reader, 8),
                Texts(reader, 9), reader.GetFieldValue<byte[][]>(10));
            for (var i = 0; i < ids.Length; i++)
            {
                var row = new ArchivedEvent
                {
                    EventId = ids[i],
                    EventTime = times[i],
                    IngestedAt = ingestedAt,
                    LogGroup = logGroup,
                    LogStream = logStreams[i],
                    EventSource = sources[i],
                    EventName = names[i],
                    Principal = principals[i],
                    SourceIp = ips[i],
                    ErrorCode = errors[i],
                    Record = Encoding.UTF8.GetString(records[i]),
                };
                rows.Add(row);
                bytes += row.Record.Length;
                if (bytes >= options.RowGroupBytes)
                {
                    yield return rows;
                    (rows, bytes) = ([], 0);
                }
            }
        }

        if (rows.Count > 0)
        {
            yield return rows;
        }
    }

    private static string?[] Texts(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<string?[]>(ordinal);

    /// <summary>
    /// Forgets the ids of batches buffered longer ago than the deduplication window, but none buffered since the oldest
    /// chunk still waiting for its file was buffered: a batch is recognised as long as any of it is not archived.
    /// </summary>
    private async Task ForgetArchivedAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            DELETE FROM archive_batches
            WHERE buffered_at < $1 AND buffered_at < coalesce((SELECT min(buffered_at) FROM archive_chunks), 'infinity')
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() - options.DeduplicationWindow });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task UpdateLagAsync(CancellationToken cancellationToken)
    {
        var oldest = await Api.ArchiveStatus.OldestPendingAsync(dataSource, cancellationToken);
        telemetry.SetLag(oldest is { } waiting ? clock.GetUtcNow() - waiting : TimeSpan.Zero);
    }

    [LoggerMessage(LogLevel.Information, "Archived {Events} events in {Key} ({Bytes} bytes)")]
    private partial void LogFileWritten(string key, long events, long bytes);
}

namespace Platform.Ingestion.Storage;

/// <summary>
/// Writes events to the raw log store with binary COPY, each event id once: ids are claimed in
/// <c>ingested_event_ids</c> (INSERT ... ON CONFLICT DO NOTHING RETURNING) and only the claimed events are
/// copied, in the same transaction. The same transaction records the batch in <c>pending_publications</c>
/// until it is on the broker: one row per batch, not an update per event, with where its batches begin. An event id is
/// in one publication only, ever, and a publication is published in the order it lists its events, cut where it was
/// cut when stored, so however often it is published (a crash before its completion was recorded) its batches are the
/// same, with the same ids.
/// </summary>
public sealed class RawLogStore(NpgsqlDataSource dataSource, LogPartitions partitions, IngestionOptions options)
{
    /// <summary>
    /// The columns of <c>log_events</c> in the one order that COPY writes and SELECT lists them; the reader finds
    /// each by name, so neither side depends on the other's positions.
    /// </summary>
    private static readonly string[] ColumnNames =
    [
        "event_id", "source_type", "event_time", "ingested_at", "log_group", "log_stream", "account", "region", "event_source",
        "event_name", "principal", "source_ip", "error_code", "source", "subscription_filters", "policy_level", "record", "document",
    ];

    internal static readonly string Columns = string.Join(", ", ColumnNames);

    /// <summary>The columns <see cref="EventOf"/> reads: a stored event's envelope, without its record or document.</summary>
    internal const string EnvelopeColumns =
        "event_id, source_type, event_time, log_group, log_stream, account, region, event_source, event_name, principal, source_ip, error_code";

    public async Task<StoreOutcome> StoreAsync(
        IReadOnlyList<ParsedLogEvent> events, string source, DateTimeOffset ingestedAt, CancellationToken cancellationToken)
    {
        var unique = new List<ParsedLogEvent>(events.Count);
        var seen = new HashSet<string>(events.Count, StringComparer.Ordinal);
        foreach (var parsed in events)
        {
            if (seen.Add(parsed.Event.EventId))
            {
                unique.Add(parsed);
            }
        }
        if (unique.Count == 0)
        {
            return new StoreOutcome([], [], null, [], 0, events.Count);
        }

        ingestedAt = ingestedAt.ToUniversalTime();
        await partitions.EnsureAsync(ingestedAt, cancellationToken);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var ids = unique.Select(e => e.Event.EventId).ToArray();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        await using (var claim = new NpgsqlCommand(
            "INSERT INTO ingested_event_ids (event_id, event_time, ingested_at) SELECT id, event_time, $3 FROM unnest($1::text[], $2::timestamptz[]) AS e (id, event_time) " +
            "ON CONFLICT DO NOTHING RETURNING event_id",
            connection, transaction))
        {
            claim.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            claim.Parameters.Add(new NpgsqlParameter
            {
                Value = unique.Select(e => e.Event.EventTime.ToUniversalTime()).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
            });
            claim.Parameters.Add(new NpgsqlParameter { Value = ingestedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(reader.GetString(0));
            }
        }

        var toPublish = unique.Where(e => claimed.Contains(e.Event.EventId)).ToArray();
        var published = toPublish.Select(e => e.Event).ToArray();
        var batchStarts = BatchStartsOf(published);
        long? publication = null;
        if (toPublish.Length > 0)
        {
            await CopyAsync(connection, toPublish, source, ingestedAt, cancellationToken);
            await using var pending = new NpgsqlCommand(
                "INSERT INTO pending_publications (source, ingested_at, event_ids, batch_starts) VALUES ($1, $2, $3, $4) RETURNING id", connection, transaction);
            pending.Parameters.Add(new NpgsqlParameter { Value = source, NpgsqlDbType = NpgsqlDbType.Text });
            pending.Parameters.Add(new NpgsqlParameter { Value = ingestedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            pending.Parameters.Add(new NpgsqlParameter
            {
                Value = toPublish.Select(e => e.Event.EventId).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
            });
            pending.Parameters.Add(new NpgsqlParameter { Value = batchStarts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            publication = (long)(await pending.ExecuteScalarAsync(cancellationToken))!;
        }

        // Events stored before whose publication never completed (a crash between store and completion): that
        // publication is published again whole, never split or merged into this one, so its batches keep their ids.
        var unfinished = claimed.Count < ids.Length
            ? await PublicationsHoldingAsync(connection, transaction, ids.Where(id => !claimed.Contains(id)).ToArray(), cancellationToken)
            : [];
        await transaction.CommitAsync(cancellationToken);

        return new StoreOutcome(published, batchStarts, publication, unfinished, claimed.Count, events.Count - claimed.Count);
    }

    /// <summary>The pending publications holding any of <paramref name="ids"/> (events stored before, publication not completed).</summary>
    private static async Task<long[]> PublicationsHoldingAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string[] ids, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand("SELECT id FROM pending_publications WHERE event_ids && $1 ORDER BY id", connection, transaction);
        select.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var publications = new List<long>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            publications.Add(reader.GetInt64(0));
        }
        return [.. publications];
    }

    /// <summary>Records that a batch is on the broker.</summary>
    public async Task CompletePublicationAsync(long publication, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM pending_publications WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = publication });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Publications of batches stored before <paramref name="storedBefore"/> that never completed, oldest first,
    /// with their events (those retention has not removed since).
    /// </summary>
    public async Task<IReadOnlyList<PendingPublication>> LoadPendingAsync(DateTimeOffset storedBefore, int max, CancellationToken cancellationToken)
    {
        await using var select = dataSource.CreateCommand(
            "SELECT id, source, event_ids, batch_starts FROM pending_publications WHERE ingested_at < $1 ORDER BY id LIMIT $2");
        select.Parameters.Add(new NpgsqlParameter { Value = storedBefore.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        select.Parameters.Add(new NpgsqlParameter { Value = max });
        return await LoadPublicationsAsync(select, cancellationToken);
    }

    /// <summary>The publications of <paramref name="ids"/> that have still not completed, with their events.</summary>
    public async Task<IReadOnlyList<PendingPublication>> LoadPendingAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        await using var select = dataSource.CreateCommand("SELECT id, source, event_ids, batch_starts FROM pending_publications WHERE id = ANY($1) ORDER BY id");
        select.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        return await LoadPublicationsAsync(select, cancellationToken);
    }

    /// <summary>
    /// Each publication's events in the order it lists them, the order they were first published in, cut where they were
    /// cut then: published again, its batches are the same batches, with the same ids, so consumers' inboxes recognise
    /// them. Cut by the current settings instead when the publication has no recorded cut (stored before migration 0006)
    /// or retention has removed some of its events since (its batches' ids change with their events anyway).
    /// </summary>
    private async Task<IReadOnlyList<PendingPublication>> LoadPublicationsAsync(NpgsqlCommand select, CancellationToken cancellationToken)
    {
        var pending = new List<(long Id, string Source, string[] EventIds, int[]? BatchStarts)>();
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                pending.Add((reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<string[]>(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<int[]>(3)));
            }
        }
        var publications = new List<PendingPublication>(pending.Count);
        foreach (var (id, source, eventIds, recorded) in pending)
        {
            await using var command = dataSource.CreateCommand(
                $"SELECT {Prefixed("e")} FROM {ByIdJoin} JOIN unnest($1::text[]) WITH ORDINALITY AS w (event_id, position) ON w.event_id = i.event_id ORDER BY w.position");
            command.Parameters.Add(new NpgsqlParameter { Value = eventIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            var events = await ReadAsync(command, cancellationToken);
            var batchStarts = recorded is not null && events.Count == eventIds.Length ? recorded : BatchStartsOf([.. events.Select(e => e.Event)]);
            publications.Add(new PendingPublication(id, source, events, batchStarts));
        }
        return publications;
    }

    /// <summary>Where the batches of a publication of <paramref name="events"/> begin, by the current settings.</summary>
    private int[] BatchStartsOf(NormalizedLogEvent[] events) =>
        PublicationBatches.Starts(events, options.PublishBatchSize, options.PublishBatchBytes);

    /// <summary>
    /// Events by id: <c>ingested_event_ids</c> gives each id's partition and event time, so log_events is found
    /// through its (event_time, event_id) index and needs no index of its own on event_id.
    /// </summary>
    internal const string ByIdJoin =
        "ingested_event_ids i JOIN log_events e ON e.event_time = i.event_time AND e.event_id = i.event_id AND e.ingested_at = i.ingested_at";

    internal static string Prefixed(string alias) => string.Join(", ", ColumnNames.Select(c => $"{alias}.{c}"));

    internal static async Task<IReadOnlyList<StoredLogEvent>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<StoredLogEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(Read(reader));
        }
        return events;
    }

    private static StoredLogEvent Read(NpgsqlDataReader reader)
    {
        var record = reader.GetFieldValue<string>(reader.GetOrdinal("record"));
        // What was stored is one valid JSON document (the record, or the document built from it): its bytes go into
        // messages as they are, parsed only by a consumer that reads them.
        var document = LogDocument.FromValidUtf8(Encoding.UTF8.GetBytes(Text(reader, "document") ?? record));
        var subscriptionFilters = reader.GetOrdinal("subscription_filters") is var filters && reader.IsDBNull(filters) ? null : reader.GetFieldValue<string[]>(filters);
        return new StoredLogEvent(
            EventOf(reader, document),
            reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("ingested_at")),
            reader.GetFieldValue<string>(reader.GetOrdinal("source")),
            subscriptionFilters,
            Text(reader, "policy_level"),
            record);
    }

    /// <summary>The envelope columns of the reader's row (<see cref="EnvelopeColumns"/>, by name) around its document.</summary>
    internal static NormalizedLogEvent EventOf(NpgsqlDataReader reader, LogDocument document) => new(
        reader.GetFieldValue<string>(reader.GetOrdinal("event_id")),
        reader.GetFieldValue<string>(reader.GetOrdinal("source_type")),
        reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("event_time")),
        Text(reader, "log_group"), Text(reader, "log_stream"), Text(reader, "account"), Text(reader, "region"), Text(reader, "event_source"),
        Text(reader, "event_name"), Text(reader, "principal"), Text(reader, "source_ip"), Text(reader, "error_code"),
        document);

    private static string? Text(NpgsqlDataReader reader, string column) =>
        reader.GetOrdinal(column) is var i && reader.IsDBNull(i) ? null : reader.GetFieldValue<string>(i);

    private static async Task CopyAsync(
        NpgsqlConnection connection, IEnumerable<ParsedLogEvent> events, string source, DateTimeOffset ingestedAt, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync($"COPY log_events ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var parsed in events)
        {
            var e = parsed.Event;
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(e.EventId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.SourceType, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.EventTime.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(ingestedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteTextAsync(importer, e.LogGroup, cancellationToken);
            await WriteTextAsync(importer, e.LogStream, cancellationToken);
            await WriteTextAsync(importer, e.Account, cancellationToken);
            await WriteTextAsync(importer, e.Region, cancellationToken);
            await WriteTextAsync(importer, e.EventSource, cancellationToken);
            await WriteTextAsync(importer, e.EventName, cancellationToken);
            await WriteTextAsync(importer, e.Principal, cancellationToken);
            await WriteTextAsync(importer, e.SourceIp, cancellationToken);
            await WriteTextAsync(importer, e.ErrorCode, cancellationToken);
            await importer.WriteAsync(source, NpgsqlDbType.Text, cancellationToken);
            if (parsed.Subscription is { } subscription)
            {
                await importer.WriteAsync(subscription.SubscriptionFilters as string[] ?? [.. subscription.SubscriptionFilters], NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                await WriteTextAsync(importer, subscription.PolicyLevel, cancellationToken);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken);
                await importer.WriteNullAsync(cancellationToken);
            }
            // The record as the UTF-8 bytes it arrived in: Npgsql writes them to text as they are.
            await importer.WriteAsync(parsed.Record, NpgsqlDbType.Text, cancellationToken);
            await WriteTextAsync(importer, parsed.DocumentIsRecord ? null : e.Document.GetRawText(), cancellationToken);
        }
        await importer.CompleteAsync(cancellationToken);
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
}

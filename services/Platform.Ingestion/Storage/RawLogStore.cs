using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Platform.Contracts.Ingestion;
using Platform.Ingestion.Parsing;

namespace Platform.Ingestion.Storage;

/// <summary>
/// Writes events to the raw log store with binary COPY, each event id once: ids are claimed in
/// <c>ingested_event_ids</c> (INSERT ... ON CONFLICT DO NOTHING RETURNING) and only the claimed events are
/// copied, in the same transaction. Tracks which events are published.
/// </summary>
public sealed class RawLogStore(NpgsqlDataSource dataSource, LogPartitions partitions)
{
    internal const string Columns =
        "event_id, source_type, event_time, ingested_at, log_group, log_stream, account, region, event_source, event_name, " +
        "principal, source_ip, error_code, source, subscription_filters, policy_level, record, document";

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
            return new StoreOutcome([], 0, events.Count);
        }

        ingestedAt = ingestedAt.ToUniversalTime();
        await partitions.EnsureAsync(ingestedAt, cancellationToken);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var ids = unique.Select(e => e.Event.EventId).ToArray();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        await using (var claim = new NpgsqlCommand(
            "INSERT INTO ingested_event_ids (event_id, ingested_at) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING RETURNING event_id",
            connection, transaction))
        {
            claim.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            claim.Parameters.Add(new NpgsqlParameter { Value = ingestedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(reader.GetString(0));
            }
        }

        var unpublished = new HashSet<string>(StringComparer.Ordinal);
        if (claimed.Count < ids.Length)
        {
            await using var pending = new NpgsqlCommand(
                "SELECT event_id FROM ingested_event_ids WHERE event_id = ANY($1) AND published_at IS NULL", connection, transaction);
            pending.Parameters.Add(new NpgsqlParameter
            {
                Value = ids.Where(id => !claimed.Contains(id)).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
            });
            await using var reader = await pending.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                unpublished.Add(reader.GetString(0));
            }
        }

        if (claimed.Count > 0)
        {
            await CopyAsync(connection, unique.Where(e => claimed.Contains(e.Event.EventId)), source, ingestedAt, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);

        var toPublish = unique.Where(e => claimed.Contains(e.Event.EventId) || unpublished.Contains(e.Event.EventId)).ToArray();
        return new StoreOutcome(toPublish, claimed.Count, events.Count - claimed.Count);
    }

    public async Task MarkPublishedAsync(IReadOnlyCollection<string> eventIds, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE ingested_event_ids SET published_at = $2 WHERE event_id = ANY($1) AND published_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = eventIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = at.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Events stored before <paramref name="storedBefore"/> whose publication never completed, oldest first.</summary>
    public async Task<IReadOnlyList<StoredLogEvent>> LoadUnpublishedAsync(DateTimeOffset storedBefore, int max, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Prefixed("e")} FROM ingested_event_ids i " +
            "JOIN log_events e ON e.event_id = i.event_id AND e.ingested_at = i.ingested_at " +
            "WHERE i.published_at IS NULL AND i.ingested_at < $1 ORDER BY i.ingested_at LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = storedBefore.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        return await ReadAsync(command, cancellationToken);
    }

    internal static string Prefixed(string alias) =>
        string.Join(", ", Columns.Split(", ").Select(c => $"{alias}.{c}"));

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
        string? Text(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
        var record = reader.GetString(16);
        var documentText = Text(17) ?? record;
        var document = JsonDocument.Parse(documentText).RootElement;
        var normalized = new NormalizedLogEvent(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetFieldValue<DateTimeOffset>(2),
            Text(4), Text(5), Text(6), Text(7), Text(8), Text(9), Text(10), Text(11), Text(12),
            document);
        return new StoredLogEvent(
            normalized,
            reader.GetFieldValue<DateTimeOffset>(3),
            reader.GetString(13),
            reader.IsDBNull(14) ? null : reader.GetFieldValue<string[]>(14),
            Text(15),
            record);
    }

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
            await importer.WriteAsync(Encoding.UTF8.GetString(parsed.Record.Span), NpgsqlDbType.Text, cancellationToken);
            await WriteTextAsync(importer, parsed.DocumentIsRecord ? null : e.Document.GetRawText(), cancellationToken);
        }
        await importer.CompleteAsync(cancellationToken);
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
}

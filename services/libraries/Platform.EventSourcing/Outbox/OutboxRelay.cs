using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Platform.EventSourcing.Outbox;

/// <summary>
/// Publishes appended events to the bus after they commit, at least once and in order within each
/// stream. One relay per database is active at a time (a session advisory lock elects it; if its
/// process dies, Postgres releases the lock and a standby takes over). An event is marked published
/// only after the broker confirmed it, so a crash in between republishes it with the same message id,
/// which the consumers' inboxes discard.
/// </summary>
public sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IOutboxPublisher publisher,
    EventStoreOptions options,
    TimeProvider clock,
    IMeterFactory meters,
    ILogger<OutboxRelay> logger)
{
    public const string ActivitySourceName = "Platform.EventSourcing";
    private const long RelayLockKey = 0x5043_4F55_5442_4F58; // "PCOUTBOX"
    private const string Channel = "es_events_appended";

    private static readonly ActivitySource ActivitySource = new(ActivitySourceName);
    private readonly Counter<long> _published = meters.Create(ActivitySourceName)
        .CreateCounter<long>("platform.eventsourcing.outbox.published", "{event}", "Events the relay handed to the broker.");

    /// <summary>Runs until cancelled: waits to become the active relay, then publishes as events arrive.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                if (!await TryBecomeActiveAsync(connection, cancellationToken))
                {
                    await Task.Delay(options.RelayPollInterval * 2, clock, cancellationToken);
                    continue;
                }

                LogActive();
                // A notification that arrives while the relay's own commands run is handed out then, not to the next
                // WaitAsync: remembered here, so a commit during a drain is drained at once, not after the poll interval.
                var notified = 0;
                connection.Notification += (_, _) => Volatile.Write(ref notified, 1);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                while (!cancellationToken.IsCancellationRequested)
                {
                    // Drain, then sleep until a commit notifies us (or the poll interval passes).
                    Volatile.Write(ref notified, 0);
                    while (await PublishBatchAsync(connection, cancellationToken) == options.RelayBatchSize)
                    {
                    }
                    if (Interlocked.Exchange(ref notified, 0) == 0)
                    {
                        await connection.WaitAsync(options.RelayPollInterval, cancellationToken);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(2), clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private static async Task<bool> TryBecomeActiveAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({RelayLockKey})", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Publishes the oldest unpublished events; returns how many it published.</summary>
    internal async Task<int> PublishBatchAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var batch = new List<OutboxMessage>(options.RelayBatchSize);
        await using (var select = new NpgsqlCommand(
            "SELECT global_position, event_id, stream_id, stream_version, event_type, data::text FROM es_events " +
            "WHERE published_at IS NULL ORDER BY global_position LIMIT $1", connection))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = options.RelayBatchSize });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var registration = options.Types.For(reader.GetString(4));
                var message = JsonSerializer.Deserialize(reader.GetString(5), registration.Type, PlatformJson.Options)!;
                batch.Add(new OutboxMessage(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt64(3), message, registration.Type));
            }
        }
        if (batch.Count == 0)
        {
            return 0;
        }

        using var activity = ActivitySource.StartActivity("outbox publish");
        activity?.SetTag("platform.outbox.batch_size", batch.Count);

        // Streams go out in parallel; each stream's events one after another, so their order holds.
        await Task.WhenAll(batch.GroupBy(m => m.StreamId).Select(async stream =>
        {
            foreach (var message in stream)
            {
                await publisher.PublishAsync(message, cancellationToken);
            }
        }));

        await using (var mark = new NpgsqlCommand("UPDATE es_events SET published_at = $1 WHERE global_position = ANY($2)", connection))
        {
            mark.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
            mark.Parameters.Add(new NpgsqlParameter { Value = batch.Select(m => m.GlobalPosition).ToArray() });
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }
        _published.Add(batch.Count);
        return batch.Count;
    }

    [LoggerMessage(LogLevel.Information, "This instance is now the active outbox relay")]
    private partial void LogActive();

    [LoggerMessage(LogLevel.Error, "Outbox relay failed; retrying")]
    private partial void LogFailed(Exception exception);
}

using NpgsqlTypes;

namespace Platform.Alerting.Delivery;

/// <summary>The states of a delivery, as the API filters them.</summary>
public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";

    /// <summary>Not retried by itself: the target names nothing, or its address is refused. <c>POST .../retry</c> tries again.</summary>
    public const string Failed = "failed";

    /// <summary>Every attempt failed. <c>POST .../retry</c> gives it the full number of attempts again.</summary>
    public const string Dead = "dead";

    public static readonly IReadOnlyList<string> All = [Pending, Delivered, Failed, Dead];
}

/// <summary>
/// A row the sender holds under a lease, with what it needs to send it: <c>Holder</c> is the lease's holder (only it
/// records this attempt); <c>TakenOver</c> says a holder leased the row before and its lease ran out unrecorded (that
/// attempt may have been sent).
/// </summary>
public sealed record DeliveryWork(
    Guid Id, string Target, string Protocol, string Endpoint, string? Resource, string IdempotencyKey, string Subject, string Body,
    int Attempts, int RetriedAfter, Guid Holder, bool TakenOver);

/// <summary>How one attempt ended.</summary>
/// <param name="Delivered">The subscriber took it.</param>
/// <param name="StatusCode">The HTTP status answered, when there was one.</param>
/// <param name="Error">Why it failed, when it did.</param>
/// <param name="Response">What the subscriber answered, cut to a few KB.</param>
/// <param name="Permanent">Trying again cannot help until something changes (a refused address, no SMTP server).</param>
public sealed record AttemptResult(bool Delivered, int? StatusCode, string? Error, string? Response, bool Permanent = false)
{
    public static AttemptResult Refused(string reason) => new(false, null, reason, null, Permanent: true);
}

/// <summary>
/// A delivery as the API shows it. <c>TakenOver</c> counts the attempts taken over from a sender that stopped (or lost
/// the database) between leasing and recording them: each may have reached the subscriber, so the subscriber may have
/// received this delivery more than once, under the same idempotency key.
/// </summary>
public sealed record DeliveryView(
    Guid Id, string Target, string Subscriber, string Protocol, string Endpoint, string IdempotencyKey, string Subject, string Status,
    int Attempts, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? NextAttemptAt, string? LastError, int TakenOver,
    IReadOnlyList<DeliveryAttemptView>? AttemptLog);

/// <summary>One attempt: when, how long, what came back.</summary>
public sealed record DeliveryAttemptView(int Number, DateTimeOffset StartedAt, int DurationMs, int? StatusCode, string? Error, string? Response);

/// <summary>
/// The deliveries table: scheduling (unique on subscriber and idempotency key, so scheduling again inserts nothing),
/// leasing due rows to one sender at a time, recording attempts, and the API's reads. Every statement commits on its own.
/// </summary>
public sealed class DeliveryStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, target, subscriber, protocol, endpoint, idempotency_key, subject, status, attempts, created_at, updated_at, next_attempt_at, last_error, taken_over";

    /// <summary>One delivery to insert.</summary>
    public sealed record NewDelivery(string Target, string Subscriber, string Protocol, string Endpoint, string? Resource, string Status, string? LastError);

    /// <summary>Inserts the deliveries not already there; how many were new.</summary>
    public async Task<int> InsertAsync(
        IReadOnlyList<NewDelivery> deliveries, string idempotencyKey, string subject, string body, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO deliveries (id, target, subscriber, protocol, endpoint, resource, idempotency_key, subject, body, status,
                                    created_at, updated_at, next_attempt_at, last_error)
            SELECT gen_random_uuid(), d.target, d.subscriber, d.protocol, d.endpoint, d.resource, $7, $8, $9, d.status, $10, $10, $10, d.last_error
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $11::text[])
                 AS d(target, subscriber, protocol, endpoint, resource, status, last_error)
            ON CONFLICT (subscriber, idempotency_key) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. deliveries.Select(d => d.Target)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. deliveries.Select(d => d.Subscriber)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. deliveries.Select(d => d.Protocol)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. deliveries.Select(d => d.Endpoint)] });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. deliveries.Select(d => d.Resource)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. deliveries.Select(d => d.Status)] });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = idempotencyKey });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = subject });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = body });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. deliveries.Select(d => d.LastError)] });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>How many deliveries wait to be sent.</summary>
    public async Task<long> CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM deliveries WHERE status = 'pending'");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Leases up to <paramref name="limit"/> due pending rows (not leased, or whose lease ran out unrecorded: their sender
    /// died) to <paramref name="lease"/>'s holder. A row whose lease ran out counts as taken over (its attempt may have
    /// been sent). Rows another sender is claiming at the same moment are skipped, not waited for.
    /// </summary>
    public async Task<IReadOnlyList<DeliveryWork>> LeaseDueAsync(DateTimeOffset now, WorkLease lease, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE deliveries d SET lease_until = $2, lease_holder = $4, taken_over = d.taken_over + due.taken::int
            FROM (SELECT id, lease_until IS NOT NULL AS taken FROM deliveries
                  WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until < $1)
                  ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) due
            WHERE d.id = due.id
            RETURNING d.id, d.target, d.protocol, d.endpoint, d.resource, d.idempotency_key, d.subject, d.body, d.attempts, d.retried_after, due.taken
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = lease.Until });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = lease.Holder });
        var work = new List<DeliveryWork>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            work.Add(new DeliveryWork(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetInt32(8), reader.GetInt32(9), lease.Holder, reader.GetBoolean(10)));
        }
        return work;
    }

    /// <summary>Extends the lease on the pending rows <paramref name="lease"/>'s holder still holds to its end; how many.</summary>
    public async Task<int> RenewAsync(WorkLease lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE deliveries SET lease_until = $2 WHERE lease_holder = $1 AND status = 'pending'");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = lease.Holder });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = lease.Until });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Records an attempt and the row's new state, if the attempt's holder still holds the row (false otherwise: its
    /// lease ran out and another sender has the row, so this attempt is not recorded over its work).
    /// </summary>
    public async Task<bool> RecordAttemptAsync(
        DeliveryWork work, DateTimeOffset startedAt, TimeSpan duration, AttemptResult result, string status, DateTimeOffset nextAttemptAt,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var update = new NpgsqlCommand(
            """
            UPDATE deliveries SET status = $2, attempts = attempts + 1, next_attempt_at = $3, lease_until = NULL, lease_holder = NULL,
                                  updated_at = $4, last_error = $5
            WHERE id = $1 AND lease_holder = $6 AND status = 'pending'
            RETURNING attempts
            """, connection, transaction);
        update.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = work.Id });
        update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = status });
        update.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = nextAttemptAt });
        update.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        update.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = result.Delivered ? null : result.Error, NpgsqlDbType = NpgsqlDbType.Text });
        update.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = work.Holder });
        if (await update.ExecuteScalarAsync(cancellationToken) is not int number)
        {
            return false;
        }

        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO delivery_attempts (delivery_id, number, started_at, duration_ms, status_code, error, response)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = work.Id });
        insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = number });
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = startedAt });
        insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)Math.Min(int.MaxValue, duration.TotalMilliseconds) });
        insert.Parameters.Add(new NpgsqlParameter<int?> { TypedValue = result.StatusCode, NpgsqlDbType = NpgsqlDbType.Integer });
        insert.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = result.Error, NpgsqlDbType = NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = result.Response, NpgsqlDbType = NpgsqlDbType.Text });
        await insert.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Gives a dead or failed delivery back to the sender, with the full number of attempts; false when it is neither.</summary>
    public async Task<bool> RetryAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE deliveries SET status = 'pending', retried_after = attempts, next_attempt_at = $2, lease_until = NULL, lease_holder = NULL, updated_at = $2
            WHERE id = $1 AND status IN ('dead', 'failed')
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>A page of deliveries, newest first, optionally of one status; keyset-paged on (created_at, id).</summary>
    public async Task<IReadOnlyList<DeliveryView>> ListAsync(
        string? status, (DateTimeOffset CreatedAt, Guid Id)? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM deliveries
            WHERE ($1::text IS NULL OR status = $1) AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
            ORDER BY created_at DESC, id DESC LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = status, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = after?.CreatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = after?.Id ?? Guid.Empty });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var views = new List<DeliveryView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            views.Add(ReadView(reader, attempts: null));
        }
        return views;
    }

    /// <summary>One delivery with every attempt, or null.</summary>
    public async Task<DeliveryView?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT {Columns} FROM deliveries WHERE id = $1")
        {
            Parameters = { new NpgsqlParameter<Guid> { TypedValue = id } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "SELECT number, started_at, duration_ms, status_code, error, response FROM delivery_attempts WHERE delivery_id = $1 ORDER BY number")
        {
            Parameters = { new NpgsqlParameter<Guid> { TypedValue = id } },
        });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var view = ReadView(reader, attempts: []);
        await reader.NextResultAsync(cancellationToken);
        var attempts = new List<DeliveryAttemptView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            attempts.Add(new DeliveryAttemptView(
                reader.GetInt32(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        return view with { AttemptLog = attempts };
    }

    private static DeliveryView ReadView(NpgsqlDataReader reader, IReadOnlyList<DeliveryAttemptView>? attempts)
    {
        var status = reader.GetString(7);
        return new DeliveryView(
            reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
            reader.GetString(6), status, reader.GetInt32(8), reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10),
            status == DeliveryStatus.Pending ? reader.GetFieldValue<DateTimeOffset>(11) : null, reader.IsDBNull(12) ? null : reader.GetString(12),
            reader.GetInt32(13), attempts);
    }
}

using NpgsqlTypes;

namespace Platform.Alerting.Metrics;

/// <summary>A series as ListMetrics answers it, with the id its pages are keyed by.</summary>
public sealed record StoredMetric(long Id, MetricKey Key);

/// <summary>
/// Metric series and their 1-minute data points in the service database. A batch is written in one statement (one
/// round trip, one implicit transaction) that records the batch id, upserts its series and adds its points: a
/// redelivered batch finds its id and adds nothing.
/// </summary>
public sealed class MetricStore(NpgsqlDataSource dataSource, TimeProvider clock) : IMetricStatistics
{
    public const string Sum = "Sum";
    public const string Average = "Average";
    public const string Minimum = "Minimum";
    public const string Maximum = "Maximum";
    public const string SampleCount = "SampleCount";

    /// <summary>The statistics CloudWatch computes from data points (percentiles aside).</summary>
    public static readonly IReadOnlyList<string> Statistics = [Sum, Average, Minimum, Maximum, SampleCount];

    /// <summary>Adds <paramref name="batch"/>'s points; false (and nothing added) when <paramref name="batchId"/> was already counted.</summary>
    public async Task<bool> AddAsync(Guid batchId, MetricBatch batch, CancellationToken cancellationToken)
    {
        var series = batch.Series
            .OrderBy(k => k.Namespace, StringComparer.Ordinal).ThenBy(k => k.MetricName, StringComparer.Ordinal)
            .ThenBy(k => k.DimensionsJson, StringComparer.Ordinal).ToArray();
        var index = series.Select((key, i) => (key, i)).ToDictionary(s => s.key, s => s.i + 1);
        // Ordered by series and minute, so concurrent batches lock rows in one order and never deadlock each other.
        var points = batch.Points.OrderBy(p => index[p.Key.Key]).ThenBy(p => p.Key.Minute).ToArray();

        await using var command = dataSource.CreateCommand(
            """
            WITH inbox AS (
                INSERT INTO metric_batches (batch_id, recorded_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING batch_id
            ), keys AS (
                SELECT * FROM unnest($3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS k (namespace, metric_name, dimensions_key, ordinal)
            ), series AS (
                INSERT INTO metric_series AS s (namespace, metric_name, dimensions_key, dimensions, last_published_at)
                SELECT namespace, metric_name, dimensions_key, dimensions_key::jsonb, $2 FROM keys
                WHERE EXISTS (SELECT FROM inbox)
                ORDER BY ordinal
                ON CONFLICT (namespace, metric_name, dimensions_key)
                DO UPDATE SET last_published_at = GREATEST(s.last_published_at, EXCLUDED.last_published_at)
                RETURNING s.id, s.namespace, s.metric_name, s.dimensions_key
            ), points AS (
                INSERT INTO metric_points AS p (series_id, minute, sample_count, sum, minimum, maximum, is_default)
                SELECT series.id, d.minute, d.sample_count, d.sum, d.minimum, d.maximum, d.is_default
                FROM unnest($6::bigint[], $7::timestamptz[], $8::float8[], $9::float8[], $10::float8[], $11::float8[], $12::boolean[])
                     WITH ORDINALITY AS d (series_ordinal, minute, sample_count, sum, minimum, maximum, is_default, ordinal)
                JOIN keys ON keys.ordinal = d.series_ordinal
                JOIN series USING (namespace, metric_name, dimensions_key)
                ORDER BY d.ordinal
                ON CONFLICT (series_id, minute) DO UPDATE SET
                    sample_count = CASE WHEN p.is_default THEN EXCLUDED.sample_count ELSE p.sample_count + EXCLUDED.sample_count END,
                    sum = CASE WHEN p.is_default THEN EXCLUDED.sum ELSE p.sum + EXCLUDED.sum END,
                    minimum = CASE WHEN p.is_default THEN EXCLUDED.minimum ELSE LEAST(p.minimum, EXCLUDED.minimum) END,
                    maximum = CASE WHEN p.is_default THEN EXCLUDED.maximum ELSE GREATEST(p.maximum, EXCLUDED.maximum) END,
                    is_default = false
                WHERE NOT EXCLUDED.is_default
            )
            SELECT count(*) FROM inbox
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = batchId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. series.Select(s => s.Namespace)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. series.Select(s => s.MetricName)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. series.Select(s => s.DimensionsJson)] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. points.Select(p => (long)index[p.Key.Key])] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. points.Select(p => p.Key.Minute)] });
        command.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = [.. points.Select(p => p.Value.SampleCount)] });
        command.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = [.. points.Select(p => p.Value.Sum)] });
        command.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = [.. points.Select(p => p.Value.Minimum)] });
        command.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = [.. points.Select(p => p.Value.Maximum)] });
        command.Parameters.Add(new NpgsqlParameter<bool[]> { TypedValue = [.. points.Select(p => p.Value.IsDefault)] });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    public async Task<IReadOnlyList<MetricPeriodValue>> GetAsync(MetricStatisticQuery query, CancellationToken cancellationToken)
    {
        var key = MetricKey.Of(query.Metric);
        await using var command = dataSource.CreateCommand(
            """
            SELECT floor(extract(epoch FROM p.minute - $4) / $6)::bigint AS period,
                   sum(p.sample_count), sum(p.sum), min(p.minimum), max(p.maximum)
            FROM metric_points p JOIN metric_series s ON s.id = p.series_id
            WHERE s.namespace = $1 AND s.metric_name = $2 AND s.dimensions_key = $3 AND p.minute >= $4 AND p.minute < $5
            GROUP BY 1 ORDER BY 1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Namespace });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.MetricName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.DimensionsJson });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = query.Start.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = query.End.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = query.Period.TotalSeconds });

        var values = new List<MetricPeriodValue>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (count, sum, min, max) = (reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4));
            var value = query.Statistic switch
            {
                Sum => sum,
                Average => sum / count,
                Minimum => min,
                Maximum => max,
                SampleCount => count,
                _ => throw new ArgumentException($"'{query.Statistic}' is not one of {string.Join(", ", Statistics)}", nameof(query)),
            };
            values.Add(new MetricPeriodValue(query.Start + query.Period * reader.GetInt64(0), value));
        }
        return values;
    }

    /// <summary>
    /// The series matching the filters (a dimension with a value must have it; one without, any value), in the order
    /// they were first published, after <paramref name="afterId"/>.
    /// </summary>
    public async Task<IReadOnlyList<StoredMetric>> ListAsync(
        string? ns, string? metricName, IReadOnlyDictionary<string, string?> dimensions, long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, namespace, metric_name, dimensions_key FROM metric_series
            WHERE ($1::text IS NULL OR namespace = $1) AND ($2::text IS NULL OR metric_name = $2)
              AND dimensions @> $3::jsonb AND jsonb_exists_all(dimensions, $4) AND id > $5
            ORDER BY id LIMIT $6
            """);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = ns, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = metricName, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string>
        {
            TypedValue = JsonSerializer.Serialize(dimensions.Where(d => d.Value is not null).ToDictionary(d => d.Key, d => d.Value)),
        });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. dimensions.Keys] });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });

        var metrics = new List<StoredMetric>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            metrics.Add(new StoredMetric(reader.GetInt64(0), new MetricKey(reader.GetString(1), reader.GetString(2), reader.GetString(3))));
        }
        return metrics;
    }

    /// <summary>Deletes points, series and batch records older than <paramref name="cutoff"/>; answers how many points went.</summary>
    public async Task<int> RemoveOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var sql in new[]
                 {
                     "DELETE FROM metric_points WHERE minute < $1",
                     "DELETE FROM metric_series WHERE last_published_at < $1",
                     "DELETE FROM metric_batches WHERE recorded_at < $1",
                 })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = cutoff });
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return batch.BatchCommands[0].RecordsAffected;
    }
}

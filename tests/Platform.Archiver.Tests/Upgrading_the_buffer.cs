using Npgsql;
using Platform.Archiver.Buffering;
using Platform.Database;

namespace Platform.Archiver.Tests;

/// <summary>
/// A database whose buffer held a row per event (migrations 0001 and 0002) upgraded to the buffer by batch (0003): the
/// events still to be archived, pending or in a file planned but not written, are archived once each in their order,
/// the planned file under the key it was planned with; the events already in a written file are not archived again.
/// </summary>
public sealed class Upgrading_the_buffer : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();
    private ArchiverHost? _archiver;

    [Fact]
    public async Task Events_buffered_by_the_old_archiver_are_archived_once_each_in_their_order()
    {
        var hour = Batches.TwoHoursAgo();
        var database = await _postgres.CreateDatabaseAsync("archiver");
        var partition = $"cloudtrail/account=123456789012/region=us-east-1/dt={hour:yyyy-MM-dd}/hour={hour:HH}/";
        var plannedKey = $"archive/{partition}part-000000000003-000000000004.parquet";
        var records = Batches.CloudTrail(7, hour).Events;
        await using (var dataSource = NpgsqlDataSource.Create(database))
        {
            await ExecuteAsync(dataSource, "CREATE TABLE schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
            foreach (var script in MigrationScript.FromAssembly(typeof(ArchiveBuffer).Assembly, PlatformResources.Archiver)
                         .Where(s => string.CompareOrdinal(s.Id, "archiver/0003") < 0))
            {
                await ExecuteAsync(dataSource, script.Sql);
                await ExecuteAsync(dataSource, "INSERT INTO schema_migrations (id) VALUES ($1)", script.Id);
            }
            await ExecuteAsync(dataSource, """
                INSERT INTO archive_files (object_key, kms_key_id, events, planned_at, written_at, bytes, sha256)
                VALUES ($1, '', 2, now(), now(), 1000, repeat('0', 64))
                """, $"archive/{partition}part-000000000001-000000000002.parquet");
            await ExecuteAsync(dataSource, "INSERT INTO archive_files (object_key, kms_key_id, events, planned_at) VALUES ($1, '', 2, now())", plannedKey);
            // Two events in the written file, two in the planned one, three pending.
            long?[] files = [1, 1, 2, 2, null, null, null];
            for (var i = 0; i < records.Count; i++)
            {
                var e = records[i];
                await ExecuteAsync(dataSource, """
                    INSERT INTO archive_buffer (source_type, event_id, account, region, hour, kms_key_id, event_time, ingested_at, buffered_at,
                        log_group, event_source, event_name, principal, source_ip, record, record_bytes, file_id)
                    VALUES ('cloudtrail', $1, '123456789012', 'us-east-1', $2, '', $3, now(), now(), $4, $5, $6, $7, $8, $9, $10, $11)
                    """, e.EventId, hour.AddMinutes(-10), e.EventTime, e.LogGroup, e.EventSource, e.EventName, e.Principal, e.SourceIp,
                    e.Document.GetRawText(), Encoding.UTF8.GetByteCount(e.Document.GetRawText()), files[i]);
            }
        }

        _archiver = await ArchiverHost.StartAsync(_postgres, database: database);
        await _archiver.FlushAsync(); // the hour is closed: the first pass may have written the files already

        var keys = await _archiver.Bucket.DataKeysAsync();
        Assert.Equal(2, keys.Count);
        Assert.Contains(plannedKey, keys);
        Assert.Equal(records.Skip(2).Take(2).Select(e => e.EventId), (await _archiver.Bucket.ReadRowsAsync(plannedKey)).Select(r => r.EventId));
        var rest = await _archiver.Bucket.ReadRowsAsync(Assert.Single(keys, k => k != plannedKey));
        Assert.Equal(records.Skip(4).Select(e => e.EventId), rest.Select(r => r.EventId));
        var record = JsonNode.Parse(rest[0].Record);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(records[4].Document.GetRawText()), record), rest[0].Record);

        var status = JsonDocument.Parse(await _archiver.Admin.GetStringAsync("/v1/archive/status")).RootElement;
        Assert.Equal(0, status.GetProperty("pendingEvents").GetInt64());
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, params object?[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        await command.ExecuteNonQueryAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_archiver is not null)
        {
            await _archiver.DisposeAsync();
        }
        await _postgres.DisposeAsync();
    }
}

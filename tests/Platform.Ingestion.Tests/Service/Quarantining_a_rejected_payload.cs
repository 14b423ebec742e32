using System.Diagnostics;
using Platform.Quarantine;
using Xunit.Abstractions;

namespace Platform.Ingestion.Tests.Service;

[Collection(IngestionServiceCollection.Name)]
public sealed class Quarantining_a_rejected_payload(IngestionService service, ITestOutputHelper output)
{
    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = service.Database.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>The body of issue 11: 100,000 lines of "2", gzipped at level 9 (232 bytes).</summary>
    private static readonly byte[] HundredThousandBadLines = Convert.FromBase64String(
        "H4sIAAAAAAACA+3CMQ0AAAACoN849g9nBn8GTQEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" +
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" +
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACA0wAd" +
        "Bui9QA0DAA==");

    [Fact]
    public async Task A_232_byte_body_of_a_hundred_thousand_bad_lines_is_one_quarantine_entry_that_counts_them()
    {
        var body = HundredThousandBadLines;
        var lastId = await ScalarAsync("SELECT coalesce(max(id), 0) FROM quarantine");

        var started = Stopwatch.GetTimestamp();
        var counts = await service.IngestAsync("/v1/ingest/vpc-flow-logs", body);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var rows = await ScalarAsync($"SELECT count(*) FROM quarantine WHERE id > {lastId}");
        output.WriteLine($"{body.Length}-byte body: {rows} quarantine rows written in {elapsed.TotalMilliseconds:F0} ms");

        Assert.Equal(232, body.Length);
        Assert.Equal(new IngestCounts(0, 0, 100_000, 0), counts);
        Assert.Equal(1, rows);
        var listed = (await service.GetJsonAsync("/v1/quarantine?limit=1")).GetProperty("items")[0];
        Assert.Equal(100_000, listed.GetProperty("rejected").GetInt32());
        var item = await service.GetJsonAsync($"/v1/quarantine/{listed.GetProperty("id").GetInt64()}");
        Assert.Equal(100_000, item.GetProperty("rejected").GetInt32());
        var reasons = item.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToArray();
        Assert.Equal(RejectedPayload.MaxReasons, reasons.Length);
        Assert.StartsWith("line 1: ", reasons[0]);
        Assert.StartsWith("line 5: ", reasons[^1]);
        Assert.Equal(body, item.GetProperty("raw").GetBytesFromBase64());
    }

    [Fact]
    public async Task Past_its_cap_the_quarantine_drops_its_oldest_entries()
    {
        var options = service.Service<IngestionOptions>();
        var cap = options.QuarantineMaxTotalBytes;
        await using (var clear = service.Database.CreateCommand("TRUNCATE quarantine; UPDATE quarantine_usage SET bytes = 0"))
        {
            await clear.ExecuteNonQueryAsync();
        }
        options.QuarantineMaxTotalBytes = 2_500;
        try
        {
            var bodies = Enumerable.Range(0, 3).Select(i => Encoding.ASCII.GetBytes(new string((char)('a' + i), 1_000))).ToArray();
            foreach (var body in bodies)
            {
                using var response = await service.PostAsync("/v1/ingest/cloudtrail", body);
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            }

            var kept = (await service.GetJsonAsync("/v1/quarantine")).GetProperty("items").EnumerateArray()
                .Select(q => q.GetProperty("id").GetInt64()).ToArray();
            var firstKept = await service.Service<QuarantineStore>().FindAsync(kept.Min(), CancellationToken.None);
            Assert.Equal(2, kept.Length);
            Assert.Equal(bodies[1], firstKept!.Raw);
            var usage = await ScalarAsync("SELECT bytes FROM quarantine_usage");
            Assert.Equal(await ScalarAsync("SELECT sum(stored_bytes) FROM quarantine"), usage);
            Assert.True(usage <= 2_500, $"{usage} bytes kept");
        }
        finally
        {
            options.QuarantineMaxTotalBytes = cap;
        }
    }

    [Fact]
    public async Task The_retention_run_removes_entries_older_than_the_quarantine_retention()
    {
        var now = new DateTimeOffset(2001, 6, 30, 12, 0, 0, TimeSpan.Zero);
        var origin = "old-" + Guid.NewGuid().ToString("N");
        var batch = new ParsedBatch();
        batch.BeginPayload("old"u8.ToArray(), origin);
        batch.Reject("an old refusal");
        batch.BeginPayload("recent"u8.ToArray(), origin);
        batch.Reject("a recent refusal");
        var store = service.Service<QuarantineStore>();
        var retentionDays = service.Service<IngestionOptions>().QuarantineRetentionDays;
        await store.AddAsync(batch.Rejected.Take(1).ToArray(), "test", now.AddDays(-retentionDays - 1), CancellationToken.None);
        await store.AddAsync(batch.Rejected.Skip(1).ToArray(), "test", now.AddDays(-retentionDays + 1), CancellationToken.None);

        var outcome = await service.Service<LogRetention>().EnforceAsync(now, CancellationToken.None);

        Assert.Equal(1, outcome.ExpiredQuarantine);
        await using var command = service.Database.CreateCommand("SELECT reasons[1] FROM quarantine WHERE origin = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = origin });
        Assert.Equal("a recent refusal", await command.ExecuteScalarAsync());
    }
}

using System.Globalization;
using System.Runtime.CompilerServices;

namespace Platform.Archiver.Tests;

/// <summary>
/// <c>"tier": "archive"</c> on <c>POST /v1/sql-queries</c>: events ingested, archived by the archiver's flush, then the
/// same statement over the raw log store and over the archive's Parquet files (fetched from s3rver, read by DuckDB).
/// </summary>
public sealed class Querying_the_archive_with_sql(ArchiveServices services) : IClassFixture<ArchiveServices>
{
    private const string Account = "210987654321";
    private const string Store = "archived-events";

    [Fact]
    public async Task The_same_query_answers_the_same_rows_over_the_hot_store_and_the_archive()
    {
        var hour = Batches.TwoHoursAgo();
        await IngestAsync(hour);

        using var admin = services.Provisioning.CreateAdminClient();
        (await admin.PutAsync($"/v1/event-data-stores/{Store}",
            new StringContent($$"""{"Name": "{{Store}}", "RetentionPeriod": 365}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var day = hour.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);
        string[] statements =
        [
            $"SELECT srcaddr, dstport, action, bytes FROM vpc_flow_logs WHERE dt = '{day}' ORDER BY srcaddr, dstport",
            "SELECT action, count(*) AS flows, sum(bytes) AS total FROM vpc_flow_logs GROUP BY action ORDER BY action",
            $"SELECT eventName, userIdentity.arn, awsRegion, eventTime FROM {Store} WHERE eventTime >= '{hour.AddMinutes(-5):yyyy-MM-dd HH:mm:ss}' " +
            $"AND eventTime < '{hour.AddHours(2):yyyy-MM-dd HH:mm:ss}' AND recipientAccountId = '{Account}' ORDER BY eventTime, awsRegion",
            $"SELECT awsRegion, COUNT(DISTINCT eventID) AS events FROM {Store} WHERE eventName LIKE 'Create%' GROUP BY awsRegion HAVING COUNT(*) > 1 ORDER BY awsRegion",
        ];
        foreach (var statement in statements)
        {
            var hot = await Eventually.ObserveAsync(() => RowsAsync(statement, "hot"), rows => rows.Count > 0);
            var archived = await RowsAsync(statement, "archive");

            Assert.NotEmpty(hot);
            Assert.Equal(hot.Select(r => string.Join(" | ", r)), archived.Select(r => string.Join(" | ", r)));
        }
    }

    [Fact]
    public async Task A_query_reads_only_the_partitions_its_time_range_allows()
    {
        var hour = Batches.TwoHoursAgo();
        await IngestAsync(hour);

        var outside = await RunAsync($"SELECT count(*) AS flows FROM vpc_flow_logs WHERE dt = '{hour.AddDays(-30):yyyy/MM/dd}'", "archive");
        var inside = await RunAsync($"SELECT count(*) AS flows FROM vpc_flow_logs WHERE dt = '{hour:yyyy/MM/dd}'", "archive");

        Assert.Equal("0", Cell(outside));
        Assert.Equal(0, outside.GetProperty("QueryStatistics").GetProperty("BytesScanned").GetInt64());
        Assert.NotEqual("0", Cell(inside));
        Assert.True(inside.GetProperty("QueryStatistics").GetProperty("BytesScanned").GetInt64() > 0);
    }

    [Fact]
    public async Task Injection_attempts_over_the_archive_are_data()
    {
        var hour = Batches.TwoHoursAgo();
        await IngestAsync(hour);

        var rows = await RowsAsync("SELECT srcaddr FROM vpc_flow_logs WHERE srcaddr = 'x''); DROP TABLE archive_events; --' OR action = 'x'' OR ''1''=''1'", "archive");
        Assert.Empty(rows);
        // The view is still there: the hostile text was a value compared, not SQL run.
        Assert.NotEmpty(await RowsAsync("SELECT srcaddr FROM vpc_flow_logs", "archive"));
    }

    [Theory]
    [InlineData("\"cold\"")]
    [InlineData("\"ARCHIVE\"")]
    [InlineData("42")]
    public async Task A_tier_other_than_hot_or_archive_is_refused_naming_the_field(string tier)
    {
        using var client = services.Ingestion.CreateAdminClient();
        using var response = await client.PostAsync("/v1/sql-queries",
            new StringContent($$"""{"queryStatement": "SELECT srcaddr FROM vpc_flow_logs", "tier": {{tier}}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("tier", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The events of each fixture (the tests of the class share it), ingested and archived once.</summary>
    private static readonly ConditionalWeakTable<ArchiveServices, Task> Ingestions = [];

    private Task IngestAsync(DateTimeOffset hour)
    {
        lock (Ingestions)
        {
            return Ingestions.GetValue(services, _ => IngestOnceAsync(hour));
        }
    }

    /// <summary>Flow logs and CloudTrail records in the hour (and the next), ingested, then archived by a flush.</summary>
    private async Task IngestOnceAsync(DateTimeOffset hour)
    {
        var start = hour.AddMinutes(5).ToUnixTimeSeconds();
        var flows = string.Join("\n",
            $"2 {Account} eni-0a1b 10.0.0.5 203.0.113.9 49152 443 6 10 8400 {start} {start + 60} ACCEPT OK",
            $"2 {Account} eni-0a1b 198.51.100.3 10.0.0.5 51515 22 6 1 40 {start} {start + 60} REJECT OK",
            $"2 {Account} eni-0a1b 198.51.100.3 10.0.0.5 51516 23 6 1 40 {start + 30} {start + 90} REJECT OK") + "\n";
        await services.IngestAsync("/v1/ingest/vpc-flow-logs?logGroup=archived-flows", Encoding.UTF8.GetBytes(flows));

        var records = new List<JsonObject>();
        foreach (var (minutes, region) in new[] { (10, "us-east-1"), (20, "us-east-1"), (70, "eu-west-1"), (80, "eu-west-1"), (85, "eu-west-1") })
        {
            var record = CloudTrailRecords.CreateAccessKey(Guid.NewGuid().ToString());
            record["eventTime"] = hour.AddMinutes(minutes).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            record["awsRegion"] = region;
            record["recipientAccountId"] = Account;
            records.Add(record);
        }
        await services.IngestAsync("/v1/ingest/cloudwatch-logs", SubscriptionMessages.Gzip(SubscriptionMessages.DataMessage(
            records.Select((r, i) => SubscriptionMessages.LogEvent($"sql-{i}-{Guid.NewGuid():N}", hour.ToUnixTimeMilliseconds(), r.ToJsonString())),
            "aws-cloudtrail-logs")));

        await services.Archiver.WaitForBufferedAsync(flows.Count(c => c == '\n') + records.Count);
        await services.Archiver.FlushAsync();
    }

    private async Task<JsonElement> RunAsync(string statement, string tier)
    {
        using var client = services.Ingestion.CreateAdminClient();
        using var started = await client.PostAsJsonAsync("/v1/sql-queries", new { queryStatement = statement, tier });
        var text = await started.Content.ReadAsStringAsync();
        Assert.True(started.StatusCode == HttpStatusCode.OK, $"POST /v1/sql-queries ({tier}): {(int)started.StatusCode} {text}");
        var id = JsonDocument.Parse(text).RootElement.GetProperty("queryId").GetString();
        return await Eventually.ObserveAsync(
            async () => JsonDocument.Parse(await client.GetStringAsync($"/v1/sql-queries/{id}")).RootElement,
            results => results.GetProperty("QueryStatus").GetString() is not ("QUEUED" or "RUNNING")) is var results
            && results.GetProperty("QueryStatus").GetString() == "FINISHED"
            ? results
            : throw new Xunit.Sdk.XunitException($"{tier}: {statement}: {results}");
    }

    private async Task<List<string?[]>> RowsAsync(string statement, string tier) =>
        (await RunAsync(statement, tier)).GetProperty("QueryResultRows").EnumerateArray()
        .Select(row => row.EnumerateArray().Select(cell => cell.EnumerateObject().Single().Value.GetString()).ToArray())
        .ToList();

    private static string? Cell(JsonElement results) =>
        results.GetProperty("QueryResultRows")[0][0].EnumerateObject().Single().Value.GetString();
}

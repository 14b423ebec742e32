using System.Globalization;

namespace Platform.Archiver.Tests;

public sealed class Archiving_ingested_events(ArchiveServices services) : IClassFixture<ArchiveServices>
{
    private const string Account = "123456789012";

    [Fact]
    public async Task Ingested_events_land_once_each_in_encrypted_parquet_in_their_partitions_with_the_record_intact()
    {
        var firstHour = new DateTimeOffset(DateTimeOffset.UtcNow.Year, DateTimeOffset.UtcNow.Month, DateTimeOffset.UtcNow.Day,
            DateTimeOffset.UtcNow.Hour, 0, 0, TimeSpan.Zero).AddHours(-3);
        var records = new List<JsonObject>();
        foreach (var (offset, region) in new[] { (10, "us-east-1"), (20, "us-east-1"), (30, "us-east-1"), (70, "eu-west-1"), (80, "eu-west-1") })
        {
            var record = CloudTrailRecords.CreateAccessKey(Guid.NewGuid().ToString());
            record["eventTime"] = firstHour.AddMinutes(offset).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            record["awsRegion"] = region;
            records.Add(record);
        }
        var payload = SubscriptionMessages.Gzip(SubscriptionMessages.DataMessage(
            records.Select((r, i) => SubscriptionMessages.LogEvent($"cw-{i}-{Guid.NewGuid():N}", firstHour.ToUnixTimeMilliseconds(), r.ToJsonString())),
            ArchiveServices.EncryptedLogGroup));
        await services.IngestAsync("/v1/ingest/cloudwatch-logs", payload);

        var flowStart = firstHour.AddMinutes(15).ToUnixTimeSeconds();
        var flowGroup = "flow-" + Guid.NewGuid().ToString("N")[..8];
        var flows = $"2 {Account} eni-0a1b 10.0.0.5 203.0.113.9 49152 443 6 10 8400 {flowStart} {flowStart + 60} ACCEPT OK\n" +
                    $"2 {Account} eni-0a1b 198.51.100.3 10.0.0.5 51515 22 6 1 40 {flowStart} {flowStart + 60} REJECT OK\n";
        await services.IngestAsync($"/v1/ingest/vpc-flow-logs?logGroup={flowGroup}", Encoding.UTF8.GetBytes(flows));

        var archiver = services.Archiver;
        await archiver.WaitForBufferedAsync(7);
        var pass = await archiver.FlushAsync();
        Assert.Equal(7, pass.GetProperty("eventsArchived").GetInt64());

        var keys = await archiver.Bucket.DataKeysAsync();
        string Partition(string source, string region, DateTimeOffset hour) =>
            $"archive/{source}/account={Account}/region={region}/dt={hour:yyyy-MM-dd}/hour={hour:HH}/";
        Assert.Single(keys, k => k.StartsWith(Partition("cloudtrail", "us-east-1", firstHour), StringComparison.Ordinal));
        Assert.Single(keys, k => k.StartsWith(Partition("cloudtrail", "eu-west-1", firstHour.AddHours(1)), StringComparison.Ordinal));
        Assert.Single(keys, k => k.StartsWith(Partition("vpcflow", "unknown", firstHour), StringComparison.Ordinal));
        Assert.Equal(3, keys.Count);
        Assert.All(keys, k => Assert.Matches(@"/part-\d{12}-\d{12}\.parquet$", k));

        var rows = new List<(string Key, ParquetRow Row)>();
        foreach (var key in keys)
        {
            rows.AddRange((await archiver.Bucket.ReadRowsAsync(key)).Select(r => (key, r)));
        }
        Assert.Equal(7, rows.Count);
        foreach (var record in records)
        {
            var (key, row) = Assert.Single(rows, r => r.Row.EventId == (string)record["eventID"]!);
            Assert.True(JsonNode.DeepEquals(record, JsonNode.Parse(row.Record)), $"{row.Record} is not {record.ToJsonString()}");
            Assert.Equal(DateTimeOffset.Parse((string)record["eventTime"]!, CultureInfo.InvariantCulture).UtcDateTime, row.EventTime);
            Assert.Contains($"region={record["awsRegion"]}/", key, StringComparison.Ordinal);
        }
        var flowRows = rows.Where(r => r.Key.Contains("/vpcflow/", StringComparison.Ordinal)).Select(r => JsonNode.Parse(r.Row.Record)!).ToList();
        Assert.Equal(["10.0.0.5", "198.51.100.3"], flowRows.Select(r => (string)r["srcaddr"]!).Order());

        // Every PUT asked for encryption: the log group's KMS key for its CloudTrail files, SSE-S3 for the unkeyed flow logs and the digest.
        foreach (var key in keys)
        {
            var put = Assert.Single(archiver.Proxy.Puts(key));
            if (key.Contains("/cloudtrail/", StringComparison.Ordinal))
            {
                Assert.Equal("aws:kms", put.Headers["x-amz-server-side-encryption"]);
                Assert.Equal(ArchiveServices.KmsKeyId, put.Headers["x-amz-server-side-encryption-aws-kms-key-id"]);
            }
            else
            {
                Assert.Equal("AES256", put.Headers["x-amz-server-side-encryption"]);
                Assert.False(put.Headers.ContainsKey("x-amz-server-side-encryption-aws-kms-key-id"));
            }
        }
        var puts = archiver.Proxy.Received.Where(r => r.Method == "PUT").ToList();
        Assert.Equal(4, puts.Count); // three files and the digest
        Assert.All(puts, put => Assert.True(put.Headers.ContainsKey("x-amz-server-side-encryption"), put.Path));

        var status = JsonDocument.Parse(await archiver.Admin.GetStringAsync("/v1/archive/status")).RootElement;
        Assert.Equal(0, status.GetProperty("pendingEvents").GetInt64());
        Assert.Equal(0, status.GetProperty("lagSeconds").GetDouble());
        Assert.Contains(status.GetProperty("lastFile").GetProperty("key").GetString(), keys);
        Assert.Equal(pass.GetProperty("digestKey").GetString(), status.GetProperty("lastDigest").GetString());
    }

    [Fact]
    public async Task The_athena_ddl_declares_both_tables_over_the_hive_layout_with_partition_projection()
    {
        var ddl = await services.Archiver.Admin.GetStringAsync("/v1/archive/athena-ddl");
        var bucket = services.Archiver.Bucket.Name;
        Assert.Contains($"LOCATION 's3://{bucket}/archive/cloudtrail/'", ddl, StringComparison.Ordinal);
        Assert.Contains($"LOCATION 's3://{bucket}/archive/vpcflow/'", ddl, StringComparison.Ordinal);
        Assert.Contains(
            $"'storage.location.template' = 's3://{bucket}/archive/cloudtrail/account=${{account}}/region=${{region}}/dt=${{dt}}/hour=${{hour}}/'",
            ddl, StringComparison.Ordinal);
        Assert.Equal(2, ddl.Split("'projection.enabled' = 'true'").Length - 1);
        Assert.Contains("PARTITIONED BY (account string, region string, dt string, hour string)", ddl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validating_without_a_range_is_refused_naming_the_fields()
    {
        using var response = await services.Archiver.Admin.PostAsJsonAsync("/v1/archive/validate", new { from = DateTimeOffset.UtcNow });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty("to", out _), problem.ToString());
    }

    [Fact]
    public async Task Flushing_takes_an_admin_key()
    {
        using var reader = services.Archiver.Host.CreateClient(apiKey: null);
        using var response = await reader.PostAsync("/v1/archive/flush", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

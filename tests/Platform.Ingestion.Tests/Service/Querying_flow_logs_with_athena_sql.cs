using System.Globalization;

namespace Platform.Ingestion.Tests.Service;

/// <summary>
/// The seed's three Athena queries, as written, over flow logs ingested in the default format (AWS's sample file and
/// lines the test writes) and in the seed's custom format with version 4 and 5 fields: each answer checked against the
/// same flows computed here, with LINQ.
/// </summary>
[Collection(SqlQueryServiceCollection.Name)]
public sealed class Querying_flow_logs_with_athena_sql(IngestionService service) : IAsyncLifetime
{
    /// <summary>The seed's create_flow_logs custom format, with the version 4 and 5 fields after it.</summary>
    private const string CustomFormat =
        "${version} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${account-id} ${type} ${srcaddr} ${dstaddr} ${srcport} ${dstport} " +
        "${pkt-srcaddr} ${pkt-dstaddr} ${protocol} ${bytes} ${packets} ${start} ${end} ${action} ${tcp-flags} ${log-status} " +
        "${region} ${az-id} ${sublocation-type} ${sublocation-id} ${pkt-src-aws-service} ${pkt-dst-aws-service} ${flow-direction} ${traffic-path}";

    private sealed record Flow(string Src, string Dst, long SrcPort, long DstPort, long Bytes, long Start, string Action)
    {
        public string Dt => DateTimeOffset.FromUnixTimeSeconds(Start).UtcDateTime.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);

        public string DefaultLine => $"2 123456789012 eni-0a1b2c3d {Src} {Dst} {SrcPort} {DstPort} 6 3 {Bytes} {Start} {Start + 60} {Action} OK";

        public string CustomLine =>
            $"5 vpc-0abc subnet-0def i-0123 eni-0a1b2c3d 123456789012 IPv4 {Src} {Dst} {SrcPort} {DstPort} {Src} {Dst} 6 {Bytes} 3 {Start} {Start + 60} {Action} 2 OK " +
            "us-east-1 use1-az1 - - - AMAZON egress 1";
    }

    private static long At(int month, int day, int second = 0) => new DateTimeOffset(2025, month, day, 12, 0, second, TimeSpan.Zero).ToUnixTimeSeconds();

    private static readonly List<Flow> DefaultFormat =
    [
        // A scanner: 150 distinct ports rejected.
        .. Enumerable.Range(1, 150).Select(port => new Flow("203.0.113.7", "10.0.0.5", 40000, port, 40, At(3, 1, port % 60), "REJECT")),
        // A prober: 20 ports, each rejected three times.
        .. Enumerable.Range(20, 20).SelectMany(port => Enumerable.Range(0, 3).Select(k => new Flow("198.51.100.9", "10.0.0.5", 50000 + k, port, 40, At(3, 2, k), "REJECT"))),
        // Rejected before the partition the top-rejected query reads.
        .. Enumerable.Range(0, 5).Select(k => new Flow("192.0.2.1", "10.0.0.7", 33000 + k, 22, 60, new DateTimeOffset(2024, 12, 31, 8, 0, k, TimeSpan.Zero).ToUnixTimeSeconds(), "REJECT")),
        // Outbound traffic, internal traffic, and traffic from outside.
        .. Enumerable.Range(0, 4).Select(k => new Flow("10.0.1.10", "52.94.0.1", 44000 + k, 443, 5000, At(3, 3, k), "ACCEPT")),
        new Flow("10.0.1.11", "52.94.0.2", 44100, 443, 100000, At(3, 3), "ACCEPT"),
        new Flow("10.0.1.12", "10.0.2.2", 44200, 5432, 900000, At(3, 3), "ACCEPT"),
        new Flow("172.16.0.1", "8.8.8.8", 44300, 53, 300, At(3, 3), "ACCEPT"),
    ];

    private static readonly List<Flow> CustomFormatFlows =
    [
        // A second scanner, logged in the custom format: 120 ports.
        .. Enumerable.Range(1000, 120).Select(port => new Flow("198.51.100.23", "10.0.0.6", 41000, port, 44, At(4, 2, port % 60), "REJECT")),
        .. Enumerable.Range(0, 2).Select(k => new Flow("10.0.3.3", "54.239.28.85", 45000 + k, 443, 7777, At(4, 3, k), "ACCEPT")),
        .. Enumerable.Range(0, 4).Select(k => new Flow("198.51.100.9", "10.0.0.5", 51000 + k, 20, 40, At(4, 4, k), "REJECT")),
    ];

    private static List<Flow> SampleFile()
    {
        using var reader = new StreamReader(new GZipStream(new MemoryStream(Samples.Read("vpc-flow-logs", "vpcflowlog.log.gz")), CompressionMode.Decompress));
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(' ')).Select(f => new Flow(
            f[3], f[4], long.Parse(f[5], CultureInfo.InvariantCulture), long.Parse(f[6], CultureInfo.InvariantCulture),
            long.Parse(f[9], CultureInfo.InvariantCulture), long.Parse(f[10], CultureInfo.InvariantCulture), f[12])).ToList();
    }

    private readonly List<Flow> _all = [.. DefaultFormat, .. CustomFormatFlows, .. SampleFile()];

    public async Task InitializeAsync()
    {
        // The collection's database is these tests' own; ingest once (an xunit class fixture would do it per class too).
        if ((await SqlQueryClient.RowsAsync(service, "SELECT COUNT(*) FROM vpc_flow_logs"))[0][0] != "0")
        {
            return;
        }
        await service.IngestAsync("/v1/ingest/vpc-flow-logs?logGroup=flows-sample", Samples.Read("vpc-flow-logs", "vpcflowlog.log.gz"));
        await service.IngestAsync("/v1/ingest/vpc-flow-logs?logGroup=flows-default", Encoding.UTF8.GetBytes(string.Join('\n', DefaultFormat.Select(f => f.DefaultLine))));
        var counts = await service.IngestAsync($"/v1/ingest/vpc-flow-logs?logGroup=flows-custom&format={Uri.EscapeDataString(CustomFormat)}",
            Encoding.UTF8.GetBytes(string.Join('\n', CustomFormatFlows.Select(f => f.CustomLine))));
        Assert.Equal(CustomFormatFlows.Count, counts.Accepted);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Line(string?[] row) => string.Join(' ', row.Select(v => v ?? "NULL"));

    [Fact]
    public async Task Top_rejected_connections_counts_each_connection_rejected_in_the_partitions_asked_for()
    {
        var rows = await SqlQueryClient.RowsAsync(service, SeedQueries.TopRejected);

        var expected = _all.Where(f => f.Action == "REJECT" && string.CompareOrdinal(f.Dt, "2025/01/01") >= 0)
            .GroupBy(f => (f.Src, f.Dst, f.DstPort, f.Action))
            .Select(g => (Key: new[] { g.Key.Src, g.Key.Dst, g.Key.DstPort.ToString(CultureInfo.InvariantCulture), g.Key.Action }, Value: (decimal)g.Count()))
            .ToList();
        RankedResults.AssertTop(rows, expected, limit: 20);
        // The prober's port 20 was rejected seven times (three in the default format, four in the custom one).
        Assert.Equal("198.51.100.9 10.0.0.5 20 REJECT 7", Line(rows[0]));
        Assert.DoesNotContain(rows, r => r[0] == "192.0.2.1");
    }

    [Fact]
    public async Task Port_scanners_are_the_sources_with_more_than_100_distinct_rejected_ports()
    {
        var rows = await SqlQueryClient.RowsAsync(service, SeedQueries.PortScanners);

        var expected = _all.Where(f => f.Action == "REJECT").GroupBy(f => f.Src)
            .Select(g => (Src: g.Key, Ports: g.Select(f => f.DstPort).Distinct().Count()))
            .Where(s => s.Ports > 100).OrderByDescending(s => s.Ports)
            .Select(s => $"{s.Src} {s.Ports}").ToList();
        Assert.Equal(expected, rows.Select(Line));
        Assert.Equal(["203.0.113.7 150", "198.51.100.23 120"], rows.Select(Line));
    }

    [Fact]
    public async Task Unusual_outbound_traffic_sums_the_bytes_from_internal_addresses_to_external_ones()
    {
        var rows = await SqlQueryClient.RowsAsync(service, SeedQueries.Outbound);

        var expected = _all.Where(f => f.Action == "ACCEPT" && f.Src.StartsWith("10.", StringComparison.Ordinal) && !f.Dst.StartsWith("10.", StringComparison.Ordinal))
            .GroupBy(f => f.Dst)
            .Select(g => (Key: new[] { g.Key }, Value: (decimal)g.Sum(f => f.Bytes)))
            .ToList();
        RankedResults.AssertTop(rows, expected, limit: 20);
        Assert.Contains("3.239.232.29 21869", rows.Select(Line));
        Assert.Contains("54.239.28.85 15554", rows.Select(Line));
    }

    [Fact]
    public async Task The_version_3_to_5_fields_of_the_custom_format_are_columns()
    {
        var rows = await SqlQueryClient.RowsAsync(service, """
            SELECT vpc_id, subnet_id, instance_id, type, pkt_srcaddr, tcp_flags, region, az_id, pkt_dst_aws_service, flow_direction, traffic_path, COUNT(*)
            FROM vpc_flow_logs WHERE flow_direction = 'egress' AND sublocation_type IS NULL
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 ORDER BY pkt_srcaddr
            """);

        Assert.Equal(
            CustomFormatFlows.GroupBy(f => f.Src).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"vpc-0abc subnet-0def i-0123 IPv4 {g.Key} 2 us-east-1 use1-az1 AMAZON egress 1 {g.Count()}"),
            rows.Select(Line));
    }

    [Fact]
    public async Task Star_and_the_default_formats_columns_read_a_flow_as_athena_does()
    {
        var rows = await SqlQueryClient.RowsAsync(service, "SELECT * FROM vpc_flow_logs WHERE srcaddr = '10.26.0.9'");

        var row = Assert.Single(rows);
        Assert.Equal("2 123456789012 eni-01971454a0f14024a 10.26.0.9 10.26.4.139 5007 57879 6 2 112 1669842715 1669842716 ACCEPT OK", Line(row[..14]));
        Assert.Equal("2022/11/30", row[^1]);
    }
}

/// <summary>Compares an ORDER BY ... DESC LIMIT n answer with the full ranking computed in the test, ties at the cut included.</summary>
internal static class RankedResults
{
    public static void AssertTop(IReadOnlyList<string?[]> rows, IReadOnlyList<(string[] Key, decimal Value)> expected, int limit)
    {
        var ranked = expected.OrderByDescending(e => e.Value).ToList();
        Assert.Equal(Math.Min(limit, ranked.Count), rows.Count);
        var byKey = ranked.ToDictionary(e => string.Join('|', e.Key), e => e.Value);
        var values = rows.Select(r => decimal.Parse(r[^1]!, CultureInfo.InvariantCulture)).ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            var key = string.Join('|', rows[i][..^1]);
            Assert.True(byKey.TryGetValue(key, out var value), $"unexpected row {key}");
            Assert.Equal(value, values[i]);
            Assert.True(i == 0 || values[i - 1] >= values[i], "not in descending order");
        }
        Assert.Equal(rows.Count, rows.Select(r => string.Join('|', r[..^1])).Distinct().Count());
        if (rows.Count > 0)
        {
            // Every row ranked strictly above the last one returned is there; among equals at the cut any may be.
            var cut = values[^1];
            var returned = rows.Select(r => string.Join('|', r[..^1])).ToHashSet();
            Assert.All(ranked.Where(e => e.Value > cut), e => Assert.Contains(string.Join('|', e.Key), returned));
        }
    }
}

namespace Platform.Ingestion.Tests.Service;

[Collection(IngestionServiceCollection.Name)]
public sealed class Posting_vpc_flow_logs(IngestionService service)
{
    [Fact]
    public async Task Stores_each_record_of_a_gzipped_file_with_a_header_by_aws_field_names()
    {
        var group = "flow-" + Guid.NewGuid().ToString("N");

        var counts = await service.IngestAsync($"/v1/ingest/vpc-flow-logs?logGroup={group}", Samples.Read("vpc-flow-logs", "vpcflowlog.log.gz"));

        Assert.Equal(new IngestCounts(3, 0, 0, 0), counts);
        var items = (await service.GetJsonAsync($"/v1/events?logGroup={group}")).GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(3, items.Length);
        var outbound = Assert.Single(items, e => e.GetProperty("sourceIp").GetString() == "10.26.1.153");
        Assert.Equal("vpcflow", outbound.GetProperty("sourceType").GetString());
        Assert.Equal("123456789012", outbound.GetProperty("account").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1669842701), outbound.GetProperty("eventTime").GetDateTimeOffset());
        var document = outbound.GetProperty("document");
        Assert.Equal("123456789012", document.GetProperty("account-id").GetString());
        Assert.Equal("3.239.232.29", document.GetProperty("dstaddr").GetString());
        Assert.Equal(443, document.GetProperty("dstport").GetInt32());
        Assert.Equal(21869, document.GetProperty("bytes").GetInt64());
        Assert.Equal("ACCEPT", document.GetProperty("action").GetString());
        Assert.Equal("OK", document.GetProperty("log-status").GetString());
    }

    [Fact]
    public async Task Reads_a_headerless_file_in_the_custom_format_given_and_leaves_dashes_out()
    {
        var group = "flow-" + Guid.NewGuid().ToString("N");
        var format = Uri.EscapeDataString("${version} ${vpc-id} ${srcaddr} ${dstport} ${action} ${flow-direction} ${pkt-src-aws-service}");
        var file = "5 vpc-0abc 10.1.2.3 22 REJECT ingress -\n5 vpc-0abc 10.1.2.4 23 ACCEPT egress S3\n";

        var counts = await service.IngestAsync($"/v1/ingest/vpc-flow-logs?logGroup={group}&format={format}", Encoding.UTF8.GetBytes(file));

        Assert.Equal(2, counts.Accepted);
        var items = (await service.GetJsonAsync($"/v1/events?logGroup={group}")).GetProperty("items").EnumerateArray().ToArray();
        var ingress = Assert.Single(items, e => e.GetProperty("sourceIp").GetString() == "10.1.2.3").GetProperty("document");
        Assert.Equal("vpc-0abc", ingress.GetProperty("vpc-id").GetString());
        Assert.Equal(22, ingress.GetProperty("dstport").GetInt32());
        Assert.False(ingress.TryGetProperty("pkt-src-aws-service", out _));
        Assert.Equal(JsonValueKind.Number, ingress.GetProperty("version").ValueKind);
    }

    [Fact]
    public async Task Refuses_a_format_that_is_not_made_of_field_tokens()
    {
        using var response = await service.PostAsync("/v1/ingest/vpc-flow-logs?format=version%20srcaddr", Encoding.UTF8.GetBytes("2 x"));

        await IngestionService.AssertProblemNamesAsync(response, "format");
    }

    [Fact]
    public async Task Quarantines_lines_that_do_not_fit_the_format_and_keeps_the_rest()
    {
        var group = "flow-" + Guid.NewGuid().ToString("N");
        var file = "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1700000000 1700000001 ACCEPT OK\nnot a flow record\n";

        var counts = await service.IngestAsync($"/v1/ingest/vpc-flow-logs?logGroup={group}", Encoding.UTF8.GetBytes(file));

        Assert.Equal(new IngestCounts(1, 0, 1, 0), counts);
    }
}

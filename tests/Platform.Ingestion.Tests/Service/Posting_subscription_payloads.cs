namespace Platform.Ingestion.Tests.Service;

[Collection(IngestionServiceCollection.Name)]
public sealed class Posting_subscription_payloads(IngestionService service)
{
    private Task<IngestCounts> IngestSampleAsync(string file) =>
        service.IngestAsync("/v1/ingest/cloudwatch-logs", Samples.Read("subscription-payloads", file));

    [Fact]
    public async Task Stores_each_cloudtrail_record_of_a_data_message_once_with_its_envelope()
    {
        var counts = await IngestSampleAsync("cloudwatch_log_cloudtrail.json");

        // Four log events, two of which carry the same CloudTrail eventID.
        Assert.Equal(new IngestCounts(3, 1, 0, 0), counts);
        var assumed = await service.GetJsonAsync("/v1/events/14b20909-b46b-4f74-b725-d987888edbc7");
        assumed.AssertStrings(
            ("sourceType", "cloudtrail"),
            ("eventName", "DescribeLogStreams"),
            ("eventSource", "logs.amazonaws.com"),
            ("principal", "arn:aws:sts::123456789123:assumed-role/DatadogAWSIntegrationRole/DatadogAWSIntegration"),
            ("sourceIp", "54.161.67.200"),
            ("account", "123456789123"),
            ("region", "us-east-1"),
            ("logGroup", "aws-cloudtrail-logs-123456789123-c81b5193"),
            ("logStream", "123456789123_CloudTrail_us-east-1"));
        Assert.Equal(["testFilter"], assumed.GetProperty("subscriptionFilters").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(DateTimeOffset.Parse("2020-09-17T16:44:11Z"), assumed.GetProperty("eventTime").GetDateTimeOffset());
        Assert.Equal("20140328", assumed.GetProperty("document").GetProperty("apiVersion").GetString());
        var record = JsonNode.Parse(assumed.GetProperty("record").GetString()!)!;
        Assert.Equal("149d9263-2a7a-4e79-b97e-07642b95b0ee", record["requestID"]!.GetValue<string>());

        var root = await service.GetJsonAsync("/v1/events/303c31dd-aeee-4d5d-9311-61a1aa802c6f");
        Assert.Equal("arn:aws:iam::123456789123:root", root.GetProperty("principal").GetString());
        Assert.Equal("Root", root.GetProperty("document").GetProperty("userIdentity").GetProperty("type").GetString());
        await service.WaitForPublishedAsync(["14b20909-b46b-4f74-b725-d987888edbc7", "303c31dd-aeee-4d5d-9311-61a1aa802c6f", "6b574dee-bdc5-4abe-b6ec-10888ac258a2"]);
    }

    [Fact]
    public async Task Reads_awslogs_envelopes_in_gzip_and_zlib_and_keeps_the_policy_level()
    {
        // The three samples carry the same two log events (ids eventId1 and eventId2).
        var zlib = await IngestSampleAsync("cloudWatchLogEventWithPolicyLevel.json");
        var gzip = await IngestSampleAsync("cloudWatchLogEvent.json");
        var canonical = await IngestSampleAsync("cloudwatch-logs-event.json");

        Assert.Equal(new IngestCounts(2, 0, 0, 0), zlib);
        Assert.Equal(new IngestCounts(0, 2, 0, 0), gzip);
        Assert.Equal(new IngestCounts(0, 2, 0, 0), canonical);
        var first = await service.GetJsonAsync("/v1/events/eventId1");
        Assert.Equal("text", first.GetProperty("sourceType").GetString());
        Assert.Equal("[ERROR] First test message", first.GetProperty("document").GetProperty("message").GetString());
        first.AssertStrings(
            ("record", "[ERROR] First test message"),
            ("logGroup", "testLogGroup"),
            ("logStream", "testLogStream"),
            ("account", "123456789123"),
            ("policyLevel", "ACCOUNT_LEVEL_POLICY"));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1440442987000), first.GetProperty("eventTime").GetDateTimeOffset());
    }

    [Fact]
    public async Task Reads_the_kinesis_records_of_a_lambda_event()
    {
        var counts = await IngestSampleAsync("kinesisStreamCloudWatchLogsEvent.json");

        Assert.Equal(new IngestCounts(6, 0, 0, 0), counts);
        var start = await service.GetJsonAsync("/v1/events/37199717562907174288355125807040114704837640994633613312");
        Assert.Equal("/aws/lambda/pt-1488-DummyLogDataFunction-gnWXPvL6jJyG", start.GetProperty("logGroup").GetString());
        Assert.Equal("231436140809", start.GetProperty("account").GetString());
        Assert.Equal("START RequestId: 06e46194-f277-454e-88d3-1dd7e3860eaa Version: $LATEST\n", start.GetProperty("document").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Counts_a_control_message_and_stores_nothing()
    {
        var sample = JsonNode.Parse(Samples.Read("subscription-payloads", "cloudwatch_control_message.json"))!;
        var control = System.Text.Encoding.UTF8.GetBytes(sample[0]!["override_record"]!.ToJsonString());

        var counts = await service.IngestAsync("/v1/ingest/cloudwatch-logs", SubscriptionMessages.Gzip(control));

        Assert.Equal(new IngestCounts(0, 0, 0, 1), counts);
        using var response = await service.Admin.GetAsync("/v1/events/100");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Classifies_application_json_and_flow_log_messages()
    {
        var group = "app-" + Guid.NewGuid().ToString("N");
        var message = new JsonObject
        {
            ["messageType"] = "DATA_MESSAGE",
            ["owner"] = "111122223333",
            ["logGroup"] = group,
            ["logStream"] = "s",
            ["subscriptionFilters"] = new JsonArray(),
            ["logEvents"] = new JsonArray(
                new JsonObject { ["id"] = group + "-1", ["timestamp"] = 1_700_000_000_000, ["message"] = """{"eventType":"LOGIN","status":"FAILED","sourceIP":"203.0.113.9","user":"alice"}""" },
                new JsonObject { ["id"] = group + "-2", ["timestamp"] = 1_700_000_000_000, ["message"] = "2 123456789012 eni-0a1b 10.0.0.5 198.51.100.7 443 51000 6 10 840 1700000000 1700000060 REJECT OK" }),
        };

        var counts = await service.IngestAsync("/v1/ingest/cloudwatch-logs", System.Text.Encoding.UTF8.GetBytes(message.ToJsonString()));

        Assert.Equal(2, counts.Accepted);
        var login = await service.GetJsonAsync($"/v1/events/{group}-1");
        login.AssertStrings(
            ("sourceType", "application"),
            ("eventName", "LOGIN"),
            ("principal", "alice"),
            ("sourceIp", "203.0.113.9"));
        var flow = await service.GetJsonAsync($"/v1/events/{group}-2");
        Assert.Equal("vpcflow", flow.GetProperty("sourceType").GetString());
        Assert.Equal(51000, flow.GetProperty("document").GetProperty("dstport").GetInt32());
        Assert.Equal("REJECT", flow.GetProperty("document").GetProperty("action").GetString());
        Assert.Equal(JsonValueKind.Number, flow.GetProperty("document").GetProperty("bytes").ValueKind);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), flow.GetProperty("eventTime").GetDateTimeOffset());
    }
}

namespace Platform.Ingestion.Tests.Parsing;

public sealed class Normalising_log_messages
{
    private static readonly DateTimeOffset Timestamp = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private static NormalizedLogEvent Normalize(string message, FlowLogFormat? format = null) =>
        LogEventNormalizer.Normalize(Encoding.UTF8.GetBytes(message),
            new LogEventContext("lg", "ls", "999988887777", "cw-id", Timestamp, format, "lg", 0)).Event;

    private static string CloudTrail(string userIdentity, string extra = "") =>
        $$"""{"eventVersion":"1.08","userIdentity":{{userIdentity}},"eventTime":"2024-08-01T13:33:28Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"eu-west-1","sourceIPAddress":"198.51.100.1","eventID":"ct-id","recipientAccountId":"111111111111"{{extra}}}""";

    [Theory]
    [InlineData("""{"type":"IAMUser","arn":"arn:aws:iam::1:user/bob","userName":"bob"}""", "arn:aws:iam::1:user/bob")]
    [InlineData("""{"type":"Root","principalId":"1","accountId":"1"}""", "root")]
    [InlineData("""{"type":"Root","arn":"arn:aws:iam::1:root"}""", "arn:aws:iam::1:root")]
    [InlineData("""{"type":"AWSService","invokedBy":"ec2.amazonaws.com"}""", "ec2.amazonaws.com")]
    [InlineData("""{"type":"AWSAccount","principalId":"","accountId":"ANONYMOUS_PRINCIPAL"}""", "AWSAccount")]
    [InlineData("""{"type":"IAMUser","principalId":"","userName":"HIDDEN_DUE_TO_SECURITY_REASONS"}""", "HIDDEN_DUE_TO_SECURITY_REASONS")]
    [InlineData("""{"type":"AssumedRole","arn":""}""", "AssumedRole")]
    public void Names_the_cloudtrail_principal(string userIdentity, string principal)
    {
        Assert.Equal(principal, Normalize(CloudTrail(userIdentity)).Principal);
    }

    [Fact]
    public void Lifts_the_cloudtrail_envelope()
    {
        var e = Normalize(CloudTrail("""{"type":"IAMUser","arn":"a","accountId":"222222222222"}""", ""","errorCode":"AccessDenied" """));

        Assert.Equal(
            (LogSourceTypes.CloudTrail, "ct-id", "CreateUser", "iam.amazonaws.com", "eu-west-1", "198.51.100.1", "AccessDenied"),
            (e.SourceType, e.EventId, e.EventName, e.EventSource, e.Region, e.SourceIp, e.ErrorCode));
        Assert.Equal(
            ("111111111111", new DateTimeOffset(2024, 8, 1, 13, 33, 28, TimeSpan.Zero), "lg"),
            (e.Account, e.EventTime, e.LogGroup));
        Assert.Equal(JsonValueKind.Object, e.Document.Root.GetProperty("userIdentity").ValueKind);
    }

    [Fact]
    public void Takes_the_account_from_the_identity_without_a_recipient_account()
    {
        var e = Normalize("""{"eventVersion":"1.0","eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"accountId":"333333333333"}}""");

        Assert.Equal("333333333333", e.Account);
        // No eventID: the CloudWatch Logs id; no eventTime: the log timestamp.
        Assert.Equal("cw-id", e.EventId);
        Assert.Equal(Timestamp, e.EventTime);
    }

    [Theory]
    [InlineData("075.050.255.67")]
    [InlineData("AWS Internal")]
    [InlineData("2001:db8::1")]
    public void Keeps_the_source_ip_as_written(string ip)
    {
        Assert.Equal(ip, Normalize(CloudTrail("{}", "").Replace("198.51.100.1", ip)).SourceIp);
    }

    [Theory]
    [InlineData("""{"eventType":"LOGIN","status":"FAILED","sourceIP":"10.0.0.1","user":"alice"}""", "LOGIN", "10.0.0.1", "alice")]
    [InlineData("""{"eventType":"LOGOUT","sourceIp":"10.0.0.2","username":"bob"}""", "LOGOUT", "10.0.0.2", "bob")]
    [InlineData("""{"source_ip":"10.0.0.3","userName":"carol"}""", null, "10.0.0.3", "carol")]
    [InlineData("""{"ip":"10.0.0.4","principal":"dave"}""", null, "10.0.0.4", "dave")]
    [InlineData("""{"msg":"nothing to lift","user":{"nested":true}}""", null, null, null)]
    public void Lifts_application_fields_heuristically(string json, string? eventName, string? sourceIp, string? principal)
    {
        var e = Normalize(json);

        Assert.Equal(LogSourceTypes.Application, e.SourceType);
        Assert.Equal(eventName, e.EventName);
        Assert.Equal(sourceIp, e.SourceIp);
        Assert.Equal(principal, e.Principal);
        Assert.Equal("999988887777", e.Account);
    }

    [Theory]
    [InlineData("""{"timestamp":"2023-01-02T03:04:05Z"}""", "2023-01-02T03:04:05Z")]
    [InlineData("""{"time":1700000000}""", "2023-11-14T22:13:20Z")]
    [InlineData("""{"@timestamp":1700000000123}""", "2023-11-14T22:13:20.123Z")]
    [InlineData("""{"timestamp":"not a time"}""", "2024-05-06T07:08:09Z")]
    public void Reads_application_event_times(string json, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected), Normalize(json).EventTime);
    }

    [Theory]
    [InlineData("plain text line")]
    [InlineData("{ not json")]
    [InlineData("[1,2,3]")]
    [InlineData("")]
    [InlineData("{\"a\":1} {\"b\":2}")]
    [InlineData("{\"a\":1} trailing")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":\"\\x\"}")]
    public void Keeps_anything_else_as_text(string message)
    {
        var e = Normalize(message);

        Assert.Equal(LogSourceTypes.Text, e.SourceType);
        Assert.Equal(message, e.Document.Root.GetProperty("message").GetString());
        Assert.Equal("cw-id", e.EventId);
    }

    [Fact]
    public void Lifts_fields_whose_names_or_values_are_escaped()
    {
        var e = Normalize(CloudTrail("""{"type":"IAMUser","\u0061rn":"arn:aws:iam::1:user/b\u00f6b"}""").Replace("\"eventName\"", "\"event\\u004eame\""));

        Assert.Equal(LogSourceTypes.CloudTrail, e.SourceType);
        Assert.Equal("CreateUser", e.EventName);
        Assert.Equal("arn:aws:iam::1:user/böb", e.Principal);
    }

    [Fact]
    public void Hands_the_record_on_as_it_was_written_and_reads_it_back_as_json()
    {
        var record = CloudTrail("""{"type":"Root"}""", ""","requestParameters":{"bucketName":"b","list":[1,2.50,"x"]}""");
        var e = Normalize("  " + record + "\n");

        var wire = JsonSerializer.Serialize(e);
        var read = JsonSerializer.Deserialize<NormalizedLogEvent>(wire)!;

        // The message's own bytes (surrounding whitespace aside), not a re-serialised tree.
        Assert.Contains("\"Document\":" + record + "}", wire);
        Assert.Equal("b", read.Document.Root.GetProperty("requestParameters").GetProperty("bucketName").GetString());
        Assert.Equal(record, read.Document.GetRawText());
        Assert.Equal(e.Document.Root.GetRawText(), read.Document.Root.GetRawText());
    }

    [Fact]
    public void Keeps_deeply_nested_json_as_text()
    {
        var nested = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);

        Assert.Equal(LogSourceTypes.Text, Normalize(nested).SourceType);
    }

    [Fact]
    public void Recognises_a_default_format_flow_record()
    {
        var e = Normalize("2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK");

        Assert.Equal(LogSourceTypes.VpcFlow, e.SourceType);
        Assert.Equal("123456789010", e.Account);
        Assert.Equal("172.31.16.139", e.SourceIp);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1418530010), e.EventTime);
        Assert.Equal(22, e.Document.Root.GetProperty("dstport").GetInt32());
        Assert.Equal(4249, e.Document.Root.GetProperty("bytes").GetInt64());
        Assert.Equal("eni-1235b8ca123456789", e.Document.Root.GetProperty("interface-id").GetString());
        Assert.Equal("OK", e.Document.Root.GetProperty("log-status").GetString());
    }

    [Fact]
    public void Leaves_the_dashes_of_a_nodata_record_out()
    {
        var e = Normalize("2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA");

        Assert.Equal(LogSourceTypes.VpcFlow, e.SourceType);
        Assert.Null(e.SourceIp);
        Assert.False(e.Document.Root.TryGetProperty("srcaddr", out _));
        Assert.False(e.Document.Root.TryGetProperty("action", out _));
        Assert.Equal("NODATA", e.Document.Root.GetProperty("log-status").GetString());
    }
}

namespace Platform.Ingestion.Tests.Parsing;

public sealed class Reading_flow_log_formats
{
    private static readonly LogEventContext Context = new(null, null, null, null, DateTimeOffset.UnixEpoch, null, "scope", 1);

    [Fact]
    public void Parses_a_custom_template()
    {
        Assert.Null(FlowLogFormat.TryParseTemplate("${version} ${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr}", out var format));

        Assert.Equal(["version", "vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr"], format.Fields);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("version srcaddr", "'version'")]
    [InlineData("${version} ${Src Addr}", "'${Src'")]
    [InlineData("${version} ${}", "'${}'")]
    [InlineData("${version} $(srcaddr)", "'$(srcaddr)'")]
    public void Refuses_a_template_that_is_not_field_tokens(string template, string reason)
    {
        Assert.Contains(reason, FlowLogFormat.TryParseTemplate(template, out _));
    }

    [Theory]
    [InlineData("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status", true)]
    [InlineData("version vpc-id region az-id sublocation-type sublocation-id flow-direction traffic-path reject-reason", true)]
    [InlineData("2 123456789012 eni-1 10.0.0.1", false)]
    [InlineData("hello world", false)]
    [InlineData("", false)]
    public void Recognises_a_header_line(string line, bool isHeader)
    {
        Assert.Equal(isHeader, FlowLogFormat.TryParseHeader(line, out _));
    }

    [Fact]
    public void Reads_version_5_and_8_fields_with_numbers_as_numbers()
    {
        FlowLogFormat.TryParseTemplate(
            "${version} ${srcaddr} ${region} ${az-id} ${tcp-flags} ${pkt-src-aws-service} ${flow-direction} ${traffic-path} ${reject-reason} ${ecs-cluster-name}",
            out var format);

        var error = FlowLogParser.TryParse(Encoding.UTF8.GetBytes("8 10.0.0.9 us-east-1 use1-az1 19 AMAZON ingress 1 BPA cluster-a"), format, Context, out var parsed);

        Assert.Null(error);
        var document = parsed!.Event.Document.Root;
        Assert.Equal(JsonValueKind.Number, document.GetProperty("version").ValueKind);
        Assert.Equal(19, document.GetProperty("tcp-flags").GetInt32());
        Assert.Equal(1, document.GetProperty("traffic-path").GetInt32());
        Assert.Equal("BPA", document.GetProperty("reject-reason").GetString());
        Assert.Equal("cluster-a", document.GetProperty("ecs-cluster-name").GetString());
        Assert.Equal("us-east-1", parsed.Event.Region);
        Assert.Equal("10.0.0.9", parsed.Event.SourceIp);
        Assert.StartsWith(EventIds.ContentHashPrefix, parsed.Event.EventId);
    }

    [Fact]
    public void Keeps_a_non_numeric_value_of_a_numeric_field_as_text()
    {
        FlowLogFormat.TryParseTemplate("${srcport} ${bytes}", out var format);

        FlowLogParser.TryParse(Encoding.UTF8.GetBytes("http 12x"), format, Context, out var parsed);

        Assert.Equal("http", parsed!.Event.Document.Root.GetProperty("srcport").GetString());
        Assert.Equal("12x", parsed.Event.Document.Root.GetProperty("bytes").GetString());
    }

    [Theory]
    [InlineData("1 2 3")]
    [InlineData("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15")]
    public void Refuses_a_record_with_the_wrong_number_of_fields(string line)
    {
        Assert.Contains("fields", FlowLogParser.TryParse(Encoding.UTF8.GetBytes(line), FlowLogFormat.Default, Context, out _));
    }

    [Fact]
    public void Reads_a_file_with_its_header_and_crlf_line_ends()
    {
        var file = "version srcaddr dstport\r\n5 10.0.0.1 443\r\n\r\n5 10.0.0.2 80\r\n";
        var batch = new ParsedBatch();

        Assert.Null(FlowLogFileParser.Parse(Encoding.UTF8.GetBytes(file), "http:test", "g", null, DateTimeOffset.UnixEpoch, 1 << 20, batch));

        Assert.Equal([443, 80], batch.Events.Select(e => e.Event.Document.Root.GetProperty("dstport").GetInt32()));
        Assert.Empty(batch.Rejected);
        // Ids depend on the line: the same record on another line is another event.
        Assert.NotEqual(batch.Events[0].Event.EventId, batch.Events[1].Event.EventId);
    }
}

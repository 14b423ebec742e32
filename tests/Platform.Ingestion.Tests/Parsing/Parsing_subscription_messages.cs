namespace Platform.Ingestion.Tests.Parsing;

public sealed class Parsing_subscription_messages
{
    private static readonly DateTimeOffset ReceivedAt = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static ParsedBatch Parse(string json, FlowLogFormat? format = null, string? defaultLogGroup = null)
    {
        var batch = new ParsedBatch();
        SubscriptionPayloadParser.Parse(Encoding.UTF8.GetBytes(json), "test:origin", defaultLogGroup, format, ReceivedAt, 1 << 20, batch);
        return batch;
    }

    private static string Message(string logEvents, string extra = "") =>
        $$"""{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"lg","logStream":"ls","subscriptionFilters":["f1","f2"]{{extra}},"logEvents":[{{logEvents}}]}""";

    [Fact]
    public void Splits_a_data_message_into_its_events_keeping_the_envelope()
    {
        var batch = Parse(Message("""{"id":"1","timestamp":1700000000000,"message":"one"},{"id":"2","timestamp":1700000000001,"message":"two"}""", ""","policyLevel":"ACCOUNT_LEVEL_POLICY" """));

        Assert.Equal(2, batch.Events.Count);
        var first = batch.Events[0];
        Assert.Equal("1", first.Event.EventId);
        Assert.Equal("lg", first.Event.LogGroup);
        Assert.Equal("ls", first.Event.LogStream);
        Assert.Equal("123456789012", first.Event.Account);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), first.Event.EventTime);
        Assert.Equal(["f1", "f2"], first.Subscription!.SubscriptionFilters);
        Assert.Equal("ACCOUNT_LEVEL_POLICY", first.Subscription.PolicyLevel);
        Assert.Equal("one", Encoding.UTF8.GetString(first.Record.Span));
    }

    [Fact]
    public void Reads_the_envelope_in_any_property_order()
    {
        var batch = Parse("""{"logEvents":[{"message":"x","timestamp":5,"id":"9"}],"logGroup":"late","messageType":"DATA_MESSAGE"}""");

        Assert.Equal("late", Assert.Single(batch.Events).Event.LogGroup);
    }

    [Fact]
    public void Counts_a_control_message_without_events()
    {
        var batch = Parse("""{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logEvents":[{"id":"100","timestamp":1512601480749,"message":"CWL CONTROL MESSAGE"}]}""");

        Assert.Equal(1, batch.ControlMessages);
        Assert.Empty(batch.Events);
        Assert.Empty(batch.Rejected);
    }

    [Theory]
    [InlineData("""{"messageType":"SOMETHING_ELSE","logEvents":[]}""", "SOMETHING_ELSE")]
    [InlineData("""{"logEvents":[]}""", "no messageType")]
    [InlineData("""{"messageType":"DATA_MESSAGE"}""", "no logEvents")]
    [InlineData("""{"messageType":"DATA_MESSAGE","logEvents":{}}""", "logEvents")]
    [InlineData("""[1,2,3]""", "not a JSON object")]
    [InlineData("""{"messageType":"DATA_MESSAGE","logEvents":[]} trailing""", "invalid JSON")]
    [InlineData("""{"messageType":"DATA_MESSAGE","logEvents":[]}{}""", "JSON")]
    [InlineData("""{"messageType":"DATA_MESSAGE","logEvents":[""", "invalid JSON")]
    [InlineData("not json at all", "invalid JSON")]
    public void Rejects_a_payload_that_is_not_a_subscription_message(string json, string reason)
    {
        var batch = Parse(json);

        var rejected = Assert.Single(batch.Rejected);
        Assert.Contains(reason, Assert.Single(rejected.Reasons));
        Assert.Equal("test:origin", rejected.Origin);
        Assert.Empty(batch.Events);
    }

    [Fact]
    public void Rejects_only_the_event_without_a_message()
    {
        var batch = Parse(Message("""{"id":"1","timestamp":1,"message":"ok"},{"id":"2","timestamp":1,"message":42}"""));

        Assert.Single(batch.Events);
        Assert.Contains("has no message", Assert.Single(Assert.Single(batch.Rejected).Reasons));
    }

    [Fact]
    public void Unescapes_messages_exactly()
    {
        var batch = Parse(Message("""{"id":"1","timestamp":1,"message":"tab\there \"quoted\" \u00e9 \ud83d\ude00 back\\slash"}"""));

        Assert.Equal("tab\there \"quoted\" é 😀 back\\slash", Encoding.UTF8.GetString(batch.Events[0].Record.Span));
        Assert.Equal("tab\there \"quoted\" é 😀 back\\slash", batch.Events[0].Event.Document.Root.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Unescapes_long_messages_exactly_whatever_the_escapes_and_where_they_fall(int seed)
    {
        // Messages long enough for the 64-byte blocks, dense with every kind of escape, some straddling a block's end.
        var random = new Random(seed);
        string[] pieces = ["\"", "\\", "/", "\n", "\t", "é", "😀", "{", "a", "bcdefgh", "ijklmnopqrstuvwxyz0123456789", " "];
        var messages = Enumerable.Range(0, 60).Select(_ =>
            string.Concat(Enumerable.Range(0, random.Next(0, 120)).Select(_ => pieces[random.Next(pieces.Length)]))).ToArray();

        var batch = Parse(Message(string.Join(",", messages.Select((m, i) => $$"""{"id":"{{i}}","timestamp":1,"message":"{{Escape(m, random)}}"}"""))));

        Assert.Equal(messages, batch.Events.Select(e => Encoding.UTF8.GetString(e.Record.Span)));
    }

    /// <summary>JSON string content with each escapable character escaped one of the ways JSON allows.</summary>
    private static string Escape(string text, Random random)
    {
        var escaped = new StringBuilder();
        foreach (var c in text)
        {
            var form = random.Next(3);
            escaped.Append(c switch
            {
                '"' => form == 0 ? "\\u0022" : "\\\"",
                '\\' => form == 0 ? "\\u005C" : "\\\\",
                '/' => form == 0 ? "/" : form == 1 ? "\\/" : "\\u002f",
                '\n' => form == 0 ? "\\u000a" : "\\n",
                '\t' => "\\t",
                _ when char.IsSurrogate(c) || form > 0 => c.ToString(),
                _ => $"\\u{(int)c:x4}",
            });
        }
        return escaped.ToString();
    }

    [Fact]
    public void Falls_back_to_the_receive_time_and_the_default_log_group()
    {
        var batch = Parse("""{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","message":"no time"}]}""", defaultLogGroup: "assumed");

        Assert.Equal(ReceivedAt, batch.Events[0].Event.EventTime);
        Assert.Equal("assumed", batch.Events[0].Event.LogGroup);
    }

    [Fact]
    public void Gives_events_without_an_id_a_stable_content_hash()
    {
        var json = Message("""{"timestamp":1,"message":"same"},{"timestamp":1,"message":"same"}""");

        var first = Parse(json).Events;
        var again = Parse(json).Events;

        Assert.StartsWith(EventIds.ContentHashPrefix, first[0].Event.EventId);
        Assert.Equal(first[0].Event.EventId, again[0].Event.EventId);
        // Same content at another position is another event.
        Assert.NotEqual(first[0].Event.EventId, first[1].Event.EventId);
    }

    [Fact]
    public void Parses_every_record_of_the_cloudtrail_sample()
    {
        var batch = new ParsedBatch();
        SubscriptionPayloadParser.Parse(Samples.Read("subscription-payloads", "cloudwatch_log_cloudtrail.json"), "o", null, null, ReceivedAt, 1 << 20, batch);

        Assert.Equal(4, batch.Events.Count);
        Assert.All(batch.Events, e => Assert.Equal(LogSourceTypes.CloudTrail, e.Event.SourceType));
        Assert.Equal(["DescribeLogStreams", "DescribeEventAggregates", "DescribeLogStreams", "DescribeLogStreams"], batch.Events.Select(e => e.Event.EventName));
    }

    [Fact]
    public void Applies_the_sources_flow_log_format()
    {
        FlowLogFormat.TryParseTemplate("${srcaddr} ${dstaddr} ${bytes}", out var format);

        var batch = Parse(Message("""{"id":"1","timestamp":1,"message":"10.0.0.1 10.0.0.2 99"}"""), format);

        var e = Assert.Single(batch.Events).Event;
        Assert.Equal(LogSourceTypes.VpcFlow, e.SourceType);
        Assert.Equal("10.0.0.1", e.SourceIp);
        Assert.Equal(99, e.Document.Root.GetProperty("bytes").GetInt32());
    }
}

namespace Platform.EventPatterns.Tests;

/// <summary>
/// The patterns of AWS's EventBridge documentation ("Creating event patterns", "Content filtering", "Comparison
/// operators") and of its reference matcher's README, each with events that match and events that do not.
/// </summary>
public sealed class Conformance
{
    /// <summary>The EC2 state-change event AWS's documentation filters throughout.</summary>
    private const string Ec2Event = """
        {
          "version": "0",
          "id": "ddddd4-aaaa-7777-4444-345dd43cc333",
          "detail-type": "EC2 Instance State-change Notification",
          "source": "aws.ec2",
          "account": "012345679012",
          "time": "2017-10-02T16:24:49Z",
          "region": "us-east-1",
          "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
          "detail": {
            "c-count": 5,
            "d-count": 3,
            "x-limit": 301.8,
            "source-ip": "10.0.0.33",
            "instance-id": "i-000000aaaaaa00000",
            "state": "running"
          }
        }
        """;

    public static TheoryData<string, string, bool> Cases => new()
    {
        // Exact values: every named field must match; any listed value will do; other fields are ignored.
        { """{"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"], "detail": {"state": ["terminated"]}}""", Ec2Event, false },
        { """{"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"], "detail": {"state": ["running"]}}""", Ec2Event, true },
        { """{"source": ["aws.ec2", "aws.fargate"]}""", Ec2Event, true },
        { """{"source": ["aws.fargate"]}""", Ec2Event, false },
        { """{"source": ["AWS.EC2"]}""", Ec2Event, false },
        { """{"detail": {"state": ["initializing", "running"]}, "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"]}""", Ec2Event, true },
        { """{"detail": {"missing": ["x"]}}""", Ec2Event, false },
        { """{"detail": {"state": {"nested": ["running"]}}}""", Ec2Event, false },
        // Numbers match numerically; strings do not match numbers.
        { """{"detail": {"x-limit": [3.018e2]}}""", Ec2Event, true },
        { """{"detail": {"c-count": ["5"]}}""", Ec2Event, false },
        { """{"detail": {"c-count": [5.0]}}""", Ec2Event, true },
        // Null, empty strings and booleans.
        { """{"detail": {"responseElements": [null]}}""", """{"detail": {"responseElements": null}}""", true },
        { """{"detail": {"responseElements": [null]}}""", """{"detail": {}}""", false },
        { """{"detail": {"LastName": [""]}}""", """{"detail": {"LastName": ""}}""", true },
        { """{"detail": {"LastName": [""]}}""", """{"detail": {"LastName": "Doe"}}""", false },
        { """{"detail": {"enabled": [true]}}""", """{"detail": {"enabled": true}}""", true },
        { """{"detail": {"enabled": [true]}}""", """{"detail": {"enabled": "true"}}""", false },
        // Arrays in the event: any element; objects in an array match within one element.
        { """{"resources": ["arn:b"]}""", """{"resources": ["arn:a", "arn:b"]}""", true },
        { """{"resources": ["arn:c"]}""", """{"resources": ["arn:a", "arn:b"]}""", false },
        { """{"employees": {"firstName": ["Anna"]}}""", """{"employees": [{"firstName": "John", "lastName": "Doe"}, {"firstName": "Anna", "lastName": "Smith"}]}""", true },
        { """{"employees": {"firstName": ["Anna"], "lastName": ["Smith"]}}""", """{"employees": [{"firstName": "John", "lastName": "Doe"}, {"firstName": "Anna", "lastName": "Smith"}]}""", true },
        { """{"employees": {"firstName": ["Anna"], "lastName": ["Doe"]}}""", """{"employees": [{"firstName": "John", "lastName": "Doe"}, {"firstName": "Anna", "lastName": "Smith"}]}""", false },
        { """{"employees": {"firstName": ["Peter"]}}""", """{"employees": [[{"firstName": "John"}], [{"firstName": "Peter"}]]}""", true },
        { """{"tags": ["b"]}""", """{"tags": [["a"], ["b"]]}""", true },
        // prefix, with equals-ignore-case inside.
        { """{"time": [{"prefix": "2017-10-02"}]}""", Ec2Event, true },
        { """{"time": [{"prefix": "2017-10-03"}]}""", Ec2Event, false },
        { """{"detail": {"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}}""", """{"detail": {"service": "eventbridge"}}""", true },
        { """{"detail": {"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}}""", """{"detail": {"service": "lambda"}}""", false },
        { """{"detail": {"c-count": [{"prefix": "5"}]}}""", Ec2Event, false },
        // suffix, with equals-ignore-case inside.
        { """{"FileName": [{"suffix": ".png"}]}""", """{"FileName": "image.png"}""", true },
        { """{"FileName": [{"suffix": ".png"}]}""", """{"FileName": "image.PNG"}""", false },
        { """{"detail": {"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]}}""", """{"detail": {"FileName": "image.PNG"}}""", true },
        { """{"detail": {"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]}}""", """{"detail": {"FileName": "image.jpg"}}""", false },
        // equals-ignore-case.
        { """{"detail-type": [{"equals-ignore-case": "ec2 instance state-change notification"}]}""", Ec2Event, true },
        { """{"Name": [{"equals-ignore-case": "alice"}]}""", """{"Name": "Bob"}""", false },
        // anything-but: a value, a list, a number, prefix, suffix, equals-ignore-case, wildcard.
        { """{"detail": {"state": [{"anything-but": "initializing"}]}}""", Ec2Event, true },
        { """{"detail": {"state": [{"anything-but": "running"}]}}""", Ec2Event, false },
        { """{"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}}""", Ec2Event, true },
        { """{"detail": {"state": [{"anything-but": ["stopped", "running"]}]}}""", Ec2Event, false },
        { """{"detail": {"x-limit": [{"anything-but": 123}]}}""", Ec2Event, true },
        { """{"detail": {"x-limit": [{"anything-but": [100, 200, 301.8]}]}}""", Ec2Event, false },
        { """{"detail": {"state": [{"anything-but": {"prefix": "init"}}]}}""", Ec2Event, true },
        { """{"detail": {"state": [{"anything-but": {"prefix": "run"}}]}}""", Ec2Event, false },
        { """{"FileName": [{"anything-but": {"suffix": ".png"}}]}""", """{"FileName": "a.txt"}""", true },
        { """{"FileName": [{"anything-but": {"suffix": ".png"}}]}""", """{"FileName": "a.png"}""", false },
        { """{"state": [{"anything-but": {"equals-ignore-case": "initializing"}}]}""", """{"state": "INITIALIZING"}""", false },
        { """{"state": [{"anything-but": {"equals-ignore-case": ["initializing", "stopped"]}}]}""", """{"state": "Running"}""", true },
        { """{"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]}""", """{"FilePath": "/usr/lib/x.so"}""", false },
        { """{"FilePath": [{"anything-but": {"wildcard": ["*/lib/*", "*/bin/*"]}}]}""", """{"FilePath": "/home/x"}""", true },
        { """{"detail": {"state": [{"anything-but": "initializing"}]}}""", """{"detail": {}}""", false },
        // numeric: one comparison or a range.
        { """{"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}], "d-count": [{"numeric": ["<", 10]}], "x-limit": [{"numeric": ["=", 3.018e2]}]}}""", Ec2Event, true },
        { """{"detail": {"c-count": [{"numeric": [">", 0, "<", 5]}]}}""", Ec2Event, false },
        { """{"detail": {"c-count": [{"numeric": [">=", 5]}]}}""", Ec2Event, true },
        { """{"detail": {"c-count": [{"numeric": [">", 5]}]}}""", Ec2Event, false },
        { """{"detail": {"state": [{"numeric": [">", 0]}]}}""", Ec2Event, false },
        // exists: only leaves; an object is not a leaf.
        { """{"detail": {"c-count": [{"exists": true}]}}""", Ec2Event, true },
        { """{"detail": {"c-count": [{"exists": false}]}}""", Ec2Event, false },
        { """{"detail": {"e-count": [{"exists": false}]}}""", Ec2Event, true },
        { """{"detail": {"c-count": [{"exists": false}]}}""", """{"detail": {"c-count": {"c1": 100}}}""", true },
        { """{"detail": {"c-count": [{"exists": true}]}}""", """{"detail": {"c-count": {"c1": 100}}}""", false },
        { """{"detail": {"c-count": [{"exists": false}]}}""", """{"source": "aws.ec2"}""", true },
        // cidr, IPv4 and IPv6.
        { """{"detail": {"source-ip": [{"cidr": "10.0.0.0/24"}]}}""", Ec2Event, true },
        { """{"detail": {"source-ip": [{"cidr": "10.0.1.0/24"}]}}""", Ec2Event, false },
        { """{"detail": {"source-ip": [{"cidr": "10.0.0.0/8"}]}}""", Ec2Event, true },
        { """{"sourceIPAddress": [{"cidr": "2001:db8::/32"}]}""", """{"sourceIPAddress": "2001:DB8:0:0:1::1"}""", true },
        { """{"sourceIPAddress": [{"cidr": "2001:db8::/32"}]}""", """{"sourceIPAddress": "2001:db9::1"}""", false },
        { """{"sourceIPAddress": [{"cidr": "10.0.0.0/8"}]}""", """{"sourceIPAddress": "2001:db8::1"}""", false },
        { """{"sourceIPAddress": [{"cidr": "10.0.0.0/8"}]}""", """{"sourceIPAddress": "console.amazonaws.com"}""", false },
        // wildcard: * any run, \* a star; whole string.
        { """{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]}""", """{"EventBusArn": "arn:aws:events:us-east-1:123456789012:event-bus/default"}""", true },
        { """{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]}""", """{"EventBusArn": "arn:aws:events:us-west-2:123456789012:event-bus/default"}""", false },
        { """{"source": [{"wildcard": "Simple*Service"}]}""", """{"source": "SimpleQueueService"}""", true },
        { """{"source": [{"wildcard": "Simple*Service"}]}""", """{"source": "SimpleQueueServices"}""", false },
        { """{"name": [{"wildcard": "a\\*b"}]}""", """{"name": "a*b"}""", true },
        { """{"name": [{"wildcard": "a\\*b"}]}""", """{"name": "axb"}""", false },
        { """{"name": [{"wildcard": "ab*ba"}]}""", """{"name": "aba"}""", false },
        { """{"name": [{"wildcard": "*"}]}""", """{"name": ""}""", true },
        // $or: alternatives of fields, nested, at any level.
        { """{"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization", "ReadLatency"]}, {"namespace": ["AWS/EC2", "AWS/ES"]}]}""", """{"source": "aws.cloudwatch", "namespace": "AWS/EC2"}""", true },
        { """{"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization", "ReadLatency"]}, {"namespace": ["AWS/EC2", "AWS/ES"]}]}""", """{"source": "aws.cloudwatch", "namespace": "AWS/RDS"}""", false },
        { """{"detail": {"$or": [{"c-count": [{"numeric": [">", 0, "<=", 5]}]}, {"d-count": [{"numeric": ["<", 10]}]}, {"x-limit": [{"numeric": ["=", 3.018e2]}]}]}}""", Ec2Event, true },
        { """{"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization"]}, {"metricType": ["MetricType"], "namespace": ["AWS/EC2"], "$or": [{"metricId": [1234]}, {"spaceId": [1000]}]}, {"scope": ["Service"]}]}""", """{"source": "aws.cloudwatch", "metricType": "MetricType", "namespace": "AWS/EC2", "spaceId": 1000}""", true },
        { """{"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization"]}, {"metricType": ["MetricType"], "namespace": ["AWS/EC2"], "$or": [{"metricId": [1234]}, {"spaceId": [1000]}]}, {"scope": ["Service"]}]}""", """{"source": "aws.cloudwatch", "metricType": "MetricType", "namespace": "AWS/EC2", "spaceId": 1001}""", false },
        // Several operators in one field: any of them.
        { """{"detail": {"state": [{"prefix": "stop"}, "running"]}}""", Ec2Event, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_documented_pattern_matches_the_events_aws_says_it_matches(string pattern, string @event, bool matches)
    {
        var parsed = EventPattern.TryParse(pattern, out var error);

        Assert.Null(error);
        Assert.Equal(matches, parsed!.Matches(JsonDocument.Parse(@event).RootElement));
    }

    [Fact]
    public void The_seeds_rules_match_the_cloudtrail_events_they_are_written_for()
    {
        var iamChanges = Parse("""
            {"source": ["aws.iam"], "detail-type": ["AWS API Call via CloudTrail"],
             "detail": {"eventSource": ["iam.amazonaws.com"],
                        "eventName": ["CreateUser", "DeleteUser", "CreateAccessKey", "DeleteAccessKey", "AttachUserPolicy", "PutUserPolicy"]}}
            """);
        var rootActivity = Parse("""
            {"source": ["aws.signin"], "detail-type": ["AWS Console Sign In via CloudTrail"], "detail": {"userIdentity": {"type": ["Root"]}}}
            """);

        Assert.True(iamChanges.Matches(Json("""{"source": "aws.iam", "detail-type": "AWS API Call via CloudTrail", "detail": {"eventSource": "iam.amazonaws.com", "eventName": "CreateAccessKey"}}""")));
        Assert.False(iamChanges.Matches(Json("""{"source": "aws.iam", "detail-type": "AWS API Call via CloudTrail", "detail": {"eventSource": "iam.amazonaws.com", "eventName": "ListUsers"}}""")));
        Assert.True(rootActivity.Matches(Json("""{"source": "aws.signin", "detail-type": "AWS Console Sign In via CloudTrail", "detail": {"userIdentity": {"type": "Root"}}}""")));
        Assert.False(rootActivity.Matches(Json("""{"source": "aws.signin", "detail-type": "AWS Console Sign In via CloudTrail", "detail": {"userIdentity": {"type": "IAMUser"}}}""")));
        Assert.Equal(["aws.iam"], iamChanges.Sources);
    }

    [Theory]
    [InlineData("""{"source": ["aws.ec2"]}""", new[] { "aws.ec2" })]
    [InlineData("""{"source": ["aws.ec2", "aws.iam"], "detail": {"x": [1]}}""", new[] { "aws.ec2", "aws.iam" })]
    [InlineData("""{"source": [{"prefix": "aws."}]}""", null)]
    [InlineData("""{"$or": [{"source": ["aws.ec2"]}, {"source": ["aws.iam"]}]}""", null)]
    [InlineData("""{"detail": {"source": ["aws.ec2"]}}""", null)]
    public void A_pattern_that_fixes_the_source_says_so_for_indexing(string pattern, string[]? sources) =>
        Assert.Equal(sources, Parse(pattern).Sources);

    [Fact]
    public void A_pattern_given_as_an_object_is_the_same_as_its_json_text()
    {
        var asObject = EventPattern.TryParse(Json("""{"source": ["aws.ec2"]}"""), out var objectError);
        var asString = EventPattern.TryParse(Json("\"{\\\"source\\\": [\\\"aws.ec2\\\"]}\""), out var stringError);

        Assert.Null(objectError);
        Assert.Null(stringError);
        Assert.True(asObject!.Matches(Json(Ec2Event)));
        Assert.True(asString!.Matches(Json(Ec2Event)));
    }

    internal static EventPattern Parse(string pattern) =>
        EventPattern.TryParse(pattern, out var error) ?? throw new InvalidOperationException(error!.ToString());

    internal static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;
}

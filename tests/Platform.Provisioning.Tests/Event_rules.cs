using static Platform.Provisioning.Tests.ProvisioningService;

namespace Platform.Provisioning.Tests;

/// <summary>
/// <c>event-rules</c> take put_rule's arguments with put_targets' Targets as the seed writes them, checked at the door
/// with the pattern parser alerting matches with.
/// </summary>
[Collection(ProvisioningCollection.Name)]
public sealed class Event_rules(ProvisioningService service)
{
    /// <summary>The seed's iam-changes rule: put_rule's keyword arguments (EventPattern as json.dumps gives it) and its target.</summary>
    private const string IamChanges = """
        {
          "Name": "iam-changes",
          "EventPattern": "{\"source\": [\"aws.iam\"], \"detail-type\": [\"AWS API Call via CloudTrail\"], \"detail\": {\"eventSource\": [\"iam.amazonaws.com\"], \"eventName\": [\"CreateUser\", \"DeleteUser\", \"CreateAccessKey\", \"DeleteAccessKey\", \"AttachUserPolicy\", \"PutUserPolicy\"]}}",
          "State": "ENABLED",
          "Targets": [{"Id": "iam-change-handler", "Arn": "arn:aws:lambda:us-east-1:123456789012:function:iam-change-handler"}]
        }
        """;

    [Fact]
    public async Task The_seeds_rules_are_accepted_as_written()
    {
        using var admin = service.Admin();
        const string rootActivity = """
            {
              "Name": "root-account-activity",
              "EventPattern": "{\"source\": [\"aws.signin\"], \"detail-type\": [\"AWS Console Sign In via CloudTrail\"], \"detail\": {\"userIdentity\": {\"type\": [\"Root\"]}}}",
              "State": "ENABLED",
              "Targets": [{"Id": "root-activity-alert", "Arn": "arn:aws:sns:us-east-1:123456789012:security-critical"}]
            }
            """;
        var iamName = Unique("iam-changes");
        var rootName = Unique("root-activity");

        var iam = await admin.PutAsync($"/v1/event-rules/{iamName}", JsonText(IamChanges));
        var root = await admin.PutAsync($"/v1/event-rules/{rootName}", JsonText(rootActivity));

        Assert.Equal(HttpStatusCode.Created, iam.StatusCode);
        Assert.Equal(HttpStatusCode.Created, root.StatusCode);
        var spec = (await iam.JsonAsync()).GetProperty("spec");
        Assert.Contains("CreateAccessKey", spec.GetProperty("eventPattern").GetString());
        Assert.Equal("default", spec.GetProperty("eventBusName").GetString());
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:iam-change-handler", spec.GetProperty("targets")[0].GetProperty("arn").GetString());
    }

    [Fact]
    public async Task A_pattern_given_as_an_object_is_kept_as_its_json()
    {
        using var admin = service.Admin();

        var response = await admin.PutAsync($"/v1/event-rules/{Unique("obj")}", Json(new
        {
            EventPattern = new { source = new[] { "aws.iam" } },
            Targets = new[] { new { Id = "t", Arn = "security-alerts", InputPath = "$.detail" } },
        }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var spec = (await response.JsonAsync()).GetProperty("spec");
        Assert.Equal("""{"source":["aws.iam"]}""", spec.GetProperty("eventPattern").GetString());
        Assert.Equal("ENABLED", spec.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_pattern_eventbridge_refuses_is_refused_naming_the_field_the_path_and_the_reason()
    {
        using var admin = service.Admin();

        var response = await admin.PutAsync($"/v1/event-rules/{Unique("bad")}", Json(new
        {
            EventPattern = """{"detail": {"count": [{"numeric": [">", 10, "<", 5]}]}}""",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var reason = Assert.Single((await response.ProblemFieldsAsync())["EventPattern"]);
        Assert.Equal("at $.detail.count[0].numeric: the lower bound 10 is not below the upper bound 5", reason);
    }

    [Fact]
    public async Task Targets_eventbridge_refuses_are_refused_by_their_index()
    {
        using var admin = service.Admin();

        var response = await admin.PutAsync($"/v1/event-rules/{Unique("bad")}", Json(new
        {
            EventPattern = """{"source": ["aws.iam"]}""",
            State = "PAUSED",
            Targets = new object[]
            {
                new { Id = "a", Arn = "x", InputPath = "detail" },
                new { Id = "a", Arn = "", InputTransformer = new { InputPathsMap = new { v = "$.detail" }, InputTemplate = "{\"v\": <v>" } },
            },
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = await response.ProblemFieldsAsync();
        fields.AssertSingleReasons(
            ("State", "unknown state 'PAUSED'"),
            ("Targets[0].InputPath", "starting with '$'"),
            ("Targets[1].Id", "another target"),
            ("Targets[1].Arn", "is required"),
            ("Targets[1].InputTransformer.InputTemplate", "not valid JSON"));
    }

    [Fact]
    public async Task A_rule_name_eventbridge_would_refuse_is_refused()
    {
        using var admin = service.Admin();

        var response = await admin.PutAsync($"/v1/event-rules/{new string('r', 65)}", JsonText(IamChanges));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("1 to 64", Assert.Single((await response.ProblemFieldsAsync())["name"]));
    }
}

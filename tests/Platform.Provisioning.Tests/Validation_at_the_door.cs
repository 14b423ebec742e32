namespace Platform.Provisioning.Tests;

/// <summary>A resource that would not work is refused with 400, naming the field and the reason.</summary>
[Collection(ProvisioningCollection.Name)]
public sealed class Validation_at_the_door(ProvisioningService service)
{
    private async Task<IReadOnlyDictionary<string, string[]>> PutAsync(string kind, HttpContent body, string? name = null)
    {
        using var admin = service.Admin();
        var response = await admin.PutAsync($"/v1/{kind}/{name ?? Unique("bad")}", body);
        return await response.ProblemFieldsAsync();
    }

    [Fact]
    public async Task An_invalid_sigma_rule_is_refused_with_the_engines_line_and_reason()
    {
        var fields = await PutAsync("detection-rules", Yaml(
            """
            title: Broken
            logsource:
              product: aws
            detection:
              selection:
                eventName: StopLogging
              condition: selection and missing
            """));

        var reason = Assert.Single(fields["yaml"]);
        Assert.Contains("line ", reason);
        Assert.Contains("missing", reason);
    }

    [Fact]
    public async Task A_correlation_without_its_base_rule_is_refused()
    {
        var fields = await PutAsync("detection-rules", Yaml(
            """
            title: Many failures
            correlation:
              type: event_count
              rules:
                - not_here
              group-by:
                - sourceIP
              timespan: 5m
              condition:
                gte: 10
            """));

        Assert.Contains(fields["yaml"], r => r.Contains("not_here"));
    }

    [Fact]
    public async Task An_unknown_starting_position_is_refused()
    {
        var fields = await PutAsync("sources", Json(Source(position: "OLDEST")));

        Assert.Contains("OLDEST", Assert.Single(fields["startingPosition"]));
    }

    [Fact]
    public async Task At_timestamp_without_a_timestamp_is_refused()
    {
        var fields = await PutAsync("sources", Json(Source(position: "AT_TIMESTAMP")));

        Assert.Equal(["startingTimestamp"], fields.Keys);
    }

    [Fact]
    public async Task A_source_needs_a_stream_name_or_arn()
    {
        var fields = await PutAsync("sources", Json(new { startingPosition = "LATEST" }));

        Assert.Contains("streamArn", Assert.Single(fields["streamName"]));
    }

    [Fact]
    public async Task A_malformed_stream_arn_is_refused()
    {
        var fields = await PutAsync("sources", Json(new { streamArn = "arn:aws:s3:::bucket", startingPosition = "LATEST" }));

        Assert.Equal(["streamArn"], fields.Keys);
    }

    [Fact]
    public async Task An_invalid_flow_log_format_names_each_bad_token()
    {
        var fields = await PutAsync("sources", Json(new
        {
            streamName = "flows",
            startingPosition = "LATEST",
            flowLogFormat = "${version} ${srcaddr} ${no-such-field} dstaddr",
        }));

        Assert.Equal(2, fields["flowLogFormat"].Length);
        Assert.Contains(fields["flowLogFormat"], r => r.Contains("no-such-field"));
        Assert.Contains(fields["flowLogFormat"], r => r.Contains("'dstaddr'"));
    }

    [Theory]
    [InlineData(-1, "positive")]
    [InlineData(0, "positive")]
    [InlineData(10, "3653")]
    public async Task A_retention_aws_does_not_allow_is_refused(int days, string reason)
    {
        var fields = await PutAsync("log-groups", Json(LogGroup(days)));

        Assert.Contains(reason, Assert.Single(fields["retentionInDays"]));
    }

    [Fact]
    public async Task An_unknown_suppression_criterion_is_refused()
    {
        var fields = await PutAsync("suppression-rules", Json(new
        {
            criteria = new Dictionary<string, string[]> { ["colour"] = ["red"] },
            reason = "because",
        }));

        Assert.Contains("colour", Assert.Single(fields["criteria.colour"]));
    }

    [Fact]
    public async Task A_misspelt_field_is_refused_rather_than_ignored()
    {
        var fields = await PutAsync("log-groups", Json(new { retentionInDay = 30 }));

        Assert.Equal(["retentionInDay"], fields.Keys);
    }

    [Fact]
    public async Task Several_wrong_fields_are_reported_together()
    {
        var fields = await PutAsync("sources", Json(new { streamName = "s", startingPosition = "NOW", endpoint = "not a url" }));

        Assert.Equal(["endpoint", "startingPosition"], fields.Keys.Order());
    }

    [Fact]
    public async Task A_name_outside_the_allowed_characters_is_refused()
    {
        var fields = await PutAsync("sources", Json(Source()), name: "white%20space");

        Assert.Equal(["name"], fields.Keys);
    }

    [Fact]
    public async Task An_unknown_kind_is_404_problem()
    {
        using var admin = service.Admin();

        var response = await admin.PutAsync("/v1/dashboards-of-doom/x", Json(new { }));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Yaml_is_refused_where_only_json_is_taken()
    {
        using var admin = service.Admin();

        var response = await admin.PutAsync($"/v1/log-groups/{Unique("lg")}", Yaml("retentionInDays: 30"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }
}

namespace Platform.Provisioning.Tests;

[Collection(ProvisioningCollection.Name)]
public sealed class Putting_a_resource(ProvisioningService service)
{
    [Fact]
    public async Task Creates_it_with_201_and_its_version_as_etag()
    {
        using var admin = service.Admin();
        var name = Unique("lg");

        var response = await admin.PutAsync($"/v1/log-groups/{name}", Json(LogGroup(365)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);
        Assert.Equal($"/v1/log-groups/{name}", response.Headers.Location!.OriginalString);
        var body = await response.JsonAsync();
        Assert.Equal(365, body.GetProperty("spec").GetProperty("retentionInDays").GetInt32());
        Assert.Equal("bootstrap-admin", body.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task The_same_body_twice_is_one_change()
    {
        using var admin = service.Admin();
        var name = Unique("src");

        var first = await admin.PutAsync($"/v1/sources/{name}", Json(Source()));
        var second = await admin.PutAsync($"/v1/sources/{name}", Json(Source()));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, second.Version());
        var history = await (await admin.GetAsync($"/v1/sources/{name}/history")).JsonAsync();
        Assert.Equal(1, history.GetArrayLength());
    }

    [Fact]
    public async Task A_changed_body_is_200_with_the_next_version()
    {
        using var admin = service.Admin();
        var name = Unique("src");
        await admin.PutAsync($"/v1/sources/{name}", Json(Source()));

        var changed = await admin.PutAsync($"/v1/sources/{name}", Json(Source(position: "LATEST")));

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(2, changed.Version());
        Assert.Equal("LATEST", (await changed.JsonAsync()).GetProperty("spec").GetProperty("startingPosition").GetString());
    }

    [Fact]
    public async Task A_detection_rule_can_be_the_sigma_yaml_itself()
    {
        using var admin = service.Admin();
        var name = Unique("rule");

        var created = await admin.PutAsync($"/v1/detection-rules/{name}", Yaml(RootRule));
        var asJson = await admin.PutAsync($"/v1/detection-rules/{name}", Json(new { yaml = RootRule, enabled = true }));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asJson.StatusCode);
        Assert.Equal(1, asJson.Version());
        var rule = await (await admin.GetAsync($"/v1/detection-rules/{name}")).JsonAsync();
        Assert.Contains("userIdentity.type: Root", rule.GetProperty("spec").GetProperty("yaml").GetString());
        Assert.True(rule.GetProperty("spec").GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task A_log_group_name_with_slashes_travels_percent_encoded()
    {
        using var admin = service.Admin();
        var name = $"/aws/lambda/{Unique("fn")}";

        var created = await admin.PutAsync($"/v1/log-groups/{Uri.EscapeDataString(name)}", Json(LogGroup(30)));
        var read = await admin.GetAsync($"/v1/log-groups/{Uri.EscapeDataString(name)}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(name, (await read.JsonAsync()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_suppression_rule_keeps_its_criteria_and_expiry()
    {
        using var admin = service.Admin();
        var name = Unique("sup");
        var expires = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var created = await admin.PutAsJsonAsync($"/v1/suppression-rules/{name}", new
        {
            criteria = new Dictionary<string, string[]> { ["principal"] = ["arn:aws:iam::123456789012:role/scanner"], ["severity"] = ["low"] },
            reason = "The scanner probes on purpose.",
            expiresAt = expires,
        });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var spec = (await created.JsonAsync()).GetProperty("spec");
        Assert.Equal("low", spec.GetProperty("criteria").GetProperty("severity")[0].GetString());
        Assert.Equal(expires, spec.GetProperty("expiresAt").GetDateTimeOffset());
    }
}

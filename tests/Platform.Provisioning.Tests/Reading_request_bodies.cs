namespace Platform.Provisioning.Tests;

/// <summary>A body is read as sent or refused with 400 naming the body or the field: never repaired, coerced or stored unbounded.</summary>
[Collection(ProvisioningCollection.Name)]
public sealed class Reading_request_bodies(ProvisioningService service)
{
    private static ByteArrayContent JsonBytes(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");
        return content;
    }

    [Fact]
    public async Task Invalid_UTF8_is_refused_rather_than_replaced()
    {
        using var admin = service.Admin();
        var path = $"/v1/suppression-rules/{Unique("utf8")}";
        byte[] body = [.. Encoding.UTF8.GetBytes("{\"criteria\":{\"principal\":[\"a\"]},\"reason\":\"x"), 0xFF, .. Encoding.UTF8.GetBytes("\"}")];

        var response = await admin.PutAsync(path, JsonBytes(body));

        Assert.Equal(["is not valid UTF-8 (at byte 43)"], (await response.ProblemFieldsAsync())["body"]);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task A_string_where_a_number_is_required_is_refused_naming_the_field()
    {
        using var admin = service.Admin();

        var response = await admin.PutAsync($"/v1/log-groups/{Unique("lg")}", JsonText("{\"retentionInDays\":\"30\"}"));

        Assert.Equal(["retentionInDays"], (await response.ProblemFieldsAsync()).Keys);
    }

    [Fact]
    public async Task A_string_where_a_number_is_required_in_a_stack_names_the_resource_field()
    {
        using var admin = service.Admin();
        var stack = new { resources = new[] { new { kind = "log-groups", name = Unique("lg"), spec = new { retentionInDays = "30" } } } };

        var response = await admin.PutAsJsonAsync($"/v1/stacks/{Unique("st")}", stack);

        Assert.Equal(["resources[0].spec.retentionInDays"], (await response.ProblemFieldsAsync()).Keys);
    }

    [Fact]
    public async Task Json_nested_past_the_depth_limit_is_refused_naming_the_limit()
    {
        using var admin = service.Admin();
        var deep = new string('[', 10_000) + new string(']', 10_000);

        var response = await admin.PutAsync($"/v1/log-groups/{Unique("lg")}", JsonText(deep));

        Assert.Equal(["nests deeper than 64 levels, the limit"], (await response.ProblemFieldsAsync())["body"]);
    }

    [Fact]
    public async Task A_suppression_reason_longer_than_2000_characters_is_refused_naming_the_limit()
    {
        using var admin = service.Admin();
        var rule = new { criteria = new { principal = new[] { "arn:aws:iam::123456789012:role/scanner" } }, reason = new string('x', 2001) };

        var response = await admin.PutAsync($"/v1/suppression-rules/{Unique("sr")}", Json(rule));

        Assert.Equal(["is 2001 characters long: at most 2000"], (await response.ProblemFieldsAsync())["reason"]);
    }

    [Theory]
    [InlineData("{", "body")]
    [InlineData("[1,2]", "body")]
    [InlineData("null", "body")]
    [InlineData("{\"name\":123,\"role\":\"analyst\"}", "name")]
    public async Task A_key_request_that_is_not_one_is_refused_naming_the_problem(string body, string field)
    {
        using var admin = service.Admin();

        var response = await admin.PostAsync("/v1/api-keys", JsonText(body));

        Assert.Equal([field], (await response.ProblemFieldsAsync()).Keys);
    }
}

namespace Platform.Provisioning.Tests;

[Collection(ProvisioningCollection.Name)]
public sealed class Access_control(ProvisioningService service)
{
    [Theory]
    [InlineData("GET", "/v1/sources")]
    [InlineData("PUT", "/v1/log-groups/x")]
    [InlineData("GET", "/v1/api-keys")]
    [InlineData("PUT", "/v1/stacks/x")]
    public async Task Without_a_key_is_401(string method, string path)
    {
        using var anonymous = service.Anonymous();

        var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json(new { }) });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_key_is_401()
    {
        using var client = service.Host.CreateClient("plk_not-a-key");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/sources")).StatusCode);
    }

    [Fact]
    public async Task An_analyst_reads_but_does_not_write()
    {
        using var analyst = await service.ClientWithRoleAsync("analyst");

        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("/v1/log-groups")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("/v1/stacks")).StatusCode);
        var put = await analyst.PutAsync($"/v1/log-groups/{Unique("lg")}", Json(LogGroup(30)));
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.DeleteAsync($"/v1/sources/{Unique("src")}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PutAsync($"/v1/stacks/{Unique("st")}", Yaml("resources: []"))).StatusCode);
    }

    [Fact]
    public async Task An_analyst_may_not_touch_api_keys()
    {
        using var analyst = await service.ClientWithRoleAsync("analyst");

        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("/v1/api-keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsync("/v1/api-keys", Json(new { name = "mine", role = "admin" }))).StatusCode);
    }

    [Fact]
    public async Task An_ingest_key_may_not_read_the_configuration()
    {
        using var ingest = await service.ClientWithRoleAsync("ingest");

        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.GetAsync("/v1/sources")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.GetAsync($"/v1/detection-rules/{Unique("r")}/history")).StatusCode);
    }

    [Fact]
    public async Task Health_and_the_openapi_document_need_no_key()
    {
        using var anonymous = service.Anonymous();

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
    }
}

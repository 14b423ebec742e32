namespace Platform.Ingestion.Tests.Service;

[Collection(IngestionServiceCollection.Name)]
public sealed class Asking_for_one_item_by_an_odd_id(IngestionService service)
{
    [Theory]
    [InlineData("abc")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("9223372036854775808")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("1.5")]
    [InlineData("%20")]
    public async Task A_quarantine_id_that_is_no_number_is_a_400_naming_the_id(string id)
    {
        using var response = await service.Admin.GetAsync($"/v1/quarantine/{id}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty("id", out _));
    }

    [Fact]
    public async Task A_quarantine_id_that_was_never_given_is_a_404()
    {
        using var response = await service.Admin.GetAsync($"/v1/quarantine/{long.MaxValue}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("9223372036854775808")]
    [InlineData("sha256:%E2%82%AC%F0%9F%98%80")]
    [InlineData("%FF%FE")]
    [InlineData("..%2F..%2Fetc")]
    public async Task An_event_id_that_was_never_stored_is_a_404(string id)
    {
        using var response = await service.Admin.GetAsync($"/v1/events/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

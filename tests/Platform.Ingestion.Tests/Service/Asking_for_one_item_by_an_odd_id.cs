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

        await IngestionService.AssertProblemNamesAsync(response, "id");
    }

    [Theory]
    [InlineData("/v1/events/abc")]
    [InlineData("/v1/events/00000000-0000-0000-0000-000000000000")]
    [InlineData("/v1/events/9223372036854775808")]
    [InlineData("/v1/events/sha256:%E2%82%AC%F0%9F%98%80")]
    [InlineData("/v1/events/%FF%FE")]
    [InlineData("/v1/events/..%2F..%2Fetc")]
    [InlineData("/v1/events/no-such-event")]
    [InlineData("/v1/quarantine/9223372036854775807")]
    public async Task An_id_that_was_never_given_is_a_404(string path)
    {
        using var response = await service.Admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

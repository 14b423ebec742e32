namespace Platform.EndToEnd.Tests;

/// <summary>Every /v1 endpoint of every service needs a key (401), and a role that allows the call (403).</summary>
[Collection(PlatformCollection.Name)]
public sealed class Roles_across_services(PlatformServices platform)
{
    [Fact]
    public async Task Every_service_answers_401_without_a_key()
    {
        foreach (var service in platform.All)
        {
            using var anonymous = service.Host.CreateClient(apiKey: null);

            var response = await anonymous.GetAsync(service.ReadPath);

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{service.Name}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task An_ingest_key_is_403_on_every_read_endpoint()
    {
        var key = await platform.IssueKeyAsync(Unique("shipper"), PlatformRoles.Ingest);

        // Services whose /v1 endpoints do not exist yet answer 404 to any key; they join this list as they get endpoints.
        foreach (var service in platform.All)
        {
            await WaitForStatusAsync(service, key, HttpStatusCode.Forbidden, TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task An_analyst_key_reads_every_service()
    {
        var key = await platform.IssueKeyAsync(Unique("soc"), PlatformRoles.Analyst);

        foreach (var service in platform.All)
        {
            await WaitForStatusAsync(service, key, HttpStatusCode.OK, TimeSpan.FromSeconds(10));
        }
    }
}

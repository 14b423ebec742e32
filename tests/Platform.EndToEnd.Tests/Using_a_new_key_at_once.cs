namespace Platform.EndToEnd.Tests;

/// <summary>
/// A key works on every service the moment <c>POST /v1/api-keys</c> answers, before its event has reached them:
/// a service that does not know a key asks provisioning. Revoked keys stay refused.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class Using_a_new_key_at_once(PlatformServices platform)
{
    [Fact]
    public async Task A_key_used_on_every_service_as_soon_as_it_is_issued_is_never_refused()
    {
        var refused = new List<string>();
        for (var attempt = 1; attempt <= 50; attempt++)
        {
            var key = await platform.IssueKeyAsync(Unique("at-once"), PlatformRoles.Analyst);
            // Every service at the same moment, straight after the answer.
            var answers = await Task.WhenAll(platform.All.Select(async service =>
            {
                using var client = service.Host.CreateClient(key);
                using var response = await client.GetAsync(service.ReadPath);
                return (service.Name, response.StatusCode);
            }));
            refused.AddRange(answers.Where(a => a.StatusCode == HttpStatusCode.Unauthorized).Select(a => $"{a.Name} (key {attempt})"));
        }

        Assert.Empty(refused);
    }

    [Fact]
    public async Task A_revoked_key_presented_again_is_not_brought_back_by_asking_provisioning()
    {
        var name = Unique("revoked");
        var key = await platform.IssueKeyAsync(name, PlatformRoles.Analyst);
        await platform.RevokeKeyAsync(name);
        foreach (var service in platform.All)
        {
            await WaitForStatusAsync(service, key, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10));
        }

        // Each service now finds the key unknown and asks provisioning, whose answer must not re-admit it.
        var answers = await Task.WhenAll(platform.All.Select(async service =>
        {
            using var client = service.Host.CreateClient(key);
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 5; i++)
            {
                using var response = await client.GetAsync(service.ReadPath);
                statuses.Add(response.StatusCode);
            }
            return (service.Name, Statuses: statuses);
        }));

        Assert.All(answers, a => Assert.All(a.Statuses, status => Assert.Equal(HttpStatusCode.Unauthorized, status)));
    }
}

namespace Platform.EndToEnd.Tests;

/// <summary>Keys issued and revoked on provisioning reach every service through the real broker.</summary>
[Collection(PlatformCollection.Name)]
public sealed class Live_api_keys(PlatformServices platform)
{
    private static readonly TimeSpan WithinSeconds = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_key_issued_on_provisioning_is_accepted_by_every_service_within_seconds()
    {
        var key = await platform.IssueKeyAsync(Unique("analyst"), PlatformRoles.Analyst);

        foreach (var service in platform.Others)
        {
            await WaitForStatusAsync(service, key, HttpStatusCode.OK, WithinSeconds);
        }
    }

    [Fact]
    public async Task A_revoked_key_is_refused_by_every_service_within_seconds()
    {
        var name = Unique("leaked");
        var key = await platform.IssueKeyAsync(name, PlatformRoles.Admin);
        foreach (var service in platform.All)
        {
            await WaitForStatusAsync(service, key, HttpStatusCode.OK, WithinSeconds);
        }

        await platform.RevokeKeyAsync(name);

        foreach (var service in platform.All)
        {
            await WaitForStatusAsync(service, key, HttpStatusCode.Unauthorized, WithinSeconds);
        }
    }

    [Fact]
    public async Task A_service_started_after_the_key_was_issued_catches_up()
    {
        var key = await platform.IssueKeyAsync(Unique("early"), PlatformRoles.Analyst);
        var revokedName = Unique("gone");
        var revokedKey = await platform.IssueKeyAsync(revokedName, PlatformRoles.Analyst);
        await platform.RevokeKeyAsync(revokedName);

        var late = platform.StartAlerting();
        await using (late.Host)
        {
            await WaitForStatusAsync(late, key, HttpStatusCode.OK, WithinSeconds);
            using var client = late.Host.CreateClient(revokedKey);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(late.ReadPath)).StatusCode);
        }
    }
}

namespace Platform.Detection.Tests;

/// <summary>Findings and rules need a key; analysts may read and triage, ingest keys may not.</summary>
[Collection(DetectionCollection.Name)]
public sealed class Authorization(DetectionHost detection)
{
    [Theory]
    [InlineData("/v1/findings")]
    [InlineData("/v1/rules")]
    public async Task No_key_is_401(string path)
    {
        using var client = detection.Host.CreateClient(apiKey: null);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(path)).StatusCode);
    }

    [Theory]
    [InlineData("/v1/findings")]
    [InlineData("/v1/rules")]
    public async Task An_ingest_key_is_403(string path)
    {
        using var client = detection.Host.CreateClient(DetectionHost.IngestKey);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task An_analyst_key_reads_findings()
    {
        using var client = detection.Host.CreateClient(DetectionHost.AnalystKey);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/findings?limit=1")).StatusCode);
    }
}

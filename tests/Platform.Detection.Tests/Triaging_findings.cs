using System.Net.Http.Headers;

namespace Platform.Detection.Tests;

/// <summary>Acknowledge, resolve, suppress and reopen with If-Match; new occurrences reopen resolved findings.</summary>
[Collection(DetectionCollection.Name)]
public sealed class Triaging_findings(DetectionHost detection)
{
    private const string Sample = "aws.persistence.iam-create-admin-user.json";

    private async Task<(FindingView Finding, string Principal, System.Text.Json.Nodes.JsonObject Template)> RaiseAsync(string name)
    {
        var principal = CloudTrail.UniqueArn(name);
        var template = CloudTrail.Records(Sample, "CreateAccessKey")[0];
        await detection.Bus.PublishAsync(CloudTrail.Batch([CloudTrail.Variant(template, principal, DateTimeOffset.UtcNow.AddMinutes(-5))]));
        var findings = await detection.WaitForFindingsAsync(Raising_findings.Query(principal), f => f.Count > 0);
        return (findings.Single(), principal, template);
    }

    private async Task<HttpResponseMessage> PostAsync(Guid id, string command, long? version, object? body = null, string? key = null)
    {
        using var client = key is null ? null : detection.Host.CreateClient(key);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/findings/{id}/{command}")
        {
            Content = body is null ? null : JsonContent.Create(body, options: PlatformJson.Options),
        };
        if (version is { } v)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{v}\""));
        }

        return await (client ?? detection.Client).SendAsync(request);
    }

    [Fact]
    public async Task A_resolved_finding_is_reopened_by_a_new_occurrence()
    {
        var (finding, principal, template) = await RaiseAsync("reopen");

        var resolved = await PostAsync(finding.Id, "resolve", finding.Version, new { reason = "rotated the key" }, DetectionHost.AnalystKey);
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal(FindingStatus.Resolved, (await resolved.Content.ReadFromJsonAsync<FindingView>(PlatformJson.Options))!.Status);

        await detection.Bus.PublishAsync(CloudTrail.Batch([CloudTrail.Variant(template, principal, DateTimeOffset.UtcNow)]));

        var reopened = (await detection.WaitForFindingsAsync(Raising_findings.Query(principal), f => f.Single().Occurrences == 2)).Single();
        Assert.Equal(FindingStatus.Open, reopened.Status);
        var changes = await Eventually.ObserveAsync(
            () => Task.FromResult(detection.Bus.StatusChanged.Where(c => c.FindingId == finding.Id).ToList()), c => c.Count >= 2);
        Assert.Equal(
            [(FindingStatus.Open, FindingStatus.Resolved, "analyst"), (FindingStatus.Resolved, FindingStatus.Open, "detection")],
            changes.OrderBy(c => c.Version).Select(c => (c.From, c.To, c.By)));
    }

    [Fact]
    public async Task A_stale_If_Match_is_412_and_a_missing_one_is_428()
    {
        var (finding, _, _) = await RaiseAsync("stale");

        var acknowledged = await PostAsync(finding.Id, "acknowledge", finding.Version);
        var stale = await PostAsync(finding.Id, "resolve", finding.Version);
        var missing = await PostAsync(finding.Id, "resolve", version: null);

        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionRequired, missing.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Reading_a_finding_gives_its_version_as_ETag()
    {
        var (finding, _, _) = await RaiseAsync("etag");

        var response = await detection.Client.GetAsync($"/v1/findings/{finding.Id}");

        Assert.Equal($"\"{finding.Version}\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task History_lists_every_transition_with_its_actor()
    {
        var (finding, _, _) = await RaiseAsync("history");
        var acknowledged = await PostAsync(finding.Id, "acknowledge", finding.Version, new { reason = "looking" });
        var version = (await acknowledged.Content.ReadFromJsonAsync<FindingView>(PlatformJson.Options))!.Version;
        var suppressed = await PostAsync(finding.Id, "suppress", version, new { reason = "known pentest", until = DateTimeOffset.UtcNow.AddDays(1) });
        Assert.Equal(HttpStatusCode.OK, suppressed.StatusCode);

        var history = (await detection.Client.GetFromJsonAsync<List<JsonElement>>($"/v1/findings/{finding.Id}/history", PlatformJson.Options))!;

        Assert.Equal(
            ["opened/detection", "occurrencesRecorded/detection", "acknowledged/bootstrap-admin", "suppressed/bootstrap-admin"],
            history.Select(h => $"{h.GetProperty("type").GetString()}/{h.GetProperty("actor").GetString()}"));
        Assert.Equal("known pentest", history[3].GetProperty("data").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Suppressing_until_a_past_time_is_a_problem_naming_until()
    {
        var (finding, _, _) = await RaiseAsync("past");

        var response = await PostAsync(finding.Id, "suppress", finding.Version, new { until = DateTimeOffset.UtcNow.AddDays(-1) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("until", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_OCSF_form_is_a_detection_finding()
    {
        var (finding, principal, _) = await RaiseAsync("ocsf");

        var ocsf = await detection.Client.GetFromJsonAsync<JsonElement>($"/v1/findings/{finding.Id}?format=ocsf");

        Assert.Equal(2004, ocsf.GetProperty("class_uid").GetInt32());
        Assert.Equal(2, ocsf.GetProperty("category_uid").GetInt32());
        Assert.Equal(1, ocsf.GetProperty("activity_id").GetInt32());
        Assert.Equal(200401, ocsf.GetProperty("type_uid").GetInt32());
        Assert.Equal(3, ocsf.GetProperty("severity_id").GetInt32());
        Assert.Equal(1, ocsf.GetProperty("status_id").GetInt32());
        Assert.Equal(1, ocsf.GetProperty("count").GetInt32());
        var info = ocsf.GetProperty("finding_info");
        Assert.Equal(finding.Id.ToString(), info.GetProperty("uid").GetString());
        Assert.Equal("AWS IAM Backdoor Users Keys", info.GetProperty("title").GetString());
        Assert.Equal(finding.RuleId, info.GetProperty("analytic").GetProperty("uid").GetString());
        Assert.Equal(1, info.GetProperty("analytic").GetProperty("type_id").GetInt32());
        Assert.Equal("T1098", info.GetProperty("attacks")[0].GetProperty("technique").GetProperty("uid").GetString());
        Assert.Equal(finding.FirstSeenAt.ToUnixTimeMilliseconds(), info.GetProperty("first_seen_time").GetInt64());
        Assert.Equal(principal, ocsf.GetProperty("actor").GetProperty("user").GetProperty("uid").GetString());
        Assert.Equal("1.1.0", ocsf.GetProperty("metadata").GetProperty("version").GetString());
        Assert.Equal("Platform", ocsf.GetProperty("metadata").GetProperty("product").GetProperty("name").GetString());
        Assert.Equal(finding.Evidence[0].EventId, ocsf.GetProperty("evidences")[0].GetProperty("data").GetProperty("event_uid").GetString());
    }
}

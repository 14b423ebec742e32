using System.Text;

namespace Platform.Detection.Tests;

/// <summary>
/// Triage reads If-Match as RFC 9110 says (a list of entity tags or *, compared strongly) and refuses a body it
/// cannot read with a 400 naming the problem, never a 500.
/// </summary>
[Collection(DetectionCollection.Name)]
public sealed class Triage_preconditions_and_bodies(DetectionHost detection)
{
    private async Task<FindingView> RaiseAsync(string name)
    {
        var principal = CloudTrail.UniqueArn(name);
        var template = CloudTrail.Records("aws.persistence.iam-create-admin-user.json", "CreateAccessKey")[0];
        await detection.Bus.PublishAsync(CloudTrail.Batch([CloudTrail.Variant(template, principal, DateTimeOffset.UtcNow.AddMinutes(-5))]));
        return (await detection.WaitForFindingsAsync(Raising_findings.Query(principal), f => f.Count > 0)).Single();
    }

    private Task<HttpResponseMessage> AcknowledgeAsync(Guid id, string ifMatch, HttpContent? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/findings/{id}/acknowledge") { Content = body };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return detection.Client.SendAsync(request);
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static async Task<string[]> ProblemFieldsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. problem.GetProperty("errors").EnumerateObject().Select(p => $"{p.Name}: {p.Value[0].GetString()}")];
    }

    [Fact]
    public async Task An_unquoted_version_is_not_an_entity_tag_and_is_400_naming_If_Match()
    {
        var finding = await RaiseAsync("unquoted");

        var response = await AcknowledgeAsync(finding.Id, finding.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.StartsWith("If-Match: ", Assert.Single(await ProblemFieldsAsync(response)));
    }

    [Fact]
    public async Task A_list_of_tags_that_holds_the_current_one_is_accepted()
    {
        var finding = await RaiseAsync("list");

        var response = await AcknowledgeAsync(finding.Id, $"\"999\", \"{finding.Version}\" ,\"1000\"");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FindingStatus.Acknowledged, (await response.Content.ReadFromJsonAsync<FindingView>(PlatformJson.Options))!.Status);
    }

    [Fact]
    public async Task A_weak_tag_of_the_current_version_never_matches_If_Match()
    {
        var finding = await RaiseAsync("weak");

        var response = await AcknowledgeAsync(finding.Id, $"W/\"{finding.Version}\"");

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Contains("weak", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task If_Match_star_triages_the_finding_at_whatever_version()
    {
        var finding = await RaiseAsync("star");

        var response = await AcknowledgeAsync(finding.Id, "*");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FindingStatus.Acknowledged, (await response.Content.ReadFromJsonAsync<FindingView>(PlatformJson.Options))!.Status);
    }

    [Theory]
    [InlineData("{", "body: is not valid JSON")]
    [InlineData("[1,2]", "body: has the wrong type")]
    [InlineData("{\"reason\":123}", "reason: has the wrong type")]
    [InlineData("{\"until\":\"soon\"}", "until: has the wrong type")]
    public async Task A_body_that_is_not_a_triage_request_is_400_naming_the_problem(string body, string problem)
    {
        var finding = await RaiseAsync("body");

        var response = await AcknowledgeAsync(finding.Id, $"\"{finding.Version}\"", Json(body));

        Assert.StartsWith(problem, Assert.Single(await ProblemFieldsAsync(response)));
    }

    [Fact]
    public async Task A_body_nested_past_the_depth_limit_is_400_naming_the_limit()
    {
        var finding = await RaiseAsync("deep");

        var response = await AcknowledgeAsync(finding.Id, $"\"{finding.Version}\"", Json(new string('[', 10_000) + new string(']', 10_000)));

        Assert.Equal("body: nests deeper than 64 levels, the limit", Assert.Single(await ProblemFieldsAsync(response)));
    }

    [Fact]
    public async Task A_body_that_is_not_UTF8_is_400_naming_the_body()
    {
        var finding = await RaiseAsync("utf8");
        var bytes = new ByteArrayContent([.. Encoding.UTF8.GetBytes("{\"reason\":\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")]);
        bytes.Headers.ContentType = new("application/json");

        var response = await AcknowledgeAsync(finding.Id, $"\"{finding.Version}\"", bytes);

        Assert.StartsWith("body: is not valid UTF-8", Assert.Single(await ProblemFieldsAsync(response)));
    }

    [Fact]
    public async Task A_reason_longer_than_2000_characters_is_400_naming_reason_and_the_limit()
    {
        var finding = await RaiseAsync("long");

        var tooLong = await AcknowledgeAsync(finding.Id, $"\"{finding.Version}\"", JsonContent.Create(new { reason = new string('x', 2001) }));
        var huge = await AcknowledgeAsync(finding.Id, $"\"{finding.Version}\"", JsonContent.Create(new { reason = new string('x', 2 * 1024 * 1024) }));
        var longest = await AcknowledgeAsync(finding.Id, $"\"{finding.Version}\"", JsonContent.Create(new { reason = new string('x', 2000) }));

        Assert.Equal("reason: is 2001 characters long: at most 2000", Assert.Single(await ProblemFieldsAsync(tooLong)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(HttpStatusCode.OK, longest.StatusCode);
    }
}

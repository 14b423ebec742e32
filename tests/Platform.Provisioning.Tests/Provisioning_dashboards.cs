using static Platform.Provisioning.Tests.ProvisioningService;

namespace Platform.Provisioning.Tests;

/// <summary>
/// Kind <c>dashboards</c>: put_dashboard's DashboardName and DashboardBody (the body JSON as a string), the body read at
/// the door with the reader the console draws with, so a stored dashboard is one the console can show.
/// </summary>
[Collection(ProvisioningCollection.Name)]
public sealed class Provisioning_dashboards(ProvisioningService service)
{
    /// <summary>The seed's SecurityOverview body, as the seed writes it (Logs Insights query and all).</summary>
    private const string SecurityOverview = """
        {"widgets": [
          {"type": "metric", "properties": {"title": "ログイン失敗回数", "metrics": [["Security/Authentication", "FailedLoginCount"]], "period": 300, "stat": "Sum"}},
          {"type": "metric", "properties": {"title": "APIエラー率", "metrics": [["AWS/CloudTrail", "APIErrorRate"]], "period": 300}},
          {"type": "log", "properties": {"title": "最近のセキュリティイベント", "query": "\n    SOURCE '/aws/cloudtrail/logs'\n    | fields @timestamp, eventName, userIdentity.arn\n    | filter errorCode like /Unauthorized|AccessDenied/\n    | sort @timestamp desc\n    | limit 20\n", "region": "us-east-1"}}
        ]}
        """;

    private async Task<HttpResponseMessage> PutAsync(string name, string? dashboardName, string body)
    {
        using var admin = service.Admin();
        return await admin.PutAsync($"/v1/dashboards/{name}", Json(new Dictionary<string, string?> { ["DashboardName"] = dashboardName, ["DashboardBody"] = body }));
    }

    [Fact]
    public async Task The_seeds_security_overview_is_accepted_as_written()
    {
        var name = Unique("SecurityOverview");

        using var response = await PutAsync(name, name, SecurityOverview);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(SecurityOverview, (await response.JsonAsync()).GetProperty("spec").GetProperty("DashboardBody").GetString());
    }

    [Fact]
    public async Task The_platforms_own_widgets_and_text_and_alarm_widgets_are_accepted()
    {
        using var response = await PutAsync(Unique("own"), null, """
            {"widgets": [
              {"type": "text", "width": 24, "properties": {"markdown": "# Security"}},
              {"type": "alarm", "properties": {"title": "Alarms", "alarms": ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:HighFailedLogins"]}},
              {"type": "findings", "properties": {"title": "Findings", "minSeverity": "medium", "period": 3600}},
              {"type": "compliance", "properties": {"title": "Compliance", "rules": ["cloudtrail-enabled"]}}
            ]}
            """);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("not json", "DashboardBody")]
    [InlineData("""{"widgets": {}}""", "DashboardBody.widgets")]
    [InlineData("""{"widgets": [{"type": "pie", "properties": {}}]}""", "DashboardBody.widgets[0].type")]
    [InlineData("""{"widgets": [{"type": "metric", "properties": {"metrics": [["Security/Authentication"]]}}]}""", "DashboardBody.widgets[0].properties.metrics[0]")]
    [InlineData("""{"widgets": [{"type": "metric", "properties": {"metrics": [["A", "B"]], "stat": "p99"}}]}""", "DashboardBody.widgets[0].properties.stat")]
    [InlineData("""{"widgets": [{"type": "metric", "properties": {"metrics": [["A", "B"]], "period": 90}}]}""", "DashboardBody.widgets[0].properties.period")]
    [InlineData("""{"widgets": [{"type": "log", "properties": {"query": "fields @timestamp"}}]}""", "DashboardBody.widgets[0].properties.query")]
    [InlineData("""{"widgets": [{"type": "log", "properties": {"query": "SOURCE 'x' | filter ((("}}]}""", "DashboardBody.widgets[0].properties.query")]
    [InlineData("""{"widgets": [{"type": "text", "properties": {}}]}""", "DashboardBody.widgets[0].properties.markdown")]
    [InlineData("""{"widgets": [{"type": "findings", "properties": {"minSeverity": "dire"}}]}""", "DashboardBody.widgets[0].properties.minSeverity")]
    public async Task A_wrong_body_is_refused_naming_the_field(string body, string field)
    {
        using var response = await PutAsync(Unique("wrong"), null, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await response.ProblemFieldsAsync()).Keys);
    }

    [Fact]
    public async Task A_dashboard_name_other_than_the_resources_is_refused()
    {
        using var response = await PutAsync(Unique("named"), "SomethingElse", SecurityOverview);

        Assert.Contains("DashboardName", (await response.ProblemFieldsAsync()).Keys);
    }
}

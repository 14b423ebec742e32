using static Platform.Provisioning.Tests.ProvisioningService;

namespace Platform.Provisioning.Tests;

/// <summary><c>metric-filters</c> take <c>put_metric_filter</c>'s request as JSON, checked with the parser alerting runs.</summary>
[Collection(ProvisioningCollection.Name)]
public sealed class Metric_filters_at_the_door(ProvisioningService service)
{
    private static object Filter(string pattern = "ERROR", string value = "1", object? dimensions = null, string ns = "App/Errors", string? unit = null) => new
    {
        logGroupName = "/app/web",
        filterName = "errors",
        filterPattern = pattern,
        metricTransformations = new[] { new { metricName = "Errors", metricNamespace = ns, metricValue = value, dimensions, unit } },
    };

    private Task<HttpResponseMessage> PutAsync(HttpContent body) => service.PutAsync("metric-filters", Unique("filter"), body);

    [Fact]
    public async Task The_seeds_failed_logins_filter_is_accepted_as_written_and_published()
    {
        using var response = await PutAsync(JsonText(SeedMetricFilters.FailedLogins));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var spec = (await response.JsonAsync()).GetProperty("spec");
        Assert.Equal("{ $.status = \"FAILED\" && $.eventType = \"LOGIN\" }", spec.GetProperty("filterPattern").GetString());
        var transformation = spec.GetProperty("metricTransformations")[0];
        Assert.Equal("$.sourceIP", transformation.GetProperty("dimensions").GetProperty("SourceIP").GetString());
        Assert.Equal(0, transformation.GetProperty("defaultValue").GetDouble());
    }

    [Fact]
    public async Task A_bad_pattern_is_refused_naming_filter_pattern_with_the_position_and_reason()
    {
        using var response = await PutAsync(Json(Filter(pattern: "{ $.latency > \"slow\" }")));

        var reason = Assert.Single((await response.ProblemFieldsAsync())["filterPattern"]);
        Assert.StartsWith("at character 15:", reason);
        Assert.Contains("compares numbers", reason);
    }

    [Fact]
    public async Task A_dimension_the_pattern_cannot_extract_is_refused_by_its_name()
    {
        using var response = await PutAsync(Json(Filter(pattern: "[ip, status]", dimensions: new { User = "$user" })));

        Assert.Contains("not a field", Assert.Single((await response.ProblemFieldsAsync())["metricTransformations[0].dimensions.User"]));
    }

    [Fact]
    public async Task More_than_three_dimensions_are_refused()
    {
        var dimensions = new { A = "$.a", B = "$.b", C = "$.c", D = "$.d" };

        using var response = await PutAsync(Json(Filter(pattern: "{ $.a = * }", dimensions: dimensions)));

        Assert.Equal("holds 4 dimensions: at most 3", Assert.Single((await response.ProblemFieldsAsync())["metricTransformations[0].dimensions"]));
    }

    [Theory]
    [InlineData("many", "App/Errors", null, "metricTransformations[0].metricValue", "expected a number")]
    [InlineData("1", "AWS/CloudTrail", null, "metricTransformations[0].metricNamespace", "reserved")]
    [InlineData("1", "App/Errors", "Parsecs", "metricTransformations[0].unit", "not a CloudWatch unit")]
    public async Task A_transformation_cloudwatch_would_refuse_is_refused_naming_the_field(
        string value, string ns, string? unit, string field, string reason)
    {
        using var response = await PutAsync(Json(Filter(value: value, ns: ns, unit: unit)));

        Assert.Contains(reason, Assert.Single((await response.ProblemFieldsAsync())[field]));
    }

    [Fact]
    public async Task A_filter_has_exactly_one_transformation()
    {
        using var response = await PutAsync(Json(new
        {
            logGroupName = "/app/web", filterName = "errors", filterPattern = "ERROR", metricTransformations = Array.Empty<object>(),
        }));

        Assert.Contains("exactly one", Assert.Single((await response.ProblemFieldsAsync())["metricTransformations"]));
    }
}

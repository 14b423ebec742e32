using Microsoft.Extensions.DependencyInjection;
using Platform.Provisioning.Resources;
using static Platform.Provisioning.Tests.ProvisioningService;

namespace Platform.Provisioning.Tests;

/// <summary>Kind <c>alarms</c>: put_metric_alarm's fields and AWS's rules at the door, and the warning about a metric no filter publishes.</summary>
[Collection(ProvisioningCollection.Name)]
public sealed class Provisioning_alarms(ProvisioningService service)
{
    /// <summary>The seed's cloudwatch.put_metric_alarm call, as written, as JSON.</summary>
    private static Dictionary<string, object?> SeedAlarm(string ns) => new()
    {
        ["AlarmName"] = "HighFailedLogins",
        ["MetricName"] = "FailedLoginCount",
        ["Namespace"] = ns,
        ["Statistic"] = "Sum",
        ["Period"] = 300,
        ["EvaluationPeriods"] = 1,
        ["Threshold"] = 10,
        ["ComparisonOperator"] = "GreaterThanThreshold",
        ["AlarmActions"] = new[] { "arn:aws:sns:us-east-1:123456789012:security-alerts" },
    };

    /// <summary>
    /// The seed's FailedLogins filter (put_metric_filter's fields) stored as provisioning stores a resource, so the
    /// warning reads it as it will read the metric-filters kind's rows.
    /// </summary>
    private async Task StoreSeedFilterAsync(string ns)
    {
        await using var scope = service.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ProvisioningDbContext>();
        db.Resources.Add(new ResourceRow
        {
            Kind = "metric-filters", Name = Unique("FailedLogins"), Version = 1, Spec = SeedMetricFilters.FailedLoginsOn(metricNamespace: ns).ToJsonString(),
            CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "test", UpdatedAt = DateTimeOffset.UtcNow, UpdatedBy = "test",
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task The_seeds_alarm_as_written_is_created_with_a_warning_that_it_names_no_dimension_while_the_filter_publishes_SourceIP()
    {
        var ns = Unique("Security/Authentication");
        await StoreSeedFilterAsync(ns);
        using var admin = service.Admin();

        var response = await admin.PutAsync("/v1/alarms/HighFailedLogins", Json(SeedAlarm(ns)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        var warning = Assert.Single(body.GetProperty("warnings").EnumerateArray()).GetString()!;
        Assert.Contains("'HighFailedLogins' names no dimension", warning);
        Assert.Contains("metric filter 'FailedLogins' (log group /aws/security/auth)", warning);
        Assert.Contains("only with the dimensions SourceIP", warning);
        Assert.Contains("INSUFFICIENT_DATA", warning);
        var spec = body.GetProperty("spec");
        Assert.Equal("HighFailedLogins", spec.GetProperty("AlarmName").GetString());
        Assert.Equal(1, spec.GetProperty("DatapointsToAlarm").GetInt32());
        Assert.Equal("missing", spec.GetProperty("TreatMissingData").GetString());
        Assert.True(spec.GetProperty("ActionsEnabled").GetBoolean());
    }

    [Fact]
    public async Task An_alarm_on_the_dimension_the_filter_publishes_gets_no_warning()
    {
        var ns = Unique("Security/Authentication");
        await StoreSeedFilterAsync(ns);
        var alarm = SeedAlarm(ns);
        alarm["AlarmName"] = null;
        alarm["Dimensions"] = new[] { new { Name = "SourceIP", Value = "203.0.113.9" } };
        using var admin = service.Admin();

        var response = await admin.PutAsync($"/v1/alarms/{Unique("ip-alarm")}", Json(alarm));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False((await response.JsonAsync()).TryGetProperty("warnings", out _));
    }

    [Fact]
    public async Task An_alarm_on_a_metric_no_filter_publishes_is_created_with_a_warning_saying_so()
    {
        var alarm = SeedAlarm(Unique("Nobody/Publishes"));
        alarm.Remove("AlarmName");
        using var admin = service.Admin();

        var response = await admin.PutAsync($"/v1/alarms/{Unique("orphan")}", Json(alarm));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var warning = Assert.Single((await response.JsonAsync()).GetProperty("warnings").EnumerateArray()).GetString()!;
        Assert.StartsWith("No metric filter publishes", warning);
    }

    [Theory]
    [InlineData("ComparisonOperator", "GreaterThanUpperThreshold", "ComparisonOperator", "anomaly detection alarms, which are not supported")]
    [InlineData("ComparisonOperator", "GreaterThan", "ComparisonOperator", "is not a comparison operator")]
    [InlineData("ExtendedStatistic", "p99", "ExtendedStatistic", "percentile statistics are not supported")]
    [InlineData("Statistic", "sum", "Statistic", "is not a statistic")]
    [InlineData("Period", 30, "Period", "high-resolution period")]
    [InlineData("Period", 90, "Period", "not a multiple of 60")]
    [InlineData("EvaluationPeriods", 0, "EvaluationPeriods", "at least 1")]
    [InlineData("EvaluationPeriods", 10081, "EvaluationPeriods", "seven days")]
    [InlineData("DatapointsToAlarm", 2, "DatapointsToAlarm", "from 1 to EvaluationPeriods")]
    [InlineData("TreatMissingData", "Breaching", "TreatMissingData", "use missing, ignore, breaching or notBreaching")]
    [InlineData("Unit", "Furlongs", "Unit", "is not a CloudWatch unit")]
    [InlineData("AlarmName", "SomethingElse", "AlarmName", "differs from the resource's name")]
    [InlineData("Threshold", null, "Threshold", "is required")]
    [InlineData("Namespace", "  ", "Namespace", "is required")]
    [InlineData("Tags", "x", "Tags", "is not a field of this kind")]
    public async Task What_put_metric_alarm_refuses_is_refused_with_400_naming_the_field(string field, object? value, string expectedField, string reason)
    {
        var alarm = SeedAlarm("Security/Authentication");
        alarm[field] = value;
        if (field == "Period" && value is 90)
        {
            alarm["EvaluationPeriods"] = 1;
        }
        if (field == "EvaluationPeriods" && value is 10081)
        {
            alarm["Period"] = 60;
        }
        using var admin = service.Admin();

        var response = await admin.PutAsync("/v1/alarms/HighFailedLogins-refused", Json(alarm));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = await response.ProblemFieldsAsync();
        Assert.Contains(reason, Assert.Single(fields, f => f.Key == expectedField).Value.Single());
    }

    [Fact]
    public async Task Too_many_actions_and_duplicate_dimensions_are_refused_each_with_its_field()
    {
        var alarm = SeedAlarm("Security/Authentication");
        alarm["OKActions"] = Enumerable.Range(1, 6).Select(i => $"topic-{i}").ToArray();
        alarm["Dimensions"] = new[] { new { Name = "SourceIP", Value = "a" }, new { Name = "SourceIP", Value = "b" } };
        using var admin = service.Admin();

        var response = await admin.PutAsync("/v1/alarms/HighFailedLogins", Json(alarm));

        var fields = await response.ProblemFieldsAsync();
        Assert.Contains("at most 5", fields["OKActions"].Single());
        Assert.Contains("given twice", fields["Dimensions[1].Name"].Single());
    }
}

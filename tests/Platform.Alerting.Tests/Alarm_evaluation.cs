using Microsoft.EntityFrameworkCore;

namespace Platform.Alerting.Tests;

/// <summary>
/// Alarms in the real alerting service: provisioned over the broker, evaluated when their metric gets data and every
/// minute, each transition in the alarm's stream and published once as AlarmStateChanged on RabbitMQ.
/// </summary>
[Collection(AlarmsCollection.Name)]
public sealed class Alarm_evaluation(AlarmsHost alarms)
{

    /// <summary>The seed's HighFailedLogins on one source IP's SourceIP dimension, as the proof has it.</summary>
    private static AlarmSpec FailedLogins(string ns, string ip, string treatMissingData = "missing", bool actionsEnabled = true, int period = 300) =>
        new AlarmSpec(null, null, "FailedLoginCount", ns, [new AlarmDimension("SourceIP", ip)], "Sum", null, period, 1, null, 10,
            "GreaterThanThreshold", treatMissingData, ["arn:aws:sns:us-east-1:123456789012:security-alerts"], ["ok-topic"], null, actionsEnabled, "Count");

    private static MetricIdentity Metric(string ns, string ip) =>
        new(ns, "FailedLoginCount", new Dictionary<string, string> { ["SourceIP"] = ip });

    private async Task<JsonElement> GetAsync(string name)
    {
        using var client = alarms.Host.CreateAdminClient();
        return await client.GetFromJsonAsync<JsonElement>($"/v1/alarms/{Uri.EscapeDataString(name)}");
    }

    /// <summary>Provisions an alarm on a fresh metric and gives that metric one datapoint of <paramref name="value"/> in the current minute.</summary>
    private async Task<(string Name, MetricIdentity Metric)> AlarmWithDataAsync(
        string prefix, double value, string treatMissingData = "missing", bool actionsEnabled = true, int period = 300)
    {
        var name = Unique(prefix);
        var ns = Unique("Security");
        await alarms.ProvisionAsync(name, FailedLogins(ns, "198.51.100.7", treatMissingData, actionsEnabled, period));
        var metric = Metric(ns, "198.51.100.7");
        alarms.Metrics.Add(metric, AlarmStateMachine.EvaluationEnd(alarms.Clock.GetUtcNow()).AddMinutes(-1), value);
        return (name, metric);
    }

    private Task<JsonElement> ObserveStateAsync(string name, string state) =>
        Eventually.ObserveAsync(() => GetAsync(name), a => a.GetProperty("stateValue").GetString() == state);

    [Fact]
    public async Task A_provisioned_alarm_starts_unchecked_in_INSUFFICIENT_DATA_and_its_history_records_its_creation()
    {
        var name = Unique("HighFailedLogins");

        await alarms.ProvisionAsync(name, FailedLogins(Unique("Security"), "203.0.113.9"));

        var alarm = await GetAsync(name);
        Assert.Equal("INSUFFICIENT_DATA", alarm.GetProperty("stateValue").GetString());
        Assert.Equal("Unchecked: Initial alarm creation", alarm.GetProperty("stateReason").GetString());
        Assert.Equal("Sum", alarm.GetProperty("spec").GetProperty("Statistic").GetString());
        using var client = alarms.Host.CreateAdminClient();
        var history = await client.GetFromJsonAsync<JsonElement>($"/v1/alarms/{name}/history");
        var item = Assert.Single(history.GetProperty("items").EnumerateArray());
        Assert.Equal("ConfigurationUpdate", item.GetProperty("historyItemType").GetString());
        Assert.Equal($"Alarm \"{name}\" created", item.GetProperty("historySummary").GetString());
        Assert.Equal("Create", item.GetProperty("historyData").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Eleven_failed_logins_put_the_alarm_in_ALARM_at_once_and_RabbitMQ_hears_AlarmStateChanged_once_with_the_alarm_actions()
    {
        // Eleven failed logins in the current minute: a Sum of 11.
        var (name, metric) = await AlarmWithDataAsync("HighFailedLogins", 11);

        await alarms.MetricDataArrivedAsync(metric);
        // The same data again (a redelivered batch, a second instance): no second transition.
        await alarms.MetricDataArrivedAsync(metric);

        var alarm = await GetAsync(name);
        Assert.Equal("ALARM", alarm.GetProperty("stateValue").GetString());
        Assert.StartsWith("Threshold Crossed: 1 datapoint [11.0 (", alarm.GetProperty("stateReason").GetString());
        Assert.EndsWith(")] was greater than the threshold (10.0).", alarm.GetProperty("stateReason").GetString());
        Assert.Equal(11, alarm.GetProperty("stateReasonData").GetProperty("recentDatapoints")[0].GetDouble());
        var heard = await Eventually.ObserveAsync(() => Task.FromResult(alarms.Heard.Where(h => h.AlarmName == name).ToList()), h => h.Count > 0);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var changed = Assert.Single(alarms.Heard, h => h.AlarmName == name);
        Assert.Equal(("INSUFFICIENT_DATA", "ALARM"), (changed.OldState, changed.NewState));
        Assert.Equal(["arn:aws:sns:us-east-1:123456789012:security-alerts"], changed.Actions);
        Assert.Equal(alarm.GetProperty("version").GetInt64(), changed.Version);
        Assert.Equal(alarm.GetProperty("stateReason").GetString(), changed.Reason);
        Assert.NotEmpty(heard);
    }

    [Fact]
    public async Task An_alarm_with_actions_disabled_publishes_its_transition_without_actions()
    {
        var (name, metric) = await AlarmWithDataAsync("Quiet", 50, actionsEnabled: false);

        await alarms.MetricDataArrivedAsync(metric);

        var heard = await Eventually.ObserveAsync(() => Task.FromResult(alarms.Heard.FirstOrDefault(h => h.AlarmName == name)), h => h is not null);
        Assert.Equal("ALARM", heard!.NewState);
        Assert.Empty(heard.Actions);
    }

    [Fact]
    public async Task The_minute_pass_evaluates_every_alarm_by_the_clock_and_recovers_it_to_OK_when_data_stops_and_counts_as_not_breaching()
    {
        var (name, metric) = await AlarmWithDataAsync("Recovering", 20, treatMissingData: "notBreaching", period: 60);
        await alarms.MetricDataArrivedAsync(metric);
        await ObserveStateAsync(name, "ALARM");

        // No data for the next minutes: the clock moves a minute at a time, each tick waking the minute pass, until a
        // pass sees the datapoint leave the range. (A tick that lands while a pass runs wakes nothing, so the test keeps
        // ticking rather than counting ticks.)
        var alarm = await Eventually.ObserveAsync(
            () =>
            {
                alarms.Clock.Advance(TimeSpan.FromMinutes(1));
                return GetAsync(name);
            },
            a => a.GetProperty("stateValue").GetString() == "OK");

        Assert.Equal("OK", alarm.GetProperty("stateValue").GetString());
        Assert.Equal(
            "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].",
            alarm.GetProperty("stateReason").GetString());
        var ok = await Eventually.ObserveAsync(() => Task.FromResult(alarms.Heard.FirstOrDefault(h => h.AlarmName == name && h.NewState == "OK")), h => h is not null);
        Assert.Equal(["ok-topic"], ok!.Actions);
        using var client = alarms.Host.CreateAdminClient();
        var history = await client.GetFromJsonAsync<JsonElement>($"/v1/alarms/{name}/history?historyItemType=StateUpdate");
        Assert.Equal(
            ["Alarm updated from ALARM to OK", "Alarm updated from INSUFFICIENT_DATA to ALARM"],
            history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("historySummary").GetString()));
        var recovery = history.GetProperty("items")[0].GetProperty("historyData");
        Assert.Equal("ALARM", recovery.GetProperty("oldState").GetProperty("stateValue").GetString());
        Assert.Equal("OK", recovery.GetProperty("newState").GetProperty("stateValue").GetString());
    }

    [Fact]
    public async Task Concurrent_evaluations_of_one_alarm_record_its_transition_once()
    {
        var (name, _) = await AlarmWithDataAsync("Raced", 99);
        AlarmRecord row;
        await using (var scope = alarms.Host.Services.CreateAsyncScope())
        {
            row = await scope.ServiceProvider.GetRequiredService<AlertingDbContext>().Alarms.AsNoTracking().SingleAsync(a => a.Name == name);
        }

        // Two evaluators (two instances) read the alarm at the same version and both decide ALARM.
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var scope = alarms.Host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<AlarmEvaluator>().EvaluateAsync([row], CancellationToken.None);
        }));

        Assert.Equal(1, results.Sum());
        using var client = alarms.Host.CreateAdminClient();
        var history = await client.GetFromJsonAsync<JsonElement>($"/v1/alarms/{name}/history?historyItemType=StateUpdate");
        Assert.Single(history.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_changed_alarm_keeps_its_state_and_a_deleted_one_is_gone_and_no_longer_evaluated()
    {
        var (name, metric) = await AlarmWithDataAsync("Changing", 30);
        await alarms.MetricDataArrivedAsync(metric);
        await ObserveStateAsync(name, "ALARM");

        var spec = FailedLogins(metric.Namespace, "198.51.100.7");
        await alarms.PublishAsync(new AlarmProvisioned(name, spec with { Threshold = 20 }, 2));
        var changed = await Eventually.ObserveAsync(() => GetAsync(name), a => a.GetProperty("spec").GetProperty("Threshold").GetDouble() == 20);
        Assert.Equal("ALARM", changed.GetProperty("stateValue").GetString());

        // A late, older change does not undo the newer one; the deletion removes it.
        await alarms.PublishAsync(new AlarmDeleted(name, 3));
        await alarms.PublishAsync(new AlarmProvisioned(name, spec, 1));
        using var client = alarms.Host.CreateAdminClient();
        var status = await Eventually.ObserveAsync(async () => (await client.GetAsync($"/v1/alarms/{name}")).StatusCode, s => s == HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, status);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/alarms/{name}")).StatusCode);
        await alarms.MetricDataArrivedAsync(metric);
        Assert.DoesNotContain(alarms.Heard, h => h.AlarmName == name && h.Version > 3);
    }
}

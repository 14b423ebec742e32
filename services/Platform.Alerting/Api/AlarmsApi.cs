using Microsoft.AspNetCore.Mvc;
using Platform.Alerting.Alarms;

namespace Platform.Alerting.Api;

/// <summary>
/// <c>/v1/alarms</c>: the alarms' states and histories, like CloudWatch's <c>DescribeAlarms</c> and
/// <c>DescribeAlarmHistory</c>. Alarms are defined through the provisioning API (kind <c>alarms</c>).
/// </summary>
public static class AlarmsApi
{
    public static RouteGroupBuilder MapAlarmsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/alarms").WithTags("Alarms").RequireAuthorization(PlatformPolicies.Read);
        group.MapGet("/", ListAsync)
            .WithOperation("DescribeAlarms", "List alarms by name with their state (like CloudWatch's DescribeAlarms)",
                $"stateValue: {string.Join(", ", AlarmStates.All)}; alarmNamePrefix; limit (1 to {QueryParameters.MaxLimit}); " +
                "page with cursor (the previous page's nextCursor).")
            .ProducesValidationProblem();
        group.MapGet("/{name}", GetAsync)
            .WithOperation("DescribeAlarm", "One alarm: stateValue, stateReason, stateReasonData, stateUpdatedTimestamp and its spec",
                "A name holding '/' travels as %2F; a name no alarm can have (a control character) is 400.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{name}/history", HistoryAsync)
            .WithOperation("DescribeAlarmHistory", "An alarm's history, newest first (like CloudWatch's DescribeAlarmHistory)",
                "historyItemType: StateUpdate or ConfigurationUpdate; limit; page with cursor.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<Ok<Page<AlarmView>>, ValidationProblem>> ListAsync(
        AlertingDbContext db,
        [FromQuery] string? stateValue,
        [FromQuery] string? alarmNamePrefix,
        [FromQuery] string? limit,
        [FromQuery] string? cursor,
        CancellationToken cancellationToken)
    {
        if (QueryParameters.TryPageWindow(null, null, limit, out _, out _, out var take) is { } badLimit)
        {
            return badLimit;
        }
        if (QueryParameters.TryText(nameof(alarmNamePrefix), alarmNamePrefix, out var prefix) is { } badPrefix)
        {
            return badPrefix;
        }
        var query = db.Alarms.AsNoTracking().Where(a => !a.Deleted);
        if (stateValue is not null)
        {
            if (AlarmStates.Parse(stateValue) is null)
            {
                return ProblemDetailsExtensions.FieldProblem(nameof(stateValue), $"'{QueryParameters.Shorten(stateValue)}' is not a state: use {string.Join(", ", AlarmStates.All)}");
            }
            query = query.Where(a => a.StateValue == stateValue);
        }
        if (prefix is not null)
        {
            query = query.Where(a => a.Name.StartsWith(prefix));
        }
        if (cursor is not null)
        {
            if (!PageCursor.TryDecode(cursor, out DateTimeOffset _, out string after))
            {
                return PageCursor.Invalid();
            }
            query = query.Where(a => string.Compare(a.Name, after) > 0);
        }
        var rows = await query.OrderBy(a => a.Name).Take(take + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Page.Of(rows, take, AlarmView.From, a => PageCursor.Encode(DateTimeOffset.UnixEpoch, a.Name)));
    }

    public static async Task<Results<Ok<AlarmView>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string name, AlertingDbContext db, CancellationToken cancellationToken)
    {
        if (ReadName(name, out var alarmName) is { } invalid)
        {
            return invalid;
        }
        return await FindAsync(db, alarmName, cancellationToken) is { } row ? TypedResults.Ok(AlarmView.From(row)) : NotFound(alarmName);
    }

    public static async Task<Results<Ok<Page<AlarmHistoryItem>>, ValidationProblem, ProblemHttpResult>> HistoryAsync(
        string name,
        AlertingDbContext db,
        EventStore store,
        [FromQuery] string? historyItemType,
        [FromQuery] string? limit,
        [FromQuery] string? cursor,
        CancellationToken cancellationToken)
    {
        if (ReadName(name, out var alarmName) is { } invalid)
        {
            return invalid;
        }
        if (QueryParameters.TryPageWindow(null, null, limit, out _, out _, out var take) is { } badLimit)
        {
            return badLimit;
        }
        if (historyItemType is not null and not (AlarmHistoryItem.StateUpdate or AlarmHistoryItem.ConfigurationUpdate))
        {
            return ProblemDetailsExtensions.FieldProblem(nameof(historyItemType),
                $"'{QueryParameters.Shorten(historyItemType)}' is not a history item type: use {AlarmHistoryItem.StateUpdate} or {AlarmHistoryItem.ConfigurationUpdate}");
        }
        long? before = null;
        if (cursor is not null)
        {
            if (!PageCursor.TryDecode(cursor, out long version))
            {
                return PageCursor.Invalid();
            }
            before = version;
        }
        if (await FindAsync(db, alarmName, cancellationToken) is not { } alarm)
        {
            return NotFound(alarmName);
        }

        var items = AlarmHistoryItem.From(alarm.Name, await store.ReadStreamAsync(AlarmStreams.StreamId(alarm.Name), cancellationToken))
            .Where(i => historyItemType is null || i.HistoryItemType == historyItemType)
            .Where(i => before is null || i.Version < before)
            .Take(take + 1)
            .ToList();
        return TypedResults.Ok(Page.Of(items, take, i => i, i => PageCursor.Encode(i.Version)));
    }

    /// <summary>
    /// The alarm's name from the path, unescaped (a '/' travels as %2F), or a 400 naming it when no alarm can have it
    /// (a control character, NUL included, would otherwise reach the database).
    /// </summary>
    private static ValidationProblem? ReadName(string path, out string name)
    {
        name = Uri.UnescapeDataString(path);
        return MetricAlarm.ValidateName(name) is { } reason ? ProblemDetailsExtensions.FieldProblem("name", reason) : null;
    }

    private static Task<AlarmRecord?> FindAsync(AlertingDbContext db, string name, CancellationToken cancellationToken) =>
        db.Alarms.AsNoTracking().FirstOrDefaultAsync(a => a.Name == name && !a.Deleted, cancellationToken);

    private static ProblemHttpResult NotFound(string name) => ProblemDetailsExtensions.NoSuch("alarm", $"There is no alarm named '{name}'.");
}

/// <summary>An alarm and its state, as DescribeAlarms describes one.</summary>
/// <param name="AlarmName">Its name.</param>
/// <param name="StateValue">OK, ALARM or INSUFFICIENT_DATA.</param>
/// <param name="StateReason">Why, in CloudWatch's words.</param>
/// <param name="StateReasonData">The datapoints behind it (CloudWatch's StateReasonData, as JSON); absent before the first evaluation.</param>
/// <param name="StateUpdatedTimestamp">When the state last changed.</param>
/// <param name="Version">The version of its history stream.</param>
/// <param name="Spec">Its definition, as provisioned (put_metric_alarm's fields).</param>
public sealed record AlarmView(
    string AlarmName, string StateValue, string StateReason, JsonElement? StateReasonData, DateTimeOffset StateUpdatedTimestamp, long Version, AlarmSpec Spec)
{
    public static AlarmView From(AlarmRecord row) => new(
        row.Name, row.StateValue, row.StateReason,
        row.StateReasonData is null ? null : JsonDocument.Parse(row.StateReasonData).RootElement.Clone(),
        row.StateUpdatedAt, row.Version, row.ReadSpec());
}

/// <summary>One entry of an alarm's history, as DescribeAlarmHistory gives it.</summary>
/// <param name="AlarmName">The alarm.</param>
/// <param name="Timestamp">When.</param>
/// <param name="HistoryItemType">StateUpdate or ConfigurationUpdate.</param>
/// <param name="HistorySummary">One line ("Alarm updated from OK to ALARM").</param>
/// <param name="HistoryData">The details, as CloudWatch's historyData JSON.</param>
/// <param name="Version">Its position in the alarm's stream.</param>
public sealed record AlarmHistoryItem(string AlarmName, DateTimeOffset Timestamp, string HistoryItemType, string HistorySummary, JsonObject HistoryData, long Version)
{
    public const string StateUpdate = "StateUpdate";
    public const string ConfigurationUpdate = "ConfigurationUpdate";

    /// <summary>The stream's events as history items, newest first (each transition with the state it left and why).</summary>
    public static IEnumerable<AlarmHistoryItem> From(string name, IReadOnlyList<RecordedEvent> events)
    {
        var items = new List<AlarmHistoryItem>(events.Count);
        var state = new JsonObject { ["stateValue"] = AlarmStates.InsufficientData, ["stateReason"] = AlarmStateMachine.InitialReason };
        foreach (var recorded in events)
        {
            switch (recorded.Data)
            {
                case AlarmConfigured configured:
                    var spec = JsonSerializer.SerializeToNode(configured.Spec, PlatformJson.Options);
                    items.Add(new(name, recorded.RecordedAt, ConfigurationUpdate,
                        $"Alarm \"{name}\" {(configured.Created ? "created" : "updated")}",
                        new JsonObject
                        {
                            ["version"] = "1.0",
                            ["type"] = configured.Created ? "Create" : "Update",
                            [configured.Created ? "createdAlarm" : "updatedAlarm"] = spec,
                        }, recorded.StreamVersion));
                    if (configured.Created)
                    {
                        state = new JsonObject { ["stateValue"] = AlarmStates.InsufficientData, ["stateReason"] = AlarmStateMachine.InitialReason };
                    }
                    break;
                case AlarmRemoved:
                    items.Add(new(name, recorded.RecordedAt, ConfigurationUpdate, $"Alarm \"{name}\" deleted",
                        new JsonObject { ["version"] = "1.0", ["type"] = "Delete" }, recorded.StreamVersion));
                    break;
                case AlarmStateChanged changed:
                    var newState = new JsonObject { ["stateValue"] = changed.NewState, ["stateReason"] = changed.Reason };
                    if (changed.ReasonData is not null)
                    {
                        newState["stateReasonData"] = JsonNode.Parse(changed.ReasonData);
                    }
                    items.Add(new(name, changed.Timestamp, StateUpdate, $"Alarm updated from {changed.OldState} to {changed.NewState}",
                        new JsonObject { ["version"] = "1.0", ["oldState"] = state.DeepClone(), ["newState"] = newState }, recorded.StreamVersion));
                    state = newState;
                    break;
            }
        }
        items.Reverse();
        return items;
    }
}

namespace Platform.Console.Pages.Alarms;

/// <summary>An alarm: its state, definition and history.</summary>
public sealed class DetailModel(AlertingApi alerting) : ConsolePage
{
    [FromRoute]
    public string Name { get; set; } = "";

    public AlarmState? Alarm { get; private set; }

    public IReadOnlyList<AlarmHistoryItem> History { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Alarm = await TryAsync(ct => alerting.AlarmAsync(Name, ct));
        History = (await TryAsync(ct => alerting.AlarmHistoryAsync(Name, ct)))?.Items ?? [];
    }
}

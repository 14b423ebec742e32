namespace Platform.Console.Pages.Alarms;

/// <summary>Every alarm with its state.</summary>
public sealed class IndexModel(AlertingApi alerting) : ConsolePage
{
    public IReadOnlyList<AlarmState> Alarms { get; private set; } = [];

    public async Task OnGetAsync() => Alarms = (await TryAsync(alerting.AlarmsAsync))?.Items ?? [];
}

namespace Platform.Console.Pages.Events;

/// <summary>A stored event with its original record, as ingestion keeps it.</summary>
public sealed class DetailModel(IngestionApi ingestion) : ConsolePage
{
    [FromRoute]
    public string Id { get; set; } = "";

    public StoredEvent? Event { get; private set; }

    /// <summary>The original record, indented when it is JSON.</summary>
    public string? Record { get; private set; }

    public async Task OnGetAsync()
    {
        Event = await TryAsync(ct => ingestion.EventAsync(Id, ct));
        Record = Event?.Record is { } record ? Indented(record) : null;
    }

    private static string Indented(string record)
    {
        try
        {
            using var document = JsonDocument.Parse(record);
            return JsonSerializer.Serialize(document.RootElement, new JsonSerializerOptions { WriteIndented = true });
        }
        catch (JsonException)
        {
            return record;
        }
    }
}

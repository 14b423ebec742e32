namespace Platform.Console.Pages.Compliance;

/// <summary>What happened to one resource: configuration changes, verdicts and remediations, in order.</summary>
public sealed class TimelineModel(ComplianceApi compliance) : ConsolePage
{
    [FromQuery]
    public string? ResourceType { get; set; }

    [FromQuery]
    public string? ResourceId { get; set; }

    public IReadOnlyList<TimelineEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(ResourceType))
        {
            errors.Add("resourceType", "is required (AWS::S3::Bucket, ...)");
        }
        if (string.IsNullOrWhiteSpace(ResourceId))
        {
            errors.Add("resourceId", "is required");
        }
        if (errors.HasErrors)
        {
            Error = errors.ToString();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        Entries = await TryAsync(ct => compliance.TimelineAsync(ResourceType!.Trim(), ResourceId!.Trim(), ct)) ?? [];
    }
}

namespace Platform.Console.Pages.Rules;

/// <summary>Detection rules with their matches in the last 24 hours, and the rules that failed to load.</summary>
public sealed class IndexModel(DetectionApi detection) : ConsolePage
{
    public DetectionRules? Rules { get; private set; }

    public async Task OnGetAsync() => Rules = await TryAsync(detection.RulesAsync);
}

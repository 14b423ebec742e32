using System.Text;
using Platform.FilterPatterns;

namespace Platform.Alerting.Api;

/// <summary>
/// <c>POST /v1/metric-filters/test</c>, AWS's <c>TestMetricFilter</c>: try a filter pattern on sample messages before
/// provisioning it, with the same parser and matcher the metric filters run.
/// </summary>
public static class MetricFiltersApi
{
    /// <summary>TestMetricFilter's limit on messages per request.</summary>
    public const int MaxMessages = 50;

    /// <summary>CloudWatch Logs' limit on one log event (256 KiB); larger messages could never be ingested.</summary>
    public const int MaxMessageBytes = 256 * 1024;

    /// <summary>Room for <see cref="MaxMessages"/> messages of the largest size, escaped, and the pattern.</summary>
    private const long MaxBodyBytes = MaxMessages * (long)MaxMessageBytes * 2 + JsonBody.DefaultMaxBytes;

    public static RouteGroupBuilder MapMetricFiltersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/metric-filters").WithTags("Metric filters").RequireAuthorization(PlatformPolicies.Read);
        group.MapPost("/test", TestAsync)
            .WithOperation("TestMetricFilter", "Which of the given log event messages a filter pattern matches, and the values it extracts (like AWS's TestMetricFilter)",
                $"{{\"filterPattern\": \"{{ $.status = \\\"FAILED\\\" }}\", \"logEventMessages\": [\"...\"]}}: 1 to {MaxMessages} messages of at most " +
                $"{MaxMessageBytes} bytes; a pattern CloudWatch Logs would refuse answers 400 naming filterPattern, the character " +
                "position and the reason.")
            .Produces<TestMetricFilterResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return group;
    }

    public static async Task<IResult> TestAsync(
        HttpContext http, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<TestMetricFilterRequest>(http, JsonBody.RequestOptions, cancellationToken, MaxBodyBytes);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        var request = body.Value;
        var errors = new ValidationErrors();
        FilterPattern? pattern = null;
        if (request?.FilterPattern is not { } text)
        {
            errors.Add("filterPattern", "is required");
        }
        else if ((pattern = FilterPattern.TryParse(text, out var error)) is null)
        {
            errors.Add("filterPattern", error!.ToString());
        }
        var messages = request?.LogEventMessages ?? [];
        if (messages.Count is 0 or > MaxMessages)
        {
            errors.Add("logEventMessages", $"holds {messages.Count} messages: 1 to {MaxMessages}");
        }
        for (var i = 0; i < messages.Count; i++)
        {
            if (string.IsNullOrEmpty(messages[i]))
            {
                errors.Add($"logEventMessages[{i}]", "is empty: a log event message holds at least one character");
            }
            else if (Encoding.UTF8.GetByteCount(messages[i]!) > MaxMessageBytes)
            {
                errors.Add($"logEventMessages[{i}]", $"is larger than {MaxMessageBytes} bytes");
            }
        }
        if (errors.HasErrors)
        {
            return errors.ToProblem();
        }

        var matches = messages
            .Select((message, index) => (Number: index + 1, Message: message!, Match: pattern!.Match(message!)))
            .Where(m => m.Match.IsMatch)
            .Select(m => new MetricFilterMatch(m.Number, m.Message, m.Match.ExtractedValues))
            .ToList();
        return TypedResults.Ok(new TestMetricFilterResponse(matches));
    }
}

/// <summary>TestMetricFilter's request.</summary>
/// <param name="FilterPattern">The CloudWatch Logs filter pattern to try.</param>
/// <param name="LogEventMessages">The messages to try it on (1 to 50).</param>
public sealed record TestMetricFilterRequest(string? FilterPattern, IReadOnlyList<string?>? LogEventMessages);

/// <summary>The messages that matched, in the order given.</summary>
public sealed record TestMetricFilterResponse(IReadOnlyList<MetricFilterMatch> Matches);

/// <summary>One matching message.</summary>
/// <param name="EventNumber">Its position in <c>logEventMessages</c>, from 1.</param>
/// <param name="EventMessage">The message.</param>
/// <param name="ExtractedValues">What the pattern extracted: <c>$name</c> (space-delimited) or <c>$.field</c> (JSON) to value.</param>
public sealed record MetricFilterMatch(int EventNumber, string EventMessage, IReadOnlyDictionary<string, string> ExtractedValues);

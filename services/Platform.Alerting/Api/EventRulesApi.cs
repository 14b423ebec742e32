using Platform.Alerting.EventRules;
using Platform.EventPatterns;

namespace Platform.Alerting.Api;

/// <summary>
/// <c>POST /v1/event-rules/test</c>, AWS's <c>TestEventPattern</c>: try an event pattern on an event before provisioning
/// a rule with it, with the same parser and matcher the event rules run.
/// </summary>
public static class EventRulesApi
{
    /// <summary>EventBridge's largest event (256 KiB).</summary>
    public const int MaxEventBytes = 256 * 1024;

    /// <summary>Room for the largest event, escaped as a JSON string, and the pattern.</summary>
    private const long MaxBodyBytes = MaxEventBytes * 2L + JsonBody.DefaultMaxBytes;

    public static RouteGroupBuilder MapEventRulesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/event-rules").WithTags("Event rules").RequireAuthorization(PlatformPolicies.Read);
        group.MapPost("/test", TestAsync)
            .WithOperation("TestEventPattern", "Whether an event matches an EventBridge event pattern (like AWS's TestEventPattern)",
                "{\"eventPattern\": \"{\\\"source\\\": [\\\"aws.iam\\\"]}\", \"event\": \"{...}\"}: each a JSON string, as TestEventPattern " +
                $"takes them, or the object itself. The event carries EventBridge's envelope ({string.Join(", ", EventEnvelope.RequiredFields)}) " +
                $"and is at most {MaxEventBytes} bytes. A pattern EventBridge would refuse answers 400 naming eventPattern, the JSON path " +
                "and the reason.")
            .Produces<TestEventPatternResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return group;
    }

    public static async Task<IResult> TestAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<TestEventPatternRequest>(http, JsonBody.RequestOptions, cancellationToken, MaxBodyBytes);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        EventPattern? pattern = null;
        if (body.Value?.EventPattern is not { } patternJson)
        {
            errors.Add("eventPattern", "is required");
        }
        else if ((pattern = EventPattern.TryParse(patternJson, out var error)) is null)
        {
            errors.Add("eventPattern", error!.ToString());
        }

        using var document = ReadEvent(body.Value?.Event, errors);
        if (errors.HasErrors)
        {
            return errors.ToProblem();
        }
        return TypedResults.Ok(new TestEventPatternResponse(pattern!.Matches(document!.RootElement)));
    }

    /// <summary>The event as a document: a JSON string's content or the object, with EventBridge's envelope.</summary>
    private static JsonDocument? ReadEvent(JsonElement? value, ValidationErrors errors)
    {
        const string field = "event";
        if (value is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            errors.Add(field, "is required");
            return null;
        }
        JsonDocument document;
        if (element.ValueKind == JsonValueKind.String)
        {
            var text = element.GetString()!;
            if (System.Text.Encoding.UTF8.GetByteCount(text) > MaxEventBytes)
            {
                errors.Add(field, $"is larger than {MaxEventBytes} bytes");
                return null;
            }
            try
            {
                document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = JsonBody.MaxDepth });
            }
            catch (JsonException ex)
            {
                errors.Add(field, $"is not valid JSON ({ex.Message.Split(" Path:", 2)[0]})");
                return null;
            }
        }
        else
        {
            document = JsonDocument.Parse(element.GetRawText());
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            errors.Add(field, "must be a JSON object");
            document.Dispose();
            return null;
        }
        var missing = EventEnvelope.RequiredFields.Where(f => !document.RootElement.TryGetProperty(f, out _)).ToList();
        if (missing.Count > 0)
        {
            errors.Add(field, $"lacks EventBridge's envelope field{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}");
            document.Dispose();
            return null;
        }
        return document;
    }
}

/// <summary>TestEventPattern's request.</summary>
/// <param name="EventPattern">The pattern: a JSON string, or the object itself.</param>
/// <param name="Event">The event: a JSON string, or the object itself.</param>
public sealed record TestEventPatternRequest(JsonElement? EventPattern, JsonElement? Event);

/// <summary>Whether the event matched.</summary>
public sealed record TestEventPatternResponse(bool Result);

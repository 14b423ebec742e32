using System.Security.Claims;
using Platform.Contracts.Detection;

namespace Platform.Provisioning.Resources;

/// <summary>
/// <c>/v1/{kind}</c> for sources, log groups, detection rules and suppression rules: list, get, put (create or
/// replace, idempotent, <c>If-Match</c>), delete and history. Reads need admin or analyst; writes need admin.
/// </summary>
public static class ResourcesApi
{
    private const int MaxAttempts = 3;

    public static IEndpointRouteBuilder MapResourcesApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        Map(v1, ResourceKinds.Sources, "Kinesis stream subscriptions (CloudWatch Logs subscription data) that ingestion consumes.",
            new SourceSpec("security-logs", null, "us-east-1", "http://127.0.0.1:54567", "TRIM_HORIZON", null, "aws-cloudtrail-logs", null));
        Map(v1, ResourceKinds.LogGroups, "CloudWatch Logs log groups: retention of their raw events, KMS key, tags. Names may hold '/': send it as %2F.",
            new LogGroupSpec(365, null, new Dictionary<string, string> { ["purpose"] = "security" }));
        Map(v1, ResourceKinds.DetectionRules,
            "Custom Sigma rules (a detection rule, or a correlation with its base rules). PUT takes the YAML itself " +
            "(Content-Type: application/yaml, text/yaml or application/x-yaml) or JSON {\"yaml\": \"...\", \"enabled\": true}.",
            new DetectionRuleSpec("title: Root account used\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  selection:\n    userIdentity.type: Root\n  condition: selection\nlevel: high\n"));
        Map(v1, ResourceKinds.SuppressionRules, "Criteria on finding fields; matching findings are suppressed with the reason, until the expiry.",
            new SuppressionRuleSpec(new Dictionary<string, IReadOnlyList<string>> { ["principal"] = ["arn:aws:iam::123456789012:role/scanner"] },
                "The vulnerability scanner's role probes on purpose.", null));
        Map(v1, ResourceKinds.EventRules,
            "EventBridge rules with their targets: put_rule's fields and put_targets' Targets, under AWS's names. EventPattern " +
            "is a JSON string or the object; matching CloudTrail records and platform events go to the targets.",
            new EventRuleSpec("iam-changes", """{"source":["aws.iam"],"detail-type":["AWS API Call via CloudTrail"]}""", "ENABLED", null, null,
                [new EventRuleTarget("iam-change-handler", "arn:aws:lambda:us-east-1:123456789012:function:iam-change-handler")]));
        Map(v1, ResourceKinds.MetricFilters,
            "CloudWatch Logs metric filters as put_metric_filter takes them; the pattern, metricValue and dimensions are checked " +
            "with the parser alerting runs (a bad pattern answers 400 naming filterPattern, the character position and the reason).",
            new MetricFilterSpec("/aws/security/auth", "FailedLogins", "{ $.status = \"FAILED\" && $.eventType = \"LOGIN\" }",
                [new MetricTransformationSpec("FailedLoginCount", "Security/Authentication", "1", 0, new Dictionary<string, string> { ["SourceIP"] = "$.sourceIP" })]));
        Map(v1, ResourceKinds.Alarms,
            "CloudWatch metric alarms as put_metric_alarm takes them (AWS's field names). The answer warns when no metric filter " +
            "publishes the metric with exactly the alarm's dimensions. State and history: the alerting service's /v1/alarms.",
            new AlarmSpec("HighFailedLogins", null, "FailedLoginCount", "Security/Authentication", null, "Sum", null, 300, 1, null, 10,
                "GreaterThanThreshold", null, ["arn:aws:sns:us-east-1:123456789012:security-alerts"], null, null, null, null));
        Map(v1, ResourceKinds.Topics,
            "SNS topics: subscriptions as Subscribe takes them (http/https webhooks signed with HMAC-SHA256, slack, sqs, email). " +
            "Alarm actions, rule targets and subscription filters name a topic by SNS ARN or by name.",
            new TopicSpec([new TopicSubscription(TopicProtocols.Https, "https://hooks.example.com/security")]));
        Map(v1, ResourceKinds.Functions, "What stands for a Lambda function: an HTTPS endpoint invoked with the payload Lambda would receive.",
            new FunctionSpec("https://functions.example.com/process-logs"));
        Map(v1, ResourceKinds.SubscriptionFilters,
            "CloudWatch Logs subscription filters as put_subscription_filter takes them: matching events of the log group go to the destination.",
            new SubscriptionFilterSpec("/aws/security/application", "security-events", "[ERROR, WARN, CRITICAL]",
                "arn:aws:lambda:us-east-1:123456789012:function:process-logs"));
        Map(v1, ResourceKinds.ConfigRules,
            "AWS Config rules as put_config_rule takes its ConfigRule: Owner AWS (a managed rule), CUSTOM_LAMBDA (a function) or " +
            "CUSTOM_POLICY (a Sigma rule over configuration items, or a built-in policy); checked with the compiler compliance runs.",
            new ConfigRuleSpec("s3-bucket-server-side-encryption-enabled", null, new ConfigRuleSource("AWS", "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED")));
        Map(v1, ResourceKinds.Remediations,
            "Remediation configurations as put_remediation_configurations takes one, named after their config rule: an SSM document " +
            "the platform performs (AWS-EnableS3BucketEncryption) or a function, with attempts and retry interval.",
            new RemediationSpec("s3-bucket-server-side-encryption-enabled", "SSM_DOCUMENT", "AWS-EnableS3BucketEncryption", Parameters: new Dictionary<string, RemediationParameterValue>
            {
                ["BucketName"] = new(ResourceValue: new RemediationResourceValue("RESOURCE_ID")),
                ["SSEAlgorithm"] = new(StaticValue: new RemediationStaticValue(["AES256"])),
            }, Automatic: true, MaximumAutomaticAttempts: 3, RetryAttemptSeconds: 60));
        Map(v1, ResourceKinds.EventDataStores,
            "CloudTrail Lake event data stores as create_event_data_store takes them: the CloudTrail events their AdvancedEventSelectors " +
            "choose, within RetentionPeriod days, queried with SQL on ingestion's /v1/sql-queries (FROM <name>, its id or ARN). " +
            "TerminationProtectionEnabled (default true) refuses DELETE with 409.",
            new EventDataStoreSpec("security-events", 365, true));
        Map(v1, ResourceKinds.RuleSettings,
            "A detection rule's settings by rule id: its disposition (alert pages; signal is kept, searchable and usable by " +
            "correlations, not paged) and whether it runs, applied live by detection over what the rule's files say.",
            new RuleSettingSpec("905d389b-b853-46d0-9d3d-dea0d3a3cd49", FindingDisposition.Alert));
        Map(v1, ResourceKinds.SavedQueries,
            "Saved queries as put_query_definition takes them (queryString, logGroupNames) with their language (logs-insights, the default, " +
            "or sql): compiled at the door with the code ingestion runs them with (a query that cannot run answers 400 naming queryString " +
            "and the position). Listed and run by name on ingestion's /v1/saved-queries.",
            new SavedQuerySpec(SavedQueryExample, ["/aws/cloudtrail/logs"], SavedQueryLanguages.LogsInsights, Description: "Failed calls by principal."));
        Map(v1, ResourceKinds.Dashboards,
            "CloudWatch dashboards as put_dashboard takes them: DashboardName and DashboardBody (the body JSON, as a string) with " +
            "metric, log, text and alarm widgets and the platform's findings and compliance widgets; checked with the reader the " +
            "console draws them with (a wrong body answers 400 naming the widget's field). Drawn at the console's /dashboards/{name}.",
            new DashboardSpec("SecurityOverview",
                """{"widgets":[{"type":"metric","properties":{"title":"Failed logins","metrics":[["Security/Authentication","FailedLoginCount"]],"period":300,"stat":"Sum"}}]}"""));
        return app;
    }

    private const string SavedQueryExample =
        "fields @timestamp, eventName, userIdentity.arn | filter errorCode like /Unauthorized|AccessDenied/ | stats count(*) as failedAttempts by userIdentity.arn";

    private static void Map<TSpec>(RouteGroupBuilder v1, ResourceKind<TSpec> kind, string what, TSpec example) where TSpec : class
    {
        var group = v1.MapGroup($"/{kind.Name}").WithTags(kind.Name);
        var exampleJson = JsonSerializer.SerializeToNode(example, PlatformJson.Options);

        group.MapGet("/", (ResourceStore store, CancellationToken ct) => ListAsync(kind, store, ct))
            .RequireAuthorization(PlatformPolicies.Read)
            .WithOperation($"list-{kind.Name}", $"List {kind.Name}", what);

        group.MapGet("/{name}", (string name, HttpContext http, ResourceStore store, CancellationToken ct) => GetAsync(kind, name, http, store, ct))
            .RequireAuthorization(PlatformPolicies.Read)
            .WithOperation($"get-{kind.Name}", $"Get one of the {kind.Name}", "The current resource, with its version as the ETag header.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut("/{name}", (string name, HttpRequest request, ResourceStore store, CancellationToken ct) => PutAsync(kind, name, request, store, ct))
            .RequireAuthorization(PlatformPolicies.Administer)
            .WithOperation($"put-{kind.Name}", $"Create or replace one of the {kind.Name}",
                "Idempotent: the same spec again changes nothing (200, same version). 201 when created, 200 when changed. " +
                "The answer's warnings list what is valid but will not work as it may seem (an alarm on a metric no filter publishes). " +
                "If-Match with the ETag makes it conditional (412 when stale); If-None-Match: * creates only. " +
                "400 names each invalid field and why. The change is published as " +
                $"{kind.Provisioned("x", example, 1).GetType().Name}.")
            .Accepts<TSpec>(RequestBodies.Json, kind is DetectionRuleKind ? [.. RequestBodies.YamlMediaTypes] : [])
            .Produces<Resource<TSpec>>(StatusCodes.Status200OK)
            .Produces<Resource<TSpec>>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                if (operation.RequestBody?.Content is { } content && content.TryGetValue(RequestBodies.Json, out var json))
                {
                    json.Example = exampleJson?.DeepClone();
                }
                return Task.CompletedTask;
            });

        group.MapDelete("/{name}", (string name, HttpRequest request, ResourceStore store, CancellationToken ct) => DeleteAsync(kind, name, request, store, ct))
            .RequireAuthorization(PlatformPolicies.Administer)
            .WithOperation($"delete-{kind.Name}", $"Delete one of the {kind.Name}",
                $"Honours If-Match (412 when stale). 404 when absent; 409 when protected (an event data store's termination protection). Published as {kind.Deleted("x", 1).GetType().Name}.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        group.MapGet("/{name}/history", (string name, ResourceStore store, CancellationToken ct) => HistoryAsync(kind, name, store, ct))
            .RequireAuthorization(PlatformPolicies.Read)
            .WithOperation($"history-{kind.Name}", $"History of one of the {kind.Name}",
                "Every change, oldest first: what it set, who made it (the API key's name) and when.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static async Task<Ok<List<Resource<TSpec>>>> ListAsync<TSpec>(ResourceKind<TSpec> kind, ResourceStore store, CancellationToken cancellationToken)
        where TSpec : class =>
        TypedResults.Ok((await store.ListAsync(kind.Name, cancellationToken)).ConvertAll(row => ToResource(kind, row)));

    public static async Task<Results<Ok<Resource<TSpec>>, ValidationProblem, ProblemHttpResult>> GetAsync<TSpec>(
        ResourceKind<TSpec> kind, string path, HttpContext http, ResourceStore store, CancellationToken cancellationToken)
        where TSpec : class
    {
        if (ReadName(kind, path, out var name) is { } invalid)
        {
            return invalid;
        }
        var row = await store.FindAsync(kind.Name, name, cancellationToken);
        if (row is null)
        {
            return NotFound(kind.Name, name);
        }
        http.Response.Headers.ETag = Precondition.ETag(row.Version);
        return TypedResults.Ok(ToResource(kind, row));
    }

    public static async Task<IResult> PutAsync<TSpec>(
        ResourceKind<TSpec> kind, string path, HttpRequest request, ResourceStore store, CancellationToken cancellationToken)
        where TSpec : class
    {
        if (ReadName(kind, path, out var name) is { } invalid)
        {
            return invalid;
        }
        var errors = new ValidationErrors();
        if (Precondition.From(request, out var headerError) is not { } precondition)
        {
            return headerError!;
        }
        var body = await RequestBodies.ReadAsync(request, kind is DetectionRuleKind ? YamlAs.String : YamlAs.Refused, cancellationToken);
        if (body.Error is not null)
        {
            return body.Error;
        }
        if (kind.ReadSpec(body.Node, "", errors, request.HttpContext.RequestServices.GetRequiredService<ResourceSettings>()) is not { } spec)
        {
            return errors.ToProblem();
        }
        kind.ValidateNamed(name, spec, "", errors);
        if (errors.HasErrors)
        {
            return errors.ToProblem();
        }

        var actor = Actor(request.HttpContext);
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.FindAsync(kind.Name, name, cancellationToken);
            if (precondition.Check(current?.Version) is { } failed)
            {
                return Precondition.Failed(failed);
            }
            var restored = kind.Restored(spec, current is null ? null : JsonSerializer.Deserialize(current.Spec, kind.SpecType, PlatformJson.Options), "", errors);
            if (errors.HasErrors)
            {
                return errors.ToProblem();
            }
            try
            {
                var write = await store.StagePutAsync(kind, name, restored, current, actor, cancellationToken);
                if (write.Change != ResourceChange.Unchanged)
                {
                    await store.SaveAsync(cancellationToken);
                }
                request.HttpContext.Response.Headers.ETag = Precondition.ETag(write.Version);
                var warnings = await kind.WarningsAsync(name, restored, store, cancellationToken);
                var resource = ToResource(kind, (await store.FindAsync(kind.Name, name, cancellationToken))!) with
                {
                    Warnings = warnings.Count == 0 ? null : warnings,
                };
                return write.Change == ResourceChange.Created
                    ? TypedResults.Created($"/v1/{kind.Name}/{Uri.EscapeDataString(name)}", resource)
                    : TypedResults.Ok(resource);
            }
            catch (StreamConcurrencyException) when (precondition.IsEmpty && attempt < MaxAttempts)
            {
                // No condition asked for: last writer wins, so re-read and write again.
                store.Reset();
            }
            catch (StreamConcurrencyException)
            {
                return ConcurrentWrite(precondition);
            }
        }
    }

    public static async Task<IResult> DeleteAsync(
        ResourceKind kind, string path, HttpRequest request, ResourceStore store, CancellationToken cancellationToken)
    {
        if (ReadName(kind, path, out var name) is { } invalid)
        {
            return invalid;
        }
        if (Precondition.From(request, out var headerError) is not { } precondition)
        {
            return headerError!;
        }
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.FindAsync(kind.Name, name, cancellationToken);
            if (current is null)
            {
                return NotFound(kind.Name, name);
            }
            if (precondition.Check(current.Version) is { } failed)
            {
                return Precondition.Failed(failed);
            }
            try
            {
                await store.StageDeleteAsync(kind, current, Actor(request.HttpContext), cancellationToken);
                await store.SaveAsync(cancellationToken);
                return TypedResults.NoContent();
            }
            catch (StreamConcurrencyException) when (precondition.IsEmpty && attempt < MaxAttempts)
            {
                store.Reset();
            }
            catch (StreamConcurrencyException)
            {
                return ConcurrentWrite(precondition);
            }
            catch (ResourceProtectedException ex)
            {
                return Protected(ex);
            }
        }
    }

    public static async Task<Results<Ok<List<ResourceHistoryEntry<TSpec>>>, ValidationProblem, ProblemHttpResult>> HistoryAsync<TSpec>(
        ResourceKind<TSpec> kind, string path, ResourceStore store, CancellationToken cancellationToken)
        where TSpec : class
    {
        if (ReadName(kind, path, out var name) is { } invalid)
        {
            return invalid;
        }
        var events = await store.HistoryAsync(kind.Name, name, cancellationToken);
        if (events.Count == 0)
        {
            return NotFound(kind.Name, name);
        }
        var exists = false;
        var entries = new List<ResourceHistoryEntry<TSpec>>(events.Count);
        foreach (var recorded in events)
        {
            var spec = kind.SpecOf(recorded.Data) is { } set ? (TSpec)kind.Shown(set) : null;
            var change = spec is null ? "deleted" : exists ? "changed" : "created";
            exists = spec is not null;
            entries.Add(new ResourceHistoryEntry<TSpec>(recorded.StreamVersion, change, recorded.RecordedAt, recorded.Metadata.Actor, spec));
        }
        return TypedResults.Ok(entries);
    }

    /// <summary>
    /// The name in the path, unescaped (a log group's '/' travels as %2F), or a 400 naming it when no resource of
    /// <paramref name="kind"/> can have it: a read of such a name would otherwise reach the database with it.
    /// </summary>
    private static ValidationProblem? ReadName(ResourceKind kind, string path, out string name)
    {
        name = Uri.UnescapeDataString(path);
        return kind.ValidateName(name) is { } reason ? ProblemDetailsExtensions.FieldProblem("name", reason) : null;
    }

    /// <summary>The name of the key that made the call: it signs every change in the history.</summary>
    public static string Actor(HttpContext http) => http.User.FindFirstValue(ClaimTypes.Name) ?? "unknown";

    /// <summary>A stored resource shown through <paramref name="view"/>, its version the ETag; 404 when there is none.</summary>
    public static async Task<Results<Ok<TView>, ProblemHttpResult>> FindAsync<TView>(
        string kind, string name, Func<ResourceRow, TView> view, HttpContext http, ResourceStore store, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(kind, name, cancellationToken);
        if (row is null)
        {
            return NotFound(kind, name);
        }
        http.Response.Headers.ETag = Precondition.ETag(row.Version);
        return TypedResults.Ok(view(row));
    }

    public static ProblemHttpResult NotFound(string kind, string name) =>
        ProblemDetailsExtensions.NoSuch("resource", $"There is no {kind} named '{name}'.");

    public static ProblemHttpResult Protected(ResourceProtectedException refused) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Protected from deletion.", detail: refused.Message);

    public static ProblemHttpResult ConcurrentWrite(Precondition precondition) => precondition.IsEmpty
        ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Changed concurrently.",
            detail: "Other writers kept changing the resource; read it and try again.")
        : Precondition.Failed("Another writer changed the resource first.");

    private static Resource<TSpec> ToResource<TSpec>(ResourceKind<TSpec> kind, ResourceRow row) where TSpec : class =>
        new(row.Kind, row.Name, row.Version,
            (TSpec)kind.Shown(JsonSerializer.Deserialize<TSpec>(row.Spec, PlatformJson.Options)!),
            row.CreatedAt, row.CreatedBy, row.UpdatedAt, row.UpdatedBy);
}

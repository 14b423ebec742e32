using Platform.Compliance.Api;
using Platform.Compliance.Functions;
using Platform.Http;
using Platform.Messaging;

namespace Platform.Compliance.Tests;

/// <summary>
/// A CUSTOM_LAMBDA rule's function is invoked (a signed POST to a local listener) with the event Lambda would get, and
/// its verdicts are taken from its answer or from its call back to PutEvaluations with the ResultToken.
/// </summary>
[Collection(EvaluationCollection.Name)]
public sealed class Custom_lambda_rules(EvaluationHost host)
{
    private async Task<(string Rule, string Type)> ProvisionFunctionRuleAsync(WebhookListener listener)
    {
        var (function, rule, type) = (TestNames.Unique("fn"), TestNames.Unique("lambda"), EvaluationHost.UniqueType("Queue"));
        await host.PublishAsync(new FunctionProvisioned(function, new FunctionSpec(listener.Url), 1));
        var functions = host.Host.Services.GetRequiredService<LiveResources<FunctionSpec>>();
        Assert.NotNull(await Eventually.ObserveAsync(() => Task.FromResult(functions.Find(function)), f => f is not null));
        await host.ProvisionRuleAsync(rule, FakeConfigRuleCompiler.FunctionSpec($"arn:aws:lambda:us-east-1:123456789012:function:{function}", type));
        return (rule, type);
    }

    [Fact]
    public async Task The_function_is_invoked_signed_and_its_answered_evaluations_are_recorded()
    {
        await using var listener = await WebhookListener.StartAsync();
        listener.Answer = request =>
        {
            var invoking = JsonNode.Parse(JsonNode.Parse(request.Body)!["invokingEvent"]!.GetValue<string>())!["configurationItem"]!;
            return new JsonObject
            {
                ["Evaluations"] = new JsonArray(new JsonObject
                {
                    ["ComplianceResourceType"] = invoking["resourceType"]!.GetValue<string>(),
                    ["ComplianceResourceId"] = invoking["resourceId"]!.GetValue<string>(),
                    ["ComplianceType"] = "NON_COMPLIANT",
                    ["Annotation"] = "judged by the function",
                    ["OrderingTimestamp"] = invoking["configurationItemCaptureTime"]!.GetValue<string>(),
                }),
                ["ResultToken"] = JsonNode.Parse(request.Body)!["resultToken"]!.GetValue<string>(),
            }.ToJsonString();
        };
        var (rule, type) = await ProvisionFunctionRuleAsync(listener);

        await host.RecordAsync(EvaluationHost.Item(type, "queue-1", "666666666666", DateTimeOffset.UtcNow));
        var change = await host.WaitForChangeAsync(rule, "queue-1", ComplianceTypes.NonCompliant);

        Assert.Equal("judged by the function", change?.Annotation);
        var call = Assert.Single(listener.Received);
        Assert.Equal(SignedRequests.Sign(EvaluationHost.SigningSecret, call.Headers[SignedRequests.TimestampHeader], call.Body), call.Headers[SignedRequests.SignatureHeader]);
        var payload = JsonNode.Parse(call.Body)!;
        Assert.Equal((rule, "666666666666"), (payload["configRuleName"]!.GetValue<string>(), payload["accountId"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(payload["resultToken"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_function_that_calls_back_reports_through_PutEvaluations_with_its_result_token()
    {
        await using var listener = await WebhookListener.StartAsync();
        listener.Answer = _ => "null";
        var (rule, type) = await ProvisionFunctionRuleAsync(listener);
        await host.RecordAsync(EvaluationHost.Item(type, "queue-2", "777777777777", DateTimeOffset.UtcNow));
        var call = await Eventually.ObserveAsync(() => Task.FromResult(listener.Received.FirstOrDefault()), c => c is not null);
        var token = JsonNode.Parse(call!.Body)!["resultToken"]!.GetValue<string>();
        using var ingest = host.Host.CreateClient(EvaluationHost.IngestKey);

        object Evaluation(string complianceType) => new
        {
            Evaluations = new[] { new { ComplianceResourceType = type, ComplianceResourceId = "queue-2", ComplianceType = complianceType, OrderingTimestamp = DateTimeOffset.UtcNow } },
            ResultToken = token,
        };
        using var badType = await ingest.PostAsJsonAsync("/v1/evaluations", Evaluation("INSUFFICIENT_DATA"));
        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
        Assert.Contains("Evaluations[0].ComplianceType", await badType.Content.ReadAsStringAsync());
        using var badToken = await ingest.PostAsJsonAsync("/v1/evaluations", new { Evaluations = Array.Empty<object>(), ResultToken = "forged" });
        Assert.Equal(HttpStatusCode.BadRequest, badToken.StatusCode);
        Assert.Contains("ResultToken", await badToken.Content.ReadAsStringAsync());

        using var put = await ingest.PostAsJsonAsync("/v1/evaluations", Evaluation("COMPLIANT"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Empty((await put.Content.ReadFromJsonAsync<PutEvaluationsResponse>(PlatformJson.Options))!.FailedEvaluations);
        var change = await host.WaitForChangeAsync(rule, "queue-2", ComplianceTypes.Compliant);
        Assert.Equal("777777777777", change?.AwsAccountId);
    }
}

using System.Buffers.Text;
using System.Security.Cryptography;
using Platform.Compliance.Functions;
using Platform.ConfigRules;

namespace Platform.Compliance.Evaluation;

/// <summary>The rule, account and region a ResultToken was issued for.</summary>
public sealed record ResultTokenGrant(string ConfigRuleName, string AwsAccountId, string AwsRegion);

/// <summary>
/// The ResultTokens <c>CUSTOM_LAMBDA</c> functions are invoked with: random, stored with the rule, account and region
/// they stand for until they expire, so a function that calls back (<c>POST /v1/evaluations</c>) reports on exactly
/// that rule and account, from any instance.
/// </summary>
public sealed class ResultTokens(ComplianceDbContext db, EvaluationOptions options, TimeProvider clock)
{
    public async Task<string> IssueAsync(ResultTokenGrant grant, CancellationToken cancellationToken)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var expires = clock.GetUtcNow() + options.ResultTokenLifetime;
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO evaluation_result_tokens (token, config_rule_name, aws_account_id, aws_region, expires_at)
            VALUES ({token}, {grant.ConfigRuleName}, {grant.AwsAccountId}, {grant.AwsRegion}, {expires})
            """, cancellationToken);
        return token;
    }

    /// <summary>What <paramref name="token"/> was issued for; null when it is unknown or expired.</summary>
    public async Task<ResultTokenGrant?> FindAsync(string token, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return (await db.Database.SqlQuery<ResultTokenGrant>($"""
            SELECT config_rule_name, aws_account_id, aws_region
            FROM evaluation_result_tokens WHERE token = {token} AND expires_at > {now}
            """).ToListAsync(cancellationToken)).FirstOrDefault();
    }
}

/// <summary>
/// Invokes a <c>CUSTOM_LAMBDA</c> rule's function through <see cref="IFunctionCaller"/> with the event Lambda would get,
/// its ResultToken one of <see cref="ResultTokens"/>, and reads the verdicts it answers (<c>{"Evaluations": [...],
/// "ResultToken": ...}</c>, as put_evaluations takes them). A function that answers none reports later through
/// <c>POST /v1/evaluations</c>.
/// </summary>
public sealed class FunctionRuleInvoker(IFunctionCaller functions, IServiceScopeFactory scopes) : IConfigRuleFunctionInvoker
{
    public async Task<IReadOnlyList<RuleEvaluation>> InvokeAsync(string function, ConfigRuleInvocation invocation, CancellationToken cancellationToken)
    {
        string token;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var grant = new ResultTokenGrant(invocation.ConfigRuleName, invocation.AccountId, RegionOf(invocation));
            token = await scope.ServiceProvider.GetRequiredService<ResultTokens>().IssueAsync(grant, cancellationToken);
        }
        var payload = JsonSerializer.SerializeToElement(invocation with { ResultToken = token });
        if (await functions.InvokeAsync(function, payload, cancellationToken) is not { ValueKind: JsonValueKind.Object } answer
            || !answer.TryGetProperty("Evaluations", out _))
        {
            return [];
        }

        PutEvaluationsRequest? request;
        try
        {
            request = answer.Deserialize<PutEvaluationsRequest>(PlatformJson.Options);
        }
        catch (JsonException ex)
        {
            throw new FunctionCallException($"function '{function}' answered evaluations that are not as put_evaluations takes them: {JsonBody.Describe(ex, "").Field}", ex);
        }
        var errors = new ValidationErrors();
        var evaluations = request!.Read("", errors);
        return errors.HasErrors
            ? throw new FunctionCallException($"function '{function}' answered evaluations that are not as put_evaluations takes them: {errors}")
            : evaluations;
    }

    /// <summary>The region of the item the function is asked about (Lambda's invokingEvent carries it); <c>global</c> when none.</summary>
    private static string RegionOf(ConfigRuleInvocation invocation)
    {
        try
        {
            using var invoking = JsonDocument.Parse(invocation.InvokingEvent);
            return invoking.RootElement.ValueKind == JsonValueKind.Object
                   && invoking.RootElement.TryGetProperty("configurationItem", out var item) && item.ValueKind == JsonValueKind.Object
                   && item.TryGetProperty("awsRegion", out var region) && region.ValueKind == JsonValueKind.String
                ? region.GetString()!
                : EvaluationScopes.GlobalRegion;
        }
        catch (JsonException)
        {
            return EvaluationScopes.GlobalRegion;
        }
    }
}

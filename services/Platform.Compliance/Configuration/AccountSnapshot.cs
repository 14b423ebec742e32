using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Text.RegularExpressions;

namespace Platform.Compliance.Configuration;

/// <summary>
/// Account-level facts Config reads from the account rather than from an item: <c>POST /v1/account-snapshots</c>
/// <c>{"accountId", "awsRegion", "PasswordPolicy": {...}, "SummaryMap": {...}}</c>, the two objects exactly as IAM's
/// <c>GetAccountPasswordPolicy</c> and <c>GetAccountSummary</c> return them. They become the account's item
/// (<see cref="ConfigurationItem.AccountResourceType"/>, the account id as resource id).
/// </summary>
public static partial class AccountSnapshot
{
    /// <summary>Reads the request; the problem names the field when it is not a snapshot.</summary>
    public static ValidationProblem? TryRead(JsonNode? body, out string accountId, out string region, out JsonObject? passwordPolicy, out JsonObject? summaryMap)
    {
        accountId = region = "";
        passwordPolicy = summaryMap = null;
        if (body is not JsonObject obj)
        {
            return ProblemDetailsExtensions.FieldProblem("body", "is not a JSON object {\"accountId\", \"awsRegion\", \"PasswordPolicy\", \"SummaryMap\"}");
        }
        var errors = new ValidationErrors();
        if (obj["accountId"] is not JsonValue id || !id.TryGetValue<string>(out var account) || !AccountId().IsMatch(account))
        {
            errors.Add("accountId", "must be an AWS account id: 12 digits, as text");
        }
        else
        {
            accountId = account;
        }
        if (obj["awsRegion"] is not JsonValue r || !r.TryGetValue<string>(out var name) || !RegionName().IsMatch(name))
        {
            errors.Add("awsRegion", "must be a region name (us-east-1)");
        }
        else
        {
            region = name;
        }
        passwordPolicy = ReadObject(obj, "PasswordPolicy", errors);
        summaryMap = ReadObject(obj, "SummaryMap", errors);
        if (summaryMap is not null)
        {
            foreach (var (key, value) in summaryMap)
            {
                if (value is not JsonValue number || !number.TryGetValue<long>(out _))
                {
                    errors.Add($"SummaryMap.{key}", "must be a whole number, as GetAccountSummary gives it");
                }
            }
        }
        return errors.HasErrors ? errors.ToProblem() : null;
    }

    /// <summary>
    /// The account's item: <c>PasswordPolicy</c> null when the snapshot has none (the account has no password policy,
    /// recorded as such); <c>SummaryMap</c> the current item's when the snapshot leaves it out (not known now is not
    /// "changed").
    /// </summary>
    public static ConfigurationItem ToItem(
        string accountId, string region, JsonObject? passwordPolicy, JsonObject? summaryMap, DateTimeOffset capturedAt, ConfigurationItem? current)
    {
        var configuration = new JsonObject { ["PasswordPolicy"] = passwordPolicy?.DeepClone() };
        if (summaryMap is not null)
        {
            configuration["SummaryMap"] = summaryMap.DeepClone();
        }
        else if (current?.Configuration is { ValueKind: JsonValueKind.Object } known && known.TryGetProperty("SummaryMap", out var kept))
        {
            configuration["SummaryMap"] = JsonNode.Parse(kept.GetRawText());
        }
        return new ConfigurationItem(
            ConfigurationItem.AccountResourceType, accountId, accountId, accountId, region, null, null, capturedAt, "OK", null, null,
            JsonSerializer.SerializeToElement(configuration), null, current?.Tags ?? new Dictionary<string, string>(), []);
    }

    private static JsonObject? ReadObject(JsonObject obj, string name, ValidationErrors errors)
    {
        switch (obj[name])
        {
            case null:
                return null;
            case JsonObject value:
                return value;
            default:
                errors.Add(name, "must be an object, as IAM returns it (or absent)");
                return null;
        }
    }

    [GeneratedRegex(@"^[0-9]{12}$", RegexOptions.NonBacktracking)]
    private static partial Regex AccountId();

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-[0-9]+$", RegexOptions.NonBacktracking)]
    private static partial Regex RegionName();
}

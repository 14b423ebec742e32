using Platform.LogsInsights;
using Platform.SqlQueries;

namespace Platform.Provisioning.Kinds;

/// <summary>
/// <c>saved-queries</c>: Logs Insights and SQL queries saved by name, as <c>put_query_definition</c> takes them (plus their
/// language). Each is compiled at the door with the library ingestion runs it with, so a query that cannot run is
/// refused here with its position rather than when someone runs it. A SQL query may name an event data store not yet
/// provisioned: it is checked as if that store existed.
/// </summary>
public sealed class SavedQueryKind() : ResourceKind<SavedQuerySpec>(ProvisioningKinds.SavedQueries, (n, s, v) => new SavedQueryProvisioned(n, s, v), (n, v) => new SavedQueryDeleted(n, v))
{
    public override void ValidateNamed(string name, object spec, string field, ValidationErrors errors)
    {
        if (((SavedQuerySpec)spec).Name is { } given && given != name)
        {
            errors.Add(ValidationErrors.Field(field, "name"), $"must be the resource's name, '{name}', when given");
        }
    }

    protected override SavedQuerySpec Validate(SavedQuerySpec spec, string field, ValidationErrors errors)
    {
        var language = spec.Language ?? SavedQueryLanguages.LogsInsights;
        if (!SavedQueryLanguages.All.Contains(language))
        {
            errors.Add(ValidationErrors.Field(field, "language"), $"must be one of {string.Join(", ", SavedQueryLanguages.All)}");
        }
        if (spec.Description is { Length: > 1024 })
        {
            errors.Add(ValidationErrors.Field(field, "description"), "must be at most 1024 characters");
        }
        var queryField = ValidationErrors.Field(field, "queryString");
        if (string.IsNullOrWhiteSpace(spec.QueryString))
        {
            errors.Add(queryField, "is required");
        }
        else if (language == SavedQueryLanguages.Sql)
        {
            if (spec.LogGroupNames is not null)
            {
                errors.Add(ValidationErrors.Field(field, "logGroupNames"), "a SQL query names its table in FROM: give no log groups");
            }
            if (SqlQueryCompiler.Check(spec.QueryString, TimeProvider.System.GetUtcNow()) is { } error)
            {
                errors.Add(queryField, error.ToString());
            }
        }
        else if (language == SavedQueryLanguages.LogsInsights)
        {
            CheckInsights(spec, field, queryField, errors);
        }
        return spec with { Language = language };
    }

    private static void CheckInsights(SavedQuerySpec spec, string field, string queryField, ValidationErrors errors)
    {
        InsightsQuery query;
        try
        {
            query = InsightsParser.Parse(spec.QueryString!);
        }
        catch (InsightsSyntaxException ex)
        {
            errors.Add(queryField, ex.Message);
            return;
        }
        var groupsField = ValidationErrors.Field(field, "logGroupNames");
        var groups = spec.LogGroupNames ?? [];
        if (query.Source is null && groups.Count == 0)
        {
            errors.Add(groupsField, "is required unless the queryString starts with SOURCE");
        }
        else if (query.Source is not null && groups.Count > 0)
        {
            errors.Add(groupsField, "the queryString names its log groups with SOURCE: give them in one place");
        }
        if (groups.Count > InsightsCompiler.MaxLogGroups)
        {
            errors.Add(groupsField, $"holds {groups.Count} log groups: at most {InsightsCompiler.MaxLogGroups}");
        }
        for (var i = 0; i < groups.Count; i++)
        {
            if ((groups[i] is { } group ? LogGroupKind.ValidateLogGroupName(group) : "is required") is { } reason)
            {
                errors.Add($"{groupsField}[{i}]", reason);
            }
        }
        try
        {
            var now = TimeProvider.System.GetUtcNow();
            InsightsCompiler.Compile(query, new InsightsScope(now.AddHours(-1), now, [.. groups.OfType<string>()]));
        }
        catch (InsightsSyntaxException ex)
        {
            errors.Add(queryField, ex.Message);
        }
    }
}

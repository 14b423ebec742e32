namespace Platform.Compliance.Configuration;

/// <summary>
/// <see cref="IConfigurationItems"/> over the current-item read model (<c>configuration_items</c>), in the scope's
/// DbContext: inside a caller's transaction it sees what that transaction recorded.
/// </summary>
public sealed class ConfigurationItems(ComplianceDbContext db) : IConfigurationItems
{
    public async Task<ConfigurationItem?> FindAsync(string resourceType, string resourceId, CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQuery<string>(
                $"SELECT item::text AS \"Value\" FROM configuration_items WHERE resource_type = {resourceType} AND resource_id = {resourceId}")
            .ToListAsync(cancellationToken);
        return rows.Count == 0 ? null : Deserialize(rows[0]);
    }

    public async Task<IReadOnlyList<ConfigurationItem>> ListAsync(
        string? awsAccountId, IReadOnlyCollection<string> resourceTypes, CancellationToken cancellationToken)
    {
        var types = resourceTypes.ToArray();
        var rows = await db.Database.SqlQuery<string>(
                $"""
                 SELECT item::text AS "Value" FROM configuration_items
                 WHERE resource_type = ANY({types}) AND ({awsAccountId}::text IS NULL OR aws_account_id = {awsAccountId})
                 ORDER BY resource_type COLLATE "C", resource_id COLLATE "C"
                 """)
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(Deserialize);
    }

    public static ConfigurationItem Deserialize(string json) =>
        JsonSerializer.Deserialize<ConfigurationItem>(json, PlatformJson.Options)
        ?? throw new InvalidOperationException("A stored configuration item is null.");
}

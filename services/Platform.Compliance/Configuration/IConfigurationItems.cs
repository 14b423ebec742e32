namespace Platform.Compliance.Configuration;

/// <summary>
/// The current configuration of every recorded resource (the last item of each resource's configuration stream,
/// deleted ones included): what rule evaluation reads. The configuration part implements it over its read model.
/// </summary>
public interface IConfigurationItems
{
    /// <summary>The resource's current item; null when it was never recorded.</summary>
    Task<ConfigurationItem?> FindAsync(string resourceType, string resourceId, CancellationToken cancellationToken);

    /// <summary>
    /// The current items of <paramref name="resourceTypes"/>, of one account (or of all when
    /// <paramref name="awsAccountId"/> is null), deleted resources included, in (type, id) order.
    /// </summary>
    Task<IReadOnlyList<ConfigurationItem>> ListAsync(
        string? awsAccountId, IReadOnlyCollection<string> resourceTypes, CancellationToken cancellationToken);
}

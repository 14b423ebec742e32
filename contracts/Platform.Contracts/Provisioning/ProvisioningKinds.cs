namespace Platform.Contracts.Provisioning;

/// <summary>The kinds of resource the provisioning API manages, as they appear in its routes.</summary>
public static class ProvisioningKinds
{
    public const string Sources = "sources";
    public const string LogGroups = "log-groups";
    public const string DetectionRules = "detection-rules";
    public const string SuppressionRules = "suppression-rules";
    public const string ApiKeys = "api-keys";
    public const string EventRules = "event-rules";
    public const string MetricFilters = "metric-filters";
    public const string Alarms = "alarms";
    public const string Topics = "topics";
    public const string Functions = "functions";
    public const string SubscriptionFilters = "subscription-filters";
    public const string ConfigRules = "config-rules";
    public const string Remediations = "remediations";
    public const string EventDataStores = "event-data-stores";
    public const string RuleSettings = "rule-settings";
    public const string SavedQueries = "saved-queries";
}

namespace Platform.Provisioning.Kinds;

/// <summary>The kinds managed through the generic resource API and stacks (API keys have their own API).</summary>
public static class ResourceKinds
{
    public static readonly SourceKind Sources = new();
    public static readonly LogGroupKind LogGroups = new();
    public static readonly DetectionRuleKind DetectionRules = new();
    public static readonly SuppressionRuleKind SuppressionRules = new();
    public static readonly EventRuleKind EventRules = new();

    public static readonly MetricFilterKind MetricFilters = new();
    public static readonly AlarmKind Alarms = new();
    public static readonly TopicKind Topics = new();
    public static readonly FunctionKind Functions = new();
    public static readonly SubscriptionFilterKind SubscriptionFilters = new();
    public static readonly ConfigRuleKind ConfigRules = new();
    public static readonly RemediationKind Remediations = new();
    public static readonly EventDataStoreKind EventDataStores = new();
    public static readonly RuleSettingKind RuleSettings = new();
    public static readonly SavedQueryKind SavedQueries = new();

    public static readonly IReadOnlyList<ResourceKind> All = [
        Sources, LogGroups, DetectionRules, SuppressionRules,
        EventRules,
        MetricFilters,
        Alarms,
        Topics,
        Functions,
        SubscriptionFilters,
        ConfigRules,
        Remediations,
        EventDataStores,
        RuleSettings,
        SavedQueries,
    ];

    public static ResourceKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    /// <summary>Kinds that exist but cannot be declared in a stack.</summary>
    public static readonly IReadOnlyList<string> NotInStacks = [ProvisioningKinds.ApiKeys, StackKind];

    /// <summary>Stacks live in the same read model as resources, under this kind.</summary>
    public const string StackKind = "stacks";
}

namespace Platform.Detection.Rules;

/// <summary>
/// Rule settings (<c>rule-settings</c>) as provisioning changes them, applied to the <see cref="RuleCatalog"/>: a rule's
/// disposition (alert or signal) and whether it runs, live on every instance.
/// </summary>
public sealed class ProvisionedRuleSettings(RuleCatalog catalog, ProvisionedResourceVersions versions)
    : LiveKind<RuleSettingSpec>(ProvisioningKinds.RuleSettings, versions)
{
    protected override void Upsert(string name, RuleSettingSpec spec, long version) => catalog.UpsertSetting(name, spec);

    protected override void Remove(string name, long version) => catalog.RemoveSetting(name);
}

/// <summary>Registers rule settings: applied live on every instance, caught up at start.</summary>
public static class RuleSettingsExtensions
{
    public static IHostApplicationBuilder AddRuleSettings(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ProvisionedRuleSettings>();
        builder.Services.AddLiveConfiguration<ProvisionedRuleSettings, RuleSettingSpec>(ProvisioningKinds.RuleSettings);
        return builder;
    }

    public static void AddRuleSettingsConsumer(this IBusRegistrationConfigurator bus) =>
        bus.AddLiveConfigurationConsumer<ProvisionedRuleSettings, RuleSettingSpec, RuleSettingProvisioned, RuleSettingDeleted>();
}

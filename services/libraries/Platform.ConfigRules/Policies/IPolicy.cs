namespace Platform.ConfigRules.Policies;

/// <summary>The logic of a <c>CUSTOM_POLICY</c> rule: a verdict on one current configuration item.</summary>
public interface IPolicy
{
    Judgement Judge(ConfigurationItem item);
}

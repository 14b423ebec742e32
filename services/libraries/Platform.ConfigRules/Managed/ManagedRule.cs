namespace Platform.ConfigRules.Managed;

/// <summary>
/// One AWS managed rule as AWS Config documents it (its identifier, trigger, resource types, parameters and verdicts).
/// Adding a managed rule is one small subclass of <see cref="ChangeTriggeredRule"/> or <see cref="PeriodicAccountRule"/>
/// and one line in <see cref="ManagedRules"/>.
/// </summary>
public abstract class ManagedRule
{
    /// <summary>The <c>SourceIdentifier</c> (<c>S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED</c>).</summary>
    public abstract string Identifier { get; }

    /// <summary>Its documented parameters; any other is refused.</summary>
    public virtual IReadOnlyList<ManagedRuleParameter> Parameters => [];

    /// <summary>Whether it runs on a schedule (AWS's "Periodic" trigger type) rather than on configuration changes.</summary>
    public abstract bool IsPeriodic { get; }

    /// <summary>For change-triggered rules, the resource types it judges.</summary>
    public abstract IReadOnlyCollection<string> ResourceTypes { get; }

    /// <summary>For periodic rules, the resource types it reads to judge the account.</summary>
    public abstract IReadOnlyCollection<string> ContextResourceTypes { get; }

    /// <summary>Judges a run (never a deleted changed item of a change-triggered rule).</summary>
    internal abstract IReadOnlyList<RuleEvaluation> Evaluate(RuleInput input, ManagedRuleArguments arguments);
}

/// <summary>A managed rule triggered by a change to a resource of its types, judging that resource.</summary>
public abstract class ChangeTriggeredRule : ManagedRule
{
    public sealed override bool IsPeriodic => false;

    public sealed override IReadOnlyCollection<string> ContextResourceTypes => [];

    /// <summary>Judges one current (not deleted) item of the rule's types.</summary>
    protected abstract Judgement Judge(ConfigurationItem item, ManagedRuleArguments arguments);

    internal sealed override IReadOnlyList<RuleEvaluation> Evaluate(RuleInput input, ManagedRuleArguments arguments) =>
        input.ChangedItem is { } item ? [Judge(item, arguments).On(item)] : [];
}

/// <summary>
/// A periodic managed rule judging an account as a whole, reported on <c>AWS::::Account</c> with the account id, as AWS
/// Config reports them. A change to an item it reads re-judges the account at once instead of waiting for the schedule.
/// </summary>
public abstract class PeriodicAccountRule : ManagedRule
{
    public sealed override bool IsPeriodic => true;

    public sealed override IReadOnlyCollection<string> ResourceTypes => [];

    /// <summary>Judges the account from its current items.</summary>
    protected abstract Judgement Judge(AccountItems account, ManagedRuleArguments arguments);

    internal sealed override IReadOnlyList<RuleEvaluation> Evaluate(RuleInput input, ManagedRuleArguments arguments)
    {
        var judgement = Judge(new AccountItems(input), arguments);
        return [new RuleEvaluation(ConfigurationItem.AccountResourceType, input.AwsAccountId, judgement.ComplianceType, judgement.Annotation, input.Now)];
    }
}

/// <summary>
/// The current, not deleted, items of one account that a periodic rule reads: the run's <see cref="RuleInput.AccountItems"/>,
/// with the changed item (when a change triggered the run) in place of its older version.
/// </summary>
public sealed class AccountItems
{
    private readonly List<ConfigurationItem> _items;

    public AccountItems(RuleInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        AccountId = input.AwsAccountId;
        Region = input.AwsRegion;
        var changed = input.ChangedItem;
        _items = input.AccountItems
            .Where(i => changed is null || i.ResourceType != changed.ResourceType || i.ResourceId != changed.ResourceId)
            .Append(changed)
            .OfType<ConfigurationItem>()
            .Where(i => i.AwsAccountId == AccountId && !i.IsDeleted)
            .ToList();
    }

    public string AccountId { get; }

    /// <summary>The region the rule runs in.</summary>
    public string Region { get; }

    /// <summary>The account's own item (<c>AWS::::Account</c>: password policy, account summary); null when none was recorded.</summary>
    public ConfigurationItem? Account => _items.FirstOrDefault(i => i.ResourceType == ConfigurationItem.AccountResourceType && i.ResourceId == AccountId);

    public IEnumerable<ConfigurationItem> OfType(string resourceType) => _items.Where(i => i.ResourceType == resourceType);
}

namespace Platform.Provisioning.Stacks;

/// <summary>A resource of a stack document, read and validated.</summary>
public sealed record DeclaredResource(ResourceKind Kind, string Name, object Spec)
{
    public StackMember Member => new(Kind.Name, Name);
}

/// <summary>What applying a stack changes (or, in a dry run, would change).</summary>
public sealed record StackDiff(
    IReadOnlyList<StackMember> Create,
    IReadOnlyList<StackMember> Update,
    IReadOnlyList<StackMember> Delete,
    IReadOnlyList<StackMember> Unchanged);

/// <summary>The outcome of a stack PUT: the stack's version after it (before it, in a dry run) and the diff.</summary>
public sealed record StackApplyResult(string Name, long Version, bool DryRun, bool Created, StackDiff Diff);

/// <summary>
/// Monitoring as code: a stack is a document of many resources, applied as a whole. Everything is
/// validated first; then every change, the deletion of what the stack declared last time and no longer
/// does, and the stack's own event commit in one transaction.
/// </summary>
public sealed class StackApplier(ResourceStore store)
{
    private static readonly HashSet<string> EntryFields = ["kind", "name", "spec"];
    private static readonly HashSet<string> DocumentFields = ["resources", "description"];

    /// <summary>Reads <c>{resources: [{kind, name, spec}]}</c>; null when anything is wrong (<paramref name="errors"/> says what).</summary>
    public static IReadOnlyList<DeclaredResource>? Read(JsonNode? document, ResourceSettings settings, ValidationErrors errors)
    {
        if (document is not JsonObject root)
        {
            errors.Add("body", "must be a document with a 'resources' list of {kind, name, spec}");
            return null;
        }
        foreach (var (field, _) in root)
        {
            if (!DocumentFields.Contains(field))
            {
                errors.Add(field, "is not a field of a stack: use resources (and description)");
            }
        }
        if (root["resources"] is not JsonArray entries)
        {
            errors.Add("resources", "is required: a list of {kind, name, spec}");
            return null;
        }

        var before = errors.Count;
        var declared = new List<DeclaredResource>();
        var seen = new HashSet<StackMember>();
        for (var i = 0; i < entries.Count; i++)
        {
            var field = $"resources[{i}]";
            if (entries[i] is not JsonObject entry)
            {
                errors.Add(field, "must be {kind, name, spec}");
                continue;
            }
            foreach (var (key, _) in entry)
            {
                if (!EntryFields.Contains(key))
                {
                    errors.Add($"{field}.{key}", "is not a field of a stack entry: use kind, name, spec");
                }
            }

            var kindName = StringOf(entry["kind"]);
            var kind = kindName is null ? null : ResourceKinds.Find(kindName);
            if (kind is null)
            {
                errors.Add($"{field}.kind", kindName is not null && ResourceKinds.NotInStacks.Contains(kindName)
                    ? $"{kindName} cannot be declared in a stack"
                    : $"unknown kind '{kindName}': use {string.Join(", ", ResourceKinds.All.Select(k => k.Name))}");
                continue;
            }

            var name = StringOf(entry["name"]);
            if (name is null)
            {
                errors.Add($"{field}.name", "is required");
                continue;
            }
            if (kind.ValidateName(name) is { } nameReason)
            {
                errors.Add($"{field}.name", nameReason);
                continue;
            }
            if (!seen.Add(new StackMember(kind.Name, name)))
            {
                errors.Add($"{field}.name", $"{kind.Name} '{name}' is declared twice");
                continue;
            }

            if (kind.ReadSpec(entry["spec"], $"{field}.spec", errors, settings) is { } read)
            {
                // A stack is the whole truth of its resources: a masked secret (as reading shows it) stands for nothing here.
                var spec = kind.Restored(read, current: null, $"{field}.spec", errors);
                kind.ValidateNamed(name, spec, $"{field}.spec", errors);
                declared.Add(new DeclaredResource(kind, name, spec));
            }
        }
        return errors.Count == before ? declared : null;
    }

    /// <summary>
    /// Applies (or with <paramref name="dryRun"/> only plans) the stack. Null result with a reason when
    /// <paramref name="precondition"/> fails. Throws <c>StreamConcurrencyException</c> when another writer
    /// changed one of the resources meanwhile: nothing is applied then.
    /// </summary>
    public async Task<(StackApplyResult? Result, string? PreconditionFailure)> ApplyAsync(
        string name, IReadOnlyList<DeclaredResource> declared, bool dryRun, Precondition precondition, string actor,
        CancellationToken cancellationToken)
    {
        var stackRow = await store.FindAsync(ResourceKinds.StackKind, name, cancellationToken);
        if (precondition.Check(stackRow?.Version) is { } failed)
        {
            return (null, failed);
        }

        var previous = stackRow is null
            ? []
            : JsonSerializer.Deserialize<StackSpec>(stackRow.Spec, PlatformJson.Options)!.Resources;
        var members = declared.Select(d => d.Member).ToList();
        var removed = previous.Except(members).ToList();
        var rows = (await store.FindManyAsync(
                members.Concat(removed).Select(m => ResourceStore.StreamId(m.Kind, m.Name)).ToList(), cancellationToken))
            .ToDictionary(r => new StackMember(r.Kind, r.Name));

        List<StackMember> create = [], update = [], delete = [], unchanged = [];
        foreach (var resource in declared)
        {
            var row = rows.GetValueOrDefault(resource.Member);
            (row is null ? create
                : ResourceStore.SameSpec(row.Spec, resource.Kind.SerializeSpec(resource.Spec)) ? unchanged
                : update).Add(resource.Member);
        }
        delete.AddRange(removed.Where(rows.ContainsKey));
        var diff = new StackDiff(create, update, delete, unchanged);

        var sameMembers = stackRow is not null && previous.ToHashSet().SetEquals(members);
        if (dryRun || (sameMembers && create.Count + update.Count + delete.Count == 0))
        {
            return (new StackApplyResult(name, stackRow?.Version ?? 0, dryRun, Created: false, diff), null);
        }

        foreach (var resource in declared.Where(d => !unchanged.Contains(d.Member)))
        {
            await store.StagePutAsync(resource.Kind, resource.Name, resource.Spec, rows.GetValueOrDefault(resource.Member), actor, cancellationToken);
        }
        foreach (var member in delete)
        {
            await store.StageDeleteAsync(ResourceKinds.Find(member.Kind)!, rows[member], actor, cancellationToken);
        }
        var version = await store.StageAsync(ResourceKinds.StackKind, name, stackRow, _ => new StackApplied(name, members),
            JsonSerializer.Serialize(new StackSpec(members), PlatformJson.Options), actor, cancellationToken);
        await store.SaveAsync(cancellationToken);
        return (new StackApplyResult(name, version, DryRun: false, Created: stackRow is null, diff), null);
    }

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}

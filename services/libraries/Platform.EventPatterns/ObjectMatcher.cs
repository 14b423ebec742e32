namespace Platform.EventPatterns;

/// <summary>
/// One object of a pattern: every field must match, and every <c>$or</c> group must have a branch that matches.
/// A branch of <c>$or</c> is itself an object matcher on the same event object.
/// </summary>
internal sealed class ObjectMatcher(IReadOnlyList<FieldMatcher> fields, IReadOnlyList<IReadOnlyList<ObjectMatcher>> alternatives)
{
    public bool Matches(JsonElement value, int depth)
    {
        foreach (var field in fields)
        {
            if (!field.Matches(value, depth))
            {
                return false;
            }
        }
        foreach (var branches in alternatives)
        {
            var any = false;
            foreach (var branch in branches)
            {
                if (branch.Matches(value, depth))
                {
                    any = true;
                    break;
                }
            }
            if (!any)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether the pattern holds of an object that is not there: only when everything it asks is an absence.</summary>
    public bool MatchesAbsent() =>
        fields.All(f => f.MatchesAbsent()) && alternatives.All(branches => branches.Any(b => b.MatchesAbsent()));

    /// <summary>Whether the pattern names the field at <paramref name="path"/> (from <paramref name="index"/> on), here or in a branch of <c>$or</c>.</summary>
    public bool Names(IReadOnlyList<string> path, int index)
    {
        foreach (var field in fields.Where(f => f.Name == path[index]))
        {
            if (index == path.Count - 1 || field.Nested?.Names(path, index + 1) == true)
            {
                return true;
            }
        }
        return alternatives.Any(branches => branches.Any(b => b.Names(path, index)));
    }

    /// <summary>The exact strings a field of this object (outside <c>$or</c>) is fixed to, or null when it is not.</summary>
    public IReadOnlyList<string>? ExactStringsOf(string name)
    {
        var field = fields.FirstOrDefault(f => f.Name == name);
        if (field?.Values is not { } values)
        {
            return null;
        }
        var strings = new List<string>(values.Count);
        foreach (var value in values)
        {
            if (value is not ExactString exact)
            {
                return null;
            }
            strings.Add(exact.Value);
        }
        return strings;
    }
}

/// <summary>One field of a pattern object: a nested object pattern, or the values (and operators) it may take.</summary>
internal sealed class FieldMatcher(string name, ObjectMatcher? nested, IReadOnlyList<ValueMatcher>? values)
{
    public string Name { get; } = name;

    public IReadOnlyList<ValueMatcher>? Values { get; } = values;

    /// <summary>The object pattern of a nested field; null for a leaf.</summary>
    public ObjectMatcher? Nested => nested;

    public bool Matches(JsonElement parent, int depth)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(Name, out var value))
        {
            return MatchesAbsent();
        }
        return nested is not null ? MatchesNested(nested, value, depth + 1) : MatchesLeaf(value, depth);
    }

    public bool MatchesAbsent() => nested?.MatchesAbsent() ?? Values!.Any(v => v is Exists { Present: false });

    /// <summary>An object pattern against an object, or against each object of an array (all of it within one element).</summary>
    private static bool MatchesNested(ObjectMatcher pattern, JsonElement value, int depth)
    {
        if (depth > EventPattern.MaxDepth)
        {
            return false;
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                return pattern.Matches(value, depth);
            case JsonValueKind.Array:
                var sawObject = false;
                foreach (var element in value.EnumerateArray())
                {
                    if (element.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                    {
                        sawObject = true;
                        if (MatchesNested(pattern, element, depth + 1))
                        {
                            return true;
                        }
                    }
                }
                return !sawObject && pattern.MatchesAbsent();
            default:
                return pattern.MatchesAbsent();
        }
    }

    /// <summary>Values against a leaf: a scalar, or any scalar of an array (arrays of arrays flattened); objects are not leaves.</summary>
    private bool MatchesLeaf(JsonElement value, int depth)
    {
        var sawLeaf = false;
        var matched = MatchesAnyLeaf(value, depth, ref sawLeaf);
        return matched || (!sawLeaf && MatchesAbsent());
    }

    private bool MatchesAnyLeaf(JsonElement value, int depth, ref bool sawLeaf)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                return false;
            case JsonValueKind.Array:
                if (depth > EventPattern.MaxDepth)
                {
                    return false;
                }
                foreach (var element in value.EnumerateArray())
                {
                    if (MatchesAnyLeaf(element, depth + 1, ref sawLeaf))
                    {
                        return true;
                    }
                }
                return false;
            default:
                sawLeaf = true;
                foreach (var matcher in Values!)
                {
                    if (matcher.Matches(value))
                    {
                        return true;
                    }
                }
                return false;
        }
    }
}

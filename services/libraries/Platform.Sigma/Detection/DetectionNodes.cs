namespace Platform.Sigma.Detection;

/// <summary>A compiled piece of a detection: evaluated against the event document.</summary>
internal abstract class DetectionNode
{
    public abstract bool Evaluate(JsonElement document);

    /// <summary>
    /// The values <paramref name="field"/> must equal (case-insensitively) for this node to match, or null when
    /// the node does not require one. Used to index rules by eventName/eventSource.
    /// </summary>
    public virtual IReadOnlyCollection<string>? RequiredValues(string field) => null;
}

internal sealed class AndNode(DetectionNode[] operands) : DetectionNode
{
    public override bool Evaluate(JsonElement document)
    {
        foreach (var operand in operands)
        {
            if (!operand.Evaluate(document))
            {
                return false;
            }
        }

        return true;
    }

    // Every operand must hold, so any operand's requirement is the node's; the smallest is the most selective.
    public override IReadOnlyCollection<string>? RequiredValues(string field)
    {
        IReadOnlyCollection<string>? best = null;
        foreach (var operand in operands)
        {
            if (operand.RequiredValues(field) is { } values && (best is null || values.Count < best.Count))
            {
                best = values;
            }
        }

        return best;
    }
}

internal sealed class OrNode(DetectionNode[] operands) : DetectionNode
{
    public override bool Evaluate(JsonElement document)
    {
        foreach (var operand in operands)
        {
            if (operand.Evaluate(document))
            {
                return true;
            }
        }

        return false;
    }

    // Any operand may be the one that holds, so each must require a value; the requirement is their union.
    public override IReadOnlyCollection<string>? RequiredValues(string field)
    {
        var union = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var operand in operands)
        {
            if (operand.RequiredValues(field) is not { } values)
            {
                return null;
            }

            union.UnionWith(values);
        }

        return union;
    }
}

internal sealed class NotNode(DetectionNode operand) : DetectionNode
{
    public override bool Evaluate(JsonElement document) => !operand.Evaluate(document);
}

/// <summary>Some value at the path satisfies the matcher.</summary>
internal sealed class FieldNode(FieldPath path, TextMatcher matcher) : DetectionNode
{
    public override bool Evaluate(JsonElement document) => path.Any(document, matcher);

    public override IReadOnlyCollection<string>? RequiredValues(string field)
    {
        if (!path.IsTopLevel || path.Name != field)
        {
            return null;
        }

        return matcher switch
        {
            EqualsMatcher equals => [equals.Value],
            EqualsAnyMatcher equalsAny => equalsAny.Values,
            AnyTextMatcher any => RequiredValues(any.Matchers),
            _ => null,
        };
    }

    private static HashSet<string>? RequiredValues(TextMatcher[] matchers)
    {
        var values = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var matcher in matchers)
        {
            switch (matcher)
            {
                case EqualsMatcher equals:
                    values.Add(equals.Value);
                    break;
                case EqualsAnyMatcher equalsAny:
                    values.UnionWith(equalsAny.Values);
                    break;
                default:
                    return null;
            }
        }

        return values;
    }
}

/// <summary><c>field: null</c>: the field is absent or null.</summary>
internal sealed class NullNode(FieldPath path) : DetectionNode
{
    public override bool Evaluate(JsonElement document) => !path.Any(document, NonNullVisitor.Instance);
}

/// <summary><c>field|exists: true/false</c>: presence only, whatever the value (null included).</summary>
internal sealed class ExistsNode(FieldPath path, bool expected) : DetectionNode
{
    public override bool Evaluate(JsonElement document) => path.Any(document, PresenceVisitor.Instance) == expected;
}

/// <summary>Keyword search: the matcher holds for some string, number or boolean anywhere in the document.</summary>
internal sealed class KeywordNode(TextMatcher matcher) : DetectionNode
{
    public override bool Evaluate(JsonElement document) => AnyScalar(document);

    private bool AnyScalar(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (AnyScalar(property.Value))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (AnyScalar(item))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return false;
            default:
                return matcher.Visit(element);
        }
    }
}

internal enum FieldReferenceComparison
{
    Equals,
    StartsWith,
    EndsWith,
    Contains,
}

/// <summary><c>field|fieldref: other</c>: some value of the field compares to some value of the other field.</summary>
internal sealed class FieldReferenceNode(FieldPath path, FieldPath referenced, FieldReferenceComparison comparison, StringComparison stringComparison)
    : DetectionNode
{
    public override bool Evaluate(JsonElement document)
    {
        // Rare and cheap enough to allocate: collect the referenced values, then test the field's values against them.
        var collector = new TextCollector();
        referenced.Any(document, collector);
        if (collector.Values.Count == 0)
        {
            return false;
        }

        return path.Any(document, new ReferenceVisitor(collector.Values, comparison, stringComparison));
    }

    private sealed class TextCollector : LeafVisitor
    {
        public List<string> Values { get; } = [];

        public override bool Visit(JsonElement leaf)
        {
            if (leaf.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in leaf.EnumerateArray())
                {
                    Visit(item);
                }
            }
            else if (ScalarText(leaf) is { } text)
            {
                Values.Add(text);
            }

            return false;
        }
    }

    private sealed class ReferenceVisitor(List<string> references, FieldReferenceComparison comparison, StringComparison stringComparison) : LeafVisitor
    {
        public override bool Visit(JsonElement leaf)
        {
            if (leaf.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in leaf.EnumerateArray())
                {
                    if (Visit(item))
                    {
                        return true;
                    }
                }
            }

            // Like a plain value modifier, contains/startswith/endswith on an array or object look at its JSON text.
            var text = leaf.ValueKind is JsonValueKind.Array or JsonValueKind.Object
                ? comparison == FieldReferenceComparison.Equals ? null : leaf.GetRawText()
                : ScalarText(leaf);
            return text is not null && Compare(text);
        }

        private bool Compare(string text)
        {
            foreach (var reference in references)
            {
                var matched = comparison switch
                {
                    FieldReferenceComparison.StartsWith => text.StartsWith(reference, stringComparison),
                    FieldReferenceComparison.EndsWith => text.EndsWith(reference, stringComparison),
                    FieldReferenceComparison.Contains => text.Contains(reference, stringComparison),
                    _ => string.Equals(text, reference, stringComparison),
                };
                if (matched)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private static string? ScalarText(JsonElement leaf) => leaf.ValueKind switch
    {
        JsonValueKind.String => leaf.GetString(),
        JsonValueKind.Number => leaf.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };
}

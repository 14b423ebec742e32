using YamlDotNet.Core.Events;

namespace Platform.Sigma.Yaml;

/// <summary>
/// Reads YAML from users (Sigma rules, provisioning's stacks and resources) within limits, so a small document
/// cannot exhaust memory or the stack. Aliases count once per use: a 300-byte "billion laughs" document of nested
/// aliases stands for tens of millions of nodes, which whoever walks or converts it would build. Nesting is bounded
/// before YamlDotNet's loader (which recurses per level) sees the document. The check reads the document's events
/// once, keeping only a size per anchor, so a refused document costs milliseconds and no memory.
/// </summary>
public static class BoundedYaml
{
    /// <summary>Deepest nesting of collections, as System.Text.Json allows for JSON by default.</summary>
    public const int MaxDepth = 64;

    /// <summary>Most nodes a document may stand for, aliases expanded: far above any rule or stack, far below harm.</summary>
    public const int MaxNodes = 100_000;

    /// <exception cref="YamlException">Not YAML, an alias to no complete anchor, or past a limit (the message names it).</exception>
    public static YamlStream Load(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        CheckLimits(yaml);
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream;
    }

    private static void CheckLimits(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var open = new Stack<Collection>();
        var anchors = new Dictionary<AnchorName, Extent>();
        long nodes = 0;

        void Add(Extent extent, ParsingEvent at)
        {
            nodes += extent.Nodes;
            if (nodes > MaxNodes)
            {
                throw new YamlException(at.Start, at.End, $"the document expands to more than {MaxNodes} nodes (an alias counts as often as it is used)");
            }

            if (open.Count + extent.Height > MaxDepth)
            {
                throw new YamlException(at.Start, at.End, $"the document nests deeper than {MaxDepth} levels");
            }

            if (open.TryPeek(out var parent))
            {
                parent.Nodes += extent.Nodes;
                parent.Height = Math.Max(parent.Height, extent.Height + 1);
            }
        }

        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case DocumentStart:
                    anchors.Clear();
                    break;
                case AnchorAlias alias:
                    Add(anchors.TryGetValue(alias.Value, out var target)
                        ? target
                        : throw new YamlException(alias.Start, alias.End, $"alias '*{alias.Value}' refers to no anchor completed before it"), alias);
                    break;
                case Scalar scalar:
                    Add(new Extent(1, 1), scalar);
                    Remember(anchors, scalar.Anchor, new Extent(1, 1));
                    break;
                case SequenceStart or MappingStart:
                    var start = (NodeEvent)parser.Current;
                    Add(new Extent(1, 1), start);
                    open.Push(new Collection(start.Anchor));
                    break;
                case SequenceEnd or MappingEnd:
                    var collection = open.Pop();
                    // The collection itself was counted when it started; its children when they were added.
                    Remember(anchors, collection.Anchor, new Extent(collection.Nodes, collection.Height));
                    if (open.TryPeek(out var parent))
                    {
                        parent.Nodes += collection.Nodes - 1;
                        parent.Height = Math.Max(parent.Height, collection.Height + 1);
                    }

                    break;
            }
        }
    }

    private static void Remember(Dictionary<AnchorName, Extent> anchors, AnchorName anchor, Extent extent)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor] = extent;
        }
    }

    /// <summary>What a node stands for, aliases expanded: how many nodes, and how many levels (itself included).</summary>
    private readonly record struct Extent(long Nodes, int Height);

    /// <summary>A collection still open: its anchor, and the extent of what it holds so far (itself included).</summary>
    private sealed class Collection(AnchorName anchor)
    {
        public AnchorName Anchor { get; } = anchor;

        public long Nodes { get; set; } = 1;

        public int Height { get; set; } = 1;
    }
}

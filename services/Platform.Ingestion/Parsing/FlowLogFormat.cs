using System.Collections.Frozen;

namespace Platform.Ingestion.Parsing;

/// <summary>
/// The fields of a VPC Flow Logs record, in order: the default (version 2) format, or a custom one given as
/// AWS writes it (<c>${version} ${account-id} ...</c>) or as the header line of a flow log file.
/// </summary>
public sealed class FlowLogFormat
{
    /// <summary>The fields AWS documents (versions 2 to 8) whose values are numbers.</summary>
    private static readonly FrozenSet<string> NumericFields = FrozenSet.ToFrozenSet(
        ["version", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "tcp-flags", "traffic-path"],
        StringComparer.Ordinal);

    /// <summary>Every field AWS documents, versions 2 to 8.</summary>
    private static readonly FrozenSet<string> KnownFields = FrozenSet.ToFrozenSet(
    [
        "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets",
        "bytes", "start", "end", "action", "log-status",
        "vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr",
        "region", "az-id", "sublocation-type", "sublocation-id",
        "pkt-src-aws-service", "pkt-dst-aws-service", "flow-direction", "traffic-path",
        "ecs-cluster-arn", "ecs-cluster-name", "ecs-container-instance-arn", "ecs-container-instance-id",
        "ecs-container-id", "ecs-second-container-id", "ecs-service-name", "ecs-task-definition-arn", "ecs-task-arn", "ecs-task-id",
        "reject-reason",
    ], StringComparer.Ordinal);

    public static FlowLogFormat Default { get; } = new(
        ["version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "action", "log-status"]);

    private FlowLogFormat(string[] fields)
    {
        Fields = fields;
        IsNumeric = fields.Select(NumericFields.Contains).ToArray();
        IndexOf = fields.Select((name, index) => (name, index))
            .GroupBy(f => f.name, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.First().index, StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Fields { get; }

    internal bool[] IsNumeric { get; }

    internal FrozenDictionary<string, int> IndexOf { get; }

    public string Template => string.Join(' ', Fields.Select(f => "${" + f + "}"));

    /// <summary>Parses AWS's custom format syntax: <c>${field}</c> tokens separated by spaces.</summary>
    /// <returns>Null on success, otherwise what is wrong with the template.</returns>
    public static string? TryParseTemplate(string template, out FlowLogFormat format)
    {
        format = Default;
        var tokens = template.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0)
        {
            return "the format is empty";
        }
        var fields = new string[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (!token.StartsWith("${", StringComparison.Ordinal) || !token.EndsWith('}') || !IsFieldName(token.AsSpan(2, token.Length - 3)))
            {
                return $"'{Truncate(token)}' is not a ${{field}} token";
            }
            fields[i] = token[2..^1];
        }
        format = new FlowLogFormat(fields);
        return null;
    }

    /// <summary>
    /// Recognises a flow log file's header line (<c>version account-id interface-id ...</c>): every token a field
    /// name, at least one of them a field AWS documents, and none a number.
    /// </summary>
    public static bool TryParseHeader(ReadOnlySpan<char> line, out FlowLogFormat format)
    {
        format = Default;
        var fields = new List<string>();
        var anyKnown = false;
        foreach (var range in line.Split(' '))
        {
            var token = line[range];
            if (token.IsEmpty)
            {
                continue;
            }
            if (!IsFieldName(token) || char.IsAsciiDigit(token[0]))
            {
                return false;
            }
            var name = token.ToString();
            anyKnown |= KnownFields.Contains(name);
            fields.Add(name);
        }
        if (fields.Count == 0 || !anyKnown)
        {
            return false;
        }
        format = new FlowLogFormat([.. fields]);
        return true;
    }

    private static bool IsFieldName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > 64)
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-' || c == '_'))
            {
                return false;
            }
        }
        return true;
    }

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "...";
}

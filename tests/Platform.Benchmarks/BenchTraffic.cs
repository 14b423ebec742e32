namespace Platform.Benchmarks;

/// <summary>
/// The CloudTrail traffic of <c>./platform bench</c>, from the real record shapes in ../shared/data, every event with a
/// fresh <c>eventID</c> and the current <c>eventTime</c>. Routine: read-only calls that match no shipped rule, spread
/// over 50 users; attack: the Stratus Red Team detonations' records as they are (their few principals again and again;
/// about a third match some rule). <c>attackPercent</c> of the events come from the attack records, the rest are routine.
/// </summary>
internal sealed class BenchTraffic
{
    private const int Users = 50;

    private readonly JsonObject[] _routine;
    private readonly JsonObject[] _attack;
    private readonly int _attackPercent;
    private long _made;
    private long _attackMade;

    public BenchTraffic(int attackPercent)
    {
        _attackPercent = attackPercent;
        _attack = SubscriptionMessages.StratusRecords();
        var ruleSet = RuleEvaluationBenchmark.ShippedRules();
        var quiet = RuleEvaluationBenchmark.CloudTrailRecords()
            .Where(r => ruleSet.Evaluate(new SigmaEvent(r, SigmaLogSources.CloudTrail)).Count == 0)
            .Select(r => JsonNode.Parse(r.GetRawText())!.AsObject())
            .ToList();
        _routine = [.. quiet.Where(r => r["readOnly"]?.GetValue<bool>() == true)];
        if (_routine.Length == 0)
        {
            _routine = [.. quiet];
        }
    }

    public string Describe() => _attackPercent >= 100
        ? $"attack-heavy: the {_attack.Length:N0} Stratus Red Team records cycled with fresh ids"
        : $"routine: {_routine.Length} read-only record shapes that match no rule, from {Users} users, with {_attackPercent}% of the {_attack.Length:N0} Stratus Red Team records mixed in";

    /// <summary>The next <paramref name="count"/> events as one CloudWatch Logs subscription payload, and their ids.</summary>
    public (byte[] Data, string[] EventIds) NextPayload(int count)
    {
        var ids = new string[count];
        var now = DateTimeOffset.UtcNow;
        var eventTime = now.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var events = new List<(string, long, JsonObject)>(count);
        for (var i = 0; i < count; i++, _made++)
        {
            JsonObject record;
            if (_made % 100 < _attackPercent)
            {
                record = _attack[(int)(_attackMade++ % _attack.Length)].DeepClone().AsObject();
            }
            else
            {
                record = _routine[(int)(_made % _routine.Length)].DeepClone().AsObject();
                if (record["userIdentity"] is JsonObject identity)
                {
                    identity["arn"] = $"arn:aws:iam::123456789012:user/routine-{_made % Users}";
                }
            }

            ids[i] = Guid.NewGuid().ToString();
            record["eventID"] = ids[i];
            record["eventTime"] = eventTime;
            events.Add((_made.ToString("D20", CultureInfo.InvariantCulture), now.ToUnixTimeMilliseconds(), record));
        }

        return (CloudTrailPayloads.Payload(events), ids);
    }
}

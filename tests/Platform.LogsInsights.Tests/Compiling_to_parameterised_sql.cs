namespace Platform.LogsInsights.Tests;

/// <summary>No text of the query reaches SQL text: every literal, field name, regex and log group is a parameter.</summary>
public sealed class Compiling_to_parameterised_sql
{
    /// <summary>Queries whose every user-chosen token contains <c>zq</c>, in every position a value or name can take.</summary>
    public static TheoryData<string> Queries => new()
    {
        "fields zqA, `zq b`, zqC.zqD as zqE | filter zqF = 'zq\"; DROP TABLE log_events; --' | sort zqE desc | limit 7",
        "filter zqA like /zq'||(SELECT 1)||'/ or zqB =~ /^zq$/ or zqC not like \"zq%\" or zqD in ['zq1', 'zq2'] or zqE in [1, 2]",
        "parse @message 'zq=* zq2=*' as zqA, zqB | stats count(*) as zqC by zqA, bin(5m) | sort zqC desc",
        "parse zqX /(?<zqA>zq[a-z]+)/ | filter ispresent(zqA) and strcontains(zqA, 'zqT') = 1 | display zqA",
        "stats count_distinct(zqA) as zqN, pct(zqB, 90) as zqP, earliest(zqC) as zqE, latest(zqD) as zqL, sum(zqF) / count(*) as zqM by datefloor(@timestamp, 1h) as zqT",
        "fields concat(toupper(zqA), 'zq-') as zqB, substr(zqC, 1, 2) as zqD, replace(zqE, 'zq1', 'zq2') as zqF | dedup zqB, zqD | limit 3",
        "filter isIpv4InSubnet(zqA, 'zq10.0.0.0/8') or isIpInSubnet(zqB, 'zq::1/128') or isValidIp(zqC) | fields fromMillis(zqD) as zqE, toMillis(@timestamp) + 1 as zqF",
        "SOURCE 'zq/aws/cloudtrail\\' OR 1=1 --', logGroups(namePrefix: ['zq/app']) | fields zqA | filter zqA > 3 and zqA <= 'zq'",
        "fields `zq\"); DELETE FROM log_events; --` as zqA | filter zqA != 'zq' | sort zqA",
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public void The_compiled_statement_holds_no_text_of_the_query(string text)
    {
        var compiled = InsightsCompiler.Compile(InsightsParser.Parse(text), new InsightsScope(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow, ["zq-group"]));

        foreach (var statement in new[] { compiled.Statement, compiled.Scope })
        {
            Assert.DoesNotContain("zq", statement.Text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(";", statement.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("--", statement.Text, StringComparison.Ordinal);
            var placeholders = System.Text.RegularExpressions.Regex.Matches(statement.Text, @"\$(\d+)").Select(m => int.Parse(m.Groups[1].Value)).ToHashSet();
            Assert.Equal(Enumerable.Range(1, statement.Parameters.Count).ToHashSet(), placeholders);
        }
        Assert.Contains(compiled.Statement.Parameters, p => p is string s && s.Contains("zq", StringComparison.Ordinal)
            || p is string[] a && a.Any(v => v.Contains("zq", StringComparison.Ordinal)));
    }

    [Fact]
    public void Field_paths_are_text_array_parameters_to_the_json_operator()
    {
        var compiled = InsightsCompiler.Compile(InsightsParser.Parse("fields requestParameters.bucketName.x"), new InsightsScope(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow, ["g"]));

        Assert.Contains(compiled.Statement.Parameters, p => p is string[] path && path.SequenceEqual(["requestParameters", "bucketName", "x"]));
        Assert.Matches(@"#>> \$\d+::text\[\]", compiled.Statement.Text);
    }

    [Fact]
    public void The_columns_are_the_names_the_user_sees_with_ptr_for_event_rows()
    {
        var scope = new InsightsScope(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow, ["g"]);

        Assert.Equal(["@timestamp", "@message", "@ptr"], InsightsCompiler.Compile(InsightsParser.Parse("filter a = 1"), scope).Statement.Columns);
        Assert.Equal(["eventName", "n", "count(*)"],
            InsightsCompiler.Compile(InsightsParser.Parse("stats count(*) as n, count(*) by eventName"), scope).Statement.Columns);
        Assert.Equal(["a", "@ptr"], InsightsCompiler.Compile(InsightsParser.Parse("fields a, b | display a"), scope).Statement.Columns);
    }
}

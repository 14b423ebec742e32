namespace Platform.LogsInsights.Tests;

/// <summary>Every command of the language parses into its tree, with the names its result columns take.</summary>
public sealed class Parsing_queries
{
    [Fact]
    public void The_seed_query_parses_into_its_five_commands()
    {
        var query = InsightsParser.Parse("""
            fields @timestamp, eventName, userIdentity.arn, sourceIPAddress
            | filter errorCode like /Unauthorized|AccessDenied/
            | stats count(*) as failedAttempts by userIdentity.arn
            | sort failedAttempts desc
            | limit 10
            """);

        Assert.Null(query.Source);
        var fields = Assert.IsType<FieldsCommand>(query.Commands[0]);
        Assert.Equal(["@timestamp", "eventName", "userIdentity.arn", "sourceIPAddress"], fields.Items.Select(i => i.Name));
        var filter = Assert.IsType<FilterCommand>(query.Commands[1]);
        var like = Assert.IsType<BinaryExpr>(filter.Condition);
        Assert.Equal("like", like.Operator);
        Assert.Equal("Unauthorized|AccessDenied", Assert.IsType<RegexExpr>(like.Right).Pattern);
        var stats = Assert.IsType<StatsCommand>(query.Commands[2]);
        Assert.Equal("failedAttempts", stats.Aggregates[0].Name);
        Assert.Equal(["userIdentity", "arn"], Assert.IsType<FieldExpr>(stats.By[0].Expression).Path);
        var sort = Assert.IsType<SortCommand>(query.Commands[3]);
        Assert.True(sort.Keys[0].Descending);
        Assert.Equal(10, Assert.IsType<LimitCommand>(query.Commands[4]).Count);
    }

    [Fact]
    public void A_source_prefix_names_log_groups_and_name_prefixes()
    {
        var query = InsightsParser.Parse("SOURCE '/aws/cloudtrail/logs', logGroups(namePrefix: [\"/aws/lambda\", '/app']) | fields @message");

        Assert.Equal(["/aws/cloudtrail/logs"], query.Source!.Names);
        Assert.Equal(["/aws/lambda", "/app"], query.Source.Prefixes);
    }

    [Theory]
    [InlineData("stats count(*) by bin(5m)", "count(*)", "bin(5m)")]
    [InlineData("stats count_distinct(sourceIPAddress) as ips, pct(bytes, 95) by eventSource", "ips", "eventSource")]
    [InlineData("stats earliest(@timestamp), latest(eventName) by `user name`", "earliest(@timestamp)", "user name")]
    [InlineData("stats sum(bytes) / count(*) as mean by datefloor(@timestamp, 1h)", "mean", "datefloor(@timestamp, 1h)")]
    public void Stats_name_their_columns_by_alias_or_as_written(string text, string aggregate, string by)
    {
        var stats = Assert.IsType<StatsCommand>(InsightsParser.Parse(text).Commands[0]);

        Assert.Equal(aggregate, stats.Aggregates[0].Name);
        Assert.Equal(by, stats.By[0].Name);
    }

    [Fact]
    public void Durations_are_seconds()
    {
        var stats = Assert.IsType<StatsCommand>(InsightsParser.Parse("stats count(*) by bin(5m), bin(2h), bin(30s), bin(1d)").Commands[0]);

        Assert.Equal([300L, 7200L, 30L, 86400L], stats.By.Select(b => ((DurationExpr)((CallExpr)b.Expression).Arguments[0]).Seconds));
    }

    [Fact]
    public void Filters_combine_comparisons_lists_and_negations_with_precedence()
    {
        var filter = Assert.IsType<FilterCommand>(InsightsParser.Parse(
            "filter a = 1 or not b in ['x', \"y\"] and c.d >= 2.5 and e not like 'z' and f =~ /^g+$/ and ispresent(h) and x != -3").Commands[0]);

        var or = Assert.IsType<BinaryExpr>(filter.Condition);
        Assert.Equal("or", or.Operator);
        Assert.Equal("a = 1", or.Left.Render());
        Assert.Equal("not b in [\"x\", \"y\"] and c.d >= 2.5 and not e like \"z\" and f =~ /^g+$/ and ispresent(h) and x != -3", or.Right.Render());
    }

    [Fact]
    public void Parse_with_a_glob_extracts_each_star_into_its_name()
    {
        var parse = Assert.IsType<ParseCommand>(InsightsParser.Parse("parse @message \"user=* ip=*\" as user, ip").Commands[0]);

        Assert.Equal(["user", "ip"], parse.Names);
        Assert.Equal("user\\=(.*?)\\ ip\\=(.*)$", parse.Pattern);
        Assert.Equal("@message", parse.Source.Render());
    }

    [Fact]
    public void Parse_with_a_regex_numbers_its_named_groups_and_drops_the_others()
    {
        var parse = Assert.IsType<ParseCommand>(InsightsParser.Parse(@"parse /(?<user>\w+)@(a|b)(?<host>[^(]+)\(x\)/").Commands[0]);

        Assert.Equal(["user", "host"], parse.Names);
        Assert.Equal(@"(\w+)@(?:a|b)([^(]+)\(x\)", parse.Pattern);
    }

    [Fact]
    public void Display_dedup_and_fields_with_functions_parse()
    {
        var query = InsightsParser.Parse(
            "fields concat(toupper(a), '-', substr(b, 1, 2)) as c, strlen(d) + abs(-1) * 2 ^ 2 as n # a comment\n| dedup c, n | display c");

        Assert.Equal(["c", "n"], Assert.IsType<FieldsCommand>(query.Commands[0]).Items.Select(i => i.Name));
        Assert.Equal(["c", "n"], Assert.IsType<DedupCommand>(query.Commands[1]).Fields.Select(f => f.Name));
        Assert.Equal(["c"], Assert.IsType<DisplayCommand>(query.Commands[2]).Fields.Select(f => f.Name));
    }

    [Fact]
    public void Keywords_and_functions_take_any_case()
    {
        var query = InsightsParser.Parse("FILTER a LIKE 'x' AND NOT isValidIpV4(b) | STATS COUNT(*) BY c | SORT c DESC | LIMIT 5");

        Assert.Equal(4, query.Commands.Count);
        Assert.Equal("isvalidipv4", ((CallExpr)((UnaryExpr)((BinaryExpr)((FilterCommand)query.Commands[0]).Condition).Right).Operand).Name);
    }
}

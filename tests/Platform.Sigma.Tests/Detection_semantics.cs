namespace Platform.Sigma.Tests;

public class Conditions
{
    private const string Selections = """
        selection_a:
            eventName: A
        selection_b:
            eventSource: b
        filter_x:
            awsRegion: x
        _private:
            userAgent: hidden
        """;

    private static SigmaRule Rule(string condition) => Sigma.Rule($"{Selections}\ncondition: {condition}");

    [Theory]
    [InlineData("selection_a and selection_b", """{"eventName":"A","eventSource":"b"}""", true)]
    [InlineData("selection_a and selection_b", """{"eventName":"A"}""", false)]
    [InlineData("selection_a or selection_b", """{"eventSource":"b"}""", true)]
    [InlineData("selection_a and not filter_x", """{"eventName":"A","awsRegion":"x"}""", false)]
    [InlineData("selection_a and not filter_x", """{"eventName":"A","awsRegion":"y"}""", true)]
    [InlineData("not selection_a or selection_b and filter_x", """{"eventName":"A","eventSource":"b","awsRegion":"x"}""", true)]
    [InlineData("(selection_a or selection_b) and filter_x", """{"eventSource":"b"}""", false)]
    [InlineData("1 of selection_*", """{"eventSource":"b"}""", true)]
    [InlineData("all of selection_*", """{"eventSource":"b"}""", false)]
    [InlineData("all of selection_*", """{"eventName":"A","eventSource":"b"}""", true)]
    [InlineData("1 of selection_* and not 1 of filter*", """{"eventName":"A","awsRegion":"x"}""", false)]
    [InlineData("1 of them", """{"awsRegion":"x"}""", true)]
    [InlineData("1 of them", """{"userAgent":"hidden"}""", false)]
    [InlineData("all of them", """{"eventName":"A","eventSource":"b","awsRegion":"x"}""", true)]
    [InlineData("_private", """{"userAgent":"hidden"}""", true)]
    public void Combine_search_identifiers_with_the_specified_precedence(string condition, string json, bool expected)
    {
        Assert.Equal(expected, Rule(condition).Matches(json));
    }

    [Fact]
    public void A_list_of_conditions_is_an_OR()
    {
        var rule = Sigma.Rule($"{Selections}\ncondition:\n    - selection_a\n    - selection_b");

        Assert.True(rule.Matches("""{"eventSource":"b"}"""));
    }

    [Theory]
    [InlineData("selection_a | count() > 5", "deprecated")]
    [InlineData("selection_a near selection_b", "near")]
    [InlineData("selection_c", "selection_c")]
    [InlineData("1 of nothing_*", "matches no search identifier")]
    [InlineData("2 of selection_*", "not supported")]
    [InlineData("selection_a and", "ends")]
    [InlineData("(selection_a", "missing ')'")]
    public void An_invalid_or_unsupported_condition_is_a_compile_error(string condition, string reason)
    {
        var error = Assert.Throws<SigmaRuleException>(() => Rule(condition));

        Assert.Contains(reason, error.Message);
    }
}

public class Selections
{
    [Fact]
    public void A_map_is_an_AND_of_its_fields_and_a_value_list_an_OR()
    {
        var rule = Sigma.Selection("eventSource: ec2.amazonaws.com\n    eventName:\n        - A\n        - B");

        rule.AssertMatches(["""{"eventSource":"ec2.amazonaws.com","eventName":"B"}"""], ["""{"eventSource":"s3.amazonaws.com","eventName":"B"}"""]);
    }

    [Fact]
    public void A_list_of_maps_is_an_OR()
    {
        var rule = Sigma.Selection("- eventSource: ssm.amazonaws.com\n    - sourceIPAddress: AWS Internal");

        rule.AssertMatches(["""{"sourceIPAddress":"AWS Internal"}"""], ["""{"sourceIPAddress":"1.2.3.4"}"""]);
    }

    [Fact]
    public void Null_matches_an_absent_or_null_field()
    {
        var rule = Sigma.Selection("errorCode: null");

        rule.AssertMatches(["""{"eventName":"x"}""", """{"errorCode":null}"""], ["""{"errorCode":"AccessDenied"}"""]);
    }

    [Fact]
    public void An_empty_string_matches_only_an_empty_value()
    {
        var rule = Sigma.Selection("errorCode: ''");

        rule.AssertMatches(["""{"errorCode":""}"""], ["""{"eventName":"x"}"""]);
    }

    [Fact]
    public void Keywords_search_every_value_of_the_event()
    {
        var rule = Sigma.Rule("keywords:\n    - 'trufflehog'\n    - 'pacu'\ncondition: keywords");

        rule.AssertMatches(
            ["""{"userAgent":"TruffleHog/3.0","eventName":"GetCallerIdentity"}""", """{"a":{"b":["x","Pacu framework"]}}"""],
            ["""{"userAgent":"aws-cli"}"""]);
    }

    [Fact]
    public void Keywords_with_all_require_every_keyword()
    {
        var rule = Sigma.Rule("keywords:\n    '|all':\n        - 'OabVirtualDirectory'\n        - ' -ExternalUrl '\ncondition: keywords");

        rule.AssertMatches(["""{"message":"Set-OabVirtualDirectory -ExternalUrl http://x"}"""], ["""{"message":"Set-OabVirtualDirectory"}"""]);
    }
}

public class Field_paths
{
    [Fact]
    public void A_dotted_name_reaches_into_nested_objects()
    {
        var rule = Sigma.Selection("userIdentity.sessionContext.sessionIssuer.type: Role");

        Assert.True(rule.Matches("""{"userIdentity":{"sessionContext":{"sessionIssuer":{"type":"Role"}}}}"""));
    }

    [Fact]
    public void A_name_that_literally_contains_dots_is_found_as_a_flat_key()
    {
        var rule = Sigma.Selection("http.response.status_code: 500");

        Assert.True(rule.Matches("""{"http.response.status_code":500}"""));
        Assert.True(rule.Matches("""{"http":{"response.status_code":"500"}}"""));
    }

    [Fact]
    public void A_path_through_an_array_matches_when_any_element_does()
    {
        var rule = Sigma.Selection("resources.ARN|endswith: ':trail/main'");

        rule.AssertMatches(["""{"resources":[{"ARN":"arn:x:bucket"},{"ARN":"arn:aws:cloudtrail:eu:1:trail/main"}]}"""], ["""{"resources":[]}"""]);
    }

    [Fact]
    public void A_field_holding_an_array_of_values_matches_when_any_value_does()
    {
        var rule = Sigma.Selection("tags: prod");

        Assert.True(rule.Matches("""{"tags":["dev","PROD"]}"""));
    }
}

public class Wildcards
{
    [Theory]
    [InlineData("Delete*", "DeleteTrail", true)]
    [InlineData("Delete*", "StopDelete", false)]
    [InlineData("*Trail", "DeleteTrail", true)]
    [InlineData("Del?te*", "DELETEtrail", true)]
    [InlineData("Del?te*", "Deltetrail", false)]
    [InlineData("*e*T*l", "DeleteTrail", true)]
    [InlineData("a*b*c", "a-b-x", false)]
    [InlineData("*", "", true)]
    public void Star_and_question_mark_match_case_insensitively(string pattern, string value, bool expected)
    {
        var rule = Sigma.Selection($"eventName: '{pattern}'");

        Assert.Equal(expected, rule.Matches($$"""{"eventName":"{{value}}"}"""));
    }

    [Theory]
    [InlineData(@"a\*b", "a*b", true)]
    [InlineData(@"a\*b", "axxb", false)]
    [InlineData(@"a\?b", "a?b", true)]
    [InlineData(@"a\?b", "axb", false)]
    [InlineData(@"C:\Windows", @"C:\\Windows", true)]
    [InlineData(@"C:\\Windows", @"C:\\Windows", true)]
    [InlineData(@"a\\*", @"a\\anything", true)]
    [InlineData(@"a\\\*", @"a\\*", true)]
    [InlineData(@"a\\\*", @"a\\x", false)]
    [InlineData(@"a\\\\b", @"a\\\\b", true)]
    public void A_backslash_escapes_wildcards_and_itself_as_the_specification_says(string pattern, string jsonValue, bool expected)
    {
        var rule = Sigma.Selection($"path: '{pattern}'");

        Assert.Equal(expected, rule.Matches($$"""{"path":"{{jsonValue}}"}"""));
    }
}

public class Type_coercion
{
    [Fact]
    public void A_boolean_rule_value_matches_a_JSON_boolean_and_its_text()
    {
        var rule = Sigma.Selection("readOnly: true");

        rule.AssertMatches(["""{"readOnly":true}""", """{"readOnly":"True"}"""], ["""{"readOnly":false}"""]);
    }

    [Fact]
    public void A_number_rule_value_matches_a_JSON_number_and_its_text()
    {
        var rule = Sigma.Selection("dstport: 443");

        rule.AssertMatches(["""{"dstport":443}""", """{"dstport":443.0}""", """{"dstport":"443"}"""], ["""{"dstport":4430}"""]);
    }

    [Fact]
    public void A_quoted_number_matches_a_JSON_number_by_its_text()
    {
        var rule = Sigma.Selection("dstport: '22'");

        Assert.True(rule.Matches("""{"dstport":22}"""));
    }

    [Fact]
    public void Escaped_JSON_strings_are_compared_by_their_decoded_value()
    {
        var rule = Sigma.Selection("policy|contains: '\"Effect\":\"Allow\"'");

        Assert.True(rule.Matches("""{"policy":"{\"Effect\":\"Allow\"}"}"""));
    }

    [Fact]
    public void Long_values_beyond_the_stack_buffer_are_matched_too()
    {
        var rule = Sigma.Selection("userAgent|endswith: 'needle'");

        Assert.True(rule.Matches($$"""{"userAgent":"{{new string('x', 10_000)}}needle"}"""));
    }
}

public class Rule_parsing
{
    [Fact]
    public void Reads_the_metadata_of_a_rule()
    {
        var rule = SigmaRuleParser.ParseOrThrow(File.ReadAllText(Path.Combine(SharedData.RulesDirectory, "aws_snapshot_backup_exfiltration.yml"))).Single();

        Assert.Equal(
            ("AWS Snapshot Backup Exfiltration", "abae8fec-57bd-4f87-aff6-6e3db989843d", "test", "medium", "2021-05-17", "2021-08-19"),
            (rule.Title, rule.Id, rule.Status, rule.Level, rule.Date, rule.Modified));
        Assert.Contains("attack.t1537", rule.Tags);
        Assert.Equal(SigmaLogSources.CloudTrail, rule.LogSource);
        Assert.Single(rule.FalsePositives);
    }

    [Fact]
    public void Errors_name_the_rule_and_the_line()
    {
        var yaml = "title: Broken\nid: 1234\nlogsource:\n    product: aws\ndetection:\n    selection:\n        eventName|nope: x\n    condition: selection\n";

        var error = Assert.Throws<SigmaRuleException>(() => SigmaRuleSet.Create(SigmaRuleParser.ParseOrThrow(yaml, "broken.yml"))).Errors.Single();

        Assert.Equal("Broken", error.RuleTitle);
        Assert.Equal("1234", error.RuleId);
        Assert.Equal("broken.yml", error.Source);
        Assert.Equal(7, error.Line);
        Assert.Contains("unknown modifier 'nope'", error.Reason);
    }

    [Theory]
    [InlineData("title: x\nlogsource: {product: aws}\ndetection:\n    selection: {a: b}\n", "no 'condition'")]
    [InlineData("title: x\ndetection:\n    selection: {a: b}\n    condition: selection\n", "logsource")]
    [InlineData("logsource: {product: aws}\ndetection:\n    selection: {a: b}\n    condition: selection\n", "title")]
    [InlineData("title: x\nlogsource: {product: aws}\ndetection:\n    selection: {a: b}\n    timeframe: 5m\n    condition: selection\n", "timeframe")]
    [InlineData("title: x\naction: global\n", "collections")]
    [InlineData("title: x\nlogsource: {product: aws}\ndetection:\n  a: [\n", "invalid YAML")]
    public void Structural_problems_are_parse_errors(string yaml, string reason)
    {
        var result = SigmaRuleParser.Parse(yaml);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Several_YAML_documents_give_several_rules()
    {
        var yaml = Sigma.RuleYaml("selection:\n    a: b\ncondition: selection", "first") + "\n---\n" + Sigma.RuleYaml("selection:\n    a: c\ncondition: selection", "second");

        var rules = SigmaRuleParser.ParseOrThrow(yaml);

        Assert.Equal(["first", "second"], rules.Select(r => r.Title));
    }
}

namespace Platform.Sigma.Tests;

public class Contains_modifier
{
    [Fact]
    public void Matches_a_substring_case_insensitively()
    {
        var rule = Sigma.Selection("userAgent|contains: 'Stratus'");

        rule.AssertMatches(["""{"userAgent":"stratus-red-team_7fcd"}"""], ["""{"userAgent":"aws-cli/2.0"}"""]);
    }

    [Fact]
    public void With_all_requires_every_value()
    {
        var rule = Sigma.Selection("userAgent|contains|all:\n        - 'S3'\n        - 'Browser'");

        rule.AssertMatches(["""{"userAgent":"S3 Browser 9.5.5"}"""], ["""{"userAgent":"S3 client"}"""]);
    }

    [Fact]
    public void On_an_object_field_searches_its_JSON_text()
    {
        var rule = Sigma.Selection("requestParameters|contains: 'Principal'");

        rule.AssertMatches(["""{"requestParameters":{"policy":{"Principal":"*"}}}"""], ["""{"requestParameters":{"bucketName":"x"}}"""]);
    }
}

public class Startswith_and_endswith_modifiers
{
    [Fact]
    public void Startswith_matches_a_prefix()
    {
        var rule = Sigma.Selection("eventName|startswith: 'Delete'");

        rule.AssertMatches(["""{"eventName":"deleteBucket"}"""], ["""{"eventName":"UndeleteBucket"}"""]);
    }

    [Fact]
    public void Endswith_matches_a_suffix()
    {
        var rule = Sigma.Selection("eventSource|endswith: '.amazonaws.com'");

        rule.AssertMatches(["""{"eventSource":"iam.AMAZONAWS.com"}"""], ["""{"eventSource":"iam.amazonaws.com.evil"}"""]);
    }
}

public class Cased_modifier
{
    [Fact]
    public void Makes_matching_case_sensitive()
    {
        var rule = Sigma.Selection("eventName|cased: 'CreateUser'");

        rule.AssertMatches(["""{"eventName":"CreateUser"}"""], ["""{"eventName":"createuser"}"""]);
    }
}

public class Exists_modifier
{
    [Fact]
    public void True_requires_the_field_whatever_its_value()
    {
        var rule = Sigma.Selection("errorCode|exists: true");

        rule.AssertMatches(["""{"errorCode":null}""", """{"errorCode":"AccessDenied"}"""], ["""{"eventName":"x"}"""]);
    }

    [Fact]
    public void False_requires_the_field_to_be_absent()
    {
        var rule = Sigma.Selection("errorCode|exists: false");

        rule.AssertMatches(["""{"eventName":"x"}"""], ["""{"errorCode":""}"""]);
    }

    [Fact]
    public void Needs_a_boolean()
    {
        Sigma.SelectionError("errorCode|exists: maybe");
    }
}

public class Re_modifier
{
    [Fact]
    public void Is_case_sensitive_by_default()
    {
        var rule = Sigma.Selection("userIdentity.arn|re: '.+:assumed-role/aws:.+'");

        rule.AssertMatches(
            ["""{"userIdentity":{"arn":"arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1"}}"""],
            ["""{"userIdentity":{"arn":"arn:aws:sts::1:ASSUMED-ROLE/aws:ec2-instance/i-1"}}"""]);
    }

    [Fact]
    public void I_flag_ignores_case()
    {
        var rule = Sigma.Selection("eventName|re|i: '^create(user|role)$'");

        Assert.True(rule.Matches("""{"eventName":"CreateRole"}"""));
    }

    [Fact]
    public void M_flag_anchors_at_lines_and_s_flag_lets_dot_cross_them()
    {
        var multiline = Sigma.Selection("message|re|m: '^second$'");
        var singleline = Sigma.Selection("message|re|s: 'first.second'");

        Assert.True(multiline.Matches("""{"message":"first\nsecond"}"""));
        Assert.True(singleline.Matches("""{"message":"first\nsecond"}"""));
        Assert.False(Sigma.Selection("message|re: 'first.second'").Matches("""{"message":"first\nsecond"}"""));
    }

    [Fact]
    public void An_invalid_expression_is_a_compile_error()
    {
        var error = Sigma.SelectionError("eventName|re: '(unclosed'");

        Assert.Contains("invalid regular expression", error.Message);
    }

    [Fact]
    public void A_nested_quantifier_runs_in_linear_time_instead_of_timing_out()
    {
        var options = new SigmaCompilerOptions { RegexTimeout = TimeSpan.FromSeconds(1) };
        var rule = Sigma.Selection("message|re: '^(a+)+$'", options);
        var before = SigmaRuntimeCounters.RegexTimeouts;

        Assert.False(rule.Matches($$"""{"message":"{{new string('a', 100_000)}}!"}"""));
        Assert.True(rule.Matches($$"""{"message":"{{new string('a', 100_000)}}"}"""));
        Assert.Equal(before, SigmaRuntimeCounters.RegexTimeouts);
    }

    [Theory]
    [InlineData(@"(a)\1")]
    [InlineData("foo(?=bar)")]
    [InlineData("(?<!x)y")]
    [InlineData("(?>a+)b")]
    public void A_construct_that_needs_backtracking_is_a_compile_error_naming_the_field(string pattern)
    {
        var error = Sigma.SelectionError($"userAgent|re: '{pattern}'");

        Assert.Contains("userAgent", error.Message);
        Assert.Contains("cannot run in linear time", error.Message);
    }
}

public class Cidr_modifier
{
    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("11.0.0.1", false)]
    [InlineData("010.1.2.3", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("10.1", false)]
    [InlineData("999.1.1.1", false)]
    [InlineData("AWS Internal", false)]
    [InlineData("", false)]
    public void Matches_IPv4_addresses_in_the_network_and_tolerates_malformed_ones(string address, bool expected)
    {
        var rule = Sigma.Selection("sourceIPAddress|cidr: '10.0.0.0/8'");

        Assert.Equal(expected, rule.Matches($$"""{"sourceIPAddress":"{{address}}"}"""));
    }

    [Theory]
    [InlineData("2001:db8::1", true)]
    [InlineData("2001:db9::1", false)]
    [InlineData("10.0.0.1", false)]
    public void Matches_IPv6_addresses_in_the_network(string address, bool expected)
    {
        var rule = Sigma.Selection("sourceIPAddress|cidr: '2001:db8::/32'");

        Assert.Equal(expected, rule.Matches($$"""{"sourceIPAddress":"{{address}}"}"""));
    }

    [Fact]
    public void Reaches_into_lists_of_CloudTrail_items()
    {
        var rule = Sigma.Selection("requestParameters.ipPermissions.items.ipRanges.items.cidrIp|cidr: '0.0.0.0/0'");

        Assert.True(rule.Matches("""
            {"requestParameters":{"ipPermissions":{"items":[{"ipRanges":{"items":[{"cidrIp":"192.168.0.0"},{"cidrIp":"0.0.0.0"}]}}]}}}
            """));
    }

    [Fact]
    public void An_invalid_network_is_a_compile_error()
    {
        Sigma.SelectionError("sourceIPAddress|cidr: '10.0.0.0/33'");
    }
}

public class Base64_modifiers
{
    [Fact]
    public void Base64_matches_the_encoded_value()
    {
        // 'cmd' is 'Y21k' in base64.
        var rule = Sigma.Selection("data|base64: 'cmd'");

        Assert.True(rule.Matches("""{"data":"Y21k"}"""));
    }

    [Fact]
    public void Base64offset_with_contains_finds_the_value_at_any_byte_offset()
    {
        var rule = Sigma.Selection("data|base64offset|contains: 'http://'");

        foreach (var prefix in new[] { "", "a", "ab" })
        {
            var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(prefix + "http://evil.example/x"));
            Assert.True(rule.Matches($$"""{"data":"{{encoded}}"}"""), prefix);
        }

        Assert.False(rule.Matches("""{"data":"aGVsbG8gd29ybGQ="}"""));
    }

    [Fact]
    public void Wide_then_base64offset_matches_UTF16_encoded_PowerShell()
    {
        var rule = Sigma.Selection("data|wide|base64offset|contains: 'ping'");
        var encoded = Convert.ToBase64String(System.Text.Encoding.Unicode.GetBytes("x ping 1.2.3.4"));

        Assert.True(rule.Matches($$"""{"data":"{{encoded}}"}"""));
    }

    [Fact]
    public void Utf16be_and_utf16_encode_with_the_right_byte_order()
    {
        var bigEndian = Sigma.Selection("data|utf16be|base64: 'A'");
        var withBom = Sigma.Selection("data|utf16|base64: 'A'");

        Assert.True(bigEndian.Matches($$"""{"data":"{{Convert.ToBase64String([0x00, 0x41])}}"}"""));
        Assert.True(withBom.Matches($$"""{"data":"{{Convert.ToBase64String([0xFF, 0xFE, 0x41, 0x00])}}"}"""));
    }
}

public class Windash_modifier
{
    [Theory]
    [InlineData("net user -add")]
    [InlineData("net user /add")]
    [InlineData("net user \u2013add")]
    [InlineData("net user \u2014add")]
    [InlineData("net user \u2015add")]
    public void Matches_every_dash_variant_of_a_flag(string commandLine)
    {
        var rule = Sigma.Selection("CommandLine|windash|contains: ' -add'");

        Assert.True(rule.Matches($$"""{"CommandLine":"{{commandLine}}"}"""));
    }
}

public class Numeric_modifiers
{
    [Theory]
    [InlineData("lt", 443, false)]
    [InlineData("lte", 443, true)]
    [InlineData("gt", 442, true)]
    [InlineData("gte", 444, false)]
    public void Compare_JSON_numbers(string modifier, int threshold, bool expected)
    {
        var rule = Sigma.Selection($"dstport|{modifier}: {threshold}");

        Assert.Equal(expected, rule.Matches("""{"dstport":443}"""));
    }

    [Fact]
    public void Compare_numbers_held_in_strings_and_ignore_non_numbers()
    {
        var rule = Sigma.Selection("bytes|gt: 1000");

        rule.AssertMatches(["""{"bytes":"5000"}"""], ["""{"bytes":"lots"}"""]);
    }

    [Fact]
    public void Need_a_number()
    {
        Sigma.SelectionError("bytes|gt: many");
    }
}

public class Neq_modifier
{
    [Fact]
    public void Matches_values_different_from_every_listed_value()
    {
        var rule = Sigma.Selection("eventName: x\n    awsRegion|neq:\n        - eu-west-1\n        - us-east-1");

        rule.AssertMatches(["""{"eventName":"x","awsRegion":"ap-south-1"}"""], ["""{"eventName":"x","awsRegion":"US-EAST-1"}"""]);
    }
}

public class Fieldref_modifier
{
    [Fact]
    public void Compares_two_fields_of_the_event()
    {
        var rule = Sigma.Selection("userIdentity.userName|fieldref: requestParameters.userName");

        rule.AssertMatches(
            ["""{"userIdentity":{"userName":"Bob"},"requestParameters":{"userName":"bob"}}"""],
            ["""{"userIdentity":{"userName":"alice"},"requestParameters":{"userName":"bob"}}""", """{"userIdentity":{"userName":"alice"}}"""]);
    }

    [Fact]
    public void With_endswith_compares_the_end_of_the_field()
    {
        var rule = Sigma.Selection("userIdentity.arn|fieldref|endswith: requestParameters.userName");

        Assert.True(rule.Matches("""{"userIdentity":{"arn":"arn:aws:iam::1:user/bob"},"requestParameters":{"userName":"bob"}}"""));
    }

    [Fact]
    public void On_an_array_field_compares_each_element()
    {
        var rule = Sigma.Selection("layers|contains|fieldref: account");

        rule.AssertMatches(
            ["""{"account":"111122223333","layers":["arn:aws:lambda:eu-west-1:111122223333:layer:x:1"]}"""],
            ["""{"account":"111122223333","layers":["arn:aws:lambda:eu-west-1:999988887777:layer:x:1"]}"""]);
    }

    [Fact]
    public void With_contains_on_an_object_field_searches_its_json_text()
    {
        var rule = Sigma.Selection("policy|contains|fieldref: account");

        rule.AssertMatches(
            ["""{"account":"111122223333","policy":{"Principal":{"AWS":"arn:aws:iam::111122223333:root"}}}"""],
            ["""{"account":"111122223333","policy":{"Principal":{"AWS":"*"}}}"""]);
    }
}

public class Expand_modifier
{
    private static readonly SigmaCompilerOptions s_options = new()
    {
        Placeholders = new Dictionary<string, IReadOnlyList<string>> { ["Administrators"] = ["admin", "root*"] },
    };

    [Fact]
    public void Fills_a_placeholder_with_the_configured_values()
    {
        var rule = Sigma.Selection("userName|expand: '%Administrators%'", s_options);

        rule.AssertMatches(["""{"userName":"ADMIN"}""", """{"userName":"root-break-glass"}"""], ["""{"userName":"bob"}"""]);
    }

    [Fact]
    public void An_unknown_placeholder_is_a_compile_error_naming_it()
    {
        var error = Sigma.SelectionError("userName|expand: '%JumpServers%'", s_options);

        Assert.Contains("%JumpServers%", error.Message);
    }

    [Fact]
    public void Without_expand_a_placeholder_is_plain_text()
    {
        var rule = Sigma.Selection("userName: '%Administrators%'", s_options);

        Assert.True(rule.Matches("""{"userName":"%administrators%"}"""));
    }
}

public class Time_modifiers
{
    [Fact]
    public void Hour_extracts_the_UTC_hour_of_a_date()
    {
        var rule = Sigma.Selection("eventTime|hour|gte: 22");

        rule.AssertMatches(["""{"eventTime":"2024-08-01T23:28:02Z"}"""], ["""{"eventTime":"2024-08-01T12:28:02Z"}"""]);
    }

    [Fact]
    public void Epoch_seconds_are_dates_too()
    {
        var rule = Sigma.Selection("start|year: 2024");

        Assert.True(rule.Matches("""{"start":1722515282}"""));
    }
}

public class Unsupported_modifiers
{
    [Fact]
    public void An_unknown_modifier_is_a_compile_error_naming_it()
    {
        var error = Sigma.SelectionError("eventName|fuzzy: 'x'");

        Assert.Contains("unknown modifier 'fuzzy'", error.Message);
        Assert.Equal(2 + 6, error.Errors[0].Line);
    }

    [Fact]
    public void Incompatible_modifiers_are_a_compile_error()
    {
        Sigma.SelectionError("eventName|re|contains: 'x'");
        Sigma.SelectionError("sourceIPAddress|cidr|startswith: '10.0.0.0/8'");
        Sigma.SelectionError("eventName|i: 'x'");
    }
}

namespace Platform.Sigma.Tests;

/// <summary>The 57 SigmaHQ rules run over real CloudTrail records of Stratus Red Team detonations.</summary>
public class Stratus_detonations
{
    private static readonly Lazy<SigmaRuleSet> s_ruleSet = new(() =>
        SigmaRuleLoader.CreateRuleSet(SigmaRuleLoader.LoadDirectory(SharedData.RulesDirectory)));

    private static Dictionary<string, HashSet<string>> MatchesByEventName(string sample)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedData.StratusDirectory, sample)));
        var matches = new List<SigmaRule>();
        var result = new Dictionary<string, HashSet<string>>();
        foreach (var record in document.RootElement.EnumerateArray())
        {
            matches.Clear();
            s_ruleSet.Value.Evaluate(new SigmaEvent(record, SigmaLogSources.CloudTrail), matches);
            var eventName = record.GetProperty("eventName").GetString()!;
            if (!result.TryGetValue(eventName, out var titles))
            {
                titles = [];
                result[eventName] = titles;
            }

            titles.UnionWith(matches.Select(m => m.Title));
        }

        return result;
    }

    [Fact]
    public void Every_sample_file_is_evaluated_without_error()
    {
        var files = Directory.GetFiles(SharedData.StratusDirectory, "*.json");

        Assert.NotEmpty(files);
        Assert.All(files, file => MatchesByEventName(Path.GetFileName(file)));
    }

    [Theory]
    [InlineData("aws.exfiltration.ec2-share-ebs-snapshot.json", "ModifySnapshotAttribute", "AWS Snapshot Backup Exfiltration")]
    [InlineData("aws.defense-evasion.vpc-remove-flow-logs.json", "DeleteFlowLogs", "AWS VPC Flow Logs Deleted")]
    [InlineData("aws.exfiltration.ec2-security-group-open-port-22-ingress.json", "AuthorizeSecurityGroupIngress", "Ingress/Egress Security Group Modification")]
    [InlineData("aws.execution.ssm-send-command.json", "SendCommand", "Potential Malicious Usage of CloudTrail System Manager")]
    [InlineData("aws.persistence.iam-create-admin-user.json", "CreateAccessKey", "AWS IAM Backdoor Users Keys")]
    [InlineData("aws.persistence.lambda-layer-extension.json", "UpdateFunctionConfiguration20150331v2", "AWS New Lambda Layer Attached")]
    [InlineData("aws.privilege-escalation.iam-update-user-login-profile.json", "UpdateLoginProfile", "AWS User Login Profile Was Modified")]
    [InlineData("aws.credential-access.ec2-get-password-data.json", "GetPasswordData", "AWS STS AssumeRole Misuse")]
    public void A_detonation_matches_the_rule_that_covers_it(string sample, string eventName, string ruleTitle)
    {
        var matches = MatchesByEventName(sample);

        Assert.Contains(ruleTitle, matches[eventName]);
    }

    [Theory]
    [InlineData("aws.credential-access.secretsmanager-batch-retrieve-secrets.json")]
    [InlineData("aws.defense-evasion.dns-delete-logs.json")]
    [InlineData("aws.persistence.rolesanywhere-create-trust-anchor.json")]
    public void A_detonation_no_SigmaHQ_rule_covers_matches_nothing(string sample)
    {
        var matches = MatchesByEventName(sample);

        Assert.All(matches.Values, titles => Assert.Empty(titles));
    }

    [Fact]
    public void A_benign_read_only_call_by_an_IAM_user_matches_nothing()
    {
        var record = Sigma.Json("""
            {"eventVersion":"1.09","eventSource":"s3.amazonaws.com","eventName":"ListObjects","awsRegion":"eu-west-1",
             "userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice","userName":"alice"},
             "sourceIPAddress":"203.0.113.7","readOnly":true,"requestParameters":{"bucketName":"reports"}}
            """);

        Assert.Empty(s_ruleSet.Value.Evaluate(new SigmaEvent(record, SigmaLogSources.CloudTrail)));
    }

    [Fact]
    public void CloudTrail_rules_do_not_run_on_other_log_sources()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedData.StratusDirectory, "aws.exfiltration.ec2-share-ebs-snapshot.json")));
        var record = document.RootElement[0];

        Assert.Empty(s_ruleSet.Value.Evaluate(new SigmaEvent(record, SigmaLogSources.VpcFlowLogs)));
    }
}

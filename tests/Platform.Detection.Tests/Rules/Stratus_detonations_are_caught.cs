namespace Platform.Detection.Tests.Rules;

/// <summary>
/// Real CloudTrail traces of Stratus Red Team techniques, replayed through every shipped rule (built-in and SigmaHQ)
/// and their correlations: the technique each file shows is reported by the rules named here.
/// </summary>
public class Stratus_detonations_are_caught
{
    public static TheoryData<string, string[]> Techniques => new()
    {
        { "aws.credential-access.ec2-get-password-data.json", [RuleIds.Ec2PasswordData, RuleIds.FailedApiCallBurst] },
        { "aws.credential-access.secretsmanager-batch-retrieve-secrets.json", [RuleIds.SecretsBatchRetrieval] },
        { "aws.credential-access.ssm-retrieve-securestring-parameters.json", [RuleIds.SsmParametersEnumeratedThenDecrypted] },
        { "aws.defense-evasion.cloudtrail-event-selectors.json", [RuleIds.EventSelectorsReduceLogging] },
        { "aws.defense-evasion.dns-delete-logs.json", [RuleIds.ResolverQueryLoggingDeleted] },
        { "aws.defense-evasion.vpc-remove-flow-logs.json", [RuleIds.SigmaHqVpcFlowLogsDeleted] },
        { "aws.execution.ec2-launch-unusual-instances.json", [RuleIds.UnusualInstancesLaunched] },
        { "aws.execution.ssm-send-command.json", [RuleIds.SigmaHqSsmSendCommand] },
        { "aws.exfiltration.ec2-security-group-open-port-22-ingress.json", [RuleIds.SecurityGroupAdminPortOpen, RuleIds.SigmaHqSecurityGroupChange] },
        { "aws.exfiltration.ec2-share-ebs-snapshot.json", [RuleIds.EbsSnapshotShared, RuleIds.SigmaHqSnapshotBackupExfiltration] },
        { "aws.impact.bedrock-invoke-model.json", [RuleIds.BedrockModelAccessEnabled] },
        { "aws.lateral-movement.ec2-instance-connect.json", [RuleIds.InstanceSshKeyPushed] },
        { "aws.persistence.iam-backdoor-role.json", [RuleIds.RoleTrustOpened, RuleIds.IamHighRiskChange] },
        { "aws.persistence.iam-create-admin-user.json", [RuleIds.AdminPermissionsGranted, RuleIds.NewUserGivenCredentials, RuleIds.IamHighRiskChange, RuleIds.SigmaHqBackdoorUsersKeys] },
        { "aws.persistence.iam-create-user-login-profile.json", [RuleIds.LoginProfileForOtherUser] },
        { "aws.persistence.lambda-layer-extension.json", [RuleIds.SigmaHqNewLambdaLayer] },
        { "aws.persistence.rolesanywhere-create-trust-anchor.json", [RuleIds.RolesAnywhereTrustAnchor] },
        { "aws.privilege-escalation.iam-update-user-login-profile.json", [RuleIds.LoginProfileForOtherUser, RuleIds.SigmaHqLoginProfileModified] },
    };

    [Theory]
    [MemberData(nameof(Techniques))]
    public async Task The_technique_is_reported_by_the_expected_rules(string file, string[] expectedRuleIds)
    {
        var reported = await RuleHarness.ReportedRuleKeysAsync(RuleHarness.Shipped, RuleHarness.StratusRecords(file));

        Assert.All(expectedRuleIds, id => Assert.Contains(id, reported));
    }

    [Fact]
    public void Every_sample_file_has_an_expectation()
    {
        var files = Directory.GetFiles(SharedData.StratusDirectory, "*.json").Select(Path.GetFileName).Order();

        Assert.Equal(files, Techniques.Select(row => (string)row[0]).Order());
    }

    [Fact]
    public async Task Built_in_rules_report_only_the_techniques_of_each_file()
    {
        // Per file, every built-in alert that reports is one named for the technique: no collateral pages (signals, such as
        // the privilege changes a technique makes, are kept without paging).
        foreach (var row in Techniques)
        {
            var file = (string)row[0];
            var expected = (string[])row[1];
            var reported = await RuleHarness.ReportedRuleKeysAsync(RuleHarness.Builtin, RuleHarness.StratusRecords(file));

            Assert.All(RuleHarness.Alerts(reported), id => Assert.True(expected.Contains(id), $"{file}: built-in rule {id} reported unexpectedly"));
        }
    }
}

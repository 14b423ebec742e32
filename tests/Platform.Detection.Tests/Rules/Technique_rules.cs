namespace Platform.Detection.Tests.Rules;

/// <summary>
/// Each technique rule on records shaped as AWS documents the call: the dangerous variant is reported, the
/// everyday variant of the same call is not.
/// </summary>
public class Technique_rules
{
    private const string Ec2 = "ec2.amazonaws.com";
    private const string Iam = "iam.amazonaws.com";
    private const string S3 = "s3.amazonaws.com";
    private const string Lambda = "lambda.amazonaws.com";

    private static string TrustPolicy(string principal) =>
        System.Text.Json.JsonSerializer.Serialize($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{{principal}},"Action":"sts:AssumeRole"}]}""");

    public static TheoryData<string, string, string, bool> Cases => new()
    {
        { "public EBS snapshot", RuleIds.EbsSnapshotShared, Records.CloudTrail(Ec2, "ModifySnapshotAttribute", """{"snapshotId":"snap-1","attributeType":"CREATE_VOLUME_PERMISSION","createVolumePermission":{"add":{"items":[{"group":"all"}]}}}"""), true },
        { "EBS snapshot permission removed", RuleIds.EbsSnapshotShared, Records.CloudTrail(Ec2, "ModifySnapshotAttribute", """{"snapshotId":"snap-1","attributeType":"CREATE_VOLUME_PERMISSION","createVolumePermission":{"remove":{"items":[{"userId":"444455556666"}]}}}"""), false },
        { "AMI shared with an account", RuleIds.AmiShared, Records.CloudTrail(Ec2, "ModifyImageAttribute", """{"imageId":"ami-1","launchPermission":{"add":{"items":[{"userId":"444455556666"}]}},"attributeType":"launchPermission"}"""), true },
        { "AMI description changed", RuleIds.AmiShared, Records.CloudTrail(Ec2, "ModifyImageAttribute", """{"imageId":"ami-1","description":{"value":"web"}}"""), false },
        { "RDS snapshot made public", RuleIds.RdsSnapshotShared, Records.CloudTrail("rds.amazonaws.com", "ModifyDBSnapshotAttribute", """{"dBSnapshotIdentifier":"db-snap","attributeName":"restore","valuesToAdd":["all"]}"""), true },
        { "RDS snapshot unshared", RuleIds.RdsSnapshotShared, Records.CloudTrail("rds.amazonaws.com", "ModifyDBSnapshotAttribute", """{"dBSnapshotIdentifier":"db-snap","attributeName":"restore","valuesToRemove":["444455556666"]}"""), false },
        { "Lambda invocable by anyone", RuleIds.LambdaOpenedToAnyPrincipal, Records.CloudTrail(Lambda, "AddPermission20150331v2", """{"functionName":"f","statementId":"s","action":"lambda:InvokeFunction","principal":"*"}"""), true },
        { "Lambda invocable by another account", RuleIds.LambdaOpenedToAnyPrincipal, Records.CloudTrail(Lambda, "AddPermission20150331v2", """{"functionName":"f","statementId":"s","action":"lambda:InvokeFunction","principal":"444455556666"}"""), true },
        { "Lambda invocable by its own account", RuleIds.LambdaOpenedToAnyPrincipal, Records.CloudTrail(Lambda, "AddPermission20150331v2", """{"functionName":"f","statementId":"s","action":"lambda:InvokeFunction","principal":"111122223333"}"""), false },
        { "Lambda invocable by S3", RuleIds.LambdaOpenedToAnyPrincipal, Records.CloudTrail(Lambda, "AddPermission20150331v2", """{"functionName":"f","statementId":"s","action":"lambda:InvokeFunction","principal":"s3.amazonaws.com"}"""), false },
        { "Lambda layer of another account", RuleIds.LambdaLayerFromOtherAccount, Records.CloudTrail(Lambda, "UpdateFunctionConfiguration20150331v2", """{"functionName":"f","layers":["arn:aws:lambda:eu-west-1:444455556666:layer:x:1"]}"""), true },
        { "Lambda layer of the own account", RuleIds.LambdaLayerFromOtherAccount, Records.CloudTrail(Lambda, "UpdateFunctionConfiguration20150331v2", """{"functionName":"f","layers":["arn:aws:lambda:eu-west-1:111122223333:layer:x:1"]}"""), false },
        { "role trusting another account", RuleIds.RoleTrustOpened, Records.CloudTrail(Iam, "UpdateAssumeRolePolicy", $$"""{"roleName":"r","policyDocument":{{TrustPolicy("""{"AWS":"arn:aws:iam::444455556666:root"}""")}}}"""), true },
        { "role trusting anyone", RuleIds.RoleTrustOpened, Records.CloudTrail(Iam, "CreateRole", $$"""{"roleName":"r","assumeRolePolicyDocument":{{TrustPolicy("""{"AWS":"*"}""")}}}"""), true },
        { "role trusting its own account", RuleIds.RoleTrustOpened, Records.CloudTrail(Iam, "UpdateAssumeRolePolicy", $$"""{"roleName":"r","policyDocument":{{TrustPolicy("""{"AWS":"arn:aws:iam::111122223333:role/admin"}""")}}}"""), false },
        { "role trusting a service", RuleIds.RoleTrustOpened, Records.CloudTrail(Iam, "CreateRole", $$"""{"roleName":"r","assumeRolePolicyDocument":{{TrustPolicy("""{"Service":"lambda.amazonaws.com"}""")}}}"""), false },
        { "password set for another user", RuleIds.LoginProfileForOtherUser, Records.CloudTrail(Iam, "CreateLoginProfile", """{"userName":"bob","passwordResetRequired":false}"""), true },
        { "user changing their own password", RuleIds.LoginProfileForOtherUser, Records.CloudTrail(Iam, "UpdateLoginProfile", """{"userName":"alice"}"""), false },
        { "AdministratorAccess attached to a role", RuleIds.AdminPermissionsGranted, Records.CloudTrail(Iam, "AttachRolePolicy", """{"roleName":"r","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}"""), true },
        { "inline policy allowing every action", RuleIds.AdminPermissionsGranted, Records.CloudTrail(Iam, "PutUserPolicy", """{"userName":"bob","policyName":"p","policyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"}"""), true },
        { "read-only policy attached", RuleIds.AdminPermissionsGranted, Records.CloudTrail(Iam, "AttachRolePolicy", """{"roleName":"r","policyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}"""), false },
        { "SSH open to the world", RuleIds.SecurityGroupAdminPortOpen, Records.CloudTrail(Ec2, "AuthorizeSecurityGroupIngress", """{"groupId":"sg-1","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}}"""), true },
        { "RDP range open to the world over IPv6", RuleIds.SecurityGroupAdminPortOpen, Records.CloudTrail(Ec2, "AuthorizeSecurityGroupIngress", """{"groupId":"sg-1","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":3000,"toPort":4000,"ipv6Ranges":{"items":[{"cidrIpv6":"::/0"}]}}]}}"""), true },
        { "HTTPS open to the world", RuleIds.SecurityGroupAdminPortOpen, Records.CloudTrail(Ec2, "AuthorizeSecurityGroupIngress", """{"groupId":"sg-1","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":443,"toPort":443,"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}}"""), false },
        { "SSH open to the VPC", RuleIds.SecurityGroupAdminPortOpen, Records.CloudTrail(Ec2, "AuthorizeSecurityGroupIngress", """{"groupId":"sg-1","cidrIp":"10.0.0.0/8","fromPort":22,"toPort":22,"ipProtocol":"tcp"}"""), false },
        { "GPU instances launched", RuleIds.UnusualInstancesLaunched, Records.CloudTrail(Ec2, "RunInstances", """{"instanceType":"p4d.24xlarge","instancesSet":{"items":[{"imageId":"ami-1","minCount":1,"maxCount":1}]}}"""), true },
        { "twenty instances launched", RuleIds.UnusualInstancesLaunched, Records.CloudTrail(Ec2, "RunInstances", """{"instanceType":"c5.large","instancesSet":{"items":[{"imageId":"ami-1","minCount":20,"maxCount":20}]}}"""), true },
        { "one small instance launched", RuleIds.UnusualInstancesLaunched, Records.CloudTrail(Ec2, "RunInstances", """{"instanceType":"t3.micro","instancesSet":{"items":[{"imageId":"ami-1","minCount":1,"maxCount":1}]}}"""), false },
        { "bucket policy for anyone", RuleIds.BucketMadePublic, Records.CloudTrail(S3, "PutBucketPolicy", """{"bucketName":"b","bucketPolicy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]},"policy":""}"""), true },
        { "public-read canned ACL", RuleIds.BucketMadePublic, Records.CloudTrail(S3, "PutBucketAcl", """{"bucketName":"b","acl":"","x-amz-acl":"public-read"}"""), true },
        { "private canned ACL", RuleIds.BucketMadePublic, Records.CloudTrail(S3, "PutBucketAcl", """{"bucketName":"b","acl":"","x-amz-acl":"private"}"""), false },
        { "bucket policy for another account", RuleIds.BucketPolicyExternalAccount, Records.CloudTrail(S3, "PutBucketPolicy", """{"bucketName":"b","bucketPolicy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}}"""), true },
        { "bucket policy for the own account", RuleIds.BucketPolicyExternalAccount, Records.CloudTrail(S3, "PutBucketPolicy", """{"bucketName":"b","bucketPolicy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}}"""), false },
        { "block public access turned off", RuleIds.PublicAccessBlockRemoved, Records.CloudTrail(S3, "PutBucketPublicAccessBlock", """{"bucketName":"b","PublicAccessBlockConfiguration":{"BlockPublicAcls":true,"IgnorePublicAcls":true,"BlockPublicPolicy":false,"RestrictPublicBuckets":true}}"""), true },
        { "block public access fully on", RuleIds.PublicAccessBlockRemoved, Records.CloudTrail(S3, "PutBucketPublicAccessBlock", """{"bucketName":"b","PublicAccessBlockConfiguration":{"BlockPublicAcls":true,"IgnorePublicAcls":true,"BlockPublicPolicy":true,"RestrictPublicBuckets":true}}"""), false },
        { "management events excluded", RuleIds.EventSelectorsReduceLogging, Records.CloudTrail("cloudtrail.amazonaws.com", "PutEventSelectors", """{"trailName":"t","eventSelectors":[{"readWriteType":"All","includeManagementEvents":false,"dataResources":[]}]}"""), true },
        { "advanced selectors for data events only", RuleIds.EventSelectorsReduceLogging, Records.CloudTrail("cloudtrail.amazonaws.com", "PutEventSelectors", """{"trailName":"t","advancedEventSelectors":[{"name":"s3","fieldSelectors":[{"field":"eventCategory","equals":["Data"]},{"field":"resources.type","equals":["AWS::S3::Object"]}]}]}"""), true },
        { "all management events kept", RuleIds.EventSelectorsReduceLogging, Records.CloudTrail("cloudtrail.amazonaws.com", "PutEventSelectors", """{"trailName":"t","eventSelectors":[{"readWriteType":"All","includeManagementEvents":true,"excludeManagementEventSources":[],"dataResources":[{"type":"AWS::S3::Object","values":["arn:aws:s3"]}]}]}"""), false },
        { "one-day expiration", RuleIds.LifecycleQuickExpiration, Records.CloudTrail(S3, "PutBucketLifecycle", """{"bucketName":"trail-logs","lifecycle":"","LifecycleConfiguration":{"Rule":{"ID":"r","Status":"Enabled","Filter":{"Prefix":""},"Expiration":{"Days":1}}}}"""), true },
        { "ninety-day expiration", RuleIds.LifecycleQuickExpiration, Records.CloudTrail(S3, "PutBucketLifecycle", """{"bucketName":"trail-logs","lifecycle":"","LifecycleConfiguration":{"Rule":[{"ID":"r","Status":"Enabled","Expiration":{"Days":90}}]}}"""), false },
        { "root access key", RuleIds.RootAccessKeyCreated, Records.CloudTrail(Iam, "CreateAccessKey", identity: Records.Root), true },
        { "root creating a key for a user", RuleIds.RootAccessKeyCreated, Records.CloudTrail(Iam, "CreateAccessKey", """{"userName":"bob"}""", Records.Root), false },
        { "root signing in", RuleIds.RootUserActivity, Records.CloudTrail("signin.amazonaws.com", "ConsoleLogin", identity: Records.Root), true },
        { "eight-character password minimum", RuleIds.PasswordPolicyWeakened, Records.CloudTrail(Iam, "UpdateAccountPasswordPolicy", """{"minimumPasswordLength":8}"""), true },
        { "fourteen-character password minimum", RuleIds.PasswordPolicyWeakened, Records.CloudTrail(Iam, "UpdateAccountPasswordPolicy", """{"minimumPasswordLength":14}"""), false },
        { "instance credentials asking who they are", RuleIds.InstanceCredentialsReconnaissance, Records.CloudTrail("sts.amazonaws.com", "GetCallerIdentity", identity: Records.InstanceRole, readOnly: true), true },
        { "a deploy role asking who it is", RuleIds.InstanceCredentialsReconnaissance, Records.CloudTrail("sts.amazonaws.com", "GetCallerIdentity", identity: Records.AssumedRole, readOnly: true), false },
        { "object rewritten with SSE-C", RuleIds.ObjectsEncryptedWithCustomerKey, Records.CloudTrail(S3, "CopyObject", """{"bucketName":"b","key":"a.txt","x-amz-copy-source":"b/a.txt","x-amz-server-side-encryption-customer-algorithm":"AES256"}"""), true },
        { "object copied with SSE-KMS", RuleIds.ObjectsEncryptedWithCustomerKey, Records.CloudTrail(S3, "CopyObject", """{"bucketName":"b","key":"a.txt","x-amz-copy-source":"b/a.txt","x-amz-server-side-encryption":"aws:kms"}"""), false },
        { "user data replaced", RuleIds.UserDataModified, Records.CloudTrail(Ec2, "ModifyInstanceAttribute", """{"instanceId":"i-1","userData":"<sensitiveDataRemoved>"}"""), true },
        { "instance type changed", RuleIds.UserDataModified, Records.CloudTrail(Ec2, "ModifyInstanceAttribute", """{"instanceId":"i-1","instanceType":{"value":"t3.large"}}"""), false },
        { "GuardDuty findings auto-archived", RuleIds.SecurityServiceDisabled, Records.CloudTrail("guardduty.amazonaws.com", "CreateFilter", """{"detectorId":"d","name":"f","action":"ARCHIVE","findingCriteria":{"criterion":{"severity":{"gte":1}}}}"""), true },
        { "GuardDuty findings filter saved", RuleIds.SecurityServiceDisabled, Records.CloudTrail("guardduty.amazonaws.com", "CreateFilter", """{"detectorId":"d","name":"f","action":"NOOP","findingCriteria":{"criterion":{"severity":{"gte":7}}}}"""), false },
        { "Security Hub disabled", RuleIds.SecurityServiceDisabled, Records.CloudTrail("securityhub.amazonaws.com", "DisableSecurityHub"), true },
        { "account leaving its organization", RuleIds.OrganizationsTampering, Records.CloudTrail("organizations.amazonaws.com", "LeaveOrganization"), true },
        { "KMS key deletion scheduled", RuleIds.KmsKeyDeletion, Records.CloudTrail("kms.amazonaws.com", "ScheduleKeyDeletion", """{"keyId":"k","pendingWindowInDays":7}"""), true },
        { "federation token", RuleIds.FederationToken, Records.CloudTrail("sts.amazonaws.com", "GetFederationToken", """{"name":"x","durationSeconds":129600}"""), true },
        { "OIDC provider", RuleIds.IdentityProviderCreated, Records.CloudTrail(Iam, "CreateOpenIDConnectProvider", """{"url":"https://token.actions.githubusercontent.com"}"""), true },
        { "MFA deactivated", RuleIds.MfaDeviceRemoved, Records.CloudTrail(Iam, "DeactivateMFADevice", """{"userName":"bob","serialNumber":"arn:aws:iam::111122223333:mfa/bob"}"""), true },
        { "policy version made default", RuleIds.PolicyDefaultVersionChanged, Records.CloudTrail(Iam, "CreatePolicyVersion", """{"policyArn":"arn:aws:iam::111122223333:policy/p","setAsDefault":true}"""), true },
        { "policy version drafted", RuleIds.PolicyDefaultVersionChanged, Records.CloudTrail(Iam, "CreatePolicyVersion", """{"policyArn":"arn:aws:iam::111122223333:policy/p","setAsDefault":false}"""), false },
        { "CloudWatch subscription filter removed", RuleIds.CloudWatchLogsDeleted, Records.CloudTrail("logs.amazonaws.com", "DeleteSubscriptionFilter", """{"logGroupName":"/aws/cloudtrail","filterName":"to-platform"}"""), true },
        { "Bedrock invocation logging deleted", RuleIds.BedrockInvocationLoggingDeleted, Records.CloudTrail("bedrock.amazonaws.com", "DeleteModelInvocationLoggingConfiguration"), true },
        { "SageMaker notebook given a lifecycle script", RuleIds.SageMakerLifecycleConfigChanged, Records.CloudTrail("sagemaker.amazonaws.com", "UpdateNotebookInstance", """{"notebookInstanceName":"n","lifecycleConfigName":"evil"}"""), true },
        { "traffic mirror session", RuleIds.TrafficMirrorCreated, Records.CloudTrail(Ec2, "CreateTrafficMirrorSession", """{"CreateTrafficMirrorSessionRequest":{"NetworkInterfaceId":"eni-1","TrafficMirrorTargetId":"tmt-1"}}"""), true },
        { "Lambda code replaced", RuleIds.LambdaCodeReplaced, Records.CloudTrail(Lambda, "UpdateFunctionCode20150331v2", """{"functionName":"f"}"""), true },
        { "SSM session", RuleIds.SsmSessionStarted, Records.CloudTrail("ssm.amazonaws.com", "StartSession", """{"target":"i-0123456789abcdef0"}"""), true },
        { "IAM authorization details dumped", RuleIds.AuthorizationDetailsDumped, Records.CloudTrail(Iam, "GetAccountAuthorizationDetails", readOnly: true), true },
        { "failed IAM user creation", RuleIds.IamHighRiskChange, Records.CloudTrail(Iam, "CreateUser", """{"userName":"bob"}""", extra: "\"errorCode\":\"AccessDenied\""), false },
        { "trail stopped", RuleIds.CloudTrailStopped, Records.CloudTrail("cloudtrail.amazonaws.com", "StopLogging", """{"name":"t"}"""), true },
        { "bucket ACL changed", RuleIds.BucketPolicyOrAclChanged, Records.CloudTrail(S3, "PutBucketAcl", """{"bucketName":"b","acl":"","x-amz-acl":"private"}"""), true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_rule_reports_the_dangerous_variant_only(string scenario, string ruleId, string record, bool reported)
    {
        var keys = RuleHarness.ReportingRuleKeys(RuleHarness.Builtin, record);

        Assert.True(keys.Contains(ruleId) == reported, $"{scenario}: expected {(reported ? "" : "no ")}report from {ruleId}; reported [{string.Join(", ", keys)}]");
    }

    private static IEnumerable<LogEvent> Timed(IEnumerable<string> records, double spacingSeconds = 1) =>
        records.Select((r, i) => Records.CloudTrailAt(i * spacingSeconds, r));

    [Theory]
    [InlineData(9, false)]
    [InlineData(10, true)]
    public async Task Distinct_secrets_read_by_one_principal_in_ten_minutes(int secrets, bool reported)
    {
        var events = Timed(Enumerable.Range(0, secrets).Select(i =>
            Records.CloudTrail("secretsmanager.amazonaws.com", "GetSecretValue", $$"""{"secretId":"prod/secret-{{i}}"}""", readOnly: true)));

        Assert.Equal(reported, (await RuleHarness.ReportedRuleKeysAsync(RuleHarness.Builtin, events)).Contains(RuleIds.SecretsMassRetrieval));
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(5, true)]
    public async Task User_data_requested_for_distinct_instances(int instances, bool reported)
    {
        var events = Timed(Enumerable.Range(0, instances).Select(i =>
            Records.CloudTrail(Ec2, "DescribeInstanceAttribute", $$"""{"instanceId":"i-{{i:x8}}","attribute":"userData"}""", readOnly: true)));

        Assert.Equal(reported, (await RuleHarness.ReportedRuleKeysAsync(RuleHarness.Builtin, events)).Contains(RuleIds.UserDataReadFromManyInstances));
    }

    [Fact]
    public async Task Object_versions_listed_then_deleted_in_the_same_bucket_are_reported()
    {
        var events = Timed([
            Records.CloudTrail(S3, "ListObjectVersions", """{"bucketName":"data","versions":""}""", readOnly: true),
            Records.CloudTrail(S3, "DeleteObjects", """{"bucketName":"data","delete":""}"""),
            Records.CloudTrail(S3, "DeleteObjects", """{"bucketName":"other","delete":""}"""),
        ]);

        var reported = await RuleHarness.ReportedRuleKeysAsync(RuleHarness.Builtin, events);

        Assert.Equal([RuleIds.VersionsListedThenDeleted], reported);
    }

    [Fact]
    public async Task Deletions_without_listing_versions_first_are_not_ransomware()
    {
        var events = Timed([
            Records.CloudTrail(S3, "DeleteObject", """{"bucketName":"data","key":"a"}"""),
            Records.CloudTrail(S3, "ListObjectVersions", """{"bucketName":"data","versions":""}""", readOnly: true),
        ]);

        Assert.Empty(await RuleHarness.ReportedRuleKeysAsync(RuleHarness.Builtin, events));
    }

    [Theory]
    [InlineData(49, false)]
    [InlineData(50, true)]
    public async Task Object_deletions_by_one_principal_in_one_bucket(int deletions, bool reported)
    {
        var events = Timed(Enumerable.Range(0, deletions).Select(i => Records.CloudTrail(S3, "DeleteObject", $$"""{"bucketName":"data","key":"k{{i}}"}""")));

        Assert.Equal(reported, (await RuleHarness.ReportedRuleKeysAsync(RuleHarness.Builtin, events)).Contains(RuleIds.MassObjectDeletion));
    }

    [Fact]
    public async Task Three_kinds_of_SES_discovery_by_one_principal_are_reported()
    {
        var events = Timed(new[] { "GetAccountSendingEnabled", "GetSendQuota", "GetSendQuota", "ListIdentities" }.Select(name =>
            Records.CloudTrail("ses.amazonaws.com", name, readOnly: true)));

        Assert.Contains(RuleIds.SesEnumeration, await RuleHarness.ReportedRuleKeysAsync(RuleHarness.Builtin, events));
    }

    [Fact]
    public async Task An_application_polling_its_SES_quota_is_not_enumeration()
    {
        var events = Timed(Enumerable.Repeat(Records.CloudTrail("ses.amazonaws.com", "GetSendQuota", identity: Records.AssumedRole, readOnly: true), 30));

        Assert.Empty(await RuleHarness.ReportedRuleKeysAsync(RuleHarness.Builtin, events));
    }

    [Theory]
    [InlineData(Records.IamUser, 50, true)]
    [InlineData(Records.IamUser, 49, false)]
    [InlineData(Records.AssumedRole, 500, false)]
    public async Task Bedrock_invocations_with_long_term_keys(string identity, int invocations, bool reported)
    {
        var events = Timed(Enumerable.Repeat(Records.CloudTrail("bedrock.amazonaws.com", "InvokeModel", """{"modelId":"anthropic.claude-3-sonnet-20240229-v1:0"}""", identity, readOnly: true), invocations), 0.5);

        Assert.Equal(reported, (await RuleHarness.ReportedRuleKeysAsync(RuleHarness.Builtin, events)).Contains(RuleIds.BedrockInvocationBurst));
    }

    [Fact]
    public async Task Bedrock_models_probed_in_three_regions_are_reported()
    {
        var events = Timed(new[] { "eu-west-1", "us-east-1", "us-west-2" }.Select(region =>
            Records.CloudTrail("bedrock.amazonaws.com", "ListFoundationModels", readOnly: true).Replace("\"awsRegion\":\"eu-west-1\"", $"\"awsRegion\":\"{region}\"", StringComparison.Ordinal)));

        Assert.Contains(RuleIds.BedrockModelEnumeration, await RuleHarness.ReportedRuleKeysAsync(RuleHarness.Builtin, events));
    }

    [Fact]
    public async Task SSM_sessions_on_three_instances_are_reported_as_spread()
    {
        var events = Timed(Enumerable.Range(0, 3).Select(i => Records.CloudTrail("ssm.amazonaws.com", "StartSession", $$"""{"target":"i-0000000{{i}}"}""")));

        Assert.Contains(RuleIds.SsmSpreadOverTargets, await RuleHarness.ReportedRuleKeysAsync(RuleHarness.Builtin, events));
    }

    [Theory]
    [InlineData(9, false)]
    [InlineData(10, true)]
    public async Task Distinct_decrypting_parameter_reads_without_listing(int parameters, bool reported)
    {
        var events = Timed(Enumerable.Range(0, parameters).Select(i =>
            Records.CloudTrail("ssm.amazonaws.com", "GetParameter", $$"""{"name":"/prod/p{{i}}","withDecryption":true}""", readOnly: true)));

        Assert.Equal(reported, (await RuleHarness.ReportedRuleKeysAsync(RuleHarness.Builtin, events)).Contains(RuleIds.SsmParametersManyDecryptingReads));
    }
}

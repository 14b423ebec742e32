namespace Platform.Detection.Tests.Rules;

/// <summary>The ids of the shipped rules the tests name (built-in rules, then SigmaHQ rules).</summary>
internal static class RuleIds
{
    public const string IamHighRiskChange = "15ffb104-1b52-40a0-b626-fcae9b0a0406";
    public const string CloudTrailStopped = "d64cce3f-eb8e-401c-ac83-370f42ea480f";
    public const string BucketPolicyOrAclChanged = "c219332d-4171-447a-a423-0c707da6d07e";
    public const string RootUserActivity = "6fc0f812-c6d6-48c5-8a99-9add8e50c9d1";
    public const string FailedApiCallBurst = "ae135753-0ed4-4818-bff7-1e8e019958e8";
    public const string ApiCallFailedBuildingBlock = "e77b30e7-5668-414d-9cfb-231cbaedf6fe";
    public const string FailedLoginsPerSourceIp = "fb59d5a4-20e7-4144-89e4-dc109ba659a5";
    public const string VpcPortScan = "1d8bfb42-d679-46fe-963a-ada749fc47cb";
    public const string VpcUnusualOutboundBytes = "6dd3fa02-4853-4d17-901f-50d8d51af567";

    public const string EbsSnapshotShared = "8ca3ab0b-ff9a-45c7-95ba-4dac19622300";
    public const string AmiShared = "902e2a0a-a586-499b-8078-913daf86ad6c";
    public const string RdsSnapshotShared = "8248a374-71a4-4449-8f79-0aeda3b156b0";
    public const string LambdaOpenedToAnyPrincipal = "ea650182-8bc2-4459-8bd7-516d301fdc5d";
    public const string LambdaCodeReplaced = "4a3e6f4d-3cc0-4711-92fe-e283f1a46229";
    public const string LambdaLayerFromOtherAccount = "3ef0c2fd-4013-411b-8505-f4c61ad83d3a";
    public const string RoleTrustOpened = "f438a4c0-60d5-4b39-9fcc-476930cda368";
    public const string LoginProfileForOtherUser = "e63d1a8d-1376-4f98-bc5e-02179ecb445b";
    public const string NewUserGivenCredentials = "a47d7b21-7edb-4439-a23f-abf03e9825b9";
    public const string AdminPermissionsGranted = "b6860a02-6c43-4b3d-833e-ac54dd19c950";
    public const string PolicyDefaultVersionChanged = "e9cfedee-917d-4719-ba9c-31d641ca17d5";
    public const string SsmSessionStarted = "509dac81-ab7b-4b3a-aa74-eebdbce66a6b";
    public const string SsmSpreadOverTargets = "9388b68e-fa49-46e9-a01c-53bbc1d8b6fa";
    public const string SecretsMassRetrieval = "293d0ca9-6001-410e-9081-df452c38c62e";
    public const string SecretsBatchRetrieval = "116dff3a-d342-4a17-9ec7-306b0d66eff1";
    public const string SsmParametersEnumeratedThenDecrypted = "0c82e603-3eb2-48b4-b085-7c53a6110321";
    public const string SsmParametersManyDecryptingReads = "570bc9f4-2232-4a17-bb37-dfd7801caf1a";
    public const string Ec2PasswordData = "87b8beaa-36c3-4e83-aa68-6c3722b0731a";
    public const string InstanceSshKeyPushed = "8e34fdc3-39e6-4c5a-aa16-4b44e39d51d2";
    public const string OrganizationsTampering = "56ee3d4d-9845-45e8-9cb4-61b781c504d5";
    public const string EventSelectorsReduceLogging = "387107a9-2d1a-43d9-b458-83fd28facd7e";
    public const string LifecycleQuickExpiration = "fe8ccef6-0928-4c05-bc6a-91b331ff394f";
    public const string ResolverQueryLoggingDeleted = "4482b834-7eda-45e4-8df2-3c1737c97f16";
    public const string CloudWatchLogsDeleted = "7b9ff24b-9d08-4982-bd6b-13b8ff540c5a";
    public const string SecurityServiceDisabled = "c51de7b6-6758-422f-b87b-cdbceb6f1f15";
    public const string SecurityGroupAdminPortOpen = "bff2f3cf-cba9-4f95-9832-5ce3fd1ce751";
    public const string UnusualInstancesLaunched = "e85a6d68-4dc6-4432-8109-dd232e2270b1";
    public const string RolesAnywhereTrustAnchor = "800d531d-3c0f-4fdc-82ed-a007bc0ed975";
    public const string BedrockModelAccessEnabled = "a9d2e876-9007-4c00-9aa5-41ad237ebb62";
    public const string BedrockInvocationLoggingDeleted = "74d1eff2-cef8-4892-9c3d-b8f4735bd13d";
    public const string BedrockInvocationBurst = "7020ecb8-420e-4a8a-b5a6-d884497c0e1c";
    public const string BedrockModelEnumeration = "04ce77ed-fcba-42f1-9640-534f10af1dc4";
    public const string KmsKeyDeletion = "d41d4a78-8550-437e-b8eb-bc9777c26257";
    public const string PublicAccessBlockRemoved = "a8fef38c-7b5b-41ca-b0dc-ec86067e3355";
    public const string BucketMadePublic = "1ebb7316-eba4-4023-96f9-de6e9aab7274";
    public const string BucketPolicyExternalAccount = "1d18220a-d5c2-4a22-8e51-2aadde891859";
    public const string RootAccessKeyCreated = "9fdba50d-c186-42f1-b4c8-4178f60451fb";
    public const string MfaDeviceRemoved = "be87099c-5dc1-4202-8cb2-cc8515fdf689";
    public const string PasswordPolicyWeakened = "683f77d5-10ec-43d7-b9c3-7262e604fed6";
    public const string FederationToken = "889b9acb-d447-46fd-b17b-cfee73b2a405";
    public const string IdentityProviderCreated = "ba2e427e-2ba5-4c22-b618-b06f8383730b";
    public const string UserDataModified = "30612533-9d2f-46d5-9864-0b2509e73a5b";
    public const string UserDataReadFromManyInstances = "7308ba20-0d5f-46a8-bdc3-b6a29657916a";
    public const string InstanceCredentialsReconnaissance = "9a8a0dce-4e34-4dfa-8a11-de547be8dca8";
    public const string AuthorizationDetailsDumped = "793b647f-581e-42f0-bff2-0c55e380e450";
    public const string SesEnumeration = "211becfe-4308-4dcb-8595-e40d46b6f59b";
    public const string ObjectsEncryptedWithCustomerKey = "ff02222d-15c0-47bc-ab81-a561bbd7e8ab";
    public const string VersionsListedThenDeleted = "da598897-f012-4ce1-890a-0e72a95f9833";
    public const string MassObjectDeletion = "e4de8ef7-13d2-43e8-9df2-34635d446da7";
    public const string SageMakerLifecycleConfigChanged = "fc4065d7-dd05-4fba-8c44-4435f6919536";
    public const string TrafficMirrorCreated = "b8c684b5-f20a-424a-ae76-549651c04a4c";

    public const string SigmaHqVpcFlowLogsDeleted = "e386b9b5-af12-450e-afff-761730fb8a98";
    public const string SigmaHqSsmSendCommand = "38e7f511-3f74-41d4-836e-f57dfa18eead";
    public const string SigmaHqSecurityGroupChange = "6fb77778-040f-4015-9440-572aa9b6b580";
    public const string SigmaHqSnapshotBackupExfiltration = "abae8fec-57bd-4f87-aff6-6e3db989843d";
    public const string SigmaHqBackdoorUsersKeys = "0a5177f4-6ca9-44c2-aacf-d3f3d8b6e4d2";
    public const string SigmaHqNewLambdaLayer = "97fbabf8-8e1b-47a2-b7d5-a418d2b95e3d";
    public const string SigmaHqLoginProfileModified = "055fb148-60f8-462d-ad16-26926ce050f1";
    public const string SigmaHqAssumeRoleMisuse = "905d389b-b853-46d0-9d3d-dea0d3a3cd49";
    public const string SigmaHqConsoleLoginWithoutMfa = "77caf516-34e5-4df9-b4db-20744fea0a60";
}

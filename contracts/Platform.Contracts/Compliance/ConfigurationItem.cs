namespace Platform.Contracts.Compliance;

/// <summary>
/// One recorded configuration of one resource, as AWS Config's API gives it (<c>GetResourceConfigHistory</c>), whatever
/// shape it arrived in (API item, change notification, oversized notification fetched from S3, account snapshot).
/// Embedded JSON documents (a bucket's <c>policyText</c>, IAM policy documents, URL-encoded or not) are already parsed
/// into objects in <see cref="Configuration"/> and <see cref="SupplementaryConfiguration"/>, so rules address their fields.
/// Account-level facts are an item of type <c>AWS::::Account</c> whose id is the account id and whose configuration is
/// <c>{"PasswordPolicy": {...}, "SummaryMap": {...}}</c> as IAM returns them.
/// </summary>
/// <param name="ResourceType">AWS's resource type (<c>AWS::S3::Bucket</c>).</param>
/// <param name="ResourceId">The resource's id within its type (a bucket's name, an instance id, an account id).</param>
/// <param name="ResourceName">Its name, when it has one.</param>
/// <param name="AwsAccountId">The account it belongs to.</param>
/// <param name="AwsRegion">Its region (<c>global</c> for global resources, as Config says).</param>
/// <param name="Arn">Its ARN, when known.</param>
/// <param name="AvailabilityZone">Its availability zone, when known.</param>
/// <param name="CaptureTime">When Config captured this configuration (<c>configurationItemCaptureTime</c>).</param>
/// <param name="Status"><c>OK</c>, <c>ResourceDiscovered</c>, <c>ResourceNotRecorded</c>, <c>ResourceDeleted</c>, <c>ResourceDeletedNotRecorded</c>.</param>
/// <param name="StateId">Config's <c>configurationStateId</c>, when given.</param>
/// <param name="ResourceCreationTime">When the resource was created, when known.</param>
/// <param name="Configuration">The resource's configuration, embedded documents parsed; null for a deleted resource.</param>
/// <param name="SupplementaryConfiguration">Config's supplementary configuration (a bucket's policy, encryption, ...), embedded documents parsed.</param>
/// <param name="Tags">The resource's tags.</param>
/// <param name="Relationships">Its relationships to other resources.</param>
public sealed record ConfigurationItem(
    string ResourceType,
    string ResourceId,
    string? ResourceName,
    string AwsAccountId,
    string AwsRegion,
    string? Arn,
    string? AvailabilityZone,
    DateTimeOffset CaptureTime,
    string Status,
    string? StateId,
    DateTimeOffset? ResourceCreationTime,
    JsonElement? Configuration,
    JsonElement? SupplementaryConfiguration,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<ConfigurationRelationship> Relationships)
{
    /// <summary>The resource type of account-level facts (password policy, root MFA), as AWS Config reports them.</summary>
    public const string AccountResourceType = "AWS::::Account";

    /// <summary>Whether this item records the resource's deletion.</summary>
    [JsonIgnore]
    public bool IsDeleted => Status is "ResourceDeleted" or "ResourceDeletedNotRecorded";
}

/// <summary>A relationship of a configuration item to another resource (<c>"Is associated with SecurityGroup"</c>).</summary>
public sealed record ConfigurationRelationship(string? ResourceType, string? ResourceId, string? ResourceName, string? Name);

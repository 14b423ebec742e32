using Platform.Provisioning;
using Platform.ServiceDefaults;
using static Platform.Provisioning.Tests.ProvisioningService;

namespace Platform.Provisioning.Tests;

/// <summary>
/// Topics, functions and subscription filters take AWS's shapes as the seed writes them, and a delivery target on a
/// literal internal address is refused at the door unless the deployment allows private targets.
/// </summary>
[Collection(ProvisioningCollection.Name)]
public sealed class Delivery_targets(ProvisioningService service)
{
    private Task<HttpResponseMessage> PutAsync(string kind, object body, string? name = null) =>
        service.PutAsync(kind, name ?? Unique("target"), Json(body));

    /// <summary>Puts a subscription filter on the seed's application log group.</summary>
    private Task<HttpResponseMessage> PutSubscriptionFilterAsync(string filterName, string filterPattern, string destinationArn) =>
        PutAsync("subscription-filters", new { logGroupName = "/aws/security/application", filterName, filterPattern, destinationArn });

    [Fact]
    public async Task The_seeds_subscription_filter_is_accepted_as_written()
    {
        using var response = await PutSubscriptionFilterAsync(
            "security-events", "[ERROR, WARN, CRITICAL]", "arn:aws:lambda:us-east-1:123456789012:function:process-logs");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_subscription_filter_with_a_bad_pattern_and_an_s3_destination_is_refused_naming_both()
    {
        using var response = await PutSubscriptionFilterAsync("broken", "{ $.latency > \"slow\" }", "arn:aws:s3:::bucket-name-here");

        var fields = await response.ProblemFieldsAsync();
        Assert.StartsWith("at character 15:", Assert.Single(fields["filterPattern"]));
        Assert.Contains("'s3' targets are not delivered to", Assert.Single(fields["destinationArn"]));
    }

    [Fact]
    public async Task A_topic_with_every_protocol_is_accepted()
    {
        using var response = await PutAsync("topics", new
        {
            subscriptions = new object[]
            {
                new { protocol = "https", endpoint = "https://hooks.example.com/security" },
                new { protocol = "slack", endpoint = "https://hooks.slack.com/services/T000/B000/XXXX" },
                new { protocol = "sqs", endpoint = "arn:aws:sqs:us-east-1:123456789012:security-alerts" },
                new { protocol = "email", endpoint = "soc@example.com" },
            },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "'169.254.169.254' is the cloud metadata address")]
    [InlineData("http://127.0.0.1:8080/hook", "'127.0.0.1' is a loopback address")]
    [InlineData("http://10.0.0.5/hook", "'10.0.0.5' is a private address")]
    [InlineData("http://localhost/hook", "'localhost' is a loopback address")]
    public async Task A_topic_webhook_on_an_internal_address_is_refused_naming_its_endpoint(string url, string reason)
    {
        using var response = await PutAsync("topics", new { subscriptions = new[] { new { protocol = "http", endpoint = url } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(reason, Assert.Single((await response.ProblemFieldsAsync())["subscriptions[0].endpoint"]));
    }

    [Fact]
    public async Task A_function_on_the_ipv6_metadata_address_is_refused()
    {
        using var response = await PutAsync("functions", new { endpoint = "http://[fd00:ec2::254]/" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("is the cloud metadata address", Assert.Single((await response.ProblemFieldsAsync())["endpoint"]));
    }

    [Fact]
    public async Task A_subscription_whose_url_does_not_match_its_protocol_or_an_unknown_protocol_is_refused()
    {
        using var response = await PutAsync("topics", new
        {
            subscriptions = new[]
            {
                new { protocol = "https", endpoint = "http://hooks.example.com/x" },
                new { protocol = "pager", endpoint = "x" },
                new { protocol = "email", endpoint = "not an address" },
            },
        });

        var fields = await response.ProblemFieldsAsync();
        Assert.Equal("must be an absolute https URL", Assert.Single(fields["subscriptions[0].endpoint"]));
        Assert.StartsWith("unknown protocol 'pager'", Assert.Single(fields["subscriptions[1].protocol"]));
        Assert.StartsWith("must be an e-mail address", Assert.Single(fields["subscriptions[2].endpoint"]));
    }

    [Fact]
    public async Task A_deployment_that_allows_private_targets_accepts_a_local_listener()
    {
        await using var postgres = new PostgresServer();
        await using var host = new ServiceHost<ProvisioningDbContext>(
            PlatformResources.ProvisioningDb, postgres.NewDatabaseConnectionString("provisioning"), RabbitMqServer.NewEntityPrefix(),
            new Dictionary<string, string?> { ["Platform:Alerting:Delivery:AllowPrivateTargets"] = "true" });
        await host.WaitUntilHealthyAsync();
        using var admin = host.CreateAdminClient();

        using var response = await admin.PutAsync("/v1/functions/process-logs", Json(new { endpoint = "http://127.0.0.1:9000/invoke" }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}

using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Provisioning;

namespace Platform.Provisioning.Tests;

/// <summary>
/// A topic's or function's signing secret and a Slack webhook's token never read back: GET, list and history show a
/// mask, and a resource read, edited and written back keeps the secrets the masks stand for. The alerting service still
/// receives the real values on the bus.
/// </summary>
[Collection(ProvisioningCollection.Name)]
public sealed class Masking_delivery_secrets(ProvisioningService service)
{
    private const string Secret = "topic-signing-secret-0123456789";
    private const string SlackUrl = "https://hooks.slack.com/services/T000/B000/TOKENTOKENTOKEN";

    /// <summary>The resource's last event: what the outbox publishes to the alerting service.</summary>
    private async Task<object> LastEventAsync(string kind, string name)
    {
        await using var scope = service.Host.Services.CreateAsyncScope();
        var events = await scope.ServiceProvider.GetRequiredService<Platform.EventSourcing.Storage.EventStore>()
            .ReadStreamAsync(Platform.Provisioning.Resources.ResourceStore.StreamId(kind, name), CancellationToken.None);
        return events[^1].Data;
    }

    [Fact]
    public async Task A_topics_secret_and_slack_token_read_masked_in_get_list_and_history()
    {
        var name = Unique("masked");
        using var admin = service.Admin();
        using var put = await admin.PutAsync($"/v1/topics/{name}", Json(new
        {
            subscriptions = new[] { new { protocol = "slack", endpoint = SlackUrl } },
            signingSecret = Secret,
        }));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        var bodies = new[]
        {
            await put.Content.ReadAsStringAsync(),
            await admin.GetStringAsync($"/v1/topics/{name}"),
            await admin.GetStringAsync("/v1/topics"),
            await admin.GetStringAsync($"/v1/topics/{name}/history"),
        };

        Assert.All(bodies, body =>
        {
            Assert.DoesNotContain(Secret, body);
            Assert.DoesNotContain("TOKENTOKENTOKEN", body);
        });
        var spec = JsonDocument.Parse(bodies[1]).RootElement.GetProperty("spec");
        Assert.Equal("********", spec.GetProperty("signingSecret").GetString());
        Assert.Equal("https://hooks.slack.com/services/T000/B000/********", spec.GetProperty("subscriptions")[0].GetProperty("endpoint").GetString());
    }

    [Fact]
    public async Task A_topic_written_back_as_read_keeps_its_secrets_and_publishes_them_unchanged()
    {
        var name = Unique("roundtrip");
        using var admin = service.Admin();
        using (var created = await admin.PutAsync($"/v1/topics/{name}", Json(new
        {
            subscriptions = new[] { new { protocol = "slack", endpoint = SlackUrl } },
            signingSecret = Secret,
        })))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var read = JsonNode.Parse(await admin.GetStringAsync($"/v1/topics/{name}"))!["spec"]!;
        read["subscriptions"]!.AsArray().Add(new JsonObject { ["protocol"] = "email", ["endpoint"] = "soc@example.com" });

        using var written = await admin.PutAsync($"/v1/topics/{name}", Json(read));

        Assert.Equal(HttpStatusCode.OK, written.StatusCode);
        var published = Assert.IsType<TopicProvisioned>(await LastEventAsync("topics", name));
        Assert.Equal(2, published.Version);
        Assert.Equal(Secret, published.Spec.SigningSecret);
        Assert.Equal([SlackUrl, "soc@example.com"], published.Spec.Subscriptions.Select(s => s.Endpoint));
    }

    [Fact]
    public async Task A_mask_that_stands_for_nothing_is_refused_naming_the_field()
    {
        using var admin = service.Admin();
        using var topic = await admin.PutAsync($"/v1/topics/{Unique("new")}", Json(new
        {
            subscriptions = new[] { new { protocol = "slack", endpoint = "https://hooks.slack.com/services/T000/B000/********" } },
            signingSecret = "********",
        }));
        using var function = await admin.PutAsync($"/v1/functions/{Unique("fn")}", Json(new
        {
            endpoint = "https://functions.example.com/run",
            signingSecret = "********",
        }));

        var fields = await topic.ProblemFieldsAsync();
        Assert.Equal("is the mask shown on reading: give the secret itself", Assert.Single(fields["signingSecret"]));
        Assert.Equal("is the mask shown on reading: give the webhook URL itself", Assert.Single(fields["subscriptions[0].endpoint"]));
        Assert.Equal("is the mask shown on reading: give the secret itself", Assert.Single((await function.ProblemFieldsAsync())["signingSecret"]));
    }

    [Fact]
    public async Task A_functions_secret_reads_masked_and_survives_a_write_back()
    {
        var name = Unique("fn");
        using var admin = service.Admin();
        using (var created = await admin.PutAsync($"/v1/functions/{name}", Json(new { endpoint = "https://functions.example.com/run", signingSecret = Secret })))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var read = JsonNode.Parse(await admin.GetStringAsync($"/v1/functions/{name}"))!["spec"]!;
        Assert.Equal("********", read["signingSecret"]!.GetValue<string>());
        read["endpoint"] = "https://functions.example.com/run-v2";

        using var written = await admin.PutAsync($"/v1/functions/{name}", Json(read));

        Assert.Equal(HttpStatusCode.OK, written.StatusCode);
        var published = Assert.IsType<FunctionProvisioned>(await LastEventAsync("functions", name));
        Assert.Equal(2, published.Version);
        Assert.Equal(Secret, published.Spec.SigningSecret);
    }
}

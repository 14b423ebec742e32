namespace Platform.Console.Tests;

/// <summary>Event rules as provisioned, and their targets' deliveries: a failed one is sent again from the page.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class Retrying_deliveries(ConsolePlatform platform)
{
    [Fact]
    public async Task A_delivery_to_a_function_nobody_provisioned_fails_and_is_retried_from_the_page()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var rule = $"console-rule-{suffix}";
        var function = $"missing-{suffix}";
        var principal = $"arn:aws:iam::123456789012:user/d{suffix}";
        var pattern = JsonSerializer.Serialize(new { source = new[] { "aws.iam" }, detail = new { userIdentity = new { arn = new[] { principal } } } });
        await platform.PutAsync("event-rules", rule, $$"""
            {"Name": "{{rule}}", "State": "ENABLED", "EventPattern": {{JsonSerializer.Serialize(pattern)}},
             "Targets": [{"Id": "handler", "Arn": "arn:aws:lambda:us-east-1:123456789012:function:{{function}}"}]}
            """);
        await Task.Delay(TimeSpan.FromSeconds(3)); // the rule reaches alerting on the bus
        var record = CloudTrailRecords.CreateAccessKey(Guid.NewGuid().ToString());
        record["userIdentity"]!["arn"] = principal;
        await platform.IngestAsync("aws-cloudtrail-logs", [record.ToJsonString()]);
        using var alerting = platform.Client(PlatformResources.Alerting);
        var failed = await Eventually.ObserveAsync(
            async () => (await alerting.GetFromJsonAsync<JsonElement>("/v1/deliveries?status=failed")).GetProperty("items").EnumerateArray()
                .Where(d => d.GetProperty("target").GetString()!.Contains(function, StringComparison.Ordinal)).ToList(),
            found => found.Count > 0, TimeSpan.FromSeconds(60));
        Assert.NotEmpty(failed);
        var delivery = failed[0].GetProperty("id").GetGuid();
        var page = await platform.SignedInPageAsync();

        await page.GotoAsync(new Uri(platform.Console, "/event-rules?status=failed").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Event rules" })).ToContainTextAsync(rule);
        var row = page.GetByRole(AriaRole.Table, new() { Name = "Deliveries" }).Locator("tr", new() { HasText = function });
        await Assertions.Expect(row).ToContainTextAsync("failed");
        await row.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Delivery {delivery} is");
        var retried = await alerting.GetFromJsonAsync<JsonElement>($"/v1/deliveries/{delivery}");
        Assert.True(retried.GetProperty("attempts").GetInt32() >= 1 || retried.GetProperty("status").GetString() == "pending", retried.ToString());
        await page.Context.CloseAsync();
    }
}

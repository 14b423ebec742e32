namespace Platform.Compliance.Tests;

/// <summary>Account-level facts from IAM's own answers become the account's AWS::::Account item.</summary>
[Collection(IntakeCollection.Name)]
public sealed class Recording_account_snapshots(IntakeHost host)
{
    private static string NewAccount() => Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<HttpResponseMessage> PostAsync(JsonObject snapshot)
    {
        using var client = host.ClientFor(PlatformRoles.Ingest);
        return await client.PostAsJsonAsync("/v1/account-snapshots", snapshot);
    }

    [Fact]
    public async Task A_snapshot_records_the_password_policy_and_summary_map_as_iam_returns_them()
    {
        var account = NewAccount();
        using var response = await PostAsync(new JsonObject
        {
            ["accountId"] = account,
            ["awsRegion"] = "us-east-1",
            ["PasswordPolicy"] = new JsonObject { ["MinimumPasswordLength"] = 14, ["RequireSymbols"] = true, ["ExpirePasswords"] = false },
            ["SummaryMap"] = new JsonObject { ["AccountMFAEnabled"] = 1, ["Users"] = 3 },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var item = (await host.CurrentAsync("AWS::::Account", account))!.Value;
        Assert.Equal(account, item.GetProperty("awsAccountId").GetString());
        Assert.Equal(14, item.GetProperty("configuration").GetProperty("PasswordPolicy").GetProperty("MinimumPasswordLength").GetInt32());
        Assert.Equal(1, item.GetProperty("configuration").GetProperty("SummaryMap").GetProperty("AccountMFAEnabled").GetInt32());
    }

    [Fact]
    public async Task No_password_policy_is_recorded_as_none_and_a_missing_summary_map_keeps_the_last()
    {
        var account = NewAccount();
        await PostAsync(new JsonObject
        {
            ["accountId"] = account,
            ["awsRegion"] = "us-east-1",
            ["PasswordPolicy"] = new JsonObject { ["MinimumPasswordLength"] = 8 },
            ["SummaryMap"] = new JsonObject { ["AccountMFAEnabled"] = 0 },
        });
        using var response = await PostAsync(new JsonObject { ["accountId"] = account, ["awsRegion"] = "us-east-1" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var configuration = (await host.CurrentAsync("AWS::::Account", account))!.Value.GetProperty("configuration");
        Assert.Equal(JsonValueKind.Null, configuration.GetProperty("PasswordPolicy").ValueKind);
        Assert.Equal(0, configuration.GetProperty("SummaryMap").GetProperty("AccountMFAEnabled").GetInt32());
        Assert.Equal(2, (await host.HistoryAsync("AWS::::Account", account)).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_snapshot_without_an_account_id_or_with_a_policy_that_is_not_an_object_is_400_naming_both()
    {
        using var response = await PostAsync(new JsonObject { ["accountId"] = "12345", ["awsRegion"] = "us-east-1", ["PasswordPolicy"] = "strict" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("accountId", out _));
        Assert.True(errors.TryGetProperty("PasswordPolicy", out _));
    }
}

using System.Net.Http.Json;

namespace Platform.Testing;

/// <summary>Calls to the provisioning API that tests make on their way to what they test: one way to put a resource.</summary>
public static class ProvisioningCalls
{
    /// <summary>
    /// Puts <paramref name="spec"/> as the resource <paramref name="name"/> of <paramref name="kind"/> and asserts it was
    /// taken. A string is sent as written (AWS-shaped specs keep their casing, dimension names included); anything else
    /// as JSON.
    /// </summary>
    public static async Task PutResourceAsync(this HttpClient admin, string kind, string name, object spec)
    {
        using var content = spec is string json
            ? new StringContent(json, System.Text.Encoding.UTF8, "application/json")
            : (HttpContent)JsonContent.Create(spec);
        using var response = await admin.PutAsync($"/v1/{kind}/{Uri.EscapeDataString(name)}", content);
        Assert.True(response.IsSuccessStatusCode, $"PUT {kind}/{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

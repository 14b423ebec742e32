using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.Testing;

/// <summary>
/// Reading a service's answer the one way every test reads it: its JSON body, and the fields (with their reasons) a
/// 400 validation problem names, so a test asserts the field and the reason the API promises.
/// </summary>
public static class HttpResponses
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>The fields a 400 validation problem names, each with its reasons.</summary>
    public static async Task<IReadOnlyDictionary<string, string[]>> ProblemFieldsAsync(this HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.JsonAsync();
        return body.GetProperty("errors").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetString()!).ToArray());
    }
}

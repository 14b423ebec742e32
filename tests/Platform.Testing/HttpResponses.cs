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

    /// <summary>Asserts each field a 400 problem names has one reason only, containing the text given for the field.</summary>
    public static void AssertSingleReasons(this IReadOnlyDictionary<string, string[]> fields, params (string Field, string Containing)[] expected)
    {
        foreach (var (field, containing) in expected)
        {
            Assert.True(fields.TryGetValue(field, out var reasons), $"the problem does not name {field}");
            Assert.Contains(containing, Assert.Single(reasons));
        }
    }
}

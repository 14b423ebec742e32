namespace Platform.EndToEnd.Tests;

/// <summary>
/// Every operation in every service's OpenAPI document, sent malformed path values, bodies and query strings with
/// the admin key, answers 4xx: a 5xx is a fault the caller cannot fix, and each one found is listed.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class Malformed_input_on_every_operation(PlatformServices platform)
{
    /// <summary>
    /// <c>%2500</c> puts <c>%00</c> in the route value: the test server cannot send a NUL in a path (Kestrel answers
    /// such a request 400 before any endpoint), and handlers that unescape names then meet the NUL themselves.
    /// </summary>
    private static readonly string[] PathValues =
        ["abc", "00000000-0000-0000-0000-000000000000", "9223372036854775808", "-1", new string('a', 5000), "%2500"];

    private static readonly (string Label, byte[] Bytes)[] Bodies =
    [
        ("{", "{"u8.ToArray()),
        ("[1,2]", "[1,2]"u8.ToArray()),
        ("{\"reason\":123}", "{\"reason\":123}"u8.ToArray()),
        ("null", "null"u8.ToArray()),
        ("invalid UTF-8", [(byte)'"', 0xC3, 0x28, 0xFF, (byte)'"']),
        ("JSON nested 10,000 deep", Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000))),
    ];

    private static readonly string[] QueryValues = ["abc", "-1", "9223372036854775808", new string('a', 5000), "%00", "%FF%FE"];

    [Fact]
    public async Task No_operation_answers_a_5xx_to_malformed_path_values_bodies_or_query_strings()
    {
        var offending = new List<string>();
        var sent = 0;
        foreach (var service in platform.All)
        {
            using var client = service.Host.CreateClient(ServiceHost<ProvisioningDbContext>.AdminKey);
            var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
            foreach (var request in Requests(document))
            {
                using var message = request.ToMessage();
                using var response = await client.SendAsync(message);
                sent++;
                if ((int)response.StatusCode >= 500)
                {
                    offending.Add($"{service.Name}: {request} -> {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(sent > 300, $"only {sent} requests were sent: is every OpenAPI document read?");
        Assert.True(offending.Count == 0, $"{offending.Count} of {sent} malformed requests answered 5xx:\n{string.Join('\n', offending)}");
    }

    private static IEnumerable<Probe> Requests(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "put" or "post" or "delete" or "patch"))
            {
                var method = new HttpMethod(operation.Name.ToUpperInvariant());
                var parameters = Parameters(path.Value).Concat(Parameters(operation.Value)).ToList();
                var pathParameters = parameters.Where(p => p.In == "path").ToList();
                var plausible = pathParameters.ToDictionary(p => p.Name, p => p.PlausibleValue);

                foreach (var parameter in pathParameters)
                {
                    foreach (var value in PathValues)
                    {
                        yield return new Probe(method, Fill(path.Name, new Dictionary<string, string>(plausible) { [parameter.Name] = value }), null, null,
                            $"path {parameter.Name}={Short(value)}");
                    }
                }

                var uri = Fill(path.Name, plausible);
                foreach (var parameter in parameters.Where(p => p.In == "query"))
                {
                    foreach (var value in QueryValues)
                    {
                        yield return new Probe(method, $"{uri}?{Uri.EscapeDataString(parameter.Name)}={value}", null, null,
                            $"query {parameter.Name}={Short(value)}");
                    }
                }

                if (method == HttpMethod.Get)
                {
                    continue;
                }
                foreach (var contentType in ContentTypes(operation.Value))
                {
                    foreach (var (label, bytes) in Bodies)
                    {
                        yield return new Probe(method, uri, contentType, bytes, $"{contentType} body {label}");
                    }
                }
            }
        }
    }

    private static IEnumerable<Parameter> Parameters(JsonElement item) =>
        item.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray().Select(p => new Parameter(
                p.GetProperty("name").GetString()!,
                p.GetProperty("in").GetString()!,
                p.TryGetProperty("schema", out var schema) ? schema : default))
            : [];

    /// <summary>The declared request content types, or JSON when none is declared (a body the endpoint does not expect).</summary>
    private static IEnumerable<string> ContentTypes(JsonElement operation) =>
        operation.TryGetProperty("requestBody", out var body) && body.TryGetProperty("content", out var content)
            ? content.EnumerateObject().Select(c => c.Name).DefaultIfEmpty("application/json")
            : ["application/json"];

    private static string Fill(string template, IReadOnlyDictionary<string, string> values) =>
        values.Aggregate(template, (uri, value) => uri.Replace($"{{{value.Key}}}", value.Value, StringComparison.Ordinal));

    private static string Short(string value) => value.Length <= 40 ? value : $"{value[..10]}... ({value.Length} characters)";

    private sealed record Parameter(string Name, string In, JsonElement Schema)
    {
        /// <summary>A value of the declared type, so that the other parts of a request are what is malformed.</summary>
        public string PlausibleValue =>
            Schema.ValueKind != JsonValueKind.Object ? "walk-probe"
            : Schema.TryGetProperty("format", out var format) && format.GetString() == "uuid" ? Guid.Empty.ToString()
            : Schema.TryGetProperty("type", out var type) && type.ToString().Contains("integer", StringComparison.Ordinal) ? "1"
            : "walk-probe";
    }

    private sealed record Probe(HttpMethod Method, string Uri, string? ContentType, byte[]? Body, string What)
    {
        public HttpRequestMessage ToMessage()
        {
            var message = new HttpRequestMessage(Method, Uri);
            // A valid precondition, so that writes needing one (triage) get as far as reading the body.
            message.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            if (Body is not null)
            {
                message.Content = new ByteArrayContent(Body);
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
            return message;
        }

        public override string ToString() => $"{Method} {(Uri.Length <= 100 ? Uri : Uri[..100] + "...")} ({What})";
    }
}

namespace Platform.Provisioning.Tests;

[Collection(ProvisioningCollection.Name)]
public sealed class Applying_a_stack(ProvisioningService service)
{
    private static string Document(string logGroup, int retention, string rule, string? source) =>
        $"""
        description: test stack
        resources:
          - kind: log-groups
            name: {logGroup}
            spec:
              retentionInDays: {retention}
          - kind: detection-rules
            name: {rule}
            spec: |
        {string.Join('\n', RootRule.Split('\n').Select(l => "      " + l))}
        """ + (source is null ? "" : $"""

          - kind: sources
            name: {source}
            spec:
              streamName: security-logs
              startingPosition: LATEST
        """);

    /// <summary>A stack and the log group, rule and source it declares, under names of their own.</summary>
    private sealed record NewStack(string Name, string LogGroup, string Rule, string Source)
    {
        public NewStack()
            : this(Unique("st"), Unique("lg"), Unique("rule"), Unique("src"))
        {
        }

        /// <summary>
        /// Puts the stack as admin: the log group kept <paramref name="retention"/> days, the rule, and the source unless
        /// left out; with <paramref name="dryRun"/>, only asks for the diff.
        /// </summary>
        public Task<HttpResponseMessage> PutAsync(HttpClient admin, int retention, bool withSource = true, bool dryRun = false) =>
            admin.PutAsync($"/v1/stacks/{Name}{(dryRun ? "?dryRun=true" : "")}", Yaml(Document(LogGroup, retention, Rule, withSource ? Source : null)));
    }

    private static List<string?> Names(JsonElement diff, string part) =>
        diff.GetProperty("diff").GetProperty(part).EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToList();

    [Fact]
    public async Task A_dry_run_shows_the_diff_and_changes_nothing()
    {
        using var admin = service.Admin();
        var stack = new NewStack();
        var (_, logGroup, rule, source) = stack;

        var response = await stack.PutAsync(admin, 365, dryRun: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.True(body.GetProperty("dryRun").GetBoolean());
        Assert.Equal([logGroup, rule, source], Names(body, "create"));
        Assert.Empty(Names(body, "update"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/log-groups/{logGroup}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/stacks/{stack.Name}")).StatusCode);
    }

    [Fact]
    public async Task Apply_creates_then_reapply_updates_and_deletes_what_was_removed()
    {
        using var admin = service.Admin();
        var stack = new NewStack();
        var (_, logGroup, rule, source) = stack;

        var first = await stack.PutAsync(admin, 365);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/sources/{source}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/detection-rules/{rule}")).StatusCode);

        var same = await stack.PutAsync(admin, 365);
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal([logGroup, rule, source], Names(await same.JsonAsync(), "unchanged"));
        Assert.Equal(first.Version(), same.Version());

        var preview = await (await stack.PutAsync(admin, 400, withSource: false, dryRun: true)).JsonAsync();
        Assert.Equal([logGroup], Names(preview, "update"));
        Assert.Equal([source], Names(preview, "delete"));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/sources/{source}")).StatusCode);

        var second = await stack.PutAsync(admin, 400, withSource: false);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var diff = await second.JsonAsync();
        Assert.Equal([logGroup], Names(diff, "update"));
        Assert.Equal([source], Names(diff, "delete"));
        Assert.Equal([rule], Names(diff, "unchanged"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/sources/{source}")).StatusCode);
        var group = await (await admin.GetAsync($"/v1/log-groups/{logGroup}")).JsonAsync();
        Assert.Equal(400, group.GetProperty("spec").GetProperty("retentionInDays").GetInt32());

        var current = await (await admin.GetAsync($"/v1/stacks/{stack.Name}")).JsonAsync();
        Assert.Equal(2, current.GetProperty("resources").GetArrayLength());
        var history = (await (await admin.GetAsync($"/v1/stacks/{stack.Name}/history")).JsonAsync()).EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        Assert.All(history, h => Assert.Equal("bootstrap-admin", h.GetProperty("by").GetString()));
    }

    [Fact]
    public async Task An_invalid_resource_applies_nothing_and_names_its_place()
    {
        using var admin = service.Admin();
        var (stack, logGroup) = (Unique("st"), Unique("lg"));
        var document = $$$"""
            {"resources": [
              {"kind": "log-groups", "name": "{{{logGroup}}}", "spec": {"retentionInDays": 365}},
              {"kind": "log-groups", "name": "{{{Unique("lg")}}}", "spec": {"retentionInDays": -5}},
              {"kind": "api-keys", "name": "sneaky", "spec": {}},
              {"kind": "detection-rules", "name": "{{{Unique("rule")}}}", "spec": {"yaml": "title: x\ndetection: {}\n"}}
            ]}
            """;

        var response = await admin.PutAsync($"/v1/stacks/{stack}", JsonText(document));

        var fields = await response.ProblemFieldsAsync();
        Assert.Equal(["resources[1].spec.retentionInDays", "resources[2].kind", "resources[3].spec.yaml"], fields.Keys.Order());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/log-groups/{logGroup}")).StatusCode);
    }

    [Fact]
    public async Task A_resource_declared_twice_is_refused()
    {
        using var admin = service.Admin();
        var logGroup = Unique("lg");
        var document = $"resources:\n  - {{kind: log-groups, name: {logGroup}, spec: {{retentionInDays: 1}}}}\n  - {{kind: log-groups, name: {logGroup}, spec: {{retentionInDays: 3}}}}\n";

        var response = await admin.PutAsync($"/v1/stacks/{Unique("st")}", Yaml(document));

        Assert.Equal(["resources[1].name"], (await response.ProblemFieldsAsync()).Keys);
    }
}

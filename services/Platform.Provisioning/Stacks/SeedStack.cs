namespace Platform.Provisioning.Stacks;

/// <summary>
/// Applies the seed stack (<c>Stacks/seed.yaml</c>, named by <see cref="Setting"/>) when the service starts
/// with an empty store, so a fresh installation monitors the local CloudTrail stream without any call.
/// Once anything has been provisioned it never runs again: a user's changes and deletions stay. Set the
/// setting to an empty string to start empty. Runs before the service takes traffic.
/// </summary>
internal sealed partial class SeedStack(
    IServiceProvider services, IConfiguration configuration, IHostEnvironment environment, ILogger<SeedStack> logger) : IHostedService
{
    public const string Setting = "Platform:Provisioning:SeedStack";
    public const string Actor = "seed";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = configuration[Setting];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return;
        }
        var path = new[] { configured, Path.Combine(environment.ContentRootPath, configured), Path.Combine(AppContext.BaseDirectory, configured) }
            .FirstOrDefault(p => Path.IsPathFullyQualified(p) && File.Exists(p))
            ?? throw new FileNotFoundException($"{Setting} names '{configured}', which does not exist.");

        await using var scope = services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<ResourceStore>();
        if (!await store.IsEmptyAsync(cancellationToken))
        {
            return;
        }

        var errors = new ValidationErrors();
        var declared = StackApplier.Read(
            YamlJson.Parse(await File.ReadAllTextAsync(path, cancellationToken)), scope.ServiceProvider.GetRequiredService<ResourceSettings>(), errors)
            ?? throw new InvalidOperationException($"The seed stack {path} is invalid: {errors}");
        var name = Path.GetFileNameWithoutExtension(path);
        try
        {
            var (result, _) = await scope.ServiceProvider.GetRequiredService<StackApplier>()
                .ApplyAsync(name, declared, dryRun: false, Precondition.None, Actor, cancellationToken);
            LogSeeded(name, result!.Diff.Create.Count);
        }
        catch (StreamConcurrencyException)
        {
            // Another instance, starting at the same time, seeded first.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Applied the seed stack '{Stack}' to the empty store: {Count} resources created")]
    private partial void LogSeeded(string stack, int count);
}

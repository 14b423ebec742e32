using Microsoft.Extensions.Logging.Abstractions;

namespace Platform.AppHost.Tests;

/// <summary>Builds the AppHost's application model without starting anything.</summary>
internal static class AppHostModel
{
    public const string AdminKey = "model-test-admin-key";
    public const string PostgresPassword = "modelTestPostgresPassword0123456789";

    public static async Task<IDistributedApplicationTestingBuilder> BuildAsync(params string[] settings) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.Platform_AppHost>(
        [
            $"--Platform:Auth:BootstrapAdminKey={AdminKey}",
            $"--{Infrastructure.LocalInfrastructure.PostgresPasswordSetting}={PostgresPassword}",
            .. settings.Select(setting => "--" + setting),
        ]);

    public static T Resource<T>(this IDistributedApplicationTestingBuilder builder, string name)
        where T : IResource =>
        Assert.IsType<T>(Assert.Single(builder.Resources, resource => resource.Name == name), exactMatch: false);

    public static async Task<Dictionary<string, string>> EnvironmentOfAsync(this IResource resource)
    {
        var configuration = await ResolveAsync(resource);
        return configuration.EnvironmentVariables.ToDictionary(variable => variable.Key, variable => variable.Value);
    }

    public static async Task<string[]> ArgumentsOfAsync(this IResource resource)
    {
        var configuration = await ResolveAsync(resource);
        return configuration.Arguments.Select(argument => argument.Value).ToArray();
    }

    private static async Task<IExecutionConfigurationResult> ResolveAsync(IResource resource)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithArgumentsConfig()
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), NullLogger.Instance, CancellationToken.None);
        return configuration.Exception is { } failure ? throw failure : configuration;
    }
}

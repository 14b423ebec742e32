using Microsoft.Extensions.DependencyInjection;

namespace Platform.Quarantine;

public static class QuarantineExtensions
{
    /// <summary>
    /// The service's quarantine store over its database (which holds the <c>quarantine</c> and <c>quarantine_usage</c>
    /// tables from its own migrations), bounded by <paramref name="limits"/>, counting drops on <paramref name="dropped"/>.
    /// </summary>
    public static IServiceCollection AddQuarantine(
        this IServiceCollection services, Func<IServiceProvider, IQuarantineLimits> limits, Func<IServiceProvider, Counter<long>> dropped) =>
        services.AddSingleton(sp => new QuarantineStore(
            sp.GetRequiredService<NpgsqlDataSource>(), limits(sp), dropped(sp), sp.GetRequiredService<ILogger<QuarantineStore>>()));
}

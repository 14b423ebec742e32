using Microsoft.Extensions.DependencyInjection;

namespace Platform.Quarantine;

public static class QuarantineExtensions
{
    /// <summary>
    /// The service's quarantine store over its database (which holds the <c>quarantine</c> and <c>quarantine_usage</c>
    /// tables from its own migrations), bounded by <paramref name="limits"/>, counting drops on the service's meter
    /// (<paramref name="meterName"/>, e.g. <c>Platform.Ingestion</c>) as <c>platform.&lt;service&gt;.quarantine.dropped</c>.
    /// </summary>
    public static IServiceCollection AddQuarantine(
        this IServiceCollection services, Func<IServiceProvider, IQuarantineLimits> limits, string meterName) =>
        services.AddSingleton(sp => new QuarantineStore(
            sp.GetRequiredService<NpgsqlDataSource>(), limits(sp), Dropped(sp.GetRequiredService<IMeterFactory>(), meterName),
            sp.GetRequiredService<ILogger<QuarantineStore>>()));

    private static Counter<long> Dropped(IMeterFactory meters, string meterName) =>
        meters.Create(meterName).CreateCounter<long>(
            $"{meterName.ToLowerInvariant()}.quarantine.dropped", "{payload}",
            "Quarantine entries dropped, oldest first, to keep the quarantine under its size cap.");
}

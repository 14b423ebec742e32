using Platform.EventSourcing;
using Platform.EventSourcing.Migrations;
using Platform.ServiceDefaults;

namespace Platform.Provisioning.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddProvisioningServices(this IHostApplicationBuilder builder)
    {
        builder.AddEventStore<ProvisioningDbContext>(PlatformResources.ProvisioningDb, options =>
            options.Migrations.AddRange(MigrationScript.FromAssembly(typeof(ProvisioningDbContext).Assembly, PlatformResources.Provisioning)));
        return builder;
    }
}

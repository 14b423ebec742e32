using Platform.Contracts.Provisioning;
using Platform.Messaging;

namespace Platform.Compliance.Functions;

/// <summary>Function calls: the <c>functions</c> kind applied live, and <see cref="IFunctionCaller"/> over it.</summary>
public static class FunctionExtensions
{
    /// <summary>Function changes, heard by every instance: each must resolve functions the same way.</summary>
    public static void AddFunctionConsumers(this MassTransit.IBusRegistrationConfigurator bus) =>
        bus.AddLiveConfigurationConsumer<LiveResources<FunctionSpec>, FunctionSpec, FunctionProvisioned, FunctionDeleted>();

    public static IHostApplicationBuilder AddFunctionCalls(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformOptions<FunctionOptions>(FunctionOptions.Section);
        builder.Services.AddLiveResources<FunctionSpec>(ProvisioningKinds.Functions);
        builder.Services.AddSingleton<IFunctionCaller, FunctionCaller>();
        return builder;
    }
}

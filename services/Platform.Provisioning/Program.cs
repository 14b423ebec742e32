using Platform.Provisioning.ApiKeys;
using Platform.Provisioning.Bus;
using Platform.Provisioning.Extensions;

PlatformService.Run(args, bus => bus.AddConsumer<GetProvisionedResourcesConsumer>(), builder => builder.AddProvisioningServices(), app =>
{
    app.MapResourcesApi();
    app.MapApiKeysApi();
    app.MapStacksApi();
});

using Platform.Provisioning.ApiKeys;
using Platform.Provisioning.Bus;
using Platform.Provisioning.Extensions;
using Platform.Provisioning.Resources;
using Platform.Provisioning.Stacks;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(bus => bus.AddConsumer<GetProvisionedResourcesConsumer>());
builder.AddProvisioningServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapResourcesApi();
app.MapApiKeysApi();
app.MapStacksApi();

app.Run();

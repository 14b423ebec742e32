using Platform.Provisioning.ApiKeys;
using Platform.Provisioning.Bus;
using Platform.Provisioning.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(bus => bus.AddConsumer<GetProvisionedResourcesConsumer>());
builder.AddProvisioningServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapResourcesApi();
app.MapApiKeysApi();
app.MapStacksApi();

app.Run();

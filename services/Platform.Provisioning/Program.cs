using Platform.Provisioning.Extensions;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddProvisioningServices();

var app = builder.Build();
app.MapDefaultEndpoints();

app.Run();

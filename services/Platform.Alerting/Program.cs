using Platform.Alerting.Extensions;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAlertingServices();

var app = builder.Build();
app.MapDefaultEndpoints();

app.Run();

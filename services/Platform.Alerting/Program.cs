using Platform.Alerting.Api;
using Platform.Alerting.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAlertingServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapMetricFiltersApi();

app.Run();

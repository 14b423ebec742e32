using Platform.Alerting.Api;
using Platform.Alerting.Extensions;
using Platform.Alerting.Metrics;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(bus => bus.AddMetricsConsumers());
builder.AddAlertingServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapMetricFiltersApi();
app.MapMetricsApi();

app.Run();

using Platform.Alerting.Api;
using Platform.Alerting.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(bus => bus.AddAlertingConsumers());
builder.AddAlertingServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapMetricFiltersApi();
app.MapEventRulesApi();
app.MapMetricsApi();
app.MapAlarmsApi();
app.MapDeliveriesApi();

app.Run();

using Platform.Alerting.Api;
using Platform.Alerting.Delivery;
using Platform.Alerting.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(bus => bus.AddDeliveryConsumers());
builder.AddAlertingServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapMetricFiltersApi();
app.MapDeliveriesApi();

app.Run();

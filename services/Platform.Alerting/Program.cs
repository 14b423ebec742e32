using Platform.Alerting.Api;
using Platform.Alerting.Extensions;

PlatformService.Run(args, bus => bus.AddAlertingConsumers(), builder => builder.AddAlertingServices(), app =>
{
    app.MapMetricFiltersApi();
    app.MapEventRulesApi();
    app.MapMetricsApi();
    app.MapAlarmsApi();
    app.MapDeliveriesApi();
});

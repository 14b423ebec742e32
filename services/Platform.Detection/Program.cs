using Platform.Detection.Api;
using Platform.Detection.Extensions;
using Platform.Detection.RetroHunts;

PlatformService.Run(args, bus => bus.AddDetectionConsumers(), builder => builder.AddDetectionServices(), app =>
{
    app.MapFindingsApi();
    app.MapRulesApi().MapRuleTestApi();
    app.MapRetroHuntsApi();
    app.MapCoverageApi();
});

using Platform.Detection.Api;
using Platform.Detection.Extensions;
using Platform.Detection.RetroHunts;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(bus => bus.AddDetectionConsumers());
builder.AddDetectionServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapFindingsApi();
app.MapRulesApi();
app.MapRetroHuntsApi();
app.MapRuleTestApi();
app.MapCoverageApi();

app.Run();

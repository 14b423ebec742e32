using Platform.Detection.Api;
using Platform.Detection.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(bus => bus.AddDetectionConsumers());
builder.AddDetectionServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapFindingsApi();
app.MapRulesApi();
app.MapRuleTestApi();

app.Run();

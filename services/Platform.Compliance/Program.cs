using Platform.Compliance.Configuration;
using Platform.Compliance.Evaluation;
using Platform.Compliance.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(bus => bus.AddComplianceConsumers());
builder.AddComplianceServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapConfigurationApi();
app.MapEvaluationApis();

app.Run();

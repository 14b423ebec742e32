using Platform.Compliance.Configuration;
using Platform.Compliance.Evaluation;
using Platform.Compliance.Extensions;
using Platform.Compliance.Remediation;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(bus => bus.AddComplianceConsumers());
builder.AddComplianceServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapConfigurationApi();
app.MapEvaluationApis();
app.MapRemediationsApi();

app.Run();

using Platform.Compliance.Extensions;
using Platform.Compliance.Remediation;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(bus => bus.AddRemediationConsumers());
builder.AddComplianceServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapRemediationsApi();

app.Run();

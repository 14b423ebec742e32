using Platform.Compliance.Extensions;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddComplianceServices();

var app = builder.Build();
app.MapDefaultEndpoints();

app.Run();

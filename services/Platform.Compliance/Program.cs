using Platform.Compliance.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddComplianceServices();

var app = builder.Build();
app.MapDefaultEndpoints();

app.Run();

using Platform.Detection.Extensions;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDetectionServices();

var app = builder.Build();
app.MapDefaultEndpoints();

app.Run();

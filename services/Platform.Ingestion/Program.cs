using Platform.Ingestion.Extensions;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIngestionServices();

var app = builder.Build();
app.MapDefaultEndpoints();

app.Run();

using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

var builder = WebApplication.CreateBuilder(args);
builder.AddWebDefaults();
builder.Services.Configure<ConsoleOptions>(builder.Configuration.GetSection(ConsoleOptions.Section));
var services = builder.Configuration.GetSection(ConsoleOptions.Section).Get<ConsoleOptions>()?.Services ?? new ServiceUrls();

// The session is the key the person signed in with, inside an auth cookie Data Protection encrypts: the page never
// holds it, script cannot read it (HttpOnly), and other sites cannot send it (SameSite=Strict).
builder.Services.AddDataProtection().SetApplicationName("Platform.Console");
builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
    .AddCookie(options =>
    {
        options.LoginPath = "/login";
        options.LogoutPath = "/logout";
        options.AccessDeniedPath = "/login";
        options.Cookie.Name = "platform-console";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        options.SlidingExpiration = true;
        // A widget's fragment, fetched by script, answers 401 rather than the login page, so the page itself goes there.
        options.Events.OnRedirectToLogin = context =>
        {
            if (context.Request.Headers["X-Requested-With"] == "fetch")
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            }
            else
            {
                context.Response.Redirect(context.RedirectUri);
            }
            return Task.CompletedTask;
        };
    });
builder.Services.AddAuthorization();
builder.Services.AddRazorPages(options =>
{
    options.Conventions.AuthorizeFolder("/");
    options.Conventions.AllowAnonymousToPage("/Login");
    options.Conventions.AllowAnonymousToPage("/Error");
});

builder.Services.AddHttpContextAccessor();
builder.Services.AddTransient<SignedInKeyHandler>();
builder.Services.AddHttpClient<ProvisioningApi>(c => c.BaseAddress = services.Provisioning).AddHttpMessageHandler<SignedInKeyHandler>();
builder.Services.AddHttpClient<DetectionApi>(c => c.BaseAddress = services.Detection).AddHttpMessageHandler<SignedInKeyHandler>();
builder.Services.AddHttpClient<IngestionApi>(c => c.BaseAddress = services.Ingestion).AddHttpMessageHandler<SignedInKeyHandler>();
builder.Services.AddHttpClient<AlertingApi>(c => c.BaseAddress = services.Alerting).AddHttpMessageHandler<SignedInKeyHandler>();
builder.Services.AddHttpClient<ComplianceApi>(c => c.BaseAddress = services.Compliance).AddHttpMessageHandler<SignedInKeyHandler>();

var app = builder.Build();
app.UseExceptionHandler("/error");
app.UseStatusCodePages();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.MapHealthEndpoints();
app.MapRazorPages();
app.Run();

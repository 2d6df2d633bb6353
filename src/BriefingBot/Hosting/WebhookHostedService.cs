using BriefingBot.Chat.Platforms;
using BriefingBot.Core.Chat;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace BriefingBot.Hosting;

/// <summary>
/// Serves the platforms' HTTP endpoints (Discord interactions, Slack events and commands) with Kestrel, on the
/// addresses their URLs name, and the operator's: <c>/healthz</c> (the process lives), <c>/readyz</c> (the store
/// answers, every platform is connected, the last ingestion worked) and <c>/metrics</c> (Prometheus text) only on
/// <c>Hosting:HttpUrl</c>'s port — never on a platform's public listener unless the operator gave both one port. Does
/// nothing when none is on.
/// </summary>
internal sealed partial class WebhookHostedService(
    IEnumerable<IWebhookEndpoint> endpoints,
    IOptions<HostingOptions> hosting,
    HealthCheckService health,
    MeterProvider meters,
    ILoggerFactory loggers,
    ILogger<WebhookHostedService> logger) : IHostedService, IAsyncDisposable
{
    // Platforms send small JSON or form bodies; anything larger is not theirs.
    private const int MaxBodyBytes = 1024 * 1024;

    private WebApplication? _app;

    /// <summary>The addresses Kestrel listens on once started (with the real port when a URL asked for port 0).</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var active = endpoints.Where(e => e.Url is not null).Select(e => (Endpoint: e, Url: new Uri(e.Url!))).ToList();
        var operations = string.IsNullOrWhiteSpace(hosting.Value.HttpUrl) ? null : new Uri(hosting.Value.HttpUrl);
        if (active.Count == 0 && operations is null)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder();
        // The web server's own lines (a bad request, a failed handshake) go where the bot's go, filtered as they are.
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.UseUrls(active.Select(a => a.Url).Append(operations).OfType<Uri>().Select(u => u.GetLeftPart(UriPartial.Authority)).Distinct().ToArray());
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxBodyBytes);
        _app = builder.Build();
        if (operations is not null)
        {
            // Served where the operator said, not on every address Kestrel listens on. (A port of 0 is chosen at
            // start and cannot be told apart beforehand: then on the listener it shares.)
            bool Operations(HttpContext context) => operations.Port == 0 || context.Connection.LocalPort == operations.Port;
            _app.UseOpenTelemetryPrometheusScrapingEndpoint(meters, context => context.Request.Path == "/metrics" && Operations(context), null, null, null);
            _app.MapGet("/healthz", (HttpContext context) => Operations(context) ? Results.Text("ok\n") : Results.NotFound());
            _app.MapGet("/readyz", (HttpContext context, CancellationToken token) => Operations(context) ? ReadyAsync(token) : Task.FromResult(Results.NotFound()));
        }

        foreach (var (endpoint, url) in active)
        {
            _app.MapPost(url.AbsolutePath, (HttpContext context) => ServeAsync(endpoint, context));
            LogServing(url.AbsolutePath, url.GetLeftPart(UriPartial.Authority));
        }

        if (operations is not null)
        {
            LogServing("/healthz, /readyz and /metrics", operations.GetLeftPart(UriPartial.Authority));
        }

        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        Addresses = _app.Urls.ToList();
    }

    /// <summary>200 when every readiness check passes, 503 otherwise; the body names each check and what it found.</summary>
    private async Task<IResult> ReadyAsync(CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(c => c.Tags.Contains(OperationsServiceCollectionExtensions.ReadyTag), cancellationToken).ConfigureAwait(false);
        var lines = report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => $"{e.Key}: {(e.Value.Status == HealthStatus.Healthy ? "ok" : "failing")} ({e.Value.Description})");
        var body = $"{(report.Status == HealthStatus.Healthy ? "ready" : "not ready")}\n{string.Join('\n', lines)}\n";
        return Results.Text(body, statusCode: report.Status == HealthStatus.Healthy ? 200 : 503);
    }

    /// <summary>One request to a platform's endpoint; a handler's failure is logged with its route and answered 500.</summary>
    private async Task ServeAsync(IWebhookEndpoint endpoint, HttpContext context)
    {
        try
        {
            await HandleAsync(endpoint, context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The platform hung up: nobody is left to answer.
        }
        catch (Exception ex)
        {
            LogHandlerFailed(context.Request.Path, ex);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        }
    }

    private async Task HandleAsync(IWebhookEndpoint endpoint, HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        var headers = context.Request.Headers;
        var response = await endpoint.HandleAsync(new WebhookRequest(name => headers.TryGetValue(name, out var v) ? v.ToString() : null, body.ToArray()), context.RequestAborted)
            .ConfigureAwait(false);
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (response.Body is not null)
        {
            context.Response.ContentType = response.ContentType;
            await context.Response.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The handler of {Path} failed; answered 500")]
    private partial void LogHandlerFailed(string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving {Path} on {Address}")]
    private partial void LogServing(string path, string address);
}

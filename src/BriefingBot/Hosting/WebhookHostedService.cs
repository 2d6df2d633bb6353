using BriefingBot.Chat.Platforms;
using BriefingBot.Core.Chat;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Hosting;

/// <summary>
/// Serves the platforms' HTTP endpoints (Discord interactions, Slack events and commands) with Kestrel, on the
/// addresses their URLs name; does nothing when no endpoint has a URL.
/// </summary>
internal sealed partial class WebhookHostedService(IEnumerable<IWebhookEndpoint> endpoints, ILogger<WebhookHostedService> logger) : IHostedService, IAsyncDisposable
{
    // Platforms send small JSON or form bodies; anything larger is not theirs.
    private const int MaxBodyBytes = 1024 * 1024;

    private WebApplication? _app;

    /// <summary>The addresses Kestrel listens on once started (with the real port when a URL asked for port 0).</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var active = endpoints.Where(e => e.Url is not null).Select(e => (Endpoint: e, Url: new Uri(e.Url!))).ToList();
        if (active.Count == 0)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(active.Select(a => a.Url.GetLeftPart(UriPartial.Authority)).Distinct().ToArray());
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxBodyBytes);
        _app = builder.Build();
        foreach (var (endpoint, url) in active)
        {
            _app.MapPost(url.AbsolutePath, (HttpContext context) => ServeAsync(endpoint, context));
            LogServing(url.AbsolutePath, url.GetLeftPart(UriPartial.Authority));
        }

        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        Addresses = _app.Urls.ToList();
    }

    private async Task ServeAsync(IWebhookEndpoint endpoint, HttpContext context)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving {Path} on {Address}")]
    private partial void LogServing(string path, string address);
}

using BriefingBot.Chat.Platforms;
using BriefingBot.Core.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace BriefingBot.Hosting;

/// <summary>Settings of the <c>Hosting</c> section: where the health, readiness and metrics endpoints are served.</summary>
public sealed class HostingOptions
{
    public const string Section = "Hosting";

    /// <summary>
    /// Where to serve <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>, e.g. <c>http://0.0.0.0:9090</c>; empty: off,
    /// unless the platforms' HTTP endpoints are on, which then serve them too.
    /// </summary>
    public string? HttpUrl { get; set; }

    internal bool Valid => string.IsNullOrWhiteSpace(HttpUrl)
        || (Uri.TryCreate(HttpUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps));
}

/// <summary>
/// The store answers a query. What is wrong (it names the database's path or address and the driver's words) goes to
/// the log, once each time it changes; <c>/readyz</c> says only that the store is failing.
/// </summary>
internal sealed partial class StoreReadiness(IStoreProbe store, ILogger<StoreReadiness> logger) : IHealthCheck
{
    private string? _logged;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problem = await store.ProblemAsync(cancellationToken).ConfigureAwait(false);
        if (problem is not null && Interlocked.Exchange(ref _logged, problem) != problem)
        {
            LogStoreFailing(problem);
        }
        else if (problem is null)
        {
            Interlocked.Exchange(ref _logged, null);
        }

        return problem is null ? HealthCheckResult.Healthy("the store answers") : HealthCheckResult.Unhealthy("the store does not answer; the log says why");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readiness: {Problem}")]
    private partial void LogStoreFailing(string problem);
}

/// <summary>Every platform this run connects to has a connection up.</summary>
internal sealed class PlatformReadiness(PlatformHealth platforms) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(platforms.Disconnected is { Count: > 0 } down
            ? HealthCheckResult.Unhealthy($"not connected: {string.Join(", ", down)}{Held(platforms)}")
            : HealthCheckResult.Healthy($"connected{Held(platforms)}"));

    private static string Held(PlatformHealth platforms) => platforms.Holdings is { Count: > 0 } held ? $"; this instance holds {string.Join("; ", held)}" : string.Empty;
}

/// <summary>The last ingestion of the corpus folder did not fail (why it failed is in the log where it failed, not here).</summary>
internal sealed class IngestionReadiness(IngestionHealth ingestion) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(ingestion.Problem is not null
            ? HealthCheckResult.Unhealthy("the last ingestion failed; the log says why")
            : HealthCheckResult.Healthy("the last ingestion worked"));
}

public static class OperationsServiceCollectionExtensions
{
    public const string ReadyTag = "ready";

    /// <summary>Metrics (the bot's meter and .NET's, exported for Prometheus), readiness checks and the state they read.</summary>
    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HostingOptions>().Bind(configuration.GetSection(HostingOptions.Section))
            .Validate(o => o.Valid, "Hosting:HttpUrl must be an http URL such as http://0.0.0.0:9090, or empty.")
            .ValidateOnStart();
        services.AddMetrics();
        services.AddSingleton<BotMetrics>();
        services.AddSingleton<PlatformHealth>();
        services.AddSingleton<IngestionHealth>();
        services.AddHealthChecks()
            .AddCheck<StoreReadiness>("store", tags: [ReadyTag])
            .AddCheck<PlatformReadiness>("platforms", tags: [ReadyTag])
            .AddCheck<IngestionReadiness>("ingestion", tags: [ReadyTag]);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(BotMetrics.MeterName, "System.Runtime", "System.Net.Http", "System.Net.NameResolution", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());
        return services;
    }
}

using BriefingBot.Chat.Platforms;
using BriefingBot.Core.Briefing;
using BriefingBot.Discord.Gateway;
using BriefingBot.Discord.Interactions;
using BriefingBot.Discord.Rest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BriefingBot.Discord;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>Adds the Discord adapter: gateway, REST, slash commands and the briefing poster. Runs only when <c>Discord:Token</c> is set.</summary>
    public static IServiceCollection AddDiscord(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DiscordOptions>().Bind(configuration.GetSection(DiscordOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        // No resilience handler: the REST client itself waits out Discord's rate limits and retries 5xx, per bucket.
        // Its request logging is off: interaction and webhook URLs carry tokens.
        services.AddHttpClient(DiscordRestClient.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PlatformFailures>();
        services.AddSingleton<DiscordRestClient>();
        services.AddSingleton<IdentifyGate>();
        services.AddSingleton<DiscordBot>();
        services.AddSingleton<InteractionsEndpoint>();
        services.AddSingleton<IWebhookEndpoint>(sp => sp.GetRequiredService<InteractionsEndpoint>());
        services.AddSingleton<DiscordBriefingPoster>();
        services.AddSingleton<IBriefingPoster>(sp => sp.GetRequiredService<DiscordBriefingPoster>());
        services.AddSingleton<Core.Follows.IChannelPoster>(sp => sp.GetRequiredService<DiscordBriefingPoster>());
        services.AddHostedService<DiscordHostedService>();
        return services;
    }

    /// <summary>True when the configuration turns the Discord adapter on.</summary>
    public static bool DiscordConfigured(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{DiscordOptions.Section}:{nameof(DiscordOptions.Token)}"]);
}

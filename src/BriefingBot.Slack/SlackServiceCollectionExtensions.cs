using BriefingBot.Chat.Platforms;
using BriefingBot.Core.Briefing;
using BriefingBot.Core.Chat;
using BriefingBot.Slack.Events;
using BriefingBot.Slack.SocketMode;
using BriefingBot.Slack.WebApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>Adds the Slack adapter: Socket Mode and/or HTTP events, the Web API and the briefing poster. Runs only when <c>Slack:BotToken</c> is set.</summary>
    public static IServiceCollection AddSlack(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SlackOptions>().Bind(configuration.GetSection(SlackOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        // No resilience handler: the client itself honours Retry-After on 429 and retries 5xx.
        // Its request logging is off: response_url addresses carry tokens.
        services.AddHttpClient(SlackWebApi.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PlatformFailures>();
        services.AddSingleton<SlackWebApi>();
        services.AddSingleton<SlackBot>();
        services.AddSingleton(sp => new SocketModeClient(
            sp.GetRequiredService<SlackWebApi>(), sp.GetRequiredService<IOptions<SlackOptions>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SocketModeClient>>(),
            sp.GetService<Chat.Platforms.PlatformHealth>()));
        services.AddSingleton<SlackEventsEndpoint>();
        services.AddSingleton<IWebhookEndpoint>(sp => sp.GetRequiredService<SlackEventsEndpoint>());
        services.AddSingleton<SlackBriefingPoster>();
        services.AddSingleton<IBriefingPoster>(sp => sp.GetRequiredService<SlackBriefingPoster>());
        services.AddSingleton<Core.Follows.IChannelPoster>(sp => sp.GetRequiredService<SlackBriefingPoster>());
        services.AddHostedService<SlackHostedService>();
        return services;
    }

    /// <summary>True when the configuration turns the Slack adapter on.</summary>
    public static bool SlackConfigured(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{SlackOptions.Section}:{nameof(SlackOptions.BotToken)}"]);
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BriefingBot.Feeds;

public static class FeedsServiceCollectionExtensions
{
    /// <summary>The feed reader: settings (<c>Feeds</c>), the guarded fetcher, the poller.</summary>
    public static IServiceCollection AddFeeds(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FeedOptions>().Bind(configuration.GetSection(FeedOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Timeout > TimeSpan.Zero && o.MaxBackoff > TimeSpan.Zero, "Feeds:Timeout and Feeds:MaxBackoff must be positive durations such as 00:00:30.")
            .Validate(o =>
            {
                foreach (var source in o.Sources)
                {
                    FeedPoller.Validate(source.Url, source.Outlet, source.Interval, source.FetchArticles); // throws with the entry and the rule
                }

                return true;
            })
            .ValidateOnStart();
        services.TryAddSingleton<WebFetcher>();
        services.TryAddSingleton<FeedPoller>();
        return services;
    }
}

using BriefingBot.Chat;
using BriefingBot.Core;
using BriefingBot.Core.Answering;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Chat;
using BriefingBot.Core.Embeddings;
using BriefingBot.Core.Ingestion;
using BriefingBot.Core.Retrieval;
using BriefingBot.Discord;
using BriefingBot.Embeddings.MiniLM;
using BriefingBot.Feeds;
using BriefingBot.Llm;
using BriefingBot.Slack;
using BriefingBot.Storage.Postgres;
using BriefingBot.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Hosting;

/// <summary>Builds the Generic Host every command runs in: configuration, logging, options and the core services.</summary>
public static class BotHost
{
    /// <param name="overrides">Settings from the command line (<c>--db</c>, <c>--corpus</c>), above every other source.</param>
    /// <param name="configure">Lets a caller (a test, the chat command) add or replace services.</param>
    public static IHost Build(string contentRoot, IReadOnlyDictionary<string, string?> overrides, Action<IServiceCollection>? configure = null)
    {
        // Acknowledgements must not wait for a thread: while a burst of questions keeps every core busy with
        // retrieval, the thread pool would add threads for the short acknowledgement work only slowly.
        ThreadPool.GetMinThreads(out var workers, out var completion);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount * 8), Math.Max(completion, Environment.ProcessorCount * 8));

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = contentRoot,
            DisableDefaults = true,
            EnvironmentName = Environments.Production,
        });

        builder.Configuration
            .AddJsonFile(Path.Combine(contentRoot, "appsettings.json"), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddEnvironmentVariables("BRIEFINGBOT_")
            .AddInMemoryCollection(overrides);

        // The crisis questions and claims are read in: the bundled Syrian war's, unless Crisis:Profile names another.
        Core.Crisis.CrisisProfile.Use(builder.Configuration["Crisis:Profile"] is { Length: > 0 } profile
            ? Core.Crisis.CrisisProfile.Load(Path.GetFullPath(Path.Combine(contentRoot, profile)))
            : Core.Crisis.CrisisProfile.Bundled);

        // Every retry of an HTTP call is reported once, in the bot's own words (the fallback line of a model call,
        // the rate-limit line of a platform); the resilience library's per-attempt lines with stack traces only
        // when asked for (Logging:LogLevel:Polly). Added before the configuration, so the configuration wins.
        builder.Logging.AddFilter("Polly", LogLevel.None);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        if (string.Equals(builder.Configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            // One JSON object a line, for a log shipper.
            builder.Logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }

        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        builder.Services.AddOperations(builder.Configuration);
        builder.Services.AddBriefingBotCore(builder.Configuration, contentRoot);
        builder.Services.AddStore(builder.Configuration, contentRoot);
        builder.Services.AddLocalEmbeddings(builder.Configuration);
        builder.Services.AddLlm(builder.Configuration, contentRoot);
        builder.Services.AddFeeds(builder.Configuration);

        // Hosted services start in the order they are added: answering is warm before any platform connects.
        builder.Services.AddSingleton<AnsweringWarmUp>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AnsweringWarmUp>());
        // How each platform writes its channels is known whether or not it runs: a setting naming it is checked either way.
        builder.Services.AddSingleton<Core.Briefing.IPlatformChannels, Discord.DiscordChannels>();
        builder.Services.AddSingleton<Core.Briefing.IPlatformChannels, Slack.SlackChannels>();
        if (builder.Configuration.DiscordConfigured())
        {
            builder.Services.AddDiscord(builder.Configuration);
        }

        if (builder.Configuration.SlackConfigured())
        {
            builder.Services.AddSlack(builder.Configuration);
        }

        builder.Services.AddSingleton<WebhookHostedService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookHostedService>());
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>Checks every option now, so a bad setting is reported by name before any work starts.</summary>
    public static void ValidateOptions(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (Exception ex) when (SettingErrors.Describe(ex) is { } setting)
        {
            throw setting;
        }
    }
}

/// <summary>Registration of the core services and the embedded defaults.</summary>
public static class BriefingBotServiceCollectionExtensions
{
    public static IServiceCollection AddBriefingBotCore(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<IngestionOptions>().Bind(configuration.GetSection(IngestionOptions.Section))
            .PostConfigure(o => o.Path = Path.GetFullPath(Path.Combine(contentRoot, o.Path)))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetrievalOptions>().Bind(configuration.GetSection(RetrievalOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AnsweringOptions>().Bind(configuration.GetSection(AnsweringOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        foreach (var format in CorpusIngestor.StandardFormats)
        {
            services.AddSingleton(format);
        }

        services.AddSingleton<CorpusChanges>();
        services.AddSingleton<CorpusIngestor>();
        // The encoder is an optional constructor parameter: the container passes it when embeddings are on.
        services.AddSingleton<HybridRetriever>();
        services.AddSingleton<ExtractiveAnswerer>();
        services.AddSingleton<Core.Quotes.QuoteFinder>();
        services.AddSingleton<Conversations>();
        services.AddOptions<AdmissionOptions>().Bind(configuration.GetSection(AdmissionOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.QueueTimeout > TimeSpan.Zero && o.PerUserWindow > TimeSpan.Zero && o.PerChannelWindow > TimeSpan.Zero && o.MaxBriefingWindow > TimeSpan.Zero,
                "Admission:QueueTimeout, PerUserWindow, PerChannelWindow and MaxBriefingWindow must be positive durations such as 00:01:00.")
            .ValidateOnStart();
        services.AddSingleton<ChatAdmission>();
        services.AddSingleton<ChatRouter>();
        services.AddSingleton<ChatPipeline>();

        services.AddOptions<Core.Briefing.BriefingOptions>().Bind(configuration.GetSection(Core.Briefing.BriefingOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o =>
            {
                try
                {
                    Core.Briefing.BriefingScheduler.Parse(o);
                    return true;
                }
                catch (Core.BriefingBotException)
                {
                    return false;
                }
            }, "Briefing:Schedule must be a cron expression (\"0 7 * * *\") and Briefing:TimeZone a known time zone (\"Europe/Istanbul\").")
            .Validate<IEnumerable<Core.Briefing.IPlatformChannels>>((o, platforms) =>
            {
                foreach (var channel in o.Channels)
                {
                    Core.Briefing.BriefingChannel.Parse(channel, platforms); // throws with the entry and the rule
                }

                return true;
            })
            .ValidateOnStart();
        services.AddOptions<Core.Follows.FollowOptions>().Bind(configuration.GetSection(Core.Follows.FollowOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Core.Follows.FollowNotifier>();
        services.AddSingleton<Core.Feedback.FeedbackRecorder>();
        services.AddSingleton<Core.Settings.ChannelSettingsService>();
        services.AddSingleton<Core.Briefing.BriefingComposer>();
        services.AddSingleton<Core.Briefing.StoryAssigner>();
        services.AddSingleton<Core.Briefing.BriefingScheduler>();
        return services;
    }

    /// <summary>
    /// The store <c>Storage:Provider</c> names: <c>sqlite</c> (the default, one file) or <c>postgres</c> (shared by
    /// several instances). Every contract the bot uses is one object of the provider's.
    /// </summary>
    public static IServiceCollection AddStore(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        // Both providers read the Storage section: Provider picks one, each binds its own settings from it.
        var provider = configuration.GetSection(SqliteOptions.Section)["Provider"] ?? "sqlite";
        if (provider.Equals("postgres", StringComparison.OrdinalIgnoreCase) || provider.Equals("postgresql", StringComparison.OrdinalIgnoreCase))
        {
            services.AddOptions<PostgresOptions>().Bind(configuration.GetSection(PostgresOptions.Section));
            services.AddSingleton(sp =>
            {
                var options = sp.GetRequiredService<IOptions<PostgresOptions>>().Value;
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                {
                    throw new StoreException("Storage:Provider is postgres but Storage:ConnectionString is not set (e.g. Host=db;Database=briefingbot;Username=bot; the password from PGPASSWORD).");
                }

                return new PostgresCorpusStore(options.ConnectionString, Path.Combine(contentRoot, options.IndexFolder), sp.GetRequiredService<ILogger<PostgresCorpusStore>>());
            });
            // A shared store means other instances: Discord's shards are shared out among them unless told otherwise.
            services.PostConfigure<DiscordOptions>(o => o.ShareShards ??= true);
            return services.AddStoreContracts<PostgresCorpusStore>();
        }

        if (!provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            throw new StoreException($"Storage:Provider '{provider}' is not known: use sqlite (the default) or postgres.");
        }

        services.AddOptions<SqliteOptions>().Bind(configuration.GetSection(SqliteOptions.Section))
            .PostConfigure(o => o.DatabasePath = Path.GetFullPath(Path.Combine(contentRoot, o.DatabasePath)))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SqliteCorpusStore>();
        return services.AddStoreContracts<SqliteCorpusStore>();
    }

    private static IServiceCollection AddStoreContracts<TStore>(this IServiceCollection services)
        where TStore : class, ICorpusStore, IRejectedSources, Core.Briefing.IBriefingLedger, Core.Feeds.IFeedStore, Core.Follows.IFollowStore,
            Core.Diagnostics.IStoreProbe, Core.Feedback.IFeedbackStore, Core.Settings.IChannelSettingsStore, Core.Coordination.IEventMemory, Core.Coordination.ILeaseStore, IConversationStore
    {
        services.AddSingleton<ICorpusStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IRejectedSources>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<Core.Briefing.IBriefingLedger>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<Core.Feeds.IFeedStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<Core.Follows.IFollowStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<Core.Diagnostics.IStoreProbe>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<Core.Feedback.IFeedbackStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<Core.Settings.IChannelSettingsStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<Core.Coordination.IEventMemory>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<Core.Coordination.ILeaseStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IConversationStore>(sp => sp.GetRequiredService<TStore>());
        return services;
    }

    public static IServiceCollection AddLocalEmbeddings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmbeddingOptions>().Bind(configuration.GetSection(EmbeddingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var enabled = configuration.GetSection(EmbeddingOptions.Section).GetValue(nameof(EmbeddingOptions.Enabled), true);
        if (enabled)
        {
            services.AddSingleton(sp => new MiniLmEmbedder(sp.GetRequiredService<IOptions<EmbeddingOptions>>().Value.Precision));
            services.AddSingleton<ITextEmbedder>(sp => sp.GetRequiredService<MiniLmEmbedder>());
            services.AddSingleton<EmbeddingBackfill>();
        }

        return services;
    }
}

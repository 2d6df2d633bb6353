using System.Diagnostics;
using BriefingBot.Core.Chat;
using BriefingBot.Hosting;
using BriefingBot.Tests.Slack;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace BriefingBot.Tests.Operations;

/// <summary>PostgreSQL gone for twenty seconds under a running bot, as a database restart looks to it. Skipped without a server.</summary>
public sealed class DatabaseOutageSpecs : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Cuts the database off as the bot's background jobs start: the scheduled briefing falls due inside the outage.</summary>
    private sealed class CutOnStart(CuttableProxy proxy) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            proxy.Cut();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [SkippableFact]
    public async Task The_bot_stays_up_answers_again_within_ten_seconds_of_the_databases_return_and_posts_the_briefing_due_in_the_outage_once()
    {
        using var database = PostgresDatabase.Create();
        var server = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new CuttableProxy(server.Host!, server.Port);
        var through = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3 }.ConnectionString;
        await using var slack = await FakeSlack.StartAsync();
        var due = DateTimeOffset.UtcNow.AddMinutes(-1); // missed a minute ago: caught up as the bot starts, inside the outage
        var settings = slack.Settings(
        [
            ("Briefing:Schedule", $"{due.Minute} {due.Hour} * * *"), ("Briefing:TimeZone", "UTC"), ("Briefing:Channels:0", "slack:C0LAN2Q65"),
        ]);
        settings["Storage:Provider"] = "postgres";
        settings["Storage:ConnectionString"] = through;
        settings["Storage:IndexFolder"] = Path.Combine(_folder.Path, "index");
        settings["Logging:LogLevel:BriefingBot"] = "Information";

        await using var bot = await RunningBot.StartAsync(settings, services =>
        {
            services.AddHostedService(_ => new CutOnStart(proxy));
            services.AddBackgroundJobs();
        });
        var router = bot.Get<ChatRouter>();
        static bool Posted(RecordedRequest r) => r.Path == "/api/chat.postMessage"
            && r.Json.TryGetProperty("metadata", out var metadata) && metadata.GetProperty("event_type").GetString() == "briefingbot_briefing";

        // Twenty seconds without the database: questions get a reply (whatever it is), nothing is posted, the bot stays up.
        var outage = Stopwatch.StartNew();
        var during = await router.HandleAsync(new AskRequest("How many Syrian refugees does Turkey host?"));
        Assert.NotNull(during);
        var health = bot.Get<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>();
        var away = await health.CheckHealthAsync();
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, away.Entries["store"].Status); // /readyz says so
        await Task.Delay(TimeSpan.FromSeconds(20) - outage.Elapsed);
        Assert.DoesNotContain(slack.Platform.Requests, Posted);
        Assert.False(bot.Get<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);

        proxy.Restore();
        var back = Stopwatch.StartNew();
        while (!(await router.HandleAsync(new AskRequest("How many Syrian refugees does Turkey host?")) is AnswerReply { Answer.Abstained: false } reply
            && reply.Answer.Text.Contains("3 million", StringComparison.Ordinal)))
        {
            Assert.True(back.Elapsed < TimeSpan.FromSeconds(10), "not answered within 10 s of the database's return");
            await Task.Delay(250);
        }

        var answeredAfter = back.Elapsed;
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["store"].Status);
        var post = Assert.Single(await slack.Platform.WaitForAsync(Posted, timeout: TimeSpan.FromSeconds(45)));
        await Task.Delay(2000);
        var parts = slack.Platform.Requests.Where(Posted).Select(r => r.Json.GetProperty("metadata").GetProperty("event_payload").GetProperty("part").GetInt32()).ToList();
        Assert.Equal(parts.Distinct().Count(), parts.Count); // each part of the briefing once
        Assert.Equal("C0LAN2Q65", post.Json.GetProperty("channel").GetString());
        Assert.True(answeredAfter < TimeSpan.FromSeconds(10));
        Assert.False(bot.Get<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        Assert.Contains(bot.Logs.Lines, l => l.Contains("The briefing scheduler lost the store", StringComparison.Ordinal));
    }
}

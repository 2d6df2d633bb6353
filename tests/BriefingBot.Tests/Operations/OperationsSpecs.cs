using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using BriefingBot.Core.Chat;
using BriefingBot.Hosting;
using BriefingBot.Storage.Sqlite;
using BriefingBot.Tests.Discord;
using BriefingBot.Tests.Support;

namespace BriefingBot.Tests.Operations;

/// <summary>What an operator watches: liveness, readiness that follows the store and the platforms, Prometheus metrics that move.</summary>
[Collection(ProcessMetricsCollection.Name)]
public sealed partial class OperationsSpecs
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private static string Root(RunningBot bot) => bot.Get<WebhookHostedService>().Addresses.Single().TrimEnd('/');

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(string url)
    {
        using var response = await Http.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(HttpStatusCode Status, string Body)> WaitForAsync(string url, HttpStatusCode status)
    {
        for (var waited = 0; ; waited += 100)
        {
            var got = await GetAsync(url);
            if (got.Status == status || waited > 10_000)
            {
                return got;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Readiness_follows_the_platform_connection_and_the_store()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var bot = await RunningBot.StartAsync(discord.Settings(("Hosting:HttpUrl", "http://127.0.0.1:0")));
        var root = Root(bot);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(root + "/healthz")).Status);
        var before = await GetAsync(root + "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.Status);
        Assert.Contains("not connected: discord", before.Body, StringComparison.Ordinal);

        var socket = await discord.AcceptIdentifiedAsync();
        var ready = await WaitForAsync(root + "/readyz", HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Contains("store: ok", ready.Body, StringComparison.Ordinal);

        // The connection drops: unready until the bot is back (it resumes on a new connection).
        await socket.CloseAsync(4000, "unknown error");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await WaitForAsync(root + "/readyz", HttpStatusCode.ServiceUnavailable)).Status);
        var again = await discord.Platform.NextSocketAsync();
        await again.SendAsync(FakeDiscord.Hello(41250));
        var resume = await again.ReceiveAsync(f => f.GetProperty("op").GetInt32() is 2 or 6);
        await again.SendAsync(resume.GetProperty("op").GetInt32() == 6 ? FakeDiscord.Resumed(2) : discord.Ready(2));
        Assert.Equal(HttpStatusCode.OK, (await WaitForAsync(root + "/readyz", HttpStatusCode.OK)).Status);

        // The database file is moved away: unready, naming it; moved back: ready.
        var database = bot.Get<SqliteCorpusStore>().DatabasePath;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Move(database, database + ".away");
        var gone = await WaitForAsync(root + "/readyz", HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, gone.Status);
        Assert.Contains("store: failing", gone.Body, StringComparison.Ordinal);
        // Where the database is and what the driver said go to the log, never to whoever can reach /readyz.
        Assert.DoesNotContain(Path.GetFileName(database), gone.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetDirectoryName(database)!, gone.Body, StringComparison.Ordinal);
        Assert.Contains(bot.Logs.Lines, l => l.Contains("Readiness:", StringComparison.Ordinal) && l.Contains(Path.GetFileName(database), StringComparison.Ordinal));
        File.Move(database + ".away", database);
        Assert.Equal(HttpStatusCode.OK, (await WaitForAsync(root + "/readyz", HttpStatusCode.OK)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(root + "/healthz")).Status);
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_and_their_counters_move_with_what_the_bot_does()
    {
        await using var bot = await RunningBot.StartAsync(new Dictionary<string, string?> { ["Hosting:HttpUrl"] = "http://127.0.0.1:0" });
        var root = Root(bot);
        var before = Parse((await GetAsync(root + "/metrics")).Body);

        var router = bot.Get<ChatRouter>();
        var from = new Requester("probe", "u-metrics", "c-metrics") /* a platform name no other test uses: counters of other bots in this process cannot add to it */;
        await router.HandleAsync(new AskRequest("How many Syrian refugees does Turkey host?") { From = from });
        await router.HandleAsync(new AskRequest("What is the capital of Peru?") { From = from });
        await router.HandleAsync(new SourcesRequest { From = from });

        Dictionary<string, double> after = [];
        for (var waited = 0; waited < 5000; waited += 200)
        {
            await Task.Delay(200); // the exporter caches a scrape for a moment
            after = Parse((await GetAsync(root + "/metrics")).Body);
            if (Delta("briefingbot_requests_total{kind=\"sources\",outcome=\"done\",platform=\"probe\"}") >= 1)
            {
                break;
            }
        }

        Assert.Equal(1, Delta("briefingbot_requests_total{kind=\"ask\",outcome=\"answered\",platform=\"probe\"}"));
        Assert.Equal(1, Delta("briefingbot_requests_total{kind=\"ask\",outcome=\"abstained\",platform=\"probe\"}"));
        Assert.Equal(1, Delta("briefingbot_requests_total{kind=\"sources\",outcome=\"done\",platform=\"probe\"}"));
        Assert.Equal(2, Delta("briefingbot_answer_duration_seconds_count{platform=\"probe\"}")); // both questions, answered or not
        Assert.Contains(after.Keys, k => k.StartsWith("briefingbot_ingestion_articles_total", StringComparison.Ordinal));
        Assert.Contains(after.Keys, k => k.StartsWith("briefingbot_queue_depth", StringComparison.Ordinal));
        Assert.Contains(after.Keys, k => k.StartsWith("dotnet_gc_", StringComparison.Ordinal)); // the .NET runtime's meters too

        // No user text in any label.
        var text = (await GetAsync(root + "/metrics")).Body;
        Assert.DoesNotContain("Peru", text, StringComparison.Ordinal);
        Assert.DoesNotContain("u-metrics", text, StringComparison.Ordinal);

        double Delta(string series) => after.GetValueOrDefault(series) - before.GetValueOrDefault(series);
    }

    [Theory]
    [InlineData("json", "json")]
    [InlineData(null, "simple")]
    public void Logging_format_json_writes_one_json_object_a_line(string? format, string formatter)
    {
        using var folder = new TempFolder();
        using var host = BotHost.Build(RepoFiles.Root, new Dictionary<string, string?>
        {
            ["Storage:DatabasePath"] = Path.Combine(folder.Path, "bot.db"),
            ["Logging:Format"] = format,
        });

        var options = (Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>)host.Services
            .GetService(typeof(Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>))!;
        Assert.Equal(formatter, options.CurrentValue.FormatterName);
    }

    /// <summary>Reads Prometheus text exposition: every line is a comment or <c>name{labels} value [timestamp]</c>; anything else fails.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var series = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
            {
                Assert.Matches(@"^# (HELP|TYPE|EOF)", line);
                continue;
            }

            var match = Sample().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample: {line}");
            var labels = match.Groups["labels"].Value;
            var kept = string.Join(',', Regex.Matches(labels, @"(\w+)=""((?:[^""\\]|\\.)*)""").Select(m => m.Value)
                .Where(l => !l.StartsWith("otel_scope", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            var key = match.Groups["name"].Value + (kept.Length > 0 ? "{" + kept + "}" : string.Empty);
            series[key] = series.GetValueOrDefault(key) + double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        Assert.NotEmpty(series);
        return series;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{.*\})? (?<value>[-+]?(?:[0-9.eE+-]+|Inf|NaN))(?: -?\d+)?$")]
    private static partial Regex Sample();
}

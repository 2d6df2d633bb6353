using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BriefingBot.Cli;
using BriefingBot.Core;
using BriefingBot.Discord;
using BriefingBot.Discord.Gateway;
using BriefingBot.Hosting;
using BriefingBot.Slack;
using BriefingBot.Slack.Events;
using BriefingBot.Slack.SocketMode;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BriefingBot.Bench;

/// <summary>What <c>load</c> sends: a burst from many people at once, then one person flooding while another asks.</summary>
internal sealed record LoadSettings(int Events, int People, TimeSpan Over, TimeSpan ModelDelay, int Flood, TimeSpan FloodOver, int Rounds, string[] Platforms);

/// <summary>
/// Drives the real Slack and Discord adapters as their socket read loops do — each event handed over in turn, as it
/// arrives — with Slack's and Discord's HTTP APIs and the chat model answered in memory (<see cref="SimulatedServices"/>),
/// and times every event to its acknowledgement (the Socket Mode ack, the interaction's deferral) and to the request
/// that answers it. Prints p50/p95/p99 per platform and round, who was answered, told to wait or told the bot is
/// busy, and the memory after each round: the same burst again must not need more.
/// </summary>
internal sealed class LoadTest(CliConsole console, LoadSettings settings, IReadOnlyDictionary<string, string?> overrides)
{
    private static readonly string[] Questions =
    [
        "How many Syrian refugees does Turkey host?",
        "What did Cavusoglu warn about an assault on Idlib?",
        "What is the Astana process?",
        "How many observation posts does Turkey have in Idlib?",
        "What is Ankara trying to prevent in Idlib?",
    ];

    private const string ApplicationId = "1200000000000000001";
    private const string DiscordBotId = "1200000000000000002";

    private readonly SimulatedServices _services = new(settings.ModelDelay);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var host = BotHost.Build(console.ContentRoot, Settings(), services =>
            services.ConfigureHttpClientDefaults(client => client.ConfigurePrimaryHttpMessageHandler(_services.CreateHandler)));
        BotHost.ValidateOptions(host.Services);
        var report = await CorpusPreparation.IngestAsync(host.Services, console, cancellationToken).ConfigureAwait(false);
        CorpusPreparation.ThrowIfNothingIngested(report);
        await CorpusPreparation.EmbedAsync(host.Services, console, int.MaxValue, cancellationToken).ConfigureAwait(false);

        // As the running bot does before it connects (the first round still shows what a freshly started bot meets).
        await host.Services.GetRequiredService<AnsweringWarmUp>().StartAsync(cancellationToken).ConfigureAwait(false);
        var output = console.Out;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{settings.Events} requests from {settings.People} people over {settings.Over.TotalSeconds:F1} s (3 in 5 slash commands, 2 in 5 mentions), " +
            $"model {(settings.ModelDelay > TimeSpan.Zero ? $"{settings.ModelDelay.TotalSeconds:F1} s a reply" : "off")}; " +
            $"then {settings.Flood} mentions from one person over {settings.FloodOver.TotalSeconds:F0} s while another asks; {Environment.ProcessorCount} cores"))
            .ConfigureAwait(false);

        var slack = settings.Platforms.Contains("slack") ? host.Services.GetRequiredService<SlackBot>() : null;
        var discord = settings.Platforms.Contains("discord") ? host.Services.GetRequiredService<DiscordBot>() : null;
        if (slack is not null)
        {
            await slack.IdentifyAsync(cancellationToken).ConfigureAwait(false);
        }

        if (discord is not null)
        {
            await discord.HandleDispatchAsync(new GatewayDispatch("READY", Parse($$"""{"user": {"id": "{{DiscordBotId}}", "username": "BriefingBot", "bot": true}, "session_id": "s", "resume_gateway_url": "wss://gateway.invalid"}"""), 0), cancellationToken).ConfigureAwait(false);
        }

        var platforms = new List<(string Name, Func<int, IDriver> Driver, Func<Task> DrainAsync)>();
        if (slack is not null)
        {
            platforms.Add(("slack", round => new SlackDriver(slack, _services, round), slack.DrainAsync));
        }

        if (discord is not null)
        {
            platforms.Add(("discord", round => new DiscordDriver(discord, _services, round), discord.DrainAsync));
        }

        for (var round = 1; round <= settings.Rounds; round++)
        {
            foreach (var platform in platforms)
            {
                var burst = await BurstAsync(platform.Driver(round), cancellationToken).ConfigureAwait(false);
                var flood = await FloodAsync(platform.Driver(round), cancellationToken).ConfigureAwait(false);
                await platform.DrainAsync().ConfigureAwait(false);
                await output.WriteLineAsync($"[{platform.Name}, round {round}] {burst}\n[{platform.Name}, round {round}] {flood}; {Benchmark.Memory()}").ConfigureAwait(false);
            }
        }

        await output.WriteLineAsync(Benchmark.PeakMemory()).ConfigureAwait(false);
        return 0;
    }

    private Dictionary<string, string?> Settings()
    {
        // Hosts that cannot resolve: should anything get past the simulated services, it fails instead of leaving the machine.
        var all = new Dictionary<string, string?>(overrides)
        {
            ["Slack:BotToken"] = "xoxb-load",
            ["Slack:AppToken"] = "xapp-load",
            ["Slack:ApiBaseUrl"] = "http://slack.invalid/api/",
            ["Discord:Token"] = "load",
            ["Discord:ApplicationId"] = ApplicationId,
            ["Discord:ApiBaseUrl"] = "http://discord.invalid/api/v10",

            // Answering without the model past its budget is what the load is meant to show, not something to warn of 50 times.
            ["Logging:LogLevel:Default"] = "Error",
            ["Logging:LogLevel:BriefingBot"] = "Error",
        };
        if (settings.ModelDelay > TimeSpan.Zero)
        {
            all["Llm:BaseUrl"] = "http://model.invalid/v1";
            all["Llm:Model"] = "simulated";
        }

        return all;
    }

    /// <summary>Events spread evenly over the window, from people and channels in turn; each handed over at its moment.</summary>
    private async Task<string> BurstAsync(IDriver driver, CancellationToken cancellationToken)
    {
        _services.Clear();
        var sent = new long[settings.Events];
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < settings.Events; i++)
        {
            await WaitUntilAsync(start, settings.Over * i / settings.Events, cancellationToken).ConfigureAwait(false);
            sent[i] = Stopwatch.GetTimestamp();
            var question = Questions[i % Questions.Length];
            var person = driver.Name($"person{i % settings.People}");
            var channel = driver.Name($"channel{i % 5}");
            await (i % 5 < 3 ? driver.CommandAsync(i, question, person, channel, cancellationToken) : driver.MentionAsync(i, question, person, channel, cancellationToken))
                .ConfigureAwait(false);
        }

        var outcomes = await driver.OutcomesAsync(settings.Events, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        var acks = Enumerable.Range(0, settings.Events).Where(i => outcomes[i].Ack is not null).Select(i => Stopwatch.GetElapsedTime(sent[i], outcomes[i].Ack!.Value).TotalMilliseconds).ToList();
        var answers = Enumerable.Range(0, settings.Events).Where(i => outcomes[i].Answer is not null).Select(i => Stopwatch.GetElapsedTime(sent[i], outcomes[i].Answer!.Value).TotalMilliseconds).ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"burst: event→ack {Percentiles(acks)} ({acks.Count} of {settings.Events} acknowledged{(driver is DiscordDriver ? ": Discord acknowledges commands, not messages" : string.Empty)}); event→answer {Percentiles(answers)}; " +
            $"{Count(outcomes, Outcome.Kind.Answered)} answered, {Count(outcomes, Outcome.Kind.Throttled)} told to wait, {Count(outcomes, Outcome.Kind.Busy)} told busy, " +
            $"{outcomes.Count(o => o.Replies == 0)} unanswered, {outcomes.Count(o => o.Replies > 1)} answered twice; " +
            $"model calls {_services.ModelCalls}, at most {_services.MostModelCallsAtOnce} at once");
    }

    /// <summary>
    /// Another person's question, asked alone and then in the middle of one person's flood: the difference is how much
    /// the flood delays everyone else.
    /// </summary>
    private async Task<string> FloodAsync(IDriver driver, CancellationToken cancellationToken)
    {
        _services.Clear();
        var alone = await AskAloneAsync(driver, settings.Events + 1, cancellationToken).ConfigureAwait(false);
        _services.Clear();
        var start = Stopwatch.GetTimestamp();
        var other = settings.Events + 2;
        var otherSent = 0L;
        for (var i = 0; i < settings.Flood; i++)
        {
            await WaitUntilAsync(start, settings.FloodOver * i / settings.Flood, cancellationToken).ConfigureAwait(false);
            await driver.MentionAsync(settings.Events + 10 + i, Questions[i % Questions.Length], driver.Name("flooder"), driver.Name("channel-flood"), cancellationToken).ConfigureAwait(false);
            if (i == settings.Flood / 2)
            {
                otherSent = Stopwatch.GetTimestamp();
                await driver.MentionAsync(other, Questions[0], driver.Name("someone-else"), driver.Name("channel-other"), cancellationToken).ConfigureAwait(false);
            }
        }

        var outcomes = await driver.OutcomesAsync(settings.Events + 10 + settings.Flood, TimeSpan.FromSeconds(30), only: [other]).ConfigureAwait(false);
        var during = outcomes[other].Answer is { } at ? Stopwatch.GetElapsedTime(otherSent, at).TotalMilliseconds : double.NaN;
        var flooder = outcomes.Skip(settings.Events + 10).Select(o => o.First).ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"flood: another person's answer {alone:F0} ms alone, {during:F0} ms mid-flood (delayed {during - alone:F0} ms); " +
            $"the flooder got {flooder.Count(r => r == Outcome.Kind.Answered)} answers, {flooder.Count(r => r == Outcome.Kind.Throttled)} notice(s) to wait, " +
            $"{flooder.Count(r => r == Outcome.Kind.Busy)} busy, {flooder.Count(r => r is null)} silent");
    }

    private static async Task<double> AskAloneAsync(IDriver driver, int id, CancellationToken cancellationToken)
    {
        var sent = Stopwatch.GetTimestamp();
        await driver.MentionAsync(id, Questions[0], driver.Name("someone-else"), driver.Name("channel-other"), cancellationToken).ConfigureAwait(false);
        var outcomes = await driver.OutcomesAsync(id + 1, TimeSpan.FromSeconds(30), only: [id]).ConfigureAwait(false);
        return outcomes[id].Answer is { } at ? Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds : double.NaN;
    }

    private static async Task WaitUntilAsync(long start, TimeSpan offset, CancellationToken cancellationToken)
    {
        var wait = offset - Stopwatch.GetElapsedTime(start);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private static int Count(IReadOnlyList<Outcome> outcomes, Outcome.Kind kind) => outcomes.Count(o => o.First == kind);

    private static string Percentiles(List<double> values) => values.Count == 0
        ? "n/a"
        : string.Create(CultureInfo.InvariantCulture,
            $"p50 {Benchmark.Percentile(values, 50):F0} ms, p95 {Benchmark.Percentile(values, 95):F0} ms, p99 {Benchmark.Percentile(values, 99):F0} ms, max {values.Max():F0} ms");

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    /// <summary>What became of one event: when it was acknowledged and first answered, what the answer was, how many replies.</summary>
    internal sealed record Outcome(long? Ack, long? Answer, Outcome.Kind? First, int Replies)
    {
        public enum Kind
        {
            Answered,
            Throttled,
            Busy,
        }

        public static Kind Of(string text) =>
            text.Contains("asking faster than I can answer", StringComparison.Ordinal) ? Kind.Throttled
            : text.Contains("busy", StringComparison.OrdinalIgnoreCase) ? Kind.Busy
            : Kind.Answered;
    }

    /// <summary>One platform's events in, and its answers found among the requests the bot sent.</summary>
    private interface IDriver
    {
        /// <summary>A person's or channel's name for this round: limits from an earlier round don't carry over.</summary>
        string Name(string name);

        Task CommandAsync(int i, string question, string person, string channel, CancellationToken cancellationToken);

        Task MentionAsync(int i, string question, string person, string channel, CancellationToken cancellationToken);

        /// <summary>Waits until events 0…<paramref name="count"/>−1 (or just <paramref name="only"/>) have replies, or the time is up.</summary>
        Task<IReadOnlyList<Outcome>> OutcomesAsync(int count, TimeSpan timeout, int[]? only = null);
    }

    private abstract class Driver(SimulatedServices services, int round) : IDriver
    {
        protected int Round { get; } = round;

        public string Name(string name) => $"{name}-{Round}";

        protected readonly Dictionary<int, long> Acks = [];

        protected readonly Lock Gate = new();

        public abstract Task CommandAsync(int i, string question, string person, string channel, CancellationToken cancellationToken);

        public abstract Task MentionAsync(int i, string question, string person, string channel, CancellationToken cancellationToken);

        /// <summary>The event a platform request answers, and the text of that answer; null when it answers none.</summary>
        protected abstract (int Event, string Text)? AnswerOf(SimulatedServices.Call call);

        protected void Acknowledged(int i, long at)
        {
            lock (Gate)
            {
                Acks.TryAdd(i, at);
            }
        }

        /// <summary>Answers given in the acknowledgement itself (Slack's inline slash answers).</summary>
        protected virtual IEnumerable<(int Event, long At, string Text)> InlineAnswers() => [];

        public async Task<IReadOnlyList<Outcome>> OutcomesAsync(int count, TimeSpan timeout, int[]? only = null)
        {
            var waited = Stopwatch.StartNew();
            var wanted = only ?? Enumerable.Range(0, count).ToArray();
            IReadOnlyList<Outcome> outcomes;
            while (true)
            {
                outcomes = Collect(count);
                if (wanted.All(i => outcomes[i].Replies > 0) || waited.Elapsed > timeout)
                {
                    break;
                }

                await Task.Delay(20).ConfigureAwait(false);
            }

            // A moment more, so a second answer to the same event would be seen.
            await Task.Delay(300).ConfigureAwait(false);
            return Collect(count);
        }

        private List<Outcome> Collect(int count)
        {
            var replies = services.Calls.Select(c => AnswerOf(c) is { } a ? (a.Event, At: c.Timestamp, a.Text) : ((int Event, long At, string Text)?)null)
                .OfType<(int Event, long At, string Text)>()
                .Concat(InlineAnswers())
                .Where(r => r.Event < count)
                .ToLookup(r => r.Event);
            lock (Gate)
            {
                return Enumerable.Range(0, count).Select(i =>
                {
                    var mine = replies[i].OrderBy(r => r.At).ToList();
                    return new Outcome(Acks.TryGetValue(i, out var ack) ? ack : null, mine.Count > 0 ? mine[0].At : null, mine.Count > 0 ? Outcome.Of(mine[0].Text) : null, mine.Count);
                }).ToList();
            }
        }
    }

    /// <summary>Socket Mode envelopes: slash commands answered inline or through their response_url, mentions in their thread.</summary>
    private sealed class SlackDriver(SlackBot bot, SimulatedServices services, int round) : Driver(services, round)
    {
        private readonly List<(int Event, long At, string Text)> _inline = [];

        private string Ts(int i) => string.Create(CultureInfo.InvariantCulture, $"15363{Round:D2}000.{i:D6}");

        public override Task CommandAsync(int i, string question, string person, string channel, CancellationToken cancellationToken)
        {
            var payload = new JsonObject
            {
                ["command"] = "/ask",
                ["text"] = question,
                ["user_id"] = person,
                ["channel_id"] = channel,
                ["team_id"] = "T1",
                ["response_url"] = $"http://slack.invalid/respond/{Round}/{i}",
            };
            return SendAsync(i, "slash_commands", payload, cancellationToken);
        }

        public override Task MentionAsync(int i, string question, string person, string channel, CancellationToken cancellationToken)
        {
            var payload = new JsonObject
            {
                ["type"] = "event_callback",
                ["event_id"] = $"Ev{Round}-{i}",
                ["event"] = new JsonObject
                {
                    ["type"] = "app_mention",
                    ["user"] = person,
                    ["channel"] = channel,
                    ["ts"] = Ts(i),
                    ["event_ts"] = Ts(i),
                    ["text"] = $"<@UBRIEFINGBOT> {question}",
                },
            };
            return SendAsync(i, "events_api", payload, cancellationToken);
        }

        private Task SendAsync(int i, string type, JsonObject payload, CancellationToken cancellationToken)
        {
            var frame = new JsonObject
            {
                ["type"] = type,
                ["envelope_id"] = $"envelope-{Round}-{i}",
                ["payload"] = payload,
                ["accepts_response_payload"] = type == "slash_commands",
            };
            return bot.HandleFrameAsync(frame.ToJsonString(), text =>
            {
                Acknowledged(i, Stopwatch.GetTimestamp());
                if (text is not null)
                {
                    lock (Gate)
                    {
                        _inline.Add((i, Stopwatch.GetTimestamp(), text));
                    }
                }

                return Task.CompletedTask;
            }, cancellationToken);
        }

        protected override IEnumerable<(int Event, long At, string Text)> InlineAnswers()
        {
            lock (Gate)
            {
                return [.. _inline];
            }
        }

        protected override (int Event, string Text)? AnswerOf(SimulatedServices.Call call)
        {
            var text = (string?)call.Body?["text"] ?? string.Empty;
            var prefix = $"/respond/{Round}/";
            if (call.Path.StartsWith(prefix, StringComparison.Ordinal))
            {
                return (int.Parse(call.Path[prefix.Length..], CultureInfo.InvariantCulture), text);
            }

            if (call.Path.EndsWith("/chat.postMessage", StringComparison.Ordinal) && (string?)call.Body?["thread_ts"] is { } thread
                && thread.StartsWith(Ts(0)[..^6], StringComparison.Ordinal))
            {
                return (int.Parse(thread[^6..], CultureInfo.InvariantCulture), text);
            }

            return null;
        }
    }

    /// <summary>Gateway dispatches: /ask interactions deferred and then edited, mentions answered with a reply.</summary>
    private sealed class DiscordDriver(DiscordBot bot, SimulatedServices services, int round) : Driver(services, round)
    {
        private string Id(int i) => string.Create(CultureInfo.InvariantCulture, $"14{Round:D2}{i:D15}");

        private string Token(int i) => $"token-{Round}-{i}";

        public override Task CommandAsync(int i, string question, string person, string channel, CancellationToken cancellationToken)
        {
            var data = new JsonObject
            {
                ["id"] = Id(i),
                ["token"] = Token(i),
                ["type"] = 2,
                ["application_id"] = ApplicationId,
                ["channel_id"] = Snowflake(channel),
                ["guild_id"] = "1000000000000000001",
                ["member"] = new JsonObject { ["user"] = new JsonObject { ["id"] = Snowflake(person), ["username"] = person } },
                ["data"] = new JsonObject
                {
                    ["id"] = "1100000000000000100",
                    ["name"] = "ask",
                    ["type"] = 1,
                    ["options"] = new JsonArray(new JsonObject { ["name"] = "question", ["type"] = 3, ["value"] = question }),
                },
            };
            return bot.HandleDispatchAsync(new GatewayDispatch("INTERACTION_CREATE", Parse(data.ToJsonString()), 0), cancellationToken);
        }

        public override Task MentionAsync(int i, string question, string person, string channel, CancellationToken cancellationToken)
        {
            var data = new JsonObject
            {
                ["id"] = Id(i),
                ["type"] = 0,
                ["channel_id"] = Snowflake(channel),
                ["guild_id"] = "1000000000000000001",
                ["content"] = $"<@{DiscordBotId}> {question}",
                ["author"] = new JsonObject { ["id"] = Snowflake(person), ["username"] = person },
                ["mentions"] = new JsonArray(new JsonObject { ["id"] = DiscordBotId, ["username"] = "BriefingBot", ["bot"] = true }),
            };
            return bot.HandleDispatchAsync(new GatewayDispatch("MESSAGE_CREATE", Parse(data.ToJsonString()), 0), cancellationToken);
        }

        protected override (int Event, string Text)? AnswerOf(SimulatedServices.Call call)
        {
            if (call.Path.Contains($"/interactions/14{Round:D2}", StringComparison.Ordinal) && call.Path.EndsWith("/callback", StringComparison.Ordinal))
            {
                Acknowledged(int.Parse(call.Path.Split('/')[^3][^15..], CultureInfo.InvariantCulture), call.Timestamp);
                return null;
            }

            var text = Text(call.Body);
            var tokenPrefix = $"token-{Round}-";
            if (call.Method == "PATCH" && call.Path.Split('/') is [.., var token, "messages", "@original"] && token.StartsWith(tokenPrefix, StringComparison.Ordinal))
            {
                return (int.Parse(token[tokenPrefix.Length..], CultureInfo.InvariantCulture), text);
            }

            if (call.Path.EndsWith("/messages", StringComparison.Ordinal) && (string?)call.Body?["message_reference"]?["message_id"] is { } replyTo
                && replyTo.StartsWith($"14{Round:D2}", StringComparison.Ordinal))
            {
                return (int.Parse(replyTo[^15..], CultureInfo.InvariantCulture), text);
            }

            return null;
        }

        /// <summary>The content and embed text of a message payload.</summary>
        private static string Text(JsonNode? body) =>
            ((string?)body?["content"] ?? string.Empty) + " " + string.Join(" ", body?["embeds"]?.AsArray().Select(e => (string?)e?["description"] ?? string.Empty) ?? []);

        private static string Snowflake(string name) => (1_000_000_000_000_000_000 + (uint)name.GetHashCode(StringComparison.Ordinal)).ToString(CultureInfo.InvariantCulture);
    }
}

using System.Net;
using System.Net.Sockets;
using BriefingBot.Chat.Platforms;
using BriefingBot.Core.Chat;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.Hosting;

namespace BriefingBot.Tests.Discord;

/// <summary>A Discord that cannot be reached is waited out, as Slack is: the bot neither gives up nor pretends to be connected.</summary>
public sealed class UnreachableSpecs
{
    [Fact]
    public async Task An_unreachable_discord_is_retried_with_growing_waits_instead_of_stopping_the_bot()
    {
        // A port that was free a moment ago: connections to it are refused at once.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        await using var bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Discord:Token"] = "test-token",
            ["Discord:ApplicationId"] = "1100000000000000001",
            ["Discord:ApiBaseUrl"] = $"http://127.0.0.1:{port}/api/v10",
            ["Discord:MaxReconnectDelay"] = "00:00:02",
        });
        var stopping = bot.Get<IHostApplicationLifetime>().ApplicationStopping;

        // The start-up call fails only after the REST client's own retries (waits of up to 1 + 2 + 4 + 8 s); the bot
        // then says it tries again, rather than stopping.
        static bool Retrying(string line) => line.Contains("trying again in", StringComparison.Ordinal);
        for (var waited = TimeSpan.Zero; !bot.Logs.Lines.Any(Retrying); waited += TimeSpan.FromMilliseconds(100))
        {
            Assert.True(waited < TimeSpan.FromSeconds(30), "no second round of start-up attempts within 30 s:\n" + string.Join('\n', bot.Logs.Lines));
            await Task.Delay(100);
        }

        Assert.False(stopping.IsCancellationRequested, string.Join('\n', bot.Logs.Lines));
        Assert.Empty(bot.Get<PlatformFailures>().All);
        Assert.Contains(bot.Logs.Lines, l => l.Contains("Reaching Discord", StringComparison.Ordinal) && l.Contains("Connection refused", StringComparison.Ordinal));
    }
}

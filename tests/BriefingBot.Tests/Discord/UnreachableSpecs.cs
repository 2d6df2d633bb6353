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

        // Longer than the REST client's own retries take at most (waits of up to 1 + 2 + 4 + 8 s).
        await Task.Delay(TimeSpan.FromSeconds(16));

        Assert.False(stopping.IsCancellationRequested, string.Join('\n', bot.Logs.Lines));
        Assert.Empty(bot.Get<PlatformFailures>().All);
        Assert.Contains(bot.Logs.Lines, l => l.Contains("Reaching Discord", StringComparison.Ordinal) && l.Contains("Connection refused", StringComparison.Ordinal));
    }
}

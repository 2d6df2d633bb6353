using System.Net;
using BriefingBot.Chat.Platforms;
using BriefingBot.Hosting;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingBot.Tests.Operations;

/// <summary>A platform endpoint whose handler fails: the failure is logged with its route and answered 500, and the server serves on.</summary>
public sealed class WebhookFailureSpecs
{
    private sealed class FailingEndpoint : IWebhookEndpoint
    {
        public int Calls;

        public string? Url => "http://127.0.0.1:0/hooks/failing";

        public Task<WebhookResponse> HandleAsync(WebhookRequest request, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref Calls) == 1 ? throw new InvalidOperationException("the handler broke") : Task.FromResult(new WebhookResponse(204));
    }

    [Fact]
    public async Task A_handler_that_throws_is_logged_with_its_route_and_answered_500_and_the_next_request_is_served()
    {
        var endpoint = new FailingEndpoint();
        await using var bot = await RunningBot.StartAsync(new Dictionary<string, string?>(), services => services.AddSingleton<IWebhookEndpoint>(endpoint));
        var url = bot.Get<WebhookHostedService>().Addresses.Single().TrimEnd('/') + "/hooks/failing";
        using var http = new HttpClient();

        using var failed = await http.PostAsync(url, new StringContent("{}"));
        using var served = await http.PostAsync(url, new StringContent("{}"));

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, served.StatusCode);
        Assert.Contains(bot.Logs.Lines, l => l.Contains("The handler of /hooks/failing failed; answered 500", StringComparison.Ordinal) && l.Contains("the handler broke", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_readiness_and_metrics_are_not_served_on_a_platforms_public_listener()
    {
        var endpoint = new FailingEndpoint();
        await using var bot = await RunningBot.StartAsync(new Dictionary<string, string?>(), services => services.AddSingleton<IWebhookEndpoint>(endpoint));
        var root = bot.Get<WebhookHostedService>().Addresses.Single().TrimEnd('/');
        using var http = new HttpClient();

        foreach (var path in new[] { "/healthz", "/readyz", "/metrics" })
        {
            using var response = await http.GetAsync(root + path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task Health_is_served_on_the_operators_port_and_not_on_the_platforms_when_both_are_set()
    {
        var port = FreePort();
        var endpoint = new FailingEndpoint();
        await using var bot = await RunningBot.StartAsync(
            new Dictionary<string, string?> { ["Hosting:HttpUrl"] = $"http://127.0.0.1:{port}" },
            services => services.AddSingleton<IWebhookEndpoint>(endpoint));
        var platform = bot.Get<WebhookHostedService>().Addresses.Single(a => !a.EndsWith($":{port}", StringComparison.Ordinal)).TrimEnd('/');
        using var http = new HttpClient();

        using var operators = await http.GetAsync($"http://127.0.0.1:{port}/healthz");
        using var public_ = await http.GetAsync(platform + "/healthz");

        Assert.Equal(HttpStatusCode.OK, operators.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, public_.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

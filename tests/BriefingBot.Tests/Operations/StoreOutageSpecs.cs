using BriefingBot.Hosting;
using BriefingBot.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace BriefingBot.Tests.Operations;

/// <summary>A background job and a store that is away for a while: waited out with growing waits, logged once; a damaged store ends the job at once.</summary>
public sealed class StoreOutageSpecs
{
    [Fact]
    public async Task A_job_whose_store_is_locked_for_a_while_is_run_again_until_it_is_back_and_the_outage_is_logged_once()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        var runs = 0;
        var job = StoreOutages.RunAsync("embedding backfill", _ =>
        {
            // Held by another process's write for the first five tries.
            return ++runs <= 5 ? throw new SqliteException("database is locked", 5) : Task.CompletedTask;
        }, time, factory.CreateLogger("test"), CancellationToken.None);

        while (!job.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.Yield();
            await Task.Delay(1);
        }

        await job;
        Assert.Equal(6, runs);
        Assert.Single(logs.Lines, l => l.Contains("The embedding backfill lost the store (database is locked)", StringComparison.Ordinal));
        Assert.Single(logs.Lines, l => l.Contains("The embedding backfill reaches the store again after 5 failed tries", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(11)] // the database disk image is malformed
    [InlineData(26)] // file is not a database
    public async Task A_damaged_store_ends_the_job_at_once(int code)
    {
        var runs = 0;

        await Assert.ThrowsAsync<SqliteException>(() => StoreOutages.RunAsync("briefing scheduler", _ =>
        {
            runs++;
            throw new SqliteException("damaged", code);
        }, new FakeTimeProvider(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None));
        Assert.Equal(1, runs);
    }

    [Fact]
    public void A_dropped_connection_or_a_timeout_may_pass_and_a_bug_may_not()
    {
        Assert.True(StoreOutages.Transient(new TimeoutException()));
        Assert.True(StoreOutages.Transient(new InvalidOperationException("wrapped", new SqliteException("busy", 5))));
        Assert.False(StoreOutages.Transient(new InvalidOperationException("a bug")));
        Assert.False(StoreOutages.Transient(new Core.BriefingBotException("refused schema")));
    }
}

using BriefingBot.Core.Chat;
using BriefingBot.Core.Ingestion;
using BriefingBot.Hosting;
using BriefingBot.Tests.Feeds;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BriefingBot.Tests.Ingestion;

/// <summary>While the bot runs, the corpus folder is watched: files added, changed or removed take effect without a restart.</summary>
public sealed class WatchedFolderSpecs : IDisposable
{
    private const string Question = "How many trucks were in the aid convoy that reached Idlib?";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static async Task<string> AnswerWithinAsync(FeedBot bot, Func<Core.Answering.Answer, bool> done)
    {
        for (var waited = 0; ; waited += 100)
        {
            var answer = await bot.AskAsync(Question);
            if (done(answer))
            {
                return answer.Text;
            }

            Assert.True(waited < 10_000, $"the folder's change was not answerable within 10 s (the answer: {answer.Text})");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_file_added_changed_or_removed_while_the_bot_runs_is_answered_from_at_once()
    {
        // Read whole only hourly: what follows is the watcher's doing, not the rescan's.
        using var bot = FeedBot.Start(_folder.Path, new() { ["Corpus:RescanInterval"] = "01:00:00" }, services => services.AddBackgroundJobs());
        var corpus = bot.Host.Services.GetRequiredService<IOptions<IngestionOptions>>().Value.Path;
        File.Copy(RepoFiles.BundledArticle, Path.Combine(corpus, "bundled.txt"));
        await bot.Host.Services.GetRequiredService<CorpusIngestor>().IngestAsync(corpus);
        await bot.Host.StartAsync();
        try
        {
            var file = Path.Combine(corpus, "convoy.md");
            await File.WriteAllTextAsync(file, "# Aid convoy reaches Idlib\n\nIDLIB — A United Nations aid convoy of 48 trucks reached Idlib province on Wednesday, the UN said.\n");
            Assert.Contains("48 trucks", await AnswerWithinAsync(bot, a => a.Text.Contains("48 trucks", StringComparison.Ordinal)), StringComparison.Ordinal);

            await File.WriteAllTextAsync(file, "# Aid convoy reaches Idlib\n\nIDLIB — A United Nations aid convoy of 52 trucks reached Idlib province on Wednesday, the UN said.\n");
            Assert.Contains("52 trucks", await AnswerWithinAsync(bot, a => a.Text.Contains("52 trucks", StringComparison.Ordinal)), StringComparison.Ordinal);

            File.Delete(file);
            await AnswerWithinAsync(bot, a => !a.Text.Contains("trucks", StringComparison.Ordinal));
            Assert.Equal(1, (await bot.Store.GetStatsAsync()).Articles);
        }
        finally
        {
            await bot.Host.StopAsync();
        }
    }
}

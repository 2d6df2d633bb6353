using System.Threading.Channels;

namespace BriefingBot.Core.Articles;

/// <summary>
/// Tells whoever listens which articles were just stored (from the folder or a feed): the embedding backfill,
/// the followed topics. Each listener has its own queue, so a slow one holds no one else up.
/// </summary>
public sealed class CorpusChanges
{
    private readonly Lock _gate = new();
    private readonly List<Channel<IReadOnlyList<ArticleId>>> _listeners = [];

    public ChannelReader<IReadOnlyList<ArticleId>> Listen()
    {
        var channel = Channel.CreateUnbounded<IReadOnlyList<ArticleId>>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            _listeners.Add(channel);
        }

        return channel.Reader;
    }

    private long _version;

    /// <summary>Goes up each time articles are stored: what a cache of the corpus compares against.</summary>
    public long Version => Interlocked.Read(ref _version);

    public void Stored(IReadOnlyList<ArticleId> articles)
    {
        if (articles.Count == 0)
        {
            return;
        }

        Interlocked.Increment(ref _version);

        lock (_gate)
        {
            foreach (var listener in _listeners)
            {
                listener.Writer.TryWrite(articles);
            }
        }
    }
}

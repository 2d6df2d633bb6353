using System.Collections.Concurrent;

namespace BriefingBot.Chat.Platforms;

/// <summary>
/// Answers being worked on after their event was acknowledged, so the platform's connection keeps reading and a
/// shutdown can wait for them instead of cutting one off half-posted.
/// </summary>
public sealed class BackgroundWork
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public void Start(Func<Task> work)
    {
        var task = Task.Run(work);
        _running.TryAdd(task, 0);
        task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
    }

    public Task DrainAsync() => Task.WhenAll(_running.Keys);
}

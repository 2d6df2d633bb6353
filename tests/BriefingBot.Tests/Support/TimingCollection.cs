namespace BriefingBot.Tests.Support;

/// <summary>
/// Tests that measure how fast the bot answers under a burst run on their own, not beside the rest of the suite on
/// the same two cores: their figures describe the bot, not the test run's other work.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Timing";
}

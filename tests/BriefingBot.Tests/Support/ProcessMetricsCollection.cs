namespace BriefingBot.Tests.Support;

/// <summary>
/// Tests that read the metrics endpoint run on their own. A host's OpenTelemetry provider listens to every meter of
/// the bot's name in the process, so in a test run — many hosts in one process, one per test — it also binds to other
/// hosts' instruments; when such a host is disposed mid-test, the counters it shared can stop moving. In the bot there
/// is one host per process.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMetricsCollection
{
    public const string Name = "Process metrics";
}

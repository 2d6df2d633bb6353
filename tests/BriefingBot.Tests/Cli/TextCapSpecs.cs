using BriefingBot.Tests.Support;

namespace BriefingBot.Tests.Cli;

/// <summary>Every text a person gives is capped before any work is done for it, and the reply names the cap.</summary>
public sealed class TextCapSpecs
{
    [Fact]
    public async Task A_quote_lookup_with_a_speaker_or_topic_past_its_cap_is_refused_naming_the_cap_and_the_chat_goes_on()
    {
        using var cli = new CliRun();
        var speaker = new string('x', 5_000);
        var topic = string.Join(' ', Enumerable.Repeat("refugees", 100));

        var (_, output, _) = await cli.RunWithInputAsync($"/quote speaker:{speaker}\n/quote {topic}\n/quote speaker:Has\n", "--no-embeddings");

        Assert.Contains("That speaker is 5000 characters long; a name is at most 100.", output, StringComparison.Ordinal);
        Assert.Contains($"That topic is {topic.Length} characters long; please keep it to 200.", output, StringComparison.Ordinal);
        Assert.Contains("Kerim Has", output, StringComparison.Ordinal); // the next lookup is answered as ever
    }
}

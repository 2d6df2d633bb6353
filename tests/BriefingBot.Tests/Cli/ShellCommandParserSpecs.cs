using BriefingBot.Core.Chat;
using BriefingBot.Shell;

namespace BriefingBot.Tests.Cli;

public sealed class ShellCommandParserSpecs
{
    [Fact]
    public void Plain_text_is_a_question_in_the_shell_conversation()
    {
        var input = Assert.IsType<ShellInput.Request>(ShellCommandParser.Parse("  Who hosts the refugees? ", "c1"));

        Assert.Equal(new AskRequest("Who hosts the refugees?", "c1"), input.ChatRequest);
    }

    [Theory]
    [InlineData("/quote speaker:Stein", "Stein", null)]
    [InlineData("/quote speaker:\"Kerim Has\" topic:corridor", "Kerim Has", "corridor")]
    [InlineData("/quote topic: refugee influx speaker: Has", "Has", "refugee influx")]
    [InlineData("/quote the corridor", null, "the corridor")]
    public void Quote_takes_a_speaker_and_or_a_topic(string line, string? speaker, string? topic)
    {
        var input = Assert.IsType<ShellInput.Request>(ShellCommandParser.Parse(line, "c"));

        Assert.Equal(new QuoteRequest(speaker, topic), input.ChatRequest);
    }

    [Theory]
    [InlineData("/quit")]
    [InlineData("/EXIT")]
    [InlineData(null)]
    public void Quit_and_the_end_of_input_leave(string? line) => Assert.IsType<ShellInput.Quit>(ShellCommandParser.Parse(line, "c"));

    [Fact]
    public void Briefing_takes_an_optional_start()
    {
        var input = Assert.IsType<ShellInput.Request>(ShellCommandParser.Parse("/briefing 2018-09-01", "c"));

        Assert.Equal(new DateTimeOffset(2018, 9, 1, 0, 0, 0, TimeSpan.Zero), Assert.IsType<BriefingRequest>(input.ChatRequest).Since);
        Assert.IsType<ShellInput.Invalid>(ShellCommandParser.Parse("/briefing next tuesday-ish", "c"));
    }

    [Theory]
    [InlineData("/frobnicate", "Unknown command /frobnicate")]
    [InlineData("/quote", "Usage: /quote")]
    [InlineData("/ask", "Usage: /ask")]
    public void Mistakes_get_a_message_instead_of_a_guess(string line, string message)
    {
        var invalid = Assert.IsType<ShellInput.Invalid>(ShellCommandParser.Parse(line, "c"));

        Assert.StartsWith(message, invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Blank_lines_do_nothing() => Assert.IsType<ShellInput.Nothing>(ShellCommandParser.Parse("   ", "c"));
}

using BriefingBot.Core.Briefing;

namespace BriefingBot.Core.Tests.Briefing;

/// <summary>Which days are grouped again when articles arrive: the new days with the days around them, long spans in steps.</summary>
public sealed class StoryWindowsSpecs
{
    private static DateOnly Day(int n) => new DateOnly(2017, 4, 1).AddDays(n);

    private static DateTimeOffset Midnight(int n) => new(Day(n).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    [Fact]
    public void A_new_day_is_grouped_with_the_reach_around_it()
    {
        var windows = StoryAssigner.Windows([Day(10)], reach: 3).ToList();

        Assert.Equal([(Midnight(7), Midnight(14))], windows);
    }

    [Fact]
    public void Days_near_each_other_are_one_window_and_days_far_apart_are_two()
    {
        var windows = StoryAssigner.Windows([Day(0), Day(4), Day(9), Day(40)], reach: 3).ToList();

        Assert.Equal([(Midnight(-3), Midnight(13)), (Midnight(37), Midnight(44))], windows);
    }

    [Fact]
    public void A_long_run_of_days_is_grouped_in_steps_that_overlap_by_the_reach()
    {
        var days = Enumerable.Range(0, 100).Select(Day).ToList();

        var windows = StoryAssigner.Windows(days, reach: 3).ToList();

        Assert.Equal(4, windows.Count);
        Assert.Equal(Midnight(-3), windows[0].From);
        Assert.Equal(Midnight(103), windows[^1].To);
        Assert.All(windows.Zip(windows.Skip(1)), pair => Assert.True(pair.First.To - pair.Second.From >= TimeSpan.FromDays(6)));
    }
}

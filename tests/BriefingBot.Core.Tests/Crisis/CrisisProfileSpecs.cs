using BriefingBot.Core;
using BriefingBot.Core.Answering;
using BriefingBot.Core.Crisis;
using BriefingBot.Core.Text;

namespace BriefingBot.Core.Tests.Crisis;

/// <summary>The crisis as data: a newsroom covering another crisis writes a profile, not code.</summary>
public sealed class CrisisProfileSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("crisis-").FullName;

    private const string Sahel = """
        {
          "name": "The Sahel",
          "frame": ["mali", "malian"],
          "regions": ["bamako", "gao", "timbuktu", "mopti"],
          "aliases": [["jnim", "jama'at nusrat al-islam wal-muslimin", "support group for islam and muslims"]],
          "groups": ["jnim", "wagner"],
          "parties": [{ "name": "the Malian army", "words": "\\b(?:FAMa|Malian\\s+(?:army|soldiers|troops))\\b" }]
        }
        """;

    [Fact]
    public void The_bundled_profile_is_the_Syrian_war_and_names_its_aliases_regions_and_parties()
    {
        var syria = CrisisProfile.Bundled;

        Assert.Contains("Syrian", syria.Name, StringComparison.Ordinal);
        Assert.Contains("islamic state", syria.SpellingsOf("Daesh"));
        Assert.True(syria.IsRegion("Idlib"));
        Assert.Contains(syria.PartyPatterns, p => p.Party == "the Syrian government" && p.Words.IsMatch("Assad's forces"));
    }

    [Fact]
    public void A_profile_for_another_crisis_reads_its_questions_with_its_own_names()
    {
        var sahel = Load(Sahel);
        const string Question = "Who attacked the army camp near Gao claimed by JNIM in Mali?";

        var analysis = QuestionAnalysis.Of(Question, QueryTerms.Parse(Question), sahel);

        Assert.DoesNotContain("Mali", analysis.Names); // the crisis's own frame picks no article
        Assert.True(analysis.NamesIn("Fighters of the Support Group for Islam and Muslims overran a camp near Gao on Sunday."));
        Assert.False(analysis.NamesIn("Fighters overran a camp near Gao on Sunday."));
        Assert.True(sahel.IsGroup("Wagner"));
        Assert.Contains(sahel.PartyPatterns, p => p.Party == "the Malian army" && p.Words.IsMatch("FAMa said"));
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("""{ "name": "x", "frame": [], "regions": [], "aliases": [] }""", "lacks one of")]
    [InlineData("""{ "name": "x", "frame": [], "regions": [], "aliases": [], "groups": [], "parties": [{ "name": "p", "words": "(?<=a)b" }] }""", "words of party 'p'")]
    public void A_broken_profile_is_refused_with_what_is_wrong(string json, string message)
    {
        var refused = Assert.Throws<BriefingBotException>(() => Load(json));

        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_profile_names_the_setting() =>
        Assert.Contains("Crisis:Profile", Assert.Throws<BriefingBotException>(() => CrisisProfile.Load(Path.Combine(_folder, "none.json"))).Message, StringComparison.Ordinal);

    private CrisisProfile Load(string json)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return CrisisProfile.Load(path);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

using BriefingBot.Core.Ingestion;

namespace BriefingBot.Core.Tests.Ingestion;

public sealed class BoilerplateSpecs
{
    [Theory]
    [InlineData("Add a Comment")]
    [InlineData("Your email address will not be published. Required fields are marked *")]
    [InlineData("Share this article")]
    [InlineData("Facebook Twitter WhatsApp Email")]
    [InlineData("© 2018 Arab News. All rights reserved.")]
    [InlineData("Related: Erdogan, Putin to meet in Tehran")]
    [InlineData("Leave a Reply")]
    public void Page_furniture_is_boilerplate(string paragraph) => Assert.True(Boilerplate.IsBoilerplate(paragraph));

    [Theory]
    [InlineData("Turkey, which hosts more than 3 million Syrian refugees, has sounded alarm bells over a potential massive influx from the province.")]
    [InlineData("Related talks in Astana produced the de-escalation zones that Russia, Turkey and Iran agreed last year.")]
    [InlineData("The envoy said he would share the draft with all parties.")]
    public void Article_sentences_are_not(string paragraph) => Assert.False(Boilerplate.IsBoilerplate(paragraph));
}

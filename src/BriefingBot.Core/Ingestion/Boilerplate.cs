using System.Text.RegularExpressions;

namespace BriefingBot.Core.Ingestion;

/// <summary>
/// Web boilerplate that pages carry around an article: comment forms, share bars, newsletter and copyright lines.
/// Such a paragraph never enters the index; a comment-section heading ends the article text.
/// </summary>
public static partial class Boilerplate
{
    /// <summary>True for a paragraph that is page furniture rather than article text.</summary>
    public static bool IsBoilerplate(string paragraph) =>
        paragraph.Length <= 300 && (Line().IsMatch(paragraph) || CommentSectionStart(paragraph));

    /// <summary>True where comments begin: nothing after it is the article's.</summary>
    public static bool CommentSectionStart(string paragraph) => paragraph.Length <= 80 && CommentHeading().IsMatch(paragraph);

    [GeneratedRegex(@"^(add a comment|leave a (comment|reply)|post a comment|comments?( \(\d+\))?|\d+ comments?|show comments|view comments|join the (conversation|discussion)|write a comment)\W*$", RegexOptions.IgnoreCase)]
    private static partial Regex CommentHeading();

    [GeneratedRegex(
        @"your email address will not be published|required fields are marked|^(share|share this( article| story)?|share on \w+|tweet|email|print|whatsapp|facebook|twitter|linkedin|telegram|copy link)(\W+(share|tweet|email|print|whatsapp|facebook|twitter|linkedin|telegram|copy link))*\W*$|^(follow us|subscribe|sign up|get our newsletter)\b|\ball rights reserved\b|^(copyright|©)|^(related|read more|read also|see also|see more|recommended|also read|more from|most read|most popular|trending|you may also like|don'?t miss|more on this)\b[^.!?]{0,120}$|^click here\b|^(advertisement|advert|ad|sign in|log in|skip to (main )?content|continue reading( below)?)\W*$|^\W*(published|updated|posted|last updated)\b.{0,50}$|^https?://\S+$|\b(requires|enable) javascript\b|^(save my name|notify me of)\b|^(logged in as|you must be logged in)\b|\bcookies?\b.{0,60}\b(accept|consent|policy)\b|^(photo|image|file photo)( credit)?:|^\(?(ap|afp|reuters) (photo|image)\)?",
        RegexOptions.IgnoreCase)]
    private static partial Regex Line();
}

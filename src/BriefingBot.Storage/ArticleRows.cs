using System.Data.Common;
using BriefingBot.Core.Articles;

namespace BriefingBot.Storage;

/// <summary>An article's row as both stores keep it: its columns, in the order they are read.</summary>
internal static class ArticleRows
{
    public const string Columns = "id, source, title, outlet, url, published, author, dateline, text, first_ingested";

    /// <summary>The article of a row selected as <see cref="Columns"/>; <paramref name="instant"/> reads the provider's timestamp.</summary>
    public static Article Read(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> instant) => new(
        new ArticleId(reader.GetString(0)),
        reader.GetString(1),
        reader.GetString(2),
        Db.NullableString(reader, 3),
        Db.NullableString(reader, 4),
        Db.NullableString(reader, 5),
        Db.NullableString(reader, 6),
        Db.NullableString(reader, 7),
        reader.GetString(8),
        instant(reader, 9));
}

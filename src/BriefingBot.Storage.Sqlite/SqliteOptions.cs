using System.ComponentModel.DataAnnotations;

namespace BriefingBot.Storage.Sqlite;

/// <summary>Settings of the <c>Storage</c> section.</summary>
public sealed class SqliteOptions
{
    public const string Section = "Storage";

    /// <summary>The database file, relative to the content root unless absolute; its folder is created.</summary>
    [Required(ErrorMessage = "Storage:DatabasePath must name the SQLite database file.")]
    public string DatabasePath { get; set; } = "data/briefingbot.db";
}

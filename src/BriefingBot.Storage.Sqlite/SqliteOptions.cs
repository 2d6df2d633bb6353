using System.ComponentModel.DataAnnotations;

namespace BriefingBot.Storage.Sqlite;

/// <summary>Settings of the <c>Storage</c> section.</summary>
public sealed class SqliteOptions
{
    public const string Section = "Storage";

    /// <summary>The database file, relative to the content root unless absolute; its folder is created.</summary>
    [Required(ErrorMessage = "Storage:DatabasePath must name the SQLite database file.")]
    public string DatabasePath { get; set; } = "data/briefingbot.db";

    /// <summary>How long a statement waits for another process's write to the file before it fails as busy.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00", ErrorMessage = "Storage:BusyTimeout must be between 0.1 seconds and an hour.")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

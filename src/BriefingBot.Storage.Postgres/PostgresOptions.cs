namespace BriefingBot.Storage.Postgres;

/// <summary>Settings of the <c>Storage</c> section that the PostgreSQL store reads (with <c>Storage:Provider</c> = <c>postgres</c>).</summary>
public sealed class PostgresOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// An Npgsql connection string without a password (<c>Host=db;Database=briefingbot;Username=bot</c>). The password
    /// comes from the environment: <c>PGPASSWORD</c>, or a <c>PGPASSFILE</c> / <c>~/.pgpass</c> file.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The folder of this instance's own keyword index (rebuilt from the database when missing), relative to the content root.</summary>
    public string IndexFolder { get; set; } = "data/index";
}

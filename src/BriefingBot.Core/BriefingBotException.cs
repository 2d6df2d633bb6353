namespace BriefingBot.Core;

/// <summary>The root of the bot's own failures; subclasses carry what the caller needs to report them.</summary>
public class BriefingBotException : Exception
{
    public BriefingBotException(string message)
        : base(message)
    {
    }

    public BriefingBotException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The store cannot be opened or migrated (wrong schema, locked, corrupt).</summary>
public sealed class StoreException : BriefingBotException
{
    public StoreException(string message, Exception? innerException = null)
        : base(message, innerException ?? new InvalidOperationException(message))
    {
    }
}

/// <summary>Nothing at all could be ingested: every source failed.</summary>
public sealed class IngestionFailedException(string message, IReadOnlyList<Ingestion.IngestProblem> problems)
    : BriefingBotException(message)
{
    public IReadOnlyList<Ingestion.IngestProblem> Problems { get; } = problems;
}

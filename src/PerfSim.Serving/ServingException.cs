namespace PerfSim.Serving;

public enum ServingError { Usage, InvalidInput, DoesNotFit }

/// <summary>A serving run that cannot go ahead as asked; the message is one line naming the option, file or field.</summary>
public sealed class ServingException(string message, ServingError kind = ServingError.Usage) : Exception(message)
{
    public ServingError Kind { get; } = kind;
}

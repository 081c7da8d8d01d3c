namespace RoleMap.Diagnostics;

/// <summary>
/// Bad input that rolemap cannot work with. The CLI prints <see cref="Exception.Message"/> on stderr and exits 2;
/// the message names the file, line where known, the field and what was expected.
/// </summary>
public sealed class InputException : Exception
{
    public InputException(string message, SourceLocation? location = null)
        : base(Format(message, location))
    {
        Location = location;
        Detail = message;
    }

    public InputException(string message, SourceLocation? location, Exception inner)
        : base(Format(message, location), inner)
    {
        Location = location;
        Detail = message;
    }

    /// <summary>Where the problem is, when known.</summary>
    public SourceLocation? Location { get; }

    /// <summary>The message without the location prefix.</summary>
    public string Detail { get; }

    private static string Format(string message, SourceLocation? location) =>
        location is null ? message : location + ": " + message;
}

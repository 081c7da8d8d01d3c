namespace RoleMap.Cli;

/// <summary>
/// Standard input, output or error cannot be used (a closed descriptor, a full disk): reported as one line where stderr
/// still takes one, exit code 2, never a stack trace.
/// </summary>
public sealed class StandardStreamException : IOException
{
    public StandardStreamException()
    {
    }

    public StandardStreamException(string message)
        : base(message)
    {
    }

    public StandardStreamException(string message, int errorCode)
        : base(message, errorCode)
    {
    }

    public StandardStreamException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

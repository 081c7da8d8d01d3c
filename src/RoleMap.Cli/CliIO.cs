namespace RoleMap.Cli;

/// <summary>
/// Everything the CLI touches outside the library: standard streams, whether they are terminals, environment
/// variables and the file system root for relative paths. Tests substitute their own.
/// </summary>
public sealed class CliIO
{
    public required TextReader In { get; init; }

    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public bool OutIsTerminal { get; init; }

    public bool InIsTerminal { get; init; }

    /// <summary>Whether stderr is a terminal (a progress line is shown there only then).</summary>
    public bool ErrorIsTerminal { get; init; }

    public Func<string, string?> Environment { get; init; } = _ => null;

    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Tests only: AWS clients to use instead of connecting (given the resolved target).</summary>
    internal Func<Aws.AwsTarget, Aws.AwsSession>? AwsOverride { get; init; }

    public static CliIO FromConsole()
    {
        var utf8 = new System.Text.UTF8Encoding(false);
        var stdout = new StreamWriter(Console.OpenStandardOutput(), utf8) { AutoFlush = true, NewLine = "\n" };
        var stderr = new StreamWriter(Console.OpenStandardError(), utf8) { AutoFlush = true, NewLine = "\n" };
        return new CliIO
        {
            In = new StreamReader(Console.OpenStandardInput(), utf8),
            Out = stdout,
            Error = stderr,
            OutIsTerminal = !Console.IsOutputRedirected,
            InIsTerminal = !Console.IsInputRedirected,
            ErrorIsTerminal = !Console.IsErrorRedirected,
            Environment = System.Environment.GetEnvironmentVariable,
        };
    }

    /// <summary>Resolves a path given on the command line against the working directory.</summary>
    public string FullPath(string path) => Path.IsPathRooted(path) ? path : Path.Combine(WorkingDirectory, path);

    /// <summary>Reads a file named on the command line ("-" is stdin) as UTF-8 text.</summary>
    public string ReadText(string path)
    {
        if (path == "-")
        {
            return In.ReadToEnd();
        }

        var full = FullPath(path);
        try
        {
            return ReadAllText(full);
        }
        catch (FileNotFoundException)
        {
            throw new RoleMap.Diagnostics.InputException("file not found", new RoleMap.Diagnostics.SourceLocation(path));
        }
        catch (DirectoryNotFoundException)
        {
            throw new RoleMap.Diagnostics.InputException("file not found", new RoleMap.Diagnostics.SourceLocation(path));
        }
        catch (UnauthorizedAccessException)
        {
            throw new RoleMap.Diagnostics.InputException(Directory.Exists(full) ? "is a directory, expected a file" : "permission denied", new RoleMap.Diagnostics.SourceLocation(path));
        }
        catch (IOException ex)
        {
            throw new RoleMap.Diagnostics.InputException("cannot read: " + ex.Message, new RoleMap.Diagnostics.SourceLocation(path));
        }
    }

    /// <summary>
    /// <see cref="File.ReadAllText(string, System.Text.Encoding)"/> with UTF-8, without its StreamReader growing a
    /// buffer through a 20 MB cluster dump: the bytes are decoded in one go. The same text: a UTF-8 byte-order mark is
    /// dropped and invalid UTF-8 becomes U+FFFD; a UTF-16 or UTF-32 byte-order mark (which the StreamReader honours)
    /// goes the StreamReader's way.
    /// </summary>
    private static string ReadAllText(string full)
    {
        var bytes = File.ReadAllBytes(full);
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || span.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            return File.ReadAllText(full, System.Text.Encoding.UTF8);
        }

        return System.Text.Encoding.UTF8.GetString(span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? span[3..] : span);
    }

    /// <summary>The name to show for an input path in messages.</summary>
    public static string DisplayName(string path) => path == "-" ? "<stdin>" : path;
}

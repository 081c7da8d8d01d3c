using RoleMap.Text;

namespace RoleMap.Cli;

/// <summary>
/// Everything the CLI touches outside the library: standard streams, whether they are terminals, environment
/// variables and the file system root for relative paths. Tests substitute their own.
/// </summary>
public sealed class CliIO
{
    private TextReader? input;

    /// <summary>Standard input as text; from the console, made from <see cref="InputStream"/> when first read.</summary>
    public TextReader In
    {
        get => input ??= new StreamReader(InputStream ?? throw new InvalidOperationException("no standard input was given"), new System.Text.UTF8Encoding(false));
        init => input = value;
    }

    /// <summary>
    /// Standard input's bytes, for commands that read bytes (terraform-external): a StreamReader is made only for a
    /// command that reads text, as constructing one (and its statics) was a visible part of start-up.
    /// </summary>
    internal Stream? InputStream { get; init; }

    /// <summary>Standard input as bytes when they can be had: the console's stream, or the stream under a given StreamReader.</summary>
    internal Stream? InputBytes => InputStream ?? (input as StreamReader)?.BaseStream;

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
        // On Linux without System.Console's set-up (StandardOutputStream says why and what it keeps).
        var linux = OperatingSystem.IsLinux();
        var stdout = new StreamWriter(linux ? new StandardOutputStream(1) : Console.OpenStandardOutput(), utf8) { AutoFlush = true, NewLine = "\n" };
        var stderr = new StreamWriter(linux ? new StandardOutputStream(2) : Console.OpenStandardError(), utf8) { AutoFlush = true, NewLine = "\n" };
        return new CliIO
        {
            InputStream = OpenStandardInput(),
            Out = stdout,
            Error = stderr,
            OutIsTerminal = !Console.IsOutputRedirected,
            InIsTerminal = !Console.IsInputRedirected,
            ErrorIsTerminal = !Console.IsErrorRedirected,
            Environment = System.Environment.GetEnvironmentVariable,
        };
    }

    /// <summary>
    /// Standard input as a file stream when it is a regular file (<c>&lt; query.json</c>): its length is known, so a
    /// reader of all of it can size one buffer instead of doubling one (see TerraformExternalCommand.ReadAll). Pipes,
    /// terminals and anything that cannot seek keep the console's stream. The descriptor is not closed with the stream.
    /// </summary>
    internal static Stream OpenStandardInput()
    {
        try
        {
            var file = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);
            if (file.CanSeek)
            {
                return file;
            }

            file.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // Not a file descriptor FileStream takes (closed, or a kind it refuses): the console's stream reads it as before.
        }

        try
        {
            return Console.OpenStandardInput();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Closed (`<&-`): a command that never reads stdin runs as usual; one that reads it fails when it does.
            return new UnreadableInput("cannot read standard input: " + (ex.InnerException ?? ex).Message);
        }
    }

    /// <summary>Standard input that could not be opened: every read reports why.</summary>
    internal sealed class UnreadableInput(string reason) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new StandardStreamException(reason);

        public override int Read(Span<byte> buffer) => throw new StandardStreamException(reason);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Resolves a path given on the command line against the working directory.</summary>
    public string FullPath(string path) => Path.IsPathRooted(path) ? path : Path.Combine(WorkingDirectory, path);

    /// <summary>Reads a file named on the command line ("-" is stdin) as UTF-8 text.</summary>
    public string ReadText(string path) => ReadSource(path).Text;

    /// <summary>
    /// A file named on the command line ("-" is stdin) as the text <see cref="File.ReadAllText(string, System.Text.Encoding)"/>
    /// reads with UTF-8 (a UTF-8 byte-order mark dropped, invalid UTF-8 as U+FFFD), kept as the file's bytes where it
    /// is UTF-8, so that readers of ASCII bytes never make a string of a 20 MB cluster dump and nothing grows a
    /// StreamReader's buffer through it; a UTF-16 or UTF-32 byte-order mark goes the StreamReader's way.
    /// </summary>
    public SourceText ReadSource(string path) =>
        path == "-" ? new SourceText(In.ReadToEnd()) : ReadFile(path, full => ReadUtf8Bytes(full) is { } utf8 ? SourceText.FromUtf8(utf8) : new SourceText(File.ReadAllText(full, System.Text.Encoding.UTF8)));

    private T ReadFile<T>(string path, Func<string, T> read)
    {
        var full = FullPath(path);
        try
        {
            return read(full);
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

    /// <summary>The file's bytes without a UTF-8 byte-order mark, or null when it starts with a UTF-16 or UTF-32 one.</summary>
    private static byte[]? ReadUtf8Bytes(string full)
    {
        var bytes = ReadAllBytes(full);
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || span.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            return null;
        }

        return span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? span[3..].ToArray() : bytes;
    }

    /// <summary>
    /// <see cref="File.ReadAllBytes"/> into an array that is not cleared first (the read fills it): clearing 20 MB of
    /// fresh memory only to overwrite it was a visible share of reading a cluster dump.
    /// </summary>
    private static byte[] ReadAllBytes(string full)
    {
        using (var handle = File.OpenHandle(full))
        {
            var length = RandomAccess.GetLength(handle);
            if (length > 0 && length <= Array.MaxLength)
            {
                var bytes = GC.AllocateUninitializedArray<byte>((int)length);
                var read = 0;
                while (read < bytes.Length && RandomAccess.Read(handle, bytes.AsSpan(read), read) is var n and > 0)
                {
                    read += n;
                }

                return read == bytes.Length ? bytes : bytes[..read];
            }
        }

        return File.ReadAllBytes(full); // a length the file system does not know (a pipe, /proc), or too large: as before
    }

    /// <summary>The name to show for an input path in messages.</summary>
    public static string DisplayName(string path) => path == "-" ? "<stdin>" : path;
}

namespace RoleMap.Diagnostics;

/// <summary>How serious a finding is. Errors block generate and apply; warnings and infos only inform.</summary>
public enum Severity
{
    Error,
    Warning,
    Info,
}

/// <summary>Where a value came from: a file, a line and column when known, and a path such as <c>mapRoles[2].groups</c>.</summary>
public sealed record SourceLocation(string? File, int? Line = null, int? Column = null, string? Path = null)
{
    // A spec of 100,000 principals has a location each, and its path is read only for a finding: a path made of a
    // shared head and the principal's own text (its ARN, its index) is joined when first read, not for every principal.
    private string? path = Path;
    private readonly string? head;
    private readonly string? tail;
    private readonly int index = -1;

    /// <summary>A location whose path is <paramref name="head"/> followed by <paramref name="tail"/>, joined when first read.</summary>
    internal SourceLocation(string? file, int? line, int? column, string head, string tail)
        : this(file, line, column)
    {
        this.head = head;
        this.tail = tail;
    }

    /// <summary>A location whose path is <paramref name="list"/><c>[</c><paramref name="index"/><c>]</c>, formatted when first read.</summary>
    internal SourceLocation(string? file, int? line, int? column, string list, int index)
        : this(file, line, column)
    {
        head = list;
        this.index = index;
    }

    public string? Path
    {
        get => path ??= head is null ? null : tail is not null ? head + tail : head + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
        init
        {
            path = value;
            head = null;
            tail = null;
        }
    }

    public SourceLocation WithPath(string? path) => this with { Path = path };

    // Equal as the plain record is: a path joined later equals the same path given whole.
    public bool Equals(SourceLocation? other) =>
        ReferenceEquals(this, other) || (other is not null && File == other.File && Line == other.Line && Column == other.Column && Path == other.Path);

    public override int GetHashCode() => HashCode.Combine(File, Line, Column, Path);

    /// <summary>Renders as <c>file:line:column</c>, leaving out what is unknown (the path is shown separately).</summary>
    public string Position()
    {
        var text = File ?? "<input>";
        if (Line is int line && line > 0)
        {
            text += ":" + line.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (Column is int column && column > 0)
            {
                text += ":" + column.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return text;
    }

    /// <summary>Renders as <c>file:line:column: path</c>.</summary>
    public override string ToString() => Path is null ? Position() : Position() + ": " + Path;
}

/// <summary>
/// One finding about the input: a stable rule id, a severity, a message that says what EKS will do
/// with the value, where it is, and a concrete fix when one exists.
/// </summary>
public sealed record Diagnostic(string Rule, Severity Severity, string Message, SourceLocation? Location = null, string? Fix = null)
{
    /// <summary><c>file:line:col: severity[rule]: path: message (fix: ...)</c>.</summary>
    public override string ToString()
    {
        var where = Location is null ? string.Empty : Location.Position() + ": ";
        var path = Location?.Path is null ? string.Empty : Location.Path + ": ";
        var fix = Fix is null ? string.Empty : " (fix: " + Fix + ")";
        return where + Severity.ToString().ToLowerInvariant() + "[" + Rule + "]: " + path + Message + fix;
    }
}

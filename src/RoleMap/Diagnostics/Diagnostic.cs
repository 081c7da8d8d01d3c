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
    public SourceLocation WithPath(string? path) => this with { Path = path };

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

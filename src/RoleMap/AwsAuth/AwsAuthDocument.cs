using RoleMap.Diagnostics;
using RoleMap.Yaml;

namespace RoleMap.AwsAuth;

/// <summary>A field of an entry as written: its key text, the struct field it decodes into (null if none), the value and where.</summary>
public sealed record EntryField(string WrittenName, string? Field, YNode Value, SourceLocation Location);

/// <summary>One item of <c>mapRoles</c> or <c>mapUsers</c> as the authenticator decodes it.</summary>
public sealed record ParsedEntry(
    int Index,
    MapEntry Entry,
    IReadOnlyList<EntryField> Fields,
    IReadOnlyList<string> TypeErrors,
    string? InvalidReason,
    SourceLocation Location,
    YNode Node)
{
    /// <summary>False when the authenticator drops the entry (no ARN, or both rolearn and sso, or a bad sso block).</summary>
    public bool IsValid => InvalidReason is null;

    /// <summary>True when the entry has an <c>sso</c> matcher instead of a role ARN.</summary>
    public bool HasSso => Entry.ExtraFields.Any(f => f.Key == "sso");
}

/// <summary>A <c>mapRoles</c> or <c>mapUsers</c> key after parsing.</summary>
public sealed record ParsedList(
    string Key,
    bool Present,
    bool Skippable,
    YamlSyntaxError? SyntaxError,
    IReadOnlyList<ParsedEntry> Entries,
    string? TopLevelTypeError,
    SourceLocation? Location,
    YScalar? ValueNode)
{
    public static ParsedList Absent(string key) => new(key, false, false, null, [], null, null, null);

    /// <summary>True when the authenticator gets nothing at all from this key because its YAML does not parse.</summary>
    public bool Dropped => SyntaxError is not null;

    public IEnumerable<ParsedEntry> ValidEntries => Entries.Where(e => e.IsValid);

    /// <summary>Maps a line inside the value to the file line, when the value is a block scalar.</summary>
    public int? FileLine(int innerLine) =>
        ValueNode is { IsBlock: true } v ? v.Start.Line + v.ContentLineOffset + innerLine - 1 : null;
}

/// <summary>An item of <c>mapAccounts</c>.</summary>
public sealed record ParsedAccount(string Account, bool Quoted, SourceLocation Location);

/// <summary><c>mapAccounts</c> after parsing with go-yaml v2 into a list of strings.</summary>
public sealed record ParsedAccounts(bool Present, bool Skippable, YamlSyntaxError? SyntaxError, IReadOnlyList<ParsedAccount> Accounts, IReadOnlyList<string> TypeErrors, SourceLocation? Location)
{
    public static ParsedAccounts Absent { get; } = new(false, false, null, [], [], null);
}

/// <summary>A key of the ConfigMap's <c>data</c>, as written.</summary>
public sealed record DataItem(string Key, string? Value, YNode ValueNode, SourceLocation Location);

/// <summary>The ConfigMap's metadata that a read-modify-write must carry over.</summary>
public sealed record ConfigMapMetadata(
    string? Name,
    string? Namespace,
    string? ResourceVersion,
    string? Uid,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    IReadOnlyList<KeyValuePair<string, string>> Annotations);

/// <summary>
/// An aws-auth ConfigMap read the way aws-iam-authenticator reads it: per-key parsing with its error semantics,
/// every entry with its fields as written, and everything else (unknown keys and fields) kept for rewriting.
/// </summary>
public sealed record AwsAuthDocument(
    string? File,
    ConfigMapMetadata? Metadata,
    IReadOnlyList<DataItem> Data,
    ParsedList MapRoles,
    ParsedList MapUsers,
    ParsedAccounts MapAccounts,
    IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>What the authenticator keeps: the valid entries in order (duplicates included) and the accounts.</summary>
    public AwsAuthData Effective => new(
        [.. MapRoles.ValidEntries.Select(e => e.Entry)],
        [.. MapUsers.ValidEntries.Select(e => e.Entry)],
        [.. MapAccounts.Accounts.Select(a => a.Account)]);
}

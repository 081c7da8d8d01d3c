using RoleMap.Arns;
using RoleMap.Diagnostics;
using RoleMap.Yaml;
using YamlDotNet.Core;

namespace RoleMap.AccessEntries;

/// <summary>An IAM role or user as IAM lists it, with the full ARN (path included).</summary>
public sealed record IamPrincipal(IamArn Arn, SourceLocation Location)
{
    /// <summary>When IAM created the principal (<c>CreateDate</c>), when the input gives it.</summary>
    public DateTimeOffset? CreateDate { get; init; }
}

/// <summary>
/// The real ARNs of IAM roles and users, read from the JSON the AWS CLI prints: <c>aws iam list-roles</c>,
/// <c>list-users</c>, <c>get-role</c>, <c>get-user</c>, or a list of ARNs (<c>--query 'Roles[].Arn'</c>), one or several
/// outputs in one file. aws-auth cannot hold role paths, access entries need them: this is where they come from.
/// A complete listing of an account (not truncated) also tells which principals no longer exist.
/// </summary>
public sealed class IamDirectory
{
    private const string Expected = "the JSON output of 'aws iam list-roles' or 'aws iam list-users' ({\"Roles\": [...]} / {\"Users\": [...]}), 'aws iam get-role', or a list of role and user ARNs";

    private readonly Dictionary<string, IamPrincipal> byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> listed = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Diagnostic> notes = [];

    public static IamDirectory Empty { get; } = new();

    /// <summary>Warnings about the input, such as a truncated listing.</summary>
    public IReadOnlyList<Diagnostic> Notes => notes;

    public int Count => byName.Count;

    /// <summary>Every role's full ARN (path included), in no particular order.</summary>
    public IReadOnlyList<string> RoleArns => [.. byName.Values.Where(p => p.Arn.Kind == IamArnKind.Role).Select(p => p.Arn.ToString())];

    public static IamDirectory Parse(string text, string? file) => Combine([ParseOne(text, file)]);

    public static IamDirectory Combine(IEnumerable<IamDirectory> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        var result = new IamDirectory();
        foreach (var directory in directories)
        {
            foreach (var (key, principal) in directory.byName)
            {
                result.byName[key] = principal;
            }

            result.listed.UnionWith(directory.listed);
            result.notes.AddRange(directory.notes);
        }

        return result;
    }

    /// <summary>
    /// A complete listing of roles and users (ARN and CreateDate) as the IAM API returns it, every page read: principals
    /// missing from it do not exist in the accounts it shows.
    /// </summary>
    public static IamDirectory FromListing(IReadOnlyList<(string Arn, DateTimeOffset? CreateDate)> principals, string source)
    {
        ArgumentNullException.ThrowIfNull(principals);
        var directory = new IamDirectory();
        foreach (var (arn, createDate) in principals)
        {
            if (IamArn.Parse(arn, out var problems) is { Kind: IamArnKind.Role or IamArnKind.User } parsed && problems.Count == 0)
            {
                directory.byName[Key(parsed.Kind, parsed.Partition, parsed.Account, parsed.Name)] = new IamPrincipal(parsed, new SourceLocation(source)) { CreateDate = createDate };
                directory.listed.Add(Key(parsed.Kind, parsed.Partition, parsed.Account, string.Empty));
            }
        }

        return directory;
    }

    /// <summary>The role or user with this kind, partition, account and name (IAM names are unique ignoring case and path).</summary>
    public IamPrincipal? Find(IamArnKind kind, string partition, string account, string name) =>
        byName.TryGetValue(Key(kind, partition, account, name), out var principal) ? principal : null;

    /// <summary>True when the input held a complete listing of this kind of principal for the account.</summary>
    public bool Lists(IamArnKind kind, string partition, string account) => listed.Contains(Key(kind, partition, account, string.Empty));

    private static IamDirectory ParseOne(string text, string? file)
    {
        var json = JsonInput.Reader(file);
        var directory = new IamDirectory();
        foreach (var (value, path) in JsonInput.Values(json, text, Expected))
        {
            directory.Read(json, value, path);
        }

        return directory;
    }

    private void Read(NodeReader json, YNode value, string path)
    {
        if (json.TryString(value, out var arn))
        {
            Add(json, value, arn, path);
        }
        else if (value is YMapping map && map.Get("Roles") is { } roles)
        {
            ReadListing(json, map, roles, IamArnKind.Role, path + ".Roles");
        }
        else if (value is YMapping usersPage && usersPage.Get("Users") is { } users)
        {
            ReadListing(json, usersPage, users, IamArnKind.User, path + ".Users");
        }
        else if (value is YMapping rolePage && rolePage.Get("Role") is { } role)
        {
            Read(json, role, path + ".Role");
        }
        else if (value is YMapping userPage && userPage.Get("User") is { } user)
        {
            Read(json, user, path + ".User");
        }
        else if (value is YMapping principal && principal.Get("Arn") is not null)
        {
            Add(json, principal, json.RequiredStringField(principal, "Arn", path), path + ".Arn");
        }
        else
        {
            throw json.Expected(value, path, Expected);
        }
    }

    private void ReadListing(NodeReader json, YMapping page, YNode items, IamArnKind kind, string path)
    {
        var list = json.List(items, path, "a list").Items;
        var added = new List<IamPrincipal>();
        for (var i = 0; i < list.Count; i++)
        {
            var itemPath = path + "[" + i + "]";
            var item = json.Mapping(list[i], itemPath, "an object with 'Arn'");
            added.Add(Add(json, item, json.RequiredStringField(item, "Arn", itemPath), itemPath + ".Arn"));
        }

        var truncated = page.Get("IsTruncated") is YScalar { Style: not ScalarStyle.DoubleQuoted, Value: "true" }
            || page.Get("Marker") is not null || page.Get("NextToken") is not null;
        if (truncated)
        {
            notes.Add(new Diagnostic(
                "iam-list-truncated",
                Severity.Warning,
                "this " + (kind == IamArnKind.Role ? "role" : "user") + " listing is one page of several (it has IsTruncated, Marker or NextToken); principals missing from it are not taken as deleted",
                json.At(items, path),
                "run 'aws iam list-" + (kind == IamArnKind.Role ? "roles" : "users") + "' without --max-items, so the CLI fetches every page"));
            return;
        }

        // A complete listing: an account it shows holds no other principal of this kind. An empty page shows no account.
        foreach (var principal in added.Where(p => p.Arn.Kind == kind))
        {
            listed.Add(Key(kind, principal.Arn.Partition, principal.Arn.Account, string.Empty));
        }
    }

    private IamPrincipal Add(NodeReader json, YNode node, string arn, string path)
    {
        var parsed = IamArn.Parse(arn, out var problems);
        if (parsed is null || problems.Count > 0 || parsed.Kind is not (IamArnKind.Role or IamArnKind.User))
        {
            var why = problems.Count > 0 ? problems[0].Message : "it is not an IAM role or user ARN";
            throw json.Error(node, path, "'" + arn + "' cannot be used: " + why);
        }

        var createDate = node is YMapping fields ? JsonInput.OptionalTimestamp(json, fields, "CreateDate", ParentPath(path)) : null;
        var principal = new IamPrincipal(parsed, json.At(node, path)) { CreateDate = createDate };
        byName[Key(parsed.Kind, parsed.Partition, parsed.Account, parsed.Name)] = principal;
        return principal;
    }

    // Add is given the path of the Arn field; CreateDate sits beside it.
    private static string ParentPath(string path) => path.EndsWith(".Arn", StringComparison.Ordinal) ? path[..^4] : path;

    private static string Key(IamArnKind kind, string partition, string account, string name) =>
        kind + "|" + partition + "|" + account + "|" + name;
}

using RoleMap.AwsAuth;
using RoleMap.Cluster;
using RoleMap.Diagnostics;

namespace RoleMap.Apply;

/// <summary>What becomes of one position of <c>mapRoles</c> or <c>mapUsers</c>.</summary>
public abstract record PlannedItem;

/// <summary>A live entry left exactly as it is (its text is kept where possible).</summary>
public sealed record KeepItem(ParsedEntry Live) : PlannedItem;

/// <summary>A live entry rewritten in place with new content.</summary>
public sealed record ReplaceItem(ParsedEntry Live, MapEntry Entry) : PlannedItem;

/// <summary>A new entry, appended after the live ones.</summary>
public sealed record AddItem(MapEntry Entry) : PlannedItem;

/// <summary>The aws-auth an edit starts from: the object (null when it does not exist), how the authenticator reads it, and what rolemap owns in it.</summary>
public sealed record LiveAwsAuth(ConfigMapObject? Object, AwsAuthDocument Document, OwnedEntries Owned, string? OwnershipProblem)
{
    public bool Exists => Object is not null;

    public static LiveAwsAuth From(ConfigMapObject? configMap, string source)
    {
        if (configMap is null)
        {
            return new LiveAwsAuth(null, AwsAuthParser.ParseData([], null, source), OwnedEntries.None, null);
        }

        var metadata = new ConfigMapMetadata(configMap.Name, configMap.Namespace, configMap.ResourceVersion, configMap.Uid, configMap.Labels, configMap.Annotations);
        var owned = Ownership.Read(configMap.Annotations, out var problem);
        return new LiveAwsAuth(configMap, AwsAuthParser.ParseData(configMap.Data, metadata, source), owned, problem);
    }
}

/// <summary>
/// The desired state an edit computes from the live aws-auth: every list position, the accounts, the new ownership
/// record and labels to set. A restore instead gives the data verbatim.
/// </summary>
public sealed record EditResult(
    IReadOnlyList<PlannedItem> Roles,
    IReadOnlyList<PlannedItem> Users,
    IReadOnlyList<string> Accounts,
    OwnedEntries Owned,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    IReadOnlyList<string> Notes)
{
    /// <summary>When set, the data to write exactly (a restore); the lists above are then ignored.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? VerbatimData { get; init; }

    /// <summary>Lint findings on what the edit writes: errors refuse the write unless forced, warnings are shown.</summary>
    public IReadOnlyList<Diagnostic> Findings { get; init; } = [];
}

/// <summary>
/// One change to aws-auth, computed afresh from the live object on every attempt, so that a retry after a 409
/// Conflict merges into whatever the other writer stored.
/// </summary>
public interface IAwsAuthEdit
{
    /// <summary>What the edit does, for messages and the backup's reason annotation.</summary>
    string Description { get; }

    EditResult Edit(LiveAwsAuth live);
}

/// <summary>Edits one list, starting from the live entries kept as they are.</summary>
public sealed class ListEditor
{
    private readonly List<PlannedItem> items;

    public ListEditor(ParsedList live)
    {
        ArgumentNullException.ThrowIfNull(live);
        items = [.. live.Entries.Select(e => (PlannedItem)new KeepItem(e))];
    }

    public IReadOnlyList<PlannedItem> Items => items;

    /// <summary>The entry an item stands for now (null for an invalid entry kept as is).</summary>
    public static MapEntry? Current(PlannedItem item) => item switch
    {
        KeepItem k => k.Live.IsValid ? k.Live.Entry : null,
        ReplaceItem r => r.Entry,
        AddItem a => a.Entry,
        _ => null,
    };

    /// <summary>The current entries for an ARN (ignoring case, as the authenticator matches).</summary>
    public IEnumerable<MapEntry> Find(string arn) => items.Select(Current).Where(e => e?.Arn is not null && e.Arn.Equals(arn, StringComparison.OrdinalIgnoreCase))!;

    /// <summary>
    /// Makes <paramref name="arn"/> map to exactly one entry built by <paramref name="build"/> from the current one
    /// (null when there is none): the first match is rewritten in place, later duplicates are removed (the authenticator
    /// would let the last one shadow it), and a missing entry is appended. Fields rolemap does not manage are kept.
    /// </summary>
    public void Upsert(string arn, Func<MapEntry?, MapEntry> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        var first = -1;
        MapEntry? effective = null;
        for (var i = 0; i < items.Count; i++)
        {
            var current = Current(items[i]);
            if (current?.Arn is null || !current.Arn.Equals(arn, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // The authenticator uses the last duplicate, so that is the entry the caller has today.
            effective = current;
            if (first >= 0)
            {
                items.RemoveAt(i--);
                continue;
            }

            first = i;
        }

        if (first < 0)
        {
            items.Add(new AddItem(build(null)));
            return;
        }

        var desired = build(effective);
        items[first] = items[first] switch
        {
            KeepItem k when desired.SameAs(k.Live.Entry) => k,
            KeepItem k => new ReplaceItem(k.Live, desired),
            ReplaceItem r => r with { Entry = desired },
            _ => new AddItem(desired),
        };
    }

    /// <summary>Removes every item for which <paramref name="remove"/> is true (given the current entry, null for an invalid one).</summary>
    public int RemoveWhere(Func<PlannedItem, MapEntry?, bool> remove)
    {
        ArgumentNullException.ThrowIfNull(remove);
        return items.RemoveAll(i => remove(i, Current(i)));
    }

    /// <summary>The entry as it should be: the desired fields, plus the fields rolemap does not manage taken from the live entry.</summary>
    public static MapEntry WithKeptFields(MapEntry desired, MapEntry? existing)
    {
        ArgumentNullException.ThrowIfNull(desired);
        if (existing is null || existing.ExtraFields.Count == 0)
        {
            return desired with { Location = null };
        }

        var extras = existing.ExtraFields.Where(f => desired.ExtraFields.All(d => d.Key != f.Key)).Concat(desired.ExtraFields).ToList();
        return desired with { ExtraFields = extras, Location = null };
    }
}

/// <summary>
/// <c>rolemap apply SPEC</c>: every spec entry present exactly as compiled; entries rolemap applied before and the spec
/// no longer lists removed; everything else kept (EKS's node entries, eksctl's, other teams'), unless prune.
/// </summary>
public sealed class SpecEdit(Spec.CompiledSpec spec, bool prune, string source) : IAwsAuthEdit
{
    public string Description => (prune ? "apply --prune " : "apply ") + source;

    public EditResult Edit(LiveAwsAuth live)
    {
        ArgumentNullException.ThrowIfNull(live);
        var notes = new List<string>();
        if (live.OwnershipProblem is not null)
        {
            notes.Add(live.OwnershipProblem);
        }

        var roles = EditList(live.Document.MapRoles, spec.Data.Roles, live.Owned.OwnsRole);
        var users = EditList(live.Document.MapUsers, spec.Data.Users, live.Owned.OwnsUser);

        var desiredAccounts = spec.Data.Accounts;
        var accounts = live.Document.MapAccounts.Accounts.Select(a => a.Account)
            .Where(a => desiredAccounts.Contains(a, StringComparer.Ordinal) || !(prune || live.Owned.OwnsAccount(a)))
            .ToList();
        accounts.AddRange(desiredAccounts.Where(a => !accounts.Contains(a, StringComparer.Ordinal)));

        var owned = new OwnedEntries(
            [.. spec.Data.Roles.Select(r => r.Arn!)],
            [.. spec.Data.Users.Select(u => u.Arn!)],
            [.. desiredAccounts]);
        return new EditResult(roles, users, accounts, owned, spec.Labels, notes);

        IReadOnlyList<PlannedItem> EditList(ParsedList list, IReadOnlyList<MapEntry> desired, Func<string?, bool> owns)
        {
            var editor = new ListEditor(list);
            foreach (var entry in desired)
            {
                editor.Upsert(entry.Arn!, existing => ListEditor.WithKeptFields(entry, existing));
            }

            editor.RemoveWhere((_, current) =>
                !(current?.Arn is { } arn && desired.Any(d => d.Arn!.Equals(arn, StringComparison.OrdinalIgnoreCase)))
                && (prune || owns(current?.Arn)));
            return editor.Items;
        }
    }
}

/// <summary>
/// <c>rolemap upsert role|user ARN</c>: one entry created or updated in place. Groups and username change only when
/// given; other fields and every other entry stay as they are. Ownership is not claimed (an imperative edit).
/// </summary>
public sealed class UpsertEdit(string list, MapEntry entry, bool usernameGiven, bool groupsGiven) : IAwsAuthEdit
{
    public string Description => "upsert " + (list == AwsAuthRenderer.MapRoles ? "role " : "user ") + entry.Arn;

    public EditResult Edit(LiveAwsAuth live)
    {
        ArgumentNullException.ThrowIfNull(live);
        var roles = new ListEditor(live.Document.MapRoles);
        var users = new ListEditor(live.Document.MapUsers);
        var editor = list == AwsAuthRenderer.MapRoles ? roles : users;
        MapEntry? written = null;
        editor.Upsert(entry.Arn!, existing => written = existing is null
            ? entry with { Location = null }
            : ListEditor.WithKeptFields(
                existing with { Arn = entry.Arn, Username = usernameGiven ? entry.Username : existing.Username, Groups = groupsGiven ? entry.Groups : existing.Groups, ExtraFields = [] },
                existing));

        // Linted as it will be written: a username or groups kept from the live entry count as much as the given ones.
        return Unchanged(live, roles, users) with { Findings = UpsertEntry.Lint(written!, list == AwsAuthRenderer.MapUsers) };
    }

    internal static EditResult Unchanged(LiveAwsAuth live, ListEditor roles, ListEditor users, OwnedEntries? owned = null, IReadOnlyList<string>? notes = null) =>
        new(roles.Items, users.Items, [.. live.Document.MapAccounts.Accounts.Select(a => a.Account)], owned ?? live.Owned, [], notes ?? []);
}

/// <summary>
/// <c>rolemap remove role|user</c>: removes only what was asked: the entries for one ARN, the entries of one list with
/// one username, or a single group from one ARN's entry.
/// </summary>
public sealed class RemoveEdit(string list, string? arn, string? username, string? group) : IAwsAuthEdit
{
    public string Description => "remove " + (list == AwsAuthRenderer.MapRoles ? "role" : "user")
        + (arn is null ? string.Empty : " " + arn)
        + (username is null ? string.Empty : " --username " + username)
        + (group is null ? string.Empty : " --group " + group);

    public EditResult Edit(LiveAwsAuth live)
    {
        ArgumentNullException.ThrowIfNull(live);
        var roles = new ListEditor(live.Document.MapRoles);
        var users = new ListEditor(live.Document.MapUsers);
        var editor = list == AwsAuthRenderer.MapRoles ? roles : users;
        var notes = new List<string>();
        var owned = live.Owned;
        if (group is not null)
        {
            var matches = editor.Find(arn!).ToList();
            if (matches.Count == 0)
            {
                notes.Add(NotFound(live));
            }
            else if (!matches.Any(m => m.Groups.Contains(group, StringComparer.Ordinal)))
            {
                notes.Add("the entry for " + arn + " does not have the group '" + group + "'; nothing to remove");
            }
            else
            {
                editor.Upsert(arn!, existing => existing! with { Groups = [.. existing.Groups.Where(g => g != group)], Location = null });
            }
        }
        else
        {
            var removed = editor.RemoveWhere((_, current) => current is not null
                && (arn is null || (current.Arn is not null && current.Arn.Equals(arn, StringComparison.OrdinalIgnoreCase)))
                && (username is null || current.Username == username));
            if (removed == 0)
            {
                notes.Add(NotFound(live));
            }
            else if (arn is not null)
            {
                owned = owned.Without(list, arn);
            }
        }

        return UpsertEdit.Unchanged(live, roles, users, owned, notes);
    }

    private string NotFound(LiveAwsAuth live)
    {
        var parsed = list == AwsAuthRenderer.MapRoles ? live.Document.MapRoles : live.Document.MapUsers;
        var what = arn is not null ? "entry for " + arn + (username is null ? string.Empty : " with username " + username) : "entry with username " + username;
        var candidates = parsed.ValidEntries.Select(e => arn is not null ? e.Entry.Arn : e.Entry.Username).OfType<string>().ToList();
        var close = Text.Suggest.Closest(arn ?? username ?? string.Empty, candidates, 4);
        return list + " has no " + what + "; nothing to remove" + (close is null ? string.Empty : " (did you mean " + close + "?)");
    }
}

/// <summary><c>rolemap restore</c>: the data of a backup written back verbatim, with the ownership it recorded.</summary>
public sealed class RestoreEdit(string backupName, IReadOnlyList<KeyValuePair<string, string>> data, OwnedEntries owned) : IAwsAuthEdit
{
    public string Description => "restore " + backupName;

    public EditResult Edit(LiveAwsAuth live) => new([], [], [], owned, [], []) { VerbatimData = data };
}

/// <summary>Builds the entry for <c>upsert</c> with the same rules as a spec: role paths and sessions removed, default username.</summary>
public static class UpsertEntry
{
    // Rules about a whole list (how many admins, whether a node role exists) say nothing about one upserted entry.
    private static readonly string[] WholeListRules = ["masters-broad", "map-accounts", "map-roles-empty", "no-node-role"];

    public static (MapEntry? Entry, IReadOnlyList<Diagnostic> Diagnostics) Compile(bool role, string arn, string? username, IReadOnlyList<string> groups, EntryKind kind = EntryKind.Custom)
    {
        ArgumentNullException.ThrowIfNull(arn);
        ArgumentNullException.ThrowIfNull(groups);
        var location = new SourceLocation("ARN");
        if (Text.Printable.NeedsEscape(arn))
        {
            return (null, [LintRules.Finding("arn-malformed", "the ARN " + Text.Printable.Quoted(arn) + " contains a line break or another character that does not print; no IAM ARN does, so it could never match", location, context: FindingContext.Spec)]);
        }

        var principal = new Spec.SpecPrincipal(arn, kind, username, groups, location);
        var spec = role ? new Spec.MappingSpec([principal], [], [], [], null) : new Spec.MappingSpec([], [principal], [], [], null);
        var compiled = Spec.SpecCompiler.Compile(spec);
        var entries = role ? compiled.Roles : compiled.Users;
        var entry = entries.Count > 0 ? entries[0].Entry : null;
        var diagnostics = compiled.Diagnostics.Select(d => d.Rule == "arn-wrong-list" ? WrongList(d, role, arn, username, groups) : d).ToList();
        return (compiled.HasErrors ? null : entry, diagnostics);
    }

    /// <summary>The linter's checks of one entry as it will be written (e.g. control characters, a human in system:nodes); infos left out.</summary>
    public static IReadOnlyList<Diagnostic> Lint(MapEntry entry, bool user)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var compiled = new Spec.CompiledEntry(entry, EntryKind.Custom, entry.Arn ?? string.Empty, null, new SourceLocation(null));
        var spec = new Spec.CompiledSpec(new AwsAuthData(user ? [] : [entry], user ? [entry] : [], []), user ? [] : [compiled], user ? [compiled] : [], [], []);
        return [.. RoleMap.Lint.Linter.LintSpec(spec).Findings
            .Where(f => f.Severity != Severity.Info && !WholeListRules.Contains(f.Rule, StringComparer.Ordinal))
            .Select(f => f with { Location = null })];
    }

    /// <summary>The spec compiler says to move the principal to the other list of the spec; on the command line that is the other subcommand.</summary>
    private static Diagnostic WrongList(Diagnostic diagnostic, bool role, string arn, string? username, IReadOnlyList<string> groups)
    {
        var kind = Arns.IamArn.Parse(arn, out _)?.Kind;
        var what = kind switch
        {
            Arns.IamArnKind.User => "an IAM user ARN",
            Arns.IamArnKind.Root => "an account root ARN",
            Arns.IamArnKind.FederatedUser => "a federated user ARN",
            _ => "a role ARN",
        };
        var message = role
            ? "'" + arn + "' is " + what + ", not a role: 'upsert role' writes mapRoles; users, account roots and federated users belong in mapUsers"
            : "'" + arn + "' is " + what + ", not a user: 'upsert user' writes mapUsers; roles belong in mapRoles";
        var command = "rolemap upsert " + (role ? "user " : "role ") + ShellWord(arn)
            + (groups.Count == 0 && username is null ? " --group GROUP" : string.Concat(groups.Select(g => " --group " + ShellWord(g))))
            + (username is null ? string.Empty : " --username " + ShellWord(username));
        return diagnostic with { Message = message, Fix = command };
    }

    private static string ShellWord(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '/' or '_' or '.' or '@' or '+' or '=' or ',' or '-')
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

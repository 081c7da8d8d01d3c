using System.Text.RegularExpressions;
using RoleMap.Arns;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;

namespace RoleMap.Spec;

/// <summary>An entry as it will be written, with where it came from.</summary>
/// <param name="Entry">The aws-auth entry.</param>
/// <param name="Kind">Node, Fargate, hybrid or custom.</param>
/// <param name="OriginalArn">The ARN as written in the spec (a role path or assumed-role form survives here for access entries).</param>
/// <param name="Parsed">The parsed ARN, when it parsed.</param>
/// <param name="Location">Where the spec declared it.</param>
public sealed record CompiledEntry(MapEntry Entry, EntryKind Kind, string OriginalArn, IamArn? Parsed, SourceLocation Location)
{
    /// <summary>An entry of the compiler, whose ARN parses without a problem: parsed when asked for.</summary>
    internal CompiledEntry(MapEntry entry, EntryKind kind, string originalArn, SourceLocation location)
        : this(entry, kind, originalArn, null, location) => parseOnUse = true;

    // Kept unparsed: a parsed ARN per entry is five objects more that live as long as the spec, for 100,000s of entries.
    private readonly bool parseOnUse;

    /// <summary>The parsed ARN, when it parsed.</summary>
    public IamArn? Parsed
    {
        get => field ??= parseOnUse ? IamArn.Parse(OriginalArn, out _) : null;
        init;
    } = Parsed;
}

/// <summary>A spec turned into aws-auth data, with everything found on the way. Nothing is written when <see cref="HasErrors"/>.</summary>
public sealed record CompiledSpec(
    AwsAuthData Data,
    IReadOnlyList<CompiledEntry> Roles,
    IReadOnlyList<CompiledEntry> Users,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>The spec file, for findings about the spec as a whole.</summary>
    public string? File { get; init; }

    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}

/// <summary>
/// Turns a <see cref="MappingSpec"/> into exactly what the authenticator should read: node roles first, then
/// Fargate, then the other roles sorted by ARN; role paths and assumed-role sessions removed (with a warning);
/// a username on every entry (the principal's name unless given); duplicates and malformed values refused.
/// </summary>
public static partial class SpecCompiler
{
    /// <param name="iamRoleArns">Role ARNs from IAM (e.g. <c>aws iam list-roles</c>), for the permission sets the spec maps by name; null when none were given.</param>
    public static CompiledSpec Compile(MappingSpec spec, IReadOnlyList<string>? iamRoleArns = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var diagnostics = new List<Diagnostic>();

        var specRoles = spec.PermissionSets.Count == 0 ? spec.Roles : [.. spec.Roles, .. PermissionSetRoles(spec.PermissionSets, iamRoleArns, diagnostics)];
        var roles = new List<CompiledEntry>(specRoles.Count);
        foreach (var index in RoleOrder(specRoles))
        {
            if (CompileRole(specRoles[index], diagnostics) is { } entry)
            {
                roles.Add(entry);
            }
        }

        var users = new List<CompiledEntry>(spec.Users.Count);
        var userOrder = new int[spec.Users.Count];
        for (var i = 0; i < userOrder.Length; i++)
        {
            userOrder[i] = i;
        }

        SortByArn(spec.Users, userOrder);
        foreach (var index in userOrder)
        {
            if (CompileUser(spec.Users[index], diagnostics) is { } entry)
            {
                users.Add(entry);
            }
        }

        diagnostics.AddRange(DuplicateArns.Check(new CompiledEntries(roles, users), FindingContext.Spec));
        var accounts = CompileAccounts(spec.Accounts, diagnostics);
        CheckLabels(spec.Labels, spec.File, diagnostics);

        var data = new AwsAuthData(Entries(roles), Entries(users), accounts);
        return new CompiledSpec(data, roles, users, spec.Labels, diagnostics) { File = spec.File };
    }

    /// <summary>
    /// The order roles are written in: Linux, Windows and hybrid node roles, then Fargate, each as declared, then the
    /// other roles by ARN (ordinal, ties as declared). Kinds outside these are left out, as the LINQ chain this
    /// replaces did.
    /// </summary>
    private static int[] RoleOrder(IReadOnlyList<SpecPrincipal> roles)
    {
        var order = new int[roles.Count];
        var count = 0;
        foreach (var kind in (ReadOnlySpan<EntryKind>)[EntryKind.LinuxNode, EntryKind.WindowsNode, EntryKind.HybridNode, EntryKind.Fargate])
        {
            Collect(kind);
        }

        var custom = count;
        Collect(EntryKind.Custom);
        SortByArn(roles, order.AsSpan(custom, count - custom));
        return count == order.Length ? order : order[..count];

        void Collect(EntryKind kind)
        {
            for (var i = 0; i < roles.Count; i++)
            {
                if (roles[i].Kind == kind)
                {
                    order[count++] = i;
                }
            }
        }
    }

    /// <summary>
    /// Sorts the indices (ascending on entry) by their principal's ARN, ordinal and stable, as LINQ's OrderBy did: one
    /// check when already in order (many specs are), else one sort of the ARNs with the indices beside them, equal
    /// ARNs then put back in declared order.
    /// </summary>
    private static void SortByArn(IReadOnlyList<SpecPrincipal> principals, Span<int> indices)
    {
        var arns = new string[indices.Length];
        var sorted = true;
        for (var i = 0; i < arns.Length; i++)
        {
            arns[i] = principals[indices[i]].Arn;
            sorted = sorted && (i == 0 || string.CompareOrdinal(arns[i - 1], arns[i]) <= 0);
        }

        if (sorted)
        {
            return;
        }

        arns.AsSpan().Sort(indices, StringComparer.Ordinal);
        for (var start = 0; start < arns.Length;)
        {
            var end = start + 1;
            while (end < arns.Length && string.Equals(arns[start], arns[end], StringComparison.Ordinal))
            {
                end++;
            }

            if (end - start > 1)
            {
                indices[start..end].Sort();
            }

            start = end;
        }
    }

    private static MapEntry[] Entries(List<CompiledEntry> compiled)
    {
        var entries = new MapEntry[compiled.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = compiled[i].Entry;
        }

        return entries;
    }

    /// <summary>The compiled roles, then users, as the duplicate check reads them: an <see cref="ArnEntry"/> only for an ARN that repeats.</summary>
    private readonly struct CompiledEntries(List<CompiledEntry> roles, List<CompiledEntry> users) : IArnEntries
    {
        public int Count => roles.Count + users.Count;

        public string Arn(int index) => Entry(index).Entry.Arn!;

        public bool IsUser(int index) => index >= roles.Count;

        public ArnEntry At(int index)
        {
            var entry = Entry(index);
            return new ArnEntry(entry.Entry, IsUser(index), entry.Kind, entry.Location);
        }

        private CompiledEntry Entry(int index) => index < roles.Count ? roles[index] : users[index - roles.Count];
    }

    /// <summary>The standard groups of each kind (by its value), one read-only list shared by every entry of the kind.</summary>
    private static readonly IReadOnlyList<string>?[] StandardGroups =
        [null, StandardEntries.Groups(EntryKind.LinuxNode), StandardEntries.Groups(EntryKind.WindowsNode), StandardEntries.Groups(EntryKind.Fargate), StandardEntries.Groups(EntryKind.HybridNode)];

    private static CompiledEntry? CompileRole(SpecPrincipal principal, List<Diagnostic> diagnostics)
    {
        if (IamArn.IsPlain(principal.Arn, out var plainKind, out var nameStart) && plainKind == IamArnKind.Role)
        {
            // The common case, without parsing into objects: the ARN is written as it is, and nothing is found about it.
            CheckGroups(principal, diagnostics);
            var name = principal.Kind == EntryKind.Custom && principal.Username is null ? principal.Arn[nameStart..] : null;
            return new CompiledEntry(RoleEntry(principal, principal.Arn, name), principal.Kind, principal.Arn, principal.Location);
        }

        var what = StandardEntries.Describe(principal.Kind);
        var parsed = ParseArn(principal, what, diagnostics);
        if (parsed is null)
        {
            return null;
        }

        string written;
        switch (parsed.Kind)
        {
            case IamArnKind.Role:
                // A role ARN without path or region already is its canonical form: keep the string rather than build an
                // equal one for each of possibly 100,000 roles.
                written = !parsed.HasPath && parsed.Arn.Region.Length == 0 ? principal.Arn : parsed.RoleArnWithoutPath;
                if (parsed.HasPath && principal.PermissionSet is null)
                {
                    diagnostics.Add(Finding(
                        "arn-role-path",
                        what + " ARN '" + principal.Arn + "' has the path " + parsed.Path + "; the authenticator compares against the path-less ARN of the caller's session, so it would never match. Writing '" + written + "'.",
                        principal.Location,
                        written));
                }

                break;
            case IamArnKind.AssumedRole:
                written = parsed.RoleArnWithoutPath;
                diagnostics.Add(Finding(
                    "arn-assumed-role",
                    "'" + principal.Arn + "' is an STS assumed-role session ARN, which never matches in aws-auth. Writing the role ARN '" + written + "'.",
                    principal.Location,
                    written));
                break;
            default:
                diagnostics.Add(Finding(
                    "arn-wrong-list",
                    "'" + principal.Arn + "' is " + Article(parsed.Kind) + " ARN, but it is listed as a " + what + ".",
                    principal.Location,
                    "move it to users (iam_user_to_rbac_group_mappings)"));
                return null;
        }

        CheckGroups(principal, diagnostics);
        return new CompiledEntry(RoleEntry(principal, written, parsed.Name), principal.Kind, principal.Arn, parsed, principal.Location);
    }

    /// <param name="name">The role's name, the username of a custom role without one (needed only then).</param>
    private static MapEntry RoleEntry(SpecPrincipal principal, string written, string? name) => principal.Kind == EntryKind.Custom
        ? new MapEntry(written, principal.Username ?? name!, principal.Groups) { Location = principal.Location }
        : new MapEntry(written, StandardEntries.Username(principal.Kind), StandardGroups[(int)principal.Kind]!) { Location = principal.Location };

    private static CompiledEntry? CompileUser(SpecPrincipal principal, List<Diagnostic> diagnostics)
    {
        if (IamArn.IsPlain(principal.Arn, out var plainKind, out var nameStart) && plainKind == IamArnKind.User)
        {
            CheckGroups(principal, diagnostics);
            var plain = new MapEntry(principal.Arn, principal.Username ?? principal.Arn[nameStart..], principal.Groups) { Location = principal.Location };
            return new CompiledEntry(plain, EntryKind.Custom, principal.Arn, principal.Location);
        }

        var parsed = ParseArn(principal, "user", diagnostics);
        if (parsed is null)
        {
            return null;
        }

        if (parsed.Kind is IamArnKind.Role or IamArnKind.AssumedRole)
        {
            diagnostics.Add(Finding(
                "arn-wrong-list",
                "'" + principal.Arn + "' is a role ARN, but it is listed as a user.",
                principal.Location,
                "move it to roles (iam_role_to_rbac_group_mappings)"));
            return null;
        }

        CheckGroups(principal, diagnostics);
        var entry = new MapEntry(principal.Arn, principal.Username ?? parsed.Name, principal.Groups) { Location = principal.Location };
        return new CompiledEntry(entry, EntryKind.Custom, principal.Arn, parsed, principal.Location);
    }

    private static IamArn? ParseArn(SpecPrincipal principal, string what, List<Diagnostic> diagnostics)
    {
        var parsed = IamArn.Parse(principal.Arn, out var problems);
        foreach (var problem in problems)
        {
            diagnostics.Add(Finding(problem.Rule, what + " ARN: " + problem.Message + ".", principal.Location, problem.Fix));
        }

        return problems.Count == 0 ? parsed : null;
    }

    private static void CheckGroups(SpecPrincipal principal, List<Diagnostic> diagnostics)
    {
        // By index: a foreach over the interface makes an array enumerator per entry (and its type's first use at start-up).
        var groups = principal.Groups;
        for (var i = 0; i < groups.Count; i++)
        {
            if (groups[i].Length == 0)
            {
                diagnostics.Add(Finding("group-empty", "'" + principal.Arn + "' has an empty group name.", principal.Location, "remove the empty group"));
            }
        }
    }

    /// <summary>A finding with the rule's severity in a spec (see <see cref="LintRules"/>).</summary>
    private static Diagnostic Finding(string rule, string message, SourceLocation location, string? fix = null) =>
        LintRules.Finding(rule, message, location, fix, FindingContext.Spec);

    /// <summary>
    /// The roles IAM Identity Center created for each permission set: <c>AWSReservedSSO_NAME_SUFFIX</c> under the path
    /// <c>/aws-reserved/sso.amazonaws.com/</c> (with or without a region segment), the name compared ignoring case as the
    /// authenticator's SSO matcher does, in the listed accounts when some are listed.
    /// </summary>
    private static IEnumerable<SpecPrincipal> PermissionSetRoles(IReadOnlyList<SpecPermissionSet> sets, IReadOnlyList<string>? iamRoleArns, List<Diagnostic> diagnostics)
    {
        var roles = iamRoleArns?.Select(arn => (Text: arn, Parsed: IamArn.Parse(arn, out _)))
            .Where(r => r.Parsed is { Kind: IamArnKind.Role } parsed && parsed.Path.StartsWith(SsoPath, StringComparison.Ordinal))
            .Select(r => (r.Text, Parsed: r.Parsed!))
            .ToList();
        foreach (var set in sets)
        {
            if (roles is null)
            {
                diagnostics.Add(Finding(
                    "sso-permission-set-no-data",
                    "the permission set " + set.Name + " is mapped by name, but no IAM role data was given, so its roles (AWSReservedSSO_" + set.Name + "_...) cannot be found",
                    set.Location,
                    "give --iam-arns with the output of 'aws iam list-roles --path-prefix " + SsoPath + "'"));
                continue;
            }

            foreach (var account in set.Accounts.Where(a => !AccountPattern().IsMatch(a)))
            {
                diagnostics.Add(Finding("account-invalid", "account '" + account + "' of the permission set " + set.Name + " is not a 12-digit AWS account ID", set.Location));
            }

            var prefix = "AWSReservedSSO_" + set.Name + "_";
            var found = roles
                .Where(r => r.Parsed.Name.Length > prefix.Length && r.Parsed.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && r.Parsed.Name[prefix.Length..].All(char.IsAsciiLetterOrDigit))
                .Where(r => set.Accounts.Count == 0 || set.Accounts.Contains(r.Parsed.Account, StringComparer.Ordinal))
                .ToList();
            if (found.Count == 0)
            {
                diagnostics.Add(Finding(
                    "sso-permission-set-no-role",
                    "no role of the permission set " + set.Name + " (AWSReservedSSO_" + set.Name + "_..." + (set.Accounts.Count > 0 ? " in account " + string.Join(", ", set.Accounts) : string.Empty) + ") is in the IAM data: it is not assigned to the account, or the data is incomplete; nothing is mapped for it",
                    set.Location,
                    "assign the permission set to the account in IAM Identity Center, or give the IAM data of the account"));
            }

            foreach (var role in found)
            {
                yield return new SpecPrincipal(role.Text, EntryKind.Custom, set.Username, set.Groups, set.Location) { PermissionSet = set.Name };
            }
        }
    }

    private const string SsoPath = "/aws-reserved/sso.amazonaws.com/";

    private static List<string> CompileAccounts(IReadOnlyList<SpecAccount> accounts, List<Diagnostic> diagnostics)
    {
        var result = new List<string>();
        for (var i = 0; i < accounts.Count; i++) // by index, as in CheckGroups
        {
            var account = accounts[i];
            if (!AccountPattern().IsMatch(account.Account))
            {
                diagnostics.Add(Finding("account-invalid", "mapped account '" + account.Account + "' is not a 12-digit AWS account ID.", account.Location));
            }
            else if (result.Contains(account.Account, StringComparer.Ordinal))
            {
                diagnostics.Add(Finding("duplicate-account", "account '" + account.Account + "' is listed twice; writing it once.", account.Location));
            }
            else
            {
                result.Add(account.Account);
            }
        }

        return result;
    }

    private static void CheckLabels(IReadOnlyList<KeyValuePair<string, string>> labels, string? file, List<Diagnostic> diagnostics)
    {
        for (var i = 0; i < labels.Count; i++) // by index, as in CheckGroups
        {
            var (key, value) = labels[i];
            var location = new SourceLocation(file, Path: "labels." + key);
            if (!LabelKey().IsMatch(key) || key.Split('/')[^1].Length > 63 || (key.Contains('/', StringComparison.Ordinal) && key.Split('/')[0].Length > 253))
            {
                diagnostics.Add(Finding("label-invalid", "label key '" + key + "' is not a valid Kubernetes label name ([prefix/]name, name at most 63 characters of letters, digits, '-', '_', '.').", location));
            }

            if (value.Length > 63 || (value.Length > 0 && !LabelValue().IsMatch(value)))
            {
                diagnostics.Add(Finding("label-invalid", "label value '" + value + "' for '" + key + "' is not a valid Kubernetes label value (at most 63 characters of letters, digits, '-', '_', '.', starting and ending alphanumeric).", location));
            }
        }
    }

    private static string Article(IamArnKind kind) => kind switch
    {
        IamArnKind.User => "an IAM user",
        IamArnKind.Root => "an account root",
        IamArnKind.FederatedUser => "a federated user",
        _ => "a",
    };

    [GeneratedRegex("^[0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountPattern();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelKey();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValue();
}

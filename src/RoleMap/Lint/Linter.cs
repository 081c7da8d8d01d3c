using System.Text.RegularExpressions;
using RoleMap.AccessEntries;
using RoleMap.Arns;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Spec;
using RoleMap.Text;
using RoleMap.Yaml;

namespace RoleMap.Lint;

/// <summary>A subject of a RoleBinding or ClusterRoleBinding, as the group checks need it.</summary>
/// <param name="Kind">User, Group or ServiceAccount.</param>
/// <param name="Name">The subject name.</param>
/// <param name="Binding">The binding, e.g. <c>ClusterRoleBinding/dev</c> or <c>RoleBinding apiteam/full-access</c>.</param>
/// <param name="Location">Where the binding is written, when known.</param>
public sealed record SubjectReference(string Kind, string Name, string Binding, SourceLocation? Location = null);

/// <summary>What the linter needs to know of RBAC: every binding subject (bootstrap defaults included).</summary>
public sealed record RbacReferences(IReadOnlyList<SubjectReference> Subjects);

/// <summary>Lint settings.</summary>
/// <param name="Rbac">Binding subjects for the group checks; null skips them.</param>
/// <param name="MastersThreshold">How many principals may hold system:masters before it is flagged.</param>
/// <param name="ExpectNodes">The cluster has EC2 node groups, so a missing node role is a lockout.</param>
public sealed record LintOptions(RbacReferences? Rbac = null, int MastersThreshold = 3, bool ExpectNodes = false)
{
    /// <summary>The cluster's access entries to lint, with aws-auth or on their own; null leaves access entries out.</summary>
    public AccessEntryLintInput? AccessEntries { get; init; }
}

/// <summary>Access entries under lint, and what the access-entry checks compare them with.</summary>
/// <param name="Entries">The access entries (describe-access-entry and list-associated-access-policies output give the most).</param>
/// <param name="Mode">The cluster's authentication mode: in API_AND_CONFIG_MAP an access entry replaces the principal's aws-auth entry.</param>
/// <param name="Iam">IAM roles and users with their CreateDate, to find entries whose principal was re-created; null skips that check.</param>
/// <param name="AdminThreshold">How many principals may hold cluster-wide admin access policies before it is flagged.</param>
public sealed record AccessEntryLintInput(ExistingAccessEntries Entries, AuthenticationMode Mode = AuthenticationMode.ApiAndConfigMap, IamDirectory? Iam = null, int AdminThreshold = 3);

/// <summary>The findings of one lint run, most severe first in source order.</summary>
public sealed record LintResult(IReadOnlyList<Diagnostic> Findings)
{
    public int Errors => Findings.Count(f => f.Severity == Severity.Error);

    public int Warnings => Findings.Count(f => f.Severity == Severity.Warning);

    public int Infos => Findings.Count(f => f.Severity == Severity.Info);
}

/// <summary>
/// Finds the aws-auth mistakes that lock people out or silently grant nothing, in an aws-auth ConfigMap (as
/// the authenticator reads it) or in a spec (as rolemap would write it). Every finding says what EKS will do
/// with the value and, where one exists, the concrete fix.
/// </summary>
public static partial class Linter
{
    private static readonly string[] DataKeys = [AwsAuthRenderer.MapRoles, AwsAuthRenderer.MapUsers, AwsAuthRenderer.MapAccounts];

    // Groups that mean something without any binding: the privileged-group authorizer, the Node authorizer,
    // and the bindings EKS installs for nodes, bootstrapping, kube-proxy and Windows DNS.
    private static readonly string[] SpecialGroups =
        [StandardEntries.Masters, StandardEntries.Nodes, StandardEntries.Bootstrappers, StandardEntries.NodeProxier, StandardEntries.KubeProxyWindows, "system:authenticated"];

    /// <summary>Lints an aws-auth ConfigMap as parsed with the authenticator's rules.</summary>
    public static LintResult LintAwsAuth(AwsAuthDocument document, LintOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        options ??= new LintOptions();
        var findings = new List<Diagnostic>();
        foreach (var diagnostic in document.Diagnostics)
        {
            // Every error that drops a whole key names the principals lost with it.
            var dropsKey = diagnostic.Severity == Severity.Error && diagnostic.Rule.StartsWith("yaml-", StringComparison.Ordinal);
            findings.Add(dropsKey ? WithLostPrincipals(diagnostic, document) : diagnostic);
        }

        CheckDataKeys(document, findings);
        CheckUnquotedTemplates(document.MapRoles, document, findings);
        CheckUnquotedTemplates(document.MapUsers, document, findings);

        var entries = new List<LintEntry>();
        foreach (var (list, isUser) in new[] { (document.MapRoles, false), (document.MapUsers, true) })
        {
            foreach (var parsed in list.Entries)
            {
                CheckFields(parsed, isUser, findings);
                if (!parsed.IsValid)
                {
                    continue;
                }

                if (parsed.HasSso)
                {
                    findings.Add(Finding("sso-matcher", "this entry matches Identity Center roles by permission set (alpha); the SSORoleMatch feature gate is off by default and EKS is not known to enable it, so expect it to match nothing", parsed.Location, "map the role ARN without its path: arn:PARTITION:iam::ACCOUNT:role/AWSReservedSSO_SET_SUFFIX"));
                    continue;
                }

                var entry = new LintEntry(parsed.Entry, isUser, null, parsed.Location);
                entries.Add(entry with { CanMatch = CheckAwsAuthArn(entry, findings) });
            }
        }

        findings.AddRange(DuplicateArns.Check([.. entries.Select(e => new ArnEntry(e.Entry, e.IsUser, StandardEntries.Classify(e.Entry), e.Location))], FindingContext.AwsAuth));
        foreach (var account in document.MapAccounts.Accounts)
        {
            if (!AccountId().IsMatch(account.Account))
            {
                findings.Add(Finding("account-invalid", "'" + account.Account + "' is not a 12-digit account ID; no caller's account equals it", account.Location));
            }
        }

        var nodeEvidence = options.ExpectNodes
            || document.Data.Any(d => d.Key == AwsAuthRenderer.MapRoles && d.Value is not null && d.Value.Contains(StandardEntries.NodeUsername, StringComparison.Ordinal));
        var where = new Where(document.MapRoles.Location ?? new SourceLocation(document.File), document.MapAccounts.Location ?? new SourceLocation(document.File));
        CheckSemantics(entries, document.MapAccounts.Accounts.Select(a => a.Account).ToList(), options, nodeEvidence, where, findings);
        return new LintResult(Order(findings));
    }

    /// <summary>Lints a spec: the compiler's findings plus the checks that apply to what would be written.</summary>
    public static LintResult LintSpec(CompiledSpec compiled, LintOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(compiled);
        options ??= new LintOptions();
        var findings = new List<Diagnostic>(compiled.Diagnostics);
        var entries = new List<LintEntry>(compiled.Roles.Count + compiled.Users.Count);
        for (var i = 0; i < compiled.Roles.Count; i++) // loops sized up front: a spec may have 100,000 entries
        {
            entries.Add(new LintEntry(compiled.Roles[i].Entry, false, compiled.Roles[i].Kind, compiled.Roles[i].Location));
        }

        for (var i = 0; i < compiled.Users.Count; i++)
        {
            entries.Add(new LintEntry(compiled.Users[i].Entry, true, EntryKind.Custom, compiled.Users[i].Location));
        }

        var file = compiled.File;
        CheckSemantics(entries, compiled.Data.Accounts, options, options.ExpectNodes, new Where(new SourceLocation(file, Path: "nodeRoles"), new SourceLocation(file, Path: "accounts")), findings);
        return new LintResult(Order(findings));
    }

    /// <summary>
    /// Distinct findings by file, line, severity and rule, stable. One comparison instead of LINQ's ThenBy chain, whose
    /// value-type keys make the native image build generic code at run time on every start.
    /// </summary>
    private static List<Diagnostic> Order(List<Diagnostic> findings)
    {
        if (findings.Count == 0)
        {
            return []; // nothing to order or repeat; the set of records and the sort are start-up time in a clean lint
        }

        var seen = new HashSet<Diagnostic>();
        var ordered = new List<(Diagnostic Finding, int Index)>(findings.Count);
        foreach (var finding in findings)
        {
            if (seen.Add(finding))
            {
                ordered.Add((finding, ordered.Count));
            }
        }

        ordered.Sort(static (a, b) =>
        {
            var order = string.CompareOrdinal(a.Finding.Location?.File ?? string.Empty, b.Finding.Location?.File ?? string.Empty);
            if (order == 0)
            {
                order = (a.Finding.Location?.Line ?? 0).CompareTo(b.Finding.Location?.Line ?? 0);
            }

            if (order == 0)
            {
                order = ((int)a.Finding.Severity).CompareTo((int)b.Finding.Severity);
            }

            if (order == 0)
            {
                order = string.CompareOrdinal(a.Finding.Rule, b.Finding.Rule);
            }

            return order == 0 ? a.Index.CompareTo(b.Index) : order;
        });
        var result = new List<Diagnostic>(ordered.Count);
        foreach (var (finding, _) in ordered)
        {
            result.Add(finding);
        }

        return result;
    }

    private static Diagnostic Finding(string rule, string message, SourceLocation? location, string? fix = null, FindingContext context = FindingContext.AwsAuth) =>
        LintRules.Finding(rule, message, location, fix, context);

    private static Diagnostic WithLostPrincipals(Diagnostic diagnostic, AwsAuthDocument document)
    {
        var key = diagnostic.Location?.Path?.Replace("data.", string.Empty, StringComparison.Ordinal);
        var raw = document.Data.LastOrDefault(d => d.Key == key)?.Value;
        if (raw is null)
        {
            return diagnostic;
        }

        var arns = ArnField().Matches(raw).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        if (arns.Count == 0)
        {
            return diagnostic;
        }

        var nodes = raw.Split("\n- ").Count(item => item.Contains("system:node:", StringComparison.Ordinal));
        var lost = " Principals that lose access: " + string.Join(", ", arns) + (nodes > 0 ? " (" + nodes + " node or Fargate role" + (nodes == 1 ? string.Empty : "s") + ": nodes go NotReady)" : string.Empty) + ".";
        return diagnostic with { Message = diagnostic.Message + "." + lost };
    }

    private static void CheckDataKeys(AwsAuthDocument document, List<Diagnostic> findings)
    {
        foreach (var item in document.Data)
        {
            if (DataKeys.Contains(item.Key, StringComparer.Ordinal))
            {
                continue;
            }

            var sameIgnoringCase = DataKeys.FirstOrDefault(k => string.Equals(k, item.Key, StringComparison.OrdinalIgnoreCase));
            if (sameIgnoringCase is not null)
            {
                findings.Add(Finding("top-key-case", "'" + item.Key + "' is not '" + sameIgnoringCase + "': data keys are case-sensitive, so the authenticator ignores it silently and none of its entries apply", item.Location, "rename the key to " + sameIgnoringCase));
            }
            else if (Suggest.Closest(item.Key, DataKeys, 2) is { } closest)
            {
                findings.Add(Finding("data-key-unknown", "'" + item.Key + "' is not a key the authenticator reads (only mapRoles, mapUsers and mapAccounts); its entries do not apply", item.Location, "rename the key to " + closest));
            }
        }
    }

    private static bool AnyMatchableMaster(List<LintEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (entry.CanMatch && HasGroup(entry.Entry.Groups, StandardEntries.Masters))
            {
                return true;
            }
        }

        return false;
    }

    private static void CheckUnquotedTemplates(ParsedList list, AwsAuthDocument document, List<Diagnostic> findings)
    {
        var raw = document.Data.LastOrDefault(d => d.Key == list.Key)?.Value;
        if (raw is null || !list.Present)
        {
            return;
        }

        var lines = raw.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var match = UnquotedTemplate().Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }

            var value = match.Groups["value"].Value.TrimEnd();
            var location = new SourceLocation(document.File, list.FileLine(i + 1) ?? list.Location?.Line, null, list.Key + " line " + (i + 1));
            findings.Add(Finding(
                "unquoted-template",
                "'" + value + "' starts with '{{' and is not quoted, so YAML reads a mapping, not a string; the authenticator drops all of " + list.Key,
                location,
                match.Groups["prefix"].Value.Trim() + " \"" + value.Replace("\"", "\\\"", StringComparison.Ordinal) + "\""));
        }
    }

    private static void CheckFields(ParsedEntry parsed, bool isUser, List<Diagnostic> findings)
    {
        string[] known = isUser ? ["userarn", "username", "groups", "userid"] : ["rolearn", "sso", "username", "groups", "userid"];
        var arnField = known[0];
        foreach (var field in parsed.Fields)
        {
            if (field.Field is not null)
            {
                if (field.WrittenName != field.Field)
                {
                    findings.Add(Finding("field-case", "field '" + field.WrittenName + "' is not lower case; the open-source authenticator accepts any case, but EKS versions before 2020 read only '" + field.Field + "'", field.Location, field.Field));
                }

                continue;
            }

            var closest = Suggest.Closest(field.WrittenName.Replace("_", string.Empty, StringComparison.Ordinal), known, 2) ?? Suggest.Closest(field.WrittenName, known, 2);
            if (closest is null)
            {
                findings.Add(Finding("unknown-field", "field '" + field.WrittenName + "' is ignored by the authenticator (kept when rolemap rewrites the entry)", field.Location));
            }
            else if (!(closest == arnField && !parsed.IsValid))
            {
                var effect = closest switch
                {
                    "groups" => "the entry has no groups from it",
                    "username" => "the username comes out empty",
                    _ => "its value is not used",
                };
                findings.Add(Finding("field-typo", "field '" + field.WrittenName + "' is not a field the authenticator knows, so it is ignored: " + effect, field.Location, "rename '" + field.WrittenName + "' to '" + closest + "'"));
            }
        }
    }

    /// <summary>Reports ARN problems; returns whether the entry can match any caller at all.</summary>
    private static bool CheckAwsAuthArn(LintEntry entry, List<Diagnostic> findings)
    {
        var arn = entry.Entry.Arn!;
        var parsed = IamArn.Parse(arn, out var problems);
        foreach (var problem in problems)
        {
            var effect = problem.Message.Contains("never match", StringComparison.Ordinal) ? string.Empty : "; this entry never matches";
            findings.Add(Finding(problem.Rule, problem.Message + effect, entry.Location, problem.Fix));
        }

        if (parsed is null)
        {
            return false;
        }

        var list = entry.IsUser ? "mapUsers" : "mapRoles";
        switch (parsed.Kind)
        {
            case IamArnKind.Role when parsed.HasPath:
                findings.Add(Finding("arn-role-path", "role ARN with the path " + parsed.Path + ": callers present a path-less role ARN, and the authenticator does not strip paths, so this entry never matches", entry.Location, parsed.RoleArnWithoutPath));
                break;
            case IamArnKind.AssumedRole:
                findings.Add(Finding("arn-assumed-role", "an STS assumed-role session ARN: the authenticator matches the caller's role ARN, never a session ARN, so this entry never matches", entry.Location, parsed.RoleArnWithoutPath));
                break;
        }

        if (!entry.IsUser && parsed.Kind is IamArnKind.User or IamArnKind.Root or IamArnKind.FederatedUser)
        {
            findings.Add(Finding("arn-wrong-list", "a " + (parsed.Kind == IamArnKind.User ? "user" : parsed.Kind == IamArnKind.Root ? "root" : "federated-user") + " ARN in " + list + ": it matches (the lists are searched by ARN alone), but readers and tools expect it in mapUsers", entry.Location, "move it to mapUsers as userarn"));
        }
        else if (entry.IsUser && parsed.Kind is IamArnKind.Role)
        {
            findings.Add(Finding("arn-wrong-list", "a role ARN in mapUsers: it matches (the lists are searched by ARN alone), but readers and tools expect it in mapRoles", entry.Location, "move it to mapRoles as rolearn"));
        }

        return problems.Count == 0 && !(parsed.Kind == IamArnKind.Role && parsed.HasPath) && parsed.Kind != IamArnKind.AssumedRole;
    }

    /// <summary>
    /// ARNs with letters whose case the authenticator treats by Go's Unicode rules (strings.ToLower, strings.EqualFold)
    /// rather than as ASCII: say what they match, or that the entry can never match.
    /// </summary>
    private static void CheckUnicodeCase(LintEntry entry, List<Diagnostic> findings)
    {
        var arn = entry.Entry.Arn;
        if (arn is null || System.Text.Ascii.IsValid(arn) || !GoStrings.HasNonAsciiFolding(arn)) // only non-ASCII letters can fold otherwise
        {
            return;
        }

        var letters = string.Join(", ", arn.EnumerateRunes().Where(r => r.Value > 0x7F && GoStrings.HasNonAsciiFolding(r.ToString())).Distinct().Select(r => "'" + r + "' (U+" + r.Value.ToString("X4", System.Globalization.CultureInfo.InvariantCulture) + ")"));
        // Callers are compared lower-cased: a letter whose fold class holds no lower-case form (İ) never matches.
        var neverMatches = GoStrings.FoldKey(GoStrings.ToLower(arn)) != GoStrings.FoldKey(arn);
        var message = neverMatches
            ? "this ARN has " + letters + ": the authenticator lower-cases the caller's ARN with Go's strings.ToLower and compares with strings.EqualFold (Unicode " + GoStrings.UnicodeVersion + " simple folding, as in Go 1.19), and no lower-cased caller ARN folds to this one, so the entry never matches"
            : "this ARN has " + letters + ": the authenticator compares ARNs with Go's strings.EqualFold (Unicode simple folding), so a caller ARN matches when these letters differ in case or fold together (e.g. 'ſ' and 's', the Kelvin sign and 'k'); IAM names are ASCII, so check that this is the principal you mean";
        findings.Add(Finding("arn-unicode-case", message, entry.Location, "write the ARN exactly as IAM shows it (ASCII)"));
    }

    private static void CheckSemantics(List<LintEntry> entries, IReadOnlyList<string> accounts, LintOptions options, bool nodeEvidence, Where where, List<Diagnostic> findings)
    {
        foreach (var entry in entries)
        {
            CheckUsernameAndTemplates(entry, findings);
            CheckGroupsText(entry, findings);
            CheckNodeEntry(entry, findings);
            CheckAccessEntryReadiness(entry, findings);
            CheckUnicodeCase(entry, findings);
        }

        // Only entries that take effect: matchable, and for roles the last of a duplicated ARN. Grouping every ARN
        // (lower-cased) is the costly part, and it can only find masters when some entry has the group at all.
        var masters = new List<LintEntry>();
        if (AnyMatchableMaster(entries))
        {
            // The last entry of each ARN (users as written, roles lower-cased), in the order the ARNs first appear.
            var last = new Dictionary<(bool IsUser, string Arn), int>();
            var arns = new List<(bool IsUser, string Arn)>();
            for (var i = 0; i < entries.Count; i++)
            {
                var e = entries[i];
                if (e.CanMatch)
                {
                    var key = (e.IsUser, e.IsUser ? e.Entry.Arn! : GoStrings.ToLower(e.Entry.Arn!));
                    if (!last.ContainsKey(key))
                    {
                        arns.Add(key);
                    }

                    last[key] = i;
                }
            }

            foreach (var key in arns)
            {
                if (HasGroup(entries[last[key]].Entry.Groups, StandardEntries.Masters))
                {
                    masters.Add(entries[last[key]]);
                }
            }
        }

        if (masters.Count > options.MastersThreshold)
        {
            findings.Add(Finding("masters-broad", masters.Count + " principals are in system:masters (" + string.Join(", ", masters.Select(m => m.Entry.Arn)) + "); it bypasses RBAC and no binding can take it back", masters[^1].Location, "keep one break-glass role in system:masters; bind the others to cluster-admin or narrower ClusterRoles through a group"));
        }

        if (accounts.Count > 0)
        {
            findings.Add(Finding("map-accounts", "mapAccounts lets every IAM principal of " + string.Join(", ", accounts) + " authenticate (any role anyone there can assume), with its ARN as username and no groups; access entries have no equivalent", where.Accounts, "map the roles and users you mean instead"));
        }

        var hasRoles = false;
        var hasNode = false;
        foreach (var e in entries)
        {
            hasRoles |= !e.IsUser;
            hasNode = hasNode || (!e.IsUser && e.CanMatch && (e.DeclaredKind ?? StandardEntries.Classify(e.Entry)) != EntryKind.Custom);
        }

        if (!hasRoles)
        {
            findings.Add(Finding("map-roles-empty", "no role mappings: no node can join and no role-based administrator can get in (only users and the cluster creator)", where.Roles));
        }
        else if (!hasNode)
        {
            // A lockout when the cluster is known to have EC2 nodes (or aws-auth names a node role that cannot match);
            // otherwise the nodes may be mapped by access entries or the cluster may run without nodes.
            var known = nodeEvidence || options.ExpectNodes;
            findings.Add(Finding(
                "no-node-role",
                "no EC2 node or Fargate role is mapped" + (known ? ", so nodes cannot join and running nodes go NotReady" : ": if this cluster has node groups or Fargate profiles that are not mapped elsewhere (access entries), their nodes cannot join"),
                where.Roles,
                "add the node role with username system:node:{{EC2PrivateDNSName}} and groups system:bootstrappers, system:nodes",
                known ? FindingContext.Certain : FindingContext.AwsAuth));
        }

        if (options.AccessEntries is { } accessEntries)
        {
            CheckAccessEntries(entries, accessEntries, findings);
        }

        if (options.Rbac is { } rbac)
        {
            var sources = entries.Select(e => new GroupSource(e.Entry.Groups, _ => e.Location));
            CheckRbac(sources.Concat(AccessEntryGroups(options.AccessEntries)), rbac, options.AccessEntries is not null, findings);
        }
    }

    private static void CheckUsernameAndTemplates(LintEntry entry, List<Diagnostic> findings)
    {
        var e = entry.Entry;
        if (string.IsNullOrEmpty(e.Username))
        {
            var name = IamArn.Parse(e.Arn!, out _)?.Name;
            findings.Add(Finding("username-missing", "no username, so the Kubernetes username is empty: aggregated APIs (metrics, 'kubectl top') fail and audit logs cannot tell callers apart", entry.Location, name is null ? null : "username: " + name));
        }

        // Most usernames and groups hold no placeholder at all: then nothing below can apply (checked without allocating).
        if (!AnyTextContains(e, "{{"))
        {
            return;
        }

        // The username, then each group (loops, not LINQ: a node entry on every start-up comes here).
        for (var i = -1; i < e.Groups.Count; i++)
        {
            var text = i < 0 ? e.Username ?? string.Empty : e.Groups[i];
            var unknowns = Templates.UnknownPlaceholders(text);
            for (var j = 0; j < unknowns.Count; j++)
            {
                var unknown = unknowns[j];
                var closest = Suggest.Closest(unknown, Templates.Known, 4);
                findings.Add(Finding("template-unknown", unknown + " is not a placeholder the authenticator knows (" + string.Join(", ", Templates.Known) + "); it stays in '" + text + "' literally", entry.Location, closest is null ? null : text.Replace(unknown, closest, StringComparison.Ordinal)));
            }
        }

        if (AnyTextContains(e, Templates.Ec2PrivateDnsName))
        {
            var kind = entry.DeclaredKind is null or EntryKind.Custom ? StandardEntries.Classify(e) : entry.DeclaredKind.Value;
            var isNode = !entry.IsUser && (kind is EntryKind.LinuxNode or EntryKind.WindowsNode || HasGroup(e.Groups, StandardEntries.Nodes));
            if (!isNode)
            {
                findings.Add(Finding("template-ec2-non-node", "{{EC2PrivateDNSName}} is only rendered for an EC2 instance session (role session 'i-...'); the authenticator rejects every other caller of this " + (entry.IsUser ? "user" : "role"), entry.Location, entry.IsUser ? "use a fixed username" : "declare the role as a node role, or use {{SessionName}}"));
            }
        }

        if (entry.IsUser && (AnyTextContains(e, Templates.SessionName) || AnyTextContains(e, Templates.SessionNameRaw)))
        {
            findings.Add(Finding("template-session-user", "IAM users have no session name, so {{SessionName}} renders empty ('" + Templates.Render(e.Username ?? string.Empty, new TemplateValues(null, string.Empty, null, null)).Text + "')", entry.Location, "use a fixed username for users"));
        }
    }

    /// <summary>Whether the username (null read as empty) or a group contains <paramref name="value"/>.</summary>
    private static bool AnyTextContains(MapEntry entry, string value)
    {
        if (entry.Username?.Contains(value, StringComparison.Ordinal) == true)
        {
            return true;
        }

        for (var i = 0; i < entry.Groups.Count; i++)
        {
            if (entry.Groups[i].Contains(value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the groups hold <paramref name="group"/>: a loop, as LINQ's Contains with a comparer enumerates (one allocation per entry).</summary>
    private static bool HasGroup(IReadOnlyList<string> groups, string group)
    {
        for (var i = 0; i < groups.Count; i++)
        {
            if (string.Equals(groups[i], group, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static void CheckGroupsText(LintEntry entry, List<Diagnostic> findings)
    {
        var groups = entry.Entry.Groups;
        for (var i = 0; i < groups.Count; i++) // by index, as below: no enumerator per entry
        {
            var group = groups[i];
            if (group.Contains(" - ", StringComparison.Ordinal))
            {
                findings.Add(Finding("group-list-swallowed", "group '" + group + "' contains ' - ': a list item indented one space too far is read as part of the previous group, so neither group applies", entry.Location, "groups:\n  - " + string.Join("\n  - ", group.Split(" - "))));
            }
        }

        CheckControlCharacters(entry.Entry.Username ?? string.Empty, entry, findings);
        for (var i = 0; i < groups.Count; i++)
        {
            CheckControlCharacters(groups[i], entry, findings);
        }
    }

    private static void CheckControlCharacters(string text, LintEntry entry, List<Diagnostic> findings)
    {
        if (HasControlCharacters(text))
        {
            findings.Add(Finding("control-characters", "'" + Escape(text) + "' contains line breaks or control characters; it is valid, but almost certainly not what a binding names", entry.Location));
        }
    }

    /// <summary>
    /// Whether the text holds a char.IsControl character (C0, DEL and C1) or a Unicode line or paragraph separator,
    /// searched as ranges: a SearchValues of them was built in Linter's static constructor on every start-up.
    /// </summary>
    internal static bool HasControlCharacters(ReadOnlySpan<char> text) =>
        text.ContainsAnyInRange('\u0000', '\u001F') || text.ContainsAnyInRange('\u007F', '\u009F') || text.ContainsAny('\u2028', '\u2029');

    private static void CheckNodeEntry(LintEntry entry, List<Diagnostic> findings)
    {
        var e = entry.Entry;
        var username = e.Username ?? string.Empty;
        var inNodeGroups = HasGroup(e.Groups, StandardEntries.Nodes) || HasGroup(e.Groups, StandardEntries.Bootstrappers);
        var nodeName = username.StartsWith("system:node:", StringComparison.Ordinal);
        if (inNodeGroups && !entry.IsUser && username.Length == 0)
        {
            // A node entry whose username did not survive (missing or of the wrong type).
            var expected = e.Groups.Contains(StandardEntries.NodeProxier, StringComparer.Ordinal) ? StandardEntries.SessionNodeUsername : StandardEntries.NodeUsername;
            findings.Add(Finding("node-entry-nonstandard", "this entry has node groups but no username, so the node's username is empty and the Node authorizer denies it", entry.Location, "username: \"" + expected + "\""));
            return;
        }

        if (inNodeGroups && (!nodeName || entry.IsUser))
        {
            findings.Add(Finding("human-in-node-group", "'" + e.Arn + "' is in " + string.Join(" and ", e.Groups.Where(g => g is StandardEntries.Nodes or StandardEntries.Bootstrappers)) + " but is not a node role (username '" + username + "'): it gets node credentials powers, and the Node authorizer ignores it anyway", entry.Location, "remove " + StandardEntries.Nodes + " and " + StandardEntries.Bootstrappers + " from this entry"));
            return;
        }

        var kind = entry.DeclaredKind is null or EntryKind.Custom ? StandardEntries.Classify(e) : entry.DeclaredKind.Value;
        if (kind == EntryKind.Custom)
        {
            if (nodeName && !entry.IsUser)
            {
                findings.Add(Finding("node-entry-nonstandard", "username '" + username + "' looks like a node, but the entry lacks " + StandardEntries.Nodes + "; the node cannot register", entry.Location, "groups: [" + StandardEntries.Bootstrappers + ", " + StandardEntries.Nodes + "]"));
            }

            return;
        }

        var expectedUser = StandardEntries.Username(kind);
        // A loop, not LINQ: every node entry comes here, the example's too, at start-up.
        var standard = StandardEntries.Groups(kind);
        var missing = new List<string>();
        for (var i = 0; i < standard.Count; i++)
        {
            if (!HasGroup(e.Groups, standard[i]))
            {
                missing.Add(standard[i]);
            }
        }

        if (username != expectedUser || missing.Count > 0)
        {
            var what = username != expectedUser ? "username '" + username + "' instead of '" + expectedUser + "'" : "no " + string.Join(", ", missing);
            findings.Add(Finding("node-entry-nonstandard", "this " + StandardEntries.Describe(kind) + " has " + what + "; " + (missing.Contains(StandardEntries.NodeProxier) ? "Fargate pods cannot reach the network proxy" : missing.Contains(StandardEntries.KubeProxyWindows) ? "Windows pods lose DNS resolution" : "nodes fail to register or are denied by the Node authorizer"), entry.Location, "username: " + expectedUser + ", groups: [" + string.Join(", ", StandardEntries.Groups(kind)) + "]"));
        }
    }

    private static void CheckAccessEntryReadiness(LintEntry entry, List<Diagnostic> findings)
    {
        var kind = entry.DeclaredKind is null or EntryKind.Custom ? StandardEntries.Classify(entry.Entry) : entry.DeclaredKind.Value;
        if (kind != EntryKind.Custom)
        {
            return; // becomes a typed access entry with no groups or username
        }

        CheckAccessEntryNames(entry.Entry.Username, entry.Entry.Groups, entry.Location, entry.Location, FindingContext.AwsAuth, findings);
    }

    /// <summary>
    /// The group names and username EKS refuses in an access entry (AccessEntryRules): readiness notes for aws-auth and
    /// specs, errors (<see cref="FindingContext.Certain"/>) on an access entry itself.
    /// </summary>
    private static void CheckAccessEntryNames(string? username, IReadOnlyList<string> groups, SourceLocation groupsAt, SourceLocation usernameAt, FindingContext context, List<Diagnostic> findings)
    {
        List<string>? reserved = null; // most entries have none: no list, no enumerator
        for (var i = 0; i < groups.Count; i++)
        {
            if (AccessEntryRules.ReservedPrefix(groups[i]) is not null)
            {
                (reserved ??= []).Add(groups[i]);
            }
        }

        if (reserved is not null)
        {
            var masters = reserved.Contains(StandardEntries.Masters, StringComparer.Ordinal) ? " (system:masters maps to the AmazonEKSClusterAdminPolicy access policy instead)" : string.Empty;
            findings.Add(Finding("access-entry-group", "access entries reject group names starting with system:, eks:, aws:, amazon: or iam: (" + string.Join(", ", reserved) + ")" + masters, groupsAt, context: context));
        }

        username ??= string.Empty;
        if (AccessEntryRules.ReservedPrefix(username) is { } prefix)
        {
            findings.Add(Finding("access-entry-username", "access entries reject usernames starting with " + prefix + " ('" + username + "')", usernameAt, context: context));
        }
        else if (AccessEntryRules.SessionNameWithoutColon(username) is var at and >= 0)
        {
            var placeholder = username.AsSpan(at).StartsWith(Templates.SessionNameRaw, StringComparison.Ordinal) ? Templates.SessionNameRaw : Templates.SessionName;
            findings.Add(Finding("access-entry-username", "access entries require a ':' before " + placeholder + " in a username ('" + username + "')", usernameAt, username.Insert(at, ":"), context));
        }
    }

    private static void CheckRbac(IEnumerable<GroupSource> sources, RbacReferences rbac, bool withAccessEntries, List<Diagnostic> findings)
    {
        var bound = rbac.Subjects.Where(s => s.Kind == "Group").Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var mapped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            for (var i = 0; i < source.Groups.Count; i++)
            {
                var group = source.Groups[i];
                mapped.Add(group);
                if (group.Length == 0 || group.Contains("{{", StringComparison.Ordinal) || bound.Contains(group) || SpecialGroups.Contains(group, StringComparer.Ordinal))
                {
                    continue;
                }

                findings.Add(Finding("group-unbound", "group '" + group + "' is not the subject of any RoleBinding or ClusterRoleBinding (bootstrap defaults included) and Kubernetes gives it no meaning of its own, so it grants nothing", source.At(i), SuggestGroup(group, bound)));
            }
        }

        foreach (var subject in rbac.Subjects.Where(s => s.Kind == "Group").GroupBy(s => s.Name, StringComparer.Ordinal))
        {
            if (mapped.Contains(subject.Key) || subject.Key.StartsWith("system:", StringComparison.Ordinal) || subject.Key.StartsWith("eks:", StringComparison.Ordinal))
            {
                continue;
            }

            var first = subject.First();
            findings.Add(Finding("binding-group-unmapped", "no mapping produces group '" + subject.Key + "', bound by " + string.Join(", ", subject.Select(s => s.Binding).Distinct(StringComparer.Ordinal)) + "; nobody from IAM gets these permissions through aws-auth" + (withAccessEntries ? " or access entries" : string.Empty), (first.Location ?? new SourceLocation(null)) with { Path = first.Binding }));
        }
    }

    private static string? SuggestGroup(string group, HashSet<string> bound)
    {
        var closest = Suggest.Closest(group, bound.Where(b => !b.StartsWith("system:", StringComparison.Ordinal) || b == StandardEntries.Masters), Math.Max(2, group.Length / 3));
        if (closest is not null)
        {
            return "did you mean '" + closest + "'?";
        }

        var lower = group.ToLowerInvariant();
        if (lower.Contains("admin", StringComparison.Ordinal) || lower.Contains("master", StringComparison.Ordinal) || lower.Contains("root", StringComparison.Ordinal))
        {
            return "for full administrator rights use system:masters, or bind '" + group + "' to the cluster-admin ClusterRole";
        }

        return "bind '" + group + "' to a Role or ClusterRole, or remove it";
    }

    private static string Escape(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) || c is '\u2028' or '\u2029' ? "\\u" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) : c.ToString()));

    /// <summary>Groups an entry gives, and where the i-th of them is written (for the RBAC checks).</summary>
    private sealed record GroupSource(IReadOnlyList<string> Groups, Func<int, SourceLocation> At);

    /// <summary>Where findings about the lists as a whole are reported.</summary>
    private sealed record Where(SourceLocation Roles, SourceLocation Accounts);

    /// <summary>An entry under lint with what is known about it.</summary>
    /// <remarks>A struct: a spec may have 100,000 entries, and this is only a view of each for the checks.</remarks>
    private readonly record struct LintEntry(MapEntry Entry, bool IsUser, EntryKind? DeclaredKind, SourceLocation Location)
    {
        /// <summary>False when the ARN can never match a caller (malformed, path, session ARN).</summary>
        public bool CanMatch { get; init; } = true;
    }

    [GeneratedRegex(@"(?i)(?:rolearn|userarn)\s*:\s*[""']?([^\s""',}]+)", RegexOptions.CultureInvariant)]
    private static partial Regex ArnField();

    [GeneratedRegex(@"^(?<prefix>\s*(?:-\s+)?(?:[A-Za-z_]+\s*:\s+|-\s+))(?<value>\{\{.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex UnquotedTemplate();

    [GeneratedRegex("^[0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountId();
}

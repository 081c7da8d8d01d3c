using System.Text.RegularExpressions;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Text;
using RoleMap.Yaml;

namespace RoleMap.Spec;

/// <summary>
/// Reads a mapping spec (YAML or JSON). Two vocabularies are accepted, alone or together: rolemap's own
/// (<c>nodeRoles</c>, <c>roles</c>, <c>users</c>, ...) and the original Terraform module's input names
/// (<c>eks_worker_iam_role_arns</c>, <c>iam_role_to_rbac_group_mappings</c>, ...). See docs/spec.md.
/// </summary>
public static partial class SpecLoader
{
    public const string ApiVersion = "rolemap/v1";
    public const string Kind = "MappingSpec";

    /// <summary>Every top-level key a spec may have.</summary>
    public static IReadOnlyList<string> Keys { get; } =
    [
        "apiVersion", "kind", "labels", "nodeRoles", "windowsNodeRoles", "fargateRoles", "hybridNodeRoles", "roles", "users", "accounts", "ssoPermissionSets",
        "eks_worker_iam_role_arns", "eks_worker_iam_role_arn", "windows_worker_iam_role_arns", "eks_fargate_profile_executor_iam_role_arns",
        "iam_role_to_rbac_group_mappings", "iam_user_to_rbac_group_mappings", "config_map_labels", "map_accounts",
    ];

    public static MappingSpec Load(string text, string? file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var root = YamlLoader.LoadSingleManifest(text, file);
        return FromNode(root, file);
    }

    /// <summary>
    /// <see cref="Load(string, string?)"/> of a source's text: a file's UTF-8 bytes that are ASCII and that the block-YAML
    /// fast path reads are read from the bytes, without a string of the whole file.
    /// </summary>
    public static MappingSpec Load(SourceText source, string? file)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Utf8 is { } utf8)
        {
            // Roles and users read item by item, with no tree of them (see StreamedEntries); an entry the fast entry
            // reader leaves to the exact one, or a second document, reads the bytes' tree instead.
            var streamed = new StreamedEntries(file);
            if (YamlLoader.TryStreamManifests(utf8, streamed))
            {
                return FromNode(streamed.Root, file, exact: false, streamed);
            }

            if (streamed.Declined && YamlLoader.TryLoadManifests(utf8) is { } documents)
            {
                return FromNode(YamlLoader.Single(documents, file), file);
            }
        }

        return Load(source.Text, file);
    }

    public static MappingSpec FromNode(YNode? root, string? file) => FromNode(root, file, exact: false);

    /// <summary>
    /// <see cref="FromNode(YNode?, string?)"/>; with <paramref name="exact"/> every entry is read field by field with its
    /// paths (the reading the fast entry reader must equal, which the tests compare it with).
    /// </summary>
    internal static MappingSpec FromNode(YNode? root, string? file, bool exact, StreamedEntries? streamed = null)
    {
        var reader = new NodeReader(file, NodeReaderOptions.Spec);
        if (root.IsNull())
        {
            return MappingSpec.Empty(file);
        }

        if (root is not YMapping map)
        {
            throw reader.Expected(root, "(top level)", "a mapping of spec keys (nodeRoles, roles, users, ... or eks_worker_iam_role_arns, iam_role_to_rbac_group_mappings, ...)");
        }

        var roles = new List<SpecPrincipal>();
        var users = new List<SpecPrincipal>();
        var accounts = new List<SpecAccount>();
        var labels = new List<KeyValuePair<string, string>>();
        var labelSource = (string?)null;
        var permissionSets = new List<SpecPermissionSet>();
        var groupLists = exact ? null : streamed?.Groups ?? new GroupLists();

        foreach (var (key, value, keyNode) in reader.Pairs(map, string.Empty))
        {
            switch (key)
            {
                case "apiVersion":
                    Expect(reader, value, key, ApiVersion);
                    break;
                case "kind":
                    Expect(reader, value, key, Kind);
                    break;
                case "nodeRoles" or "eks_worker_iam_role_arns":
                    AddArnList(reader, value, key, EntryKind.LinuxNode, roles);
                    break;
                case "eks_worker_iam_role_arn":
                    {
                        var arn = reader.OptionalString(value, key, "a role ARN string");
                        if (!string.IsNullOrEmpty(arn))
                        {
                            roles.Add(new SpecPrincipal(arn, EntryKind.LinuxNode, null, [], reader.At(value, key)));
                        }

                        break;
                    }

                case "windowsNodeRoles" or "windows_worker_iam_role_arns":
                    AddArnList(reader, value, key, EntryKind.WindowsNode, roles);
                    break;
                case "fargateRoles" or "eks_fargate_profile_executor_iam_role_arns":
                    AddArnList(reader, value, key, EntryKind.Fargate, roles);
                    break;
                case "hybridNodeRoles":
                    AddArnList(reader, value, key, EntryKind.HybridNode, roles);
                    break;
                case "roles":
                    AddEntries(reader, value, key, "rolearn", roles, groupLists, streamed);
                    break;
                case "users":
                    AddEntries(reader, value, key, "userarn", users, groupLists, streamed);
                    break;
                case "iam_role_to_rbac_group_mappings":
                    AddGroupMap(reader, value, key, roles, groupLists);
                    break;
                case "iam_user_to_rbac_group_mappings":
                    AddGroupMap(reader, value, key, users, groupLists);
                    break;
                case "accounts" or "map_accounts":
                    foreach (var (account, node) in reader.StringNodes(value, key, null, "a list of 12-digit account IDs", "12-digit account IDs"))
                    {
                        accounts.Add(new SpecAccount(account, reader.At(node, key)));
                    }

                    break;
                case "ssoPermissionSets":
                    AddPermissionSets(reader, value, key, permissionSets);
                    break;
                case "labels" or "config_map_labels":
                    if (labelSource is not null)
                    {
                        throw reader.Error(keyNode, key, "labels are given twice, as '" + labelSource + "' and '" + key + "'; keep one");
                    }

                    labelSource = key;
                    var labelMap = reader.OptionalMapping(value, key, "a mapping of label names to values");
                    if (labelMap is not null)
                    {
                        foreach (var (name, labelValue, _) in reader.Pairs(labelMap, key))
                        {
                            labels.Add(new(name, reader.String(labelValue, key + "." + name, "a label value string")));
                        }
                    }

                    break;
                default:
                    throw reader.Unknown(keyNode, key, key, Keys, "spec key");
            }
        }

        return new MappingSpec(roles, users, accounts, labels, file) { PermissionSets = permissionSets };
    }

    private static void Expect(NodeReader reader, YNode value, string key, string expected)
    {
        var text = reader.String(value, key, "'" + expected + "'");
        if (text != expected)
        {
            throw reader.Error(value, key, "expected '" + expected + "', found '" + text + "'");
        }
    }

    private static void AddArnList(NodeReader reader, YNode value, string key, EntryKind kind, List<SpecPrincipal> into)
    {
        foreach (var (arn, node) in reader.StringNodes(value, key, null, "a list of role ARNs", "role ARNs"))
        {
            into.Add(new SpecPrincipal(arn, kind, null, [], reader.At(node, key)));
        }
    }

    private static void AddEntries(NodeReader reader, YNode value, string key, string arnAlias, List<SpecPrincipal> into, GroupLists? groupLists, StreamedEntries? streamed)
    {
        if (reader.OptionalList(value, key, "a list of entries with arn, groups and optional username") is not { } seq)
        {
            return;
        }

        if (streamed?.Entries(seq) is { } entries)
        {
            into.AddRange(entries);
            return;
        }

        for (var i = 0; i < seq.Items.Count; i++)
        {
            var fast = groupLists is null ? null : TryEntry(reader, seq.Items[i], key, i, arnAlias, groupLists);
            into.Add(fast ?? Entry(reader, seq.Items[i], key, i, arnAlias));
        }
    }

    /// <summary>
    /// The entry <see cref="Entry"/> reads, without its paths, its list of fields and a list per entry: when every field
    /// is known, given once and a string (groups a list of strings). Null for anything else, which <see cref="Entry"/>
    /// then reads, with its messages. Its location's path (<c>roles[i]</c>) is formatted only if something reads it.
    /// </summary>
    private static SpecPrincipal? TryEntry(NodeReader reader, YNode item, string key, int index, string arnAlias, GroupLists groupLists)
    {
        if (item is not YMapping entry)
        {
            return null;
        }

        string? arn = null;
        string? username = null;
        IReadOnlyList<string> groups = [];
        var seen = 0;
        var pairs = entry.Pairs;
        for (var p = 0; p < pairs.Count; p++)
        {
            var (fieldKey, fieldValue) = pairs[p];
            if (!reader.TryString(fieldKey, out var field))
            {
                return null;
            }

            // One bit per field; arn and its alias share one, as giving both is an error.
            var bit = field == "arn" || field == arnAlias ? 1 : field == "username" ? 2 : field == "groups" ? 4 : 0;
            if (bit == 0 || (seen & bit) != 0)
            {
                return null;
            }

            seen |= bit;
            if (bit == 1)
            {
                if (!reader.TryString(fieldValue, out arn))
                {
                    return null;
                }
            }
            else if (bit == 2)
            {
                if (!reader.TryString(fieldValue, out var text) || text.Length == 0)
                {
                    return null;
                }

                username = text;
            }
            else if (TryGroups(reader, fieldValue, groupLists) is { } list)
            {
                groups = list;
            }
            else
            {
                return null;
            }
        }

        // reader.At(entry, "key[index]"): the spec's reader gives lines and columns and puts no context before paths.
        return arn is null ? null : new SpecPrincipal(arn, EntryKind.Custom, username, groups, new SourceLocation(reader.File, entry.Start.Line, entry.Start.Column, key, index));
    }

    /// <summary>A list of strings as the shared array of those groups; null when it is anything else (left to the exact reader).</summary>
    private static string[]? TryGroups(NodeReader reader, YNode? node, GroupLists groupLists)
    {
        if (node is not YSequence list)
        {
            return null;
        }

        groupLists.Clear();
        var items = list.Items;
        for (var i = 0; i < items.Count; i++)
        {
            if (!reader.TryString(items[i], out var group))
            {
                return null;
            }

            groupLists.Add(group);
        }

        return groupLists.Take();
    }

    /// <summary>Entry <paramref name="index"/> of the list <paramref name="key"/>, read field by field with every check and message.</summary>
    private static SpecPrincipal Entry(NodeReader reader, YNode item, string key, int index, string arnAlias)
    {
        var path = key + "[" + index + "]";
        var entry = reader.Mapping(item, path, "an entry with arn, groups and optional username");
        string? arn = null;
        string? username = null;
        IReadOnlyList<string> groups = [];
        foreach (var (field, fieldValue, fieldKey) in reader.Pairs(entry, path))
        {
            // The field's path is only for messages; built lazily, as this runs for every field of every entry.
            string FieldPath() => path + "." + field;
            if (field == "arn" || field == arnAlias)
            {
                if (arn is not null)
                {
                    throw reader.Error(fieldKey, FieldPath(), "the ARN is given twice (as 'arn' and '" + arnAlias + "'); keep one");
                }

                arn = reader.TryString(fieldValue, out var text) ? text : reader.String(fieldValue, FieldPath(), "an ARN string");
            }
            else if (field == "username")
            {
                username = reader.TryString(fieldValue, out var text) ? text : reader.OptionalString(fieldValue, FieldPath(), "a username string");
                if (username is { Length: 0 })
                {
                    throw reader.Error(fieldValue, FieldPath(), "username is empty; leave it out to use the principal's name, or give one");
                }
            }
            else if (field == "groups")
            {
                groups = reader.StringList(fieldValue, path, field, "a list of group names", "group names");
            }
            else
            {
                throw reader.Unknown(fieldKey, FieldPath(), field, ["arn", arnAlias, "username", "groups"]);
            }
        }

        if (arn is null)
        {
            throw reader.Missing(entry, path + ".arn", "arn", "the IAM " + (arnAlias == "rolearn" ? "role" : "user") + " ARN to map");
        }

        return new SpecPrincipal(arn, EntryKind.Custom, username, groups, reader.At(entry, path));
    }

    /// <summary><c>NAME: [groups]</c>, or <c>NAME: {groups: [...], username: U, accounts: [ids]}</c>.</summary>
    private static void AddPermissionSets(NodeReader reader, YNode value, string key, List<SpecPermissionSet> into)
    {
        if (reader.OptionalMapping(value, key, "a mapping of permission set names to a list of groups, or to {groups, username, accounts}") is not { } map)
        {
            return;
        }

        foreach (var (name, setValue, keyNode) in reader.Pairs(map, key))
        {
            var path = key + "." + name;
            if (!PermissionSetName().IsMatch(name))
            {
                throw reader.Error(keyNode, path, "'" + name + "' is not a permission set name: 1 to 32 letters, digits and + = , . @ _ -");
            }

            if (setValue is YSequence)
            {
                into.Add(new SpecPermissionSet(name, reader.StringList(setValue, path, null, "a list of group names", "group names"), null, [], reader.At(keyNode, path)));
                continue;
            }

            var fields = reader.Mapping(setValue, path, "a list of groups, or a mapping with groups, username and accounts");
            IReadOnlyList<string> groups = [];
            string? username = null;
            IReadOnlyList<string> accounts = [];
            foreach (var (field, fieldValue, fieldKey) in reader.Pairs(fields, path, ["groups", "username", "accounts"], "field"))
            {
                switch (field)
                {
                    case "groups":
                        groups = reader.StringList(fieldValue, path, field, "a list of group names", "group names");
                        break;
                    case "username":
                        username = reader.OptionalString(fieldValue, path + ".username", "a username string");
                        break;
                    default:
                        accounts = reader.StringList(fieldValue, path, field, "a list of 12-digit account IDs", "12-digit account IDs");
                        break;
                }
            }

            into.Add(new SpecPermissionSet(name, groups, username, accounts, reader.At(keyNode, path)));
        }
    }

    // The SSO Admin API's permission set name pattern (aws-iam-authenticator validates mapRoles' sso entries with it).
    [GeneratedRegex(@"^[\w+=,.@-]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex PermissionSetName();

    private static void AddGroupMap(NodeReader reader, YNode value, string key, List<SpecPrincipal> into, GroupLists? groupLists)
    {
        var map = reader.OptionalMapping(value, key, "a mapping of IAM ARN to a list of RBAC groups");
        if (map is null)
        {
            return;
        }

        var pathHead = key + ".";
        foreach (var (arn, groups, keyNode) in reader.Pairs(map, key))
        {
            if (groupLists is not null && TryGroups(reader, groups, groupLists) is { } shared)
            {
                // The path (key.ARN) is joined only if a finding reads it.
                into.Add(new SpecPrincipal(arn, EntryKind.Custom, null, shared, new SourceLocation(reader.File, keyNode.Start.Line, keyNode.Start.Column, pathHead, arn)));
                continue;
            }

            var path = pathHead + arn;
            var list = reader.StringList(groups, path, null, "a list of group names", "group names");
            into.Add(new SpecPrincipal(arn, EntryKind.Custom, null, list, reader.At(keyNode, path)));
        }
    }
}

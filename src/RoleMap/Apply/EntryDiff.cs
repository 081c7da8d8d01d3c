using RoleMap.AwsAuth;
using RoleMap.Yaml;

namespace RoleMap.Apply;

/// <summary>Whether an entry, account, data key or metadata item appears, disappears or changes.</summary>
public enum ChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>One field of an entry that changes: its name and its value before and after, as text.</summary>
public sealed record FieldChange(string Field, string? Before, string? After);

/// <summary>
/// One per-entry difference. <see cref="Section"/> is <c>mapRoles</c>, <c>mapUsers</c>, <c>mapAccounts</c>,
/// <c>data</c> (another key, or a list rewritten without entry changes) or <c>metadata</c> (labels, ownership).
/// </summary>
public sealed record EntryChange(string Section, ChangeKind Kind, string Key, MapEntry? Before, MapEntry? After, IReadOnlyList<FieldChange> Fields, string? Note = null);

/// <summary>
/// The semantic difference between two aws-auth documents: entries matched by ARN ignoring case (as the authenticator
/// matches them), compared on the entry the authenticator actually uses (the last duplicate), never a diff of YAML text.
/// </summary>
public static class EntryDiff
{
    public static IReadOnlyList<EntryChange> Compute(AwsAuthDocument before, AwsAuthDocument after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<EntryChange>();
        CompareList(AwsAuthRenderer.MapRoles, before.MapRoles, after.MapRoles, changes);
        CompareList(AwsAuthRenderer.MapUsers, before.MapUsers, after.MapUsers, changes);
        var beforeAccounts = before.MapAccounts.Accounts.Select(a => a.Account).ToList();
        var afterAccounts = after.MapAccounts.Accounts.Select(a => a.Account).ToList();
        changes.AddRange(afterAccounts.Except(beforeAccounts, StringComparer.Ordinal).Select(a => new EntryChange(AwsAuthRenderer.MapAccounts, ChangeKind.Added, a, null, null, [])));
        changes.AddRange(beforeAccounts.Except(afterAccounts, StringComparer.Ordinal).Select(a => new EntryChange(AwsAuthRenderer.MapAccounts, ChangeKind.Removed, a, null, null, [])));

        var beforeData = before.Data.Where(d => d.Value is not null).GroupBy(d => d.Key).ToDictionary(g => g.Key, g => g.Last().Value!, StringComparer.Ordinal);
        var afterData = after.Data.Where(d => d.Value is not null).GroupBy(d => d.Key).ToDictionary(g => g.Key, g => g.Last().Value!, StringComparer.Ordinal);
        foreach (var key in beforeData.Keys.Union(afterData.Keys))
        {
            var had = beforeData.TryGetValue(key, out var old);
            var has = afterData.TryGetValue(key, out var now);
            var isList = key is AwsAuthRenderer.MapRoles or AwsAuthRenderer.MapUsers or AwsAuthRenderer.MapAccounts;
            var entriesChange = changes.Any(c => c.Section == key);
            var unreadable = had && Unreadable(before, key, out var part) ? "its live text cannot be read as a list, so the authenticator " + (part ? "skips what is not an account ID" : "ignores all of it") + (has ? "; replaced as a whole" : string.Empty)
                : has && Unreadable(after, key, out part) ? "the new text cannot be read as a list, so the authenticator would " + (part ? "skip what is not an account ID" : "ignore all of it")
                : null;
            if (had && has && old != now && (unreadable is not null || !entriesChange))
            {
                changes.Add(new EntryChange("data", ChangeKind.Changed, key, null, null, [], unreadable ?? (isList ? "text rewritten; the entries read the same" : null)));
            }
            else if (had != has && (!isList || unreadable is not null || !entriesChange))
            {
                changes.Add(new EntryChange("data", has ? ChangeKind.Added : ChangeKind.Removed, key, null, null, [], isList ? unreadable ?? "empty list" : null));
            }
        }

        return changes;
    }

    /// <summary>True when a list key cannot be read as written; <paramref name="partial"/> when the authenticator still reads some of it (mapAccounts items that are not strings).</summary>
    private static bool Unreadable(AwsAuthDocument document, string key, out bool partial)
    {
        var accounts = document.MapAccounts;
        partial = key == AwsAuthRenderer.MapAccounts && accounts.TypeErrors.Count > 0 && accounts.Accounts.Count > 0;
        return key switch
        {
            AwsAuthRenderer.MapRoles => document.MapRoles.Dropped || document.MapRoles.TopLevelTypeError is not null,
            AwsAuthRenderer.MapUsers => document.MapUsers.Dropped || document.MapUsers.TopLevelTypeError is not null,
            AwsAuthRenderer.MapAccounts => accounts.SyntaxError is not null || accounts.TypeErrors.Count > 0,
            _ => false,
        };
    }

    /// <summary>Label and ownership differences between two metadata sets.</summary>
    public static IReadOnlyList<EntryChange> CompareMetadata(
        IReadOnlyList<KeyValuePair<string, string>> labelsBefore,
        IReadOnlyList<KeyValuePair<string, string>> labelsAfter,
        OwnedEntries ownedBefore,
        OwnedEntries ownedAfter)
    {
        ArgumentNullException.ThrowIfNull(labelsBefore);
        ArgumentNullException.ThrowIfNull(labelsAfter);
        ArgumentNullException.ThrowIfNull(ownedBefore);
        ArgumentNullException.ThrowIfNull(ownedAfter);
        var changes = new List<EntryChange>();
        var before = labelsBefore.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        foreach (var (key, value) in labelsAfter)
        {
            if (!before.TryGetValue(key, out var old))
            {
                changes.Add(new EntryChange("metadata", ChangeKind.Added, "label " + key, null, null, [new FieldChange("value", null, value)]));
            }
            else if (old != value)
            {
                changes.Add(new EntryChange("metadata", ChangeKind.Changed, "label " + key, null, null, [new FieldChange("value", old, value)]));
            }
        }

        var owned = Ownership.Format(ownedAfter);
        if (Ownership.Format(ownedBefore) != owned)
        {
            var count = ownedAfter.Roles.Count + ownedAfter.Users.Count + ownedAfter.Accounts.Count;
            var note = "rolemap manages " + count + " entr" + (count == 1 ? "y" : "ies") + " (annotation " + Ownership.Annotation + ")";
            changes.Add(new EntryChange("metadata", ChangeKind.Changed, "ownership", null, null, [], note));
        }

        return changes;
    }

    private static void CompareList(string section, ParsedList before, ParsedList after, List<EntryChange> changes)
    {
        var beforeGroups = Group(before);
        var afterGroups = Group(after);
        var beforeIndex = beforeGroups.ToDictionary(g => g.Key, g => g.Value, StringComparer.Ordinal);
        var afterKeys = afterGroups.Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, now) in afterGroups)
        {
            if (!beforeIndex.TryGetValue(key, out var old))
            {
                changes.AddRange(now.Select(e => new EntryChange(section, ChangeKind.Added, Label(e), null, e.Entry, [], e.IsValid ? null : "invalid: " + e.InvalidReason)));
                continue;
            }

            var fields = now[^1].IsValid && old[^1].IsValid ? Fields(old[^1].Entry, now[^1].Entry) : [];
            var note = old.Count > now.Count
                ? (old.Count - now.Count) + " duplicate entr" + (old.Count - now.Count == 1 ? "y" : "ies") + " removed (the authenticator used only the last)"
                : now.Count > old.Count ? (now.Count - old.Count) + " duplicate entr" + (now.Count - old.Count == 1 ? "y" : "ies") + " added" : null;
            if (fields.Count > 0 || note is not null)
            {
                changes.Add(new EntryChange(section, ChangeKind.Changed, Label(now[^1]), old[^1].Entry, now[^1].Entry, fields, note));
            }
        }

        foreach (var (key, old) in beforeGroups)
        {
            if (!afterKeys.Contains(key))
            {
                var note = old.Count > 1 ? old.Count + " entries" : old[^1].IsValid ? null : "invalid: " + old[^1].InvalidReason;
                changes.Add(new EntryChange(section, ChangeKind.Removed, Label(old[^1]), old[^1].Entry, null, [], note));
            }
        }
    }

    private static List<FieldChange> Fields(MapEntry before, MapEntry after)
    {
        var fields = new List<FieldChange>();
        if (before.Arn != after.Arn)
        {
            fields.Add(new FieldChange("arn", before.Arn, after.Arn));
        }

        if (before.Username != after.Username)
        {
            fields.Add(new FieldChange("username", before.Username, after.Username));
        }

        if (!before.Groups.SequenceEqual(after.Groups, StringComparer.Ordinal))
        {
            fields.Add(new FieldChange("groups", "[" + string.Join(", ", before.Groups) + "]", "[" + string.Join(", ", after.Groups) + "]"));
        }

        foreach (var key in before.ExtraFields.Select(f => f.Key).Union(after.ExtraFields.Select(f => f.Key)))
        {
            var old = before.ExtraFields.Where(f => f.Key == key).Select(f => Text(f.Value)).LastOrDefault();
            var now = after.ExtraFields.Where(f => f.Key == key).Select(f => Text(f.Value)).LastOrDefault();
            if (old != now)
            {
                fields.Add(new FieldChange(key, old, now));
            }
        }

        return fields;
    }

    private static string Text(YamlValue value) => PlainYamlWriter.Write(value).TrimEnd('\n').Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>Entries grouped by what the authenticator keys them on, in order of first appearance.</summary>
    private static List<KeyValuePair<string, List<ParsedEntry>>> Group(ParsedList list)
    {
        var groups = new List<KeyValuePair<string, List<ParsedEntry>>>();
        var index = new Dictionary<string, List<ParsedEntry>>(StringComparer.Ordinal);
        foreach (var entry in list.Entries)
        {
            var key = Key(entry);
            if (!index.TryGetValue(key, out var group))
            {
                index[key] = group = [];
                groups.Add(new(key, group));
            }

            group.Add(entry);
        }

        return groups;
    }

    private static string Key(ParsedEntry entry) => entry switch
    {
        { IsValid: true, Entry.Arn: { } arn } => "arn:" + arn.ToLowerInvariant(),
        { IsValid: true } => "sso:" + Text(entry.Entry.ExtraFields.Last(f => f.Key == "sso").Value),
        _ => "invalid:" + Text(YamlValue.From(entry.Node)),
    };

    private static string Label(ParsedEntry entry) => entry switch
    {
        { Entry.Arn: { } arn } => arn,
        { IsValid: true } => "sso " + Text(entry.Entry.ExtraFields.Last(f => f.Key == "sso").Value),
        _ => "(invalid entry " + Text(YamlValue.From(entry.Node)) + ")",
    };
}

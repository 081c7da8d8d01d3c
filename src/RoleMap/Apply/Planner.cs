using RoleMap.AwsAuth;
using RoleMap.Cluster;

namespace RoleMap.Apply;

/// <summary>
/// Everything decided before a write: the object to store, the per-entry changes, the guard violations and notes.
/// Pure: the same live object, edit and caller always give the same plan.
/// </summary>
public sealed record Plan(
    LiveAwsAuth Live,
    ConfigMapObject Desired,
    AwsAuthDocument After,
    IReadOnlyList<EntryChange> Changes,
    IReadOnlyList<GuardViolation> Violations,
    IReadOnlyList<string> Notes)
{
    /// <summary>What the guards observed without objecting (e.g. that the caller is not mapped by aws-auth).</summary>
    public IReadOnlyList<string> GuardNotes { get; init; } = [];

    /// <summary>True when writing would store exactly what is there (data, labels and annotations).</summary>
    public bool IsNoOp { get; init; }

    /// <summary>True when aws-auth does not exist yet and the write creates it.</summary>
    public bool Creates => !Live.Exists;
}

/// <summary>Turns a live aws-auth and an edit into a <see cref="Plan"/>.</summary>
public static class Planner
{
    public static Plan Plan(LiveAwsAuth live, IAwsAuthEdit edit, CallerIdentity caller, RenderStyle? style = null)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(caller);
        var result = edit.Edit(live);
        var notes = new List<string>(result.Notes);
        var violations = new List<GuardViolation>();
        var before = live.Document;

        IReadOnlyList<KeyValuePair<string, string>> data;
        AwsAuthData intended;
        if (result.VerbatimData is { } verbatim)
        {
            data = verbatim;
            intended = AwsAuthParser.ParseData(verbatim, null, "backup").Effective;
        }
        else
        {
            CheckShape(before.MapRoles, violations);
            CheckShape(before.MapUsers, violations);
            if (before.MapAccounts.SyntaxError is not null || before.MapAccounts.TypeErrors.Count > 0)
            {
                violations.Add(new GuardViolation("unexpected-shape", "the live mapAccounts cannot be read as a list of account IDs, so rolemap cannot merge into it; with --force it is rewritten from the accounts it could read"));
            }

            (data, intended) = Render(before, result, style, notes);
        }

        var labels = MergeLabels(live.Object?.Labels ?? [], result.Labels);
        var annotations = Ownership.WithOwnership(live.Object?.Annotations ?? [], result.Owned);
        var metadata = new ConfigMapMetadata(ConfigMapDocument.AwsAuthName, ConfigMapDocument.KubeSystem, live.Object?.ResourceVersion, live.Object?.Uid, labels, annotations);
        var after = AwsAuthParser.ParseData(data, metadata, "result");
        var desired = new ConfigMapObject(ConfigMapDocument.AwsAuthName, ConfigMapDocument.KubeSystem, data, labels, annotations, live.Object?.ResourceVersion, live.Object?.Uid, live.Object?.CreationTimestamp);

        var changes = EntryDiff.Compute(before, after).Concat(EntryDiff.CompareMetadata(live.Object?.Labels ?? [], labels, live.Owned, result.Owned)).ToList();
        var guardNotes = new List<string>();
        violations.AddRange(LockoutGuards.Check(before, after, intended, caller, guardNotes));
        var noOp = live.Object is not null
            && SameData(live.Object.Data, data)
            && live.Object.Labels.SequenceEqual(labels)
            && live.Object.Annotations.SequenceEqual(annotations);
        return new Plan(live, desired, after, changes, violations, notes) { IsNoOp = noOp, GuardNotes = guardNotes };
    }

    private static void CheckShape(ParsedList list, List<GuardViolation> violations)
    {
        if (list.Dropped)
        {
            violations.Add(new GuardViolation("unexpected-shape", "the live " + list.Key + " is not valid YAML (" + list.SyntaxError!.Message + " at line " + list.SyntaxError.Line + "), so the authenticator already ignores it and rolemap cannot merge into it; with --force it is replaced by the entries rolemap writes, and its current text is lost (a backup is kept)"));
        }
        else if (list.TopLevelTypeError is not null)
        {
            violations.Add(new GuardViolation("unexpected-shape", "the live " + list.TopLevelTypeError + ", so rolemap cannot merge into it; with --force it is replaced by the entries rolemap writes (a backup is kept)"));
        }
    }

    private static (IReadOnlyList<KeyValuePair<string, string>> Data, AwsAuthData Intended) Render(AwsAuthDocument before, EditResult result, RenderStyle? style, List<string> notes)
    {
        var data = new List<KeyValuePair<string, string>>();
        var live = before.Data.Where(d => d.Value is not null).GroupBy(d => d.Key, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [AwsAuthRenderer.MapRoles] = ListValue(AwsAuthRenderer.MapRoles, before.MapRoles, result.Roles),
            [AwsAuthRenderer.MapUsers] = ListValue(AwsAuthRenderer.MapUsers, before.MapUsers, result.Users),
            [AwsAuthRenderer.MapAccounts] = AccountsValue(),
        };
        foreach (var item in live)
        {
            if (values.TryGetValue(item.Key, out var value))
            {
                if (value is not null)
                {
                    data.Add(new(item.Key, value));
                }

                values.Remove(item.Key);
            }
            else
            {
                data.Add(new(item.Key, item.Value!)); // keys the authenticator does not read are kept byte for byte
            }
        }

        foreach (var (key, value) in values)
        {
            if (value is not null)
            {
                data.Add(new(key, value));
            }
        }

        var intended = new AwsAuthData(
            [.. result.Roles.Select(ListEditor.Current).OfType<MapEntry>()],
            [.. result.Users.Select(ListEditor.Current).OfType<MapEntry>()],
            result.Accounts);
        return (data, intended);

        string? ListValue(string key, ParsedList list, IReadOnlyList<PlannedItem> items)
        {
            var liveText = live.LastOrDefault(d => d.Key == key)?.Value;
            var unchanged = items.Count == list.Entries.Count
                && items.Select((item, i) => item is KeepItem k && k.Live.Index == i).All(x => x)
                && !list.Dropped && list.TopLevelTypeError is null;
            if (unchanged)
            {
                return liveText; // not touched: the original text, or still absent
            }

            var (text, spliced) = ListRenderer.Render(key, list.Dropped || list.TopLevelTypeError is not null ? null : liveText, items, liveText is null ? style : null);
            if (!spliced && liveText is not null && items.Any(i => i is KeepItem))
            {
                notes.Add(key + " was rewritten as a whole (its layout could not be edited line by line); the entries kept read exactly as before");
            }

            return text;
        }

        string? AccountsValue()
        {
            var liveText = live.LastOrDefault(d => d.Key == AwsAuthRenderer.MapAccounts)?.Value;
            var current = before.MapAccounts.Accounts.Select(a => a.Account).ToList();
            if (current.SequenceEqual(result.Accounts, StringComparer.Ordinal) && before.MapAccounts.SyntaxError is null && before.MapAccounts.TypeErrors.Count == 0)
            {
                return liveText;
            }

            return result.Accounts.Count == 0 && liveText is null ? null : AwsAuthRenderer.RenderAccounts(result.Accounts, style ?? ListRenderer.DetectStyle(live.LastOrDefault(d => d.Key == AwsAuthRenderer.MapRoles)?.Value));
        }
    }

    private static List<KeyValuePair<string, string>> MergeLabels(IReadOnlyList<KeyValuePair<string, string>> live, IReadOnlyList<KeyValuePair<string, string>> wanted)
    {
        var result = live.ToList();
        foreach (var (key, value) in wanted)
        {
            var index = result.FindIndex(l => l.Key == key);
            if (index >= 0)
            {
                result[index] = new(key, value);
            }
            else
            {
                result.Add(new(key, value));
            }
        }

        return result;
    }

    private static bool SameData(IReadOnlyList<KeyValuePair<string, string>> a, IReadOnlyList<KeyValuePair<string, string>> b) =>
        a.Count == b.Count && a.OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual(b.OrderBy(p => p.Key, StringComparer.Ordinal));
}

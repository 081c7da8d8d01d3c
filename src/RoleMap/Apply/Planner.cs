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
        foreach (var finding in result.Findings)
        {
            if (finding.Severity == Diagnostics.Severity.Error)
            {
                violations.Add(new GuardViolation(finding.Rule, finding.Message + (finding.Fix is null ? string.Empty : " (fix: " + finding.Fix + ")")));
            }
            else
            {
                notes.Add(finding.ToString());
            }
        }

        var before = live.Document;

        IReadOnlyList<KeyValuePair<string, string>> data;
        AwsAuthData intended;
        if (result.VerbatimData is { } verbatim)
        {
            data = verbatim;
            var restored = AwsAuthParser.ParseData(verbatim, null, "backup");
            intended = restored.Effective;
            CheckRestoredKeys(before, restored, violations);
        }
        else
        {
            (data, intended) = Render(before, result, style, notes, violations);
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

    private static (IReadOnlyList<KeyValuePair<string, string>> Data, AwsAuthData Intended) Render(AwsAuthDocument before, EditResult result, RenderStyle? style, List<string> notes, List<GuardViolation> violations)
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
                && items.Select((item, i) => item is KeepItem k && k.Live.Index == i).All(x => x);
            var unreadable = list.Dropped || list.TopLevelTypeError is not null;
            if (unchanged)
            {
                if (unreadable)
                {
                    notes.Add(Untouched(key));
                }

                return liveText; // not touched: the original text, whatever its state, or still absent
            }

            if (unreadable)
            {
                var count = items.Count(i => ListEditor.Current(i) is not null);
                var problem = list.Dropped
                    ? "the live " + key + " is not valid YAML (" + list.SyntaxError!.Message + " at line " + list.SyntaxError.Line + "), so the authenticator already ignores it"
                    : "the live " + list.TopLevelTypeError;
                violations.Add(Replaces(key, problem + "; rolemap cannot merge into it. With --force its whole text (" + LineCount(liveText!) + ", shown below) is replaced by the " + Entries(count) + " this change writes", liveText!));
            }

            var (text, spliced) = ListRenderer.Render(key, unreadable ? null : liveText, items, liveText is null ? style : null);
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
            var unreadable = before.MapAccounts.SyntaxError is not null || before.MapAccounts.TypeErrors.Count > 0;
            if (current.SequenceEqual(result.Accounts, StringComparer.Ordinal))
            {
                if (unreadable)
                {
                    notes.Add(Untouched(AwsAuthRenderer.MapAccounts));
                }

                return liveText; // not touched: the original text, whatever its state, or still absent
            }

            if (unreadable)
            {
                var problem = before.MapAccounts.SyntaxError is { } syntax
                    ? "the live mapAccounts is not valid YAML (" + syntax.Message + " at line " + syntax.Line + ")"
                    : "the live mapAccounts cannot be read as a list of account IDs (" + string.Join("; ", before.MapAccounts.TypeErrors) + ")";
                violations.Add(Replaces(AwsAuthRenderer.MapAccounts, problem + "; rolemap cannot merge into it. With --force its whole text (" + LineCount(liveText!) + ", shown below) is replaced by the " + result.Accounts.Count + " account" + (result.Accounts.Count == 1 ? string.Empty : "s") + " this change writes", liveText!));
            }

            return result.Accounts.Count == 0 && liveText is null ? null : AwsAuthRenderer.RenderAccounts(result.Accounts, style ?? ListRenderer.DetectStyle(live.LastOrDefault(d => d.Key == AwsAuthRenderer.MapRoles)?.Value));
        }
    }

    private static GuardViolation Replaces(string key, string message, string liveText) =>
        new("unexpected-shape", message + "; the backup rolemap stores before writing keeps it (unless --keep-backups 0 without --backup-dir)") { Replaced = liveText, Key = key };

    private static string Untouched(string key) =>
        "the live " + key + " cannot be read as written (see 'rolemap get'), so the authenticator ignores all or part of it; this change does not touch it and leaves its text exactly as it is";

    private static string LineCount(string text)
    {
        var lines = text.Split('\n').Length - (text.EndsWith('\n') ? 1 : 0);
        return lines + " line" + (lines == 1 ? string.Empty : "s");
    }

    private static string Entries(int count) => count + " entr" + (count == 1 ? "y" : "ies");

    /// <summary>
    /// The re-parse guard for a restore, which writes a backup's data verbatim: a list key the restore changes must
    /// read back without errors the live key does not already have, or the authenticator would drop what it holds.
    /// </summary>
    private static void CheckRestoredKeys(AwsAuthDocument live, AwsAuthDocument restored, List<GuardViolation> violations)
    {
        foreach (var key in new[] { AwsAuthRenderer.MapRoles, AwsAuthRenderer.MapUsers, AwsAuthRenderer.MapAccounts })
        {
            var liveText = live.Data.LastOrDefault(d => d.Key == key && d.Value is not null)?.Value;
            var restoredText = restored.Data.LastOrDefault(d => d.Key == key && d.Value is not null)?.Value;
            if (restoredText is null || restoredText == liveText)
            {
                continue;
            }

            var already = Errors(live, key).ToList();
            foreach (var error in Errors(restored, key))
            {
                var same = already.FindIndex(e => e.Rule == error.Rule && e.Message == error.Message);
                if (same >= 0)
                {
                    already.RemoveAt(same); // broken in the same way today: the restore does not make it worse
                    continue;
                }

                var where = error.Location?.Path is { } path && !path.StartsWith("data.", StringComparison.Ordinal) ? path + ": " : string.Empty;
                violations.Add(new GuardViolation("roundtrip", "the backup's " + key + " would not be read as written: " + where + error.Message));
            }
        }

        static IEnumerable<Diagnostics.Diagnostic> Errors(AwsAuthDocument document, string key) => document.Diagnostics.Where(d =>
            d.Severity == Diagnostics.Severity.Error
            && d.Location?.Path is { } path && (path == "data." + key || path.StartsWith(key + "[", StringComparison.Ordinal)));
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

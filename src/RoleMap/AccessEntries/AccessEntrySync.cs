using RoleMap.AwsApi;
using RoleMap.Diagnostics;

namespace RoleMap.AccessEntries;

/// <summary>One EKS API call of a sync.</summary>
public enum SyncOperationKind
{
    CreateEntry,
    UpdateEntry,
    DeleteEntry,

    /// <summary>AssociateAccessPolicy: a new association, or a new scope for one that exists (it replaces the scope).</summary>
    AssociatePolicy,
    DisassociatePolicy,
}

/// <summary>One call: the entry to create (with rolemap's tag), the groups and username to set, or the policy to (dis)associate.</summary>
/// <param name="Entry">For create: the entry. For update: the groups and username to set (a null username leaves it as it is).</param>
/// <param name="Policy">For associate and disassociate: the association.</param>
/// <param name="PreviousScope">For an associate that changes a scope: the scope it replaces.</param>
public sealed record SyncOperation(SyncOperationKind Kind, string PrincipalArn, AccessEntry? Entry = null, PolicyAssociation? Policy = null, AccessScope? PreviousScope = null)
{
    public override string ToString() => Kind switch
    {
        SyncOperationKind.CreateEntry => "create access entry " + PrincipalArn + " (" + Entry!.Type.Wire() + Details(Entry) + ")",
        SyncOperationKind.UpdateEntry => "update access entry " + PrincipalArn + " (" + Details(Entry!).TrimStart(',', ' ') + ")",
        SyncOperationKind.DeleteEntry => "delete access entry " + PrincipalArn,
        SyncOperationKind.AssociatePolicy => PreviousScope is null
            ? "associate " + Policy!.Name + " (" + Policy.Scope + ") with " + PrincipalArn
            : "change the scope of " + Policy!.Name + " on " + PrincipalArn + " from " + PreviousScope + " to " + Policy.Scope,
        _ => "disassociate " + Policy!.Name + " from " + PrincipalArn,
    };

    private static string Details(AccessEntry entry) =>
        ", groups " + (entry.KubernetesGroups.Count == 0 ? "none" : string.Join(", ", entry.KubernetesGroups)) + ", username " + (entry.Username ?? "EKS's default");
}

/// <summary>What happens to one principal's access entry.</summary>
public enum EntryChangeKind
{
    Unchanged,
    Create,
    Update,

    /// <summary>The type must change, which EKS does not allow: deleted, then created again.</summary>
    Recreate,
    Delete,

    /// <summary>EKS created it: never changed or deleted.</summary>
    KeptEksCreated,

    /// <summary>Not in the plan and not created by rolemap: kept (--prune deletes it).</summary>
    KeptNotManaged,
}

/// <summary>The per-entry diff: what the plan wants, what exists, and the calls that get from one to the other.</summary>
public sealed record EntryChange(string PrincipalArn, EntryChangeKind Kind, AccessEntry? Desired, LiveEntry? Live, IReadOnlyList<SyncOperation> Operations, IReadOnlyList<string> Notes);

/// <summary>The calls that make a cluster's access entries match a plan, in a safe order, and the per-entry diff.</summary>
/// <param name="Operations">Additions first (creates, updates, new associations), then re-creations, then removals.</param>
/// <param name="Warnings">What the user must know before confirming (re-creations).</param>
public sealed record SyncPlan(string ClusterName, IReadOnlyList<EntryChange> Changes, IReadOnlyList<SyncOperation> Operations, IReadOnlyList<string> Warnings)
{
    public bool IsEmpty => Operations.Count == 0;

    public int Count(EntryChangeKind kind) => Changes.Count(c => c.Kind == kind);

    /// <summary>The principals the operations touch.</summary>
    public IReadOnlyList<string> Touched => [.. Operations.Select(o => o.PrincipalArn).Distinct(StringComparer.Ordinal)];
}

/// <summary>
/// Plans the sync of a cluster's access entries to a desired set (the convertible entries of a migration plan).
/// Entries rolemap creates carry the tag <see cref="LiveAccess.ManagedByTag"/>=<see cref="LiveAccess.ManagedByValue"/>;
/// an entry the plan no longer wants is deleted only when it carries that tag, or with prune; entries EKS created
/// itself are never changed or deleted. Applying the plan and planning again gives no operations.
/// </summary>
public static class AccessEntrySync
{
    /// <summary>The entries a migration plan wants: its convertible targets, the last one winning for a principal.</summary>
    public static IReadOnlyList<AccessEntry> Desired(MigrationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var byKey = new Dictionary<string, AccessEntry>(StringComparer.Ordinal);
        foreach (var target in plan.ToCreate.Select(e => e.Target!))
        {
            byKey[ExistingAccessEntries.MatchKey(target.PrincipalArn)] = target;
        }

        return [.. byKey.Values];
    }

    public static SyncPlan Plan(IReadOnlyList<AccessEntry> desired, LiveAccessSnapshot live, bool prune)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(live);
        var changes = new List<EntryChange>();
        var warnings = new List<string>();
        var phased = new List<(int Phase, SyncOperation Operation)>();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in desired)
        {
            if (!wanted.Add(ExistingAccessEntries.MatchKey(entry.PrincipalArn)))
            {
                throw new InputException("the plan has two access entries for " + entry.PrincipalArn);
            }

            var change = Compare(entry, live.Find(entry.PrincipalArn));
            changes.Add(change);
            if (change.Kind == EntryChangeKind.Recreate)
            {
                warnings.Add(change.PrincipalArn + ": " + change.Notes[0]);
            }

            var phase = change.Kind switch
            {
                EntryChangeKind.Create => 0,
                EntryChangeKind.Recreate => 3,
                _ => -1,
            };
            phased.AddRange(change.Operations.Select(o => (phase >= 0 ? phase : PhaseOf(o), o)));
        }

        foreach (var entry in live.Entries.Where(e => !wanted.Contains(ExistingAccessEntries.MatchKey(e.PrincipalArn))))
        {
            EntryChange change;
            if (entry.EksCreated is { } why)
            {
                change = new EntryChange(entry.PrincipalArn, EntryChangeKind.KeptEksCreated, null, entry, [], [why]);
            }
            else if (entry.ManagedByRolemap || prune)
            {
                var reason = entry.ManagedByRolemap ? "rolemap created it and the plan no longer has it" : "not in the plan (--prune)";
                change = new EntryChange(entry.PrincipalArn, EntryChangeKind.Delete, null, entry, [new SyncOperation(SyncOperationKind.DeleteEntry, entry.PrincipalArn)], [reason]);
            }
            else
            {
                change = new EntryChange(entry.PrincipalArn, EntryChangeKind.KeptNotManaged, null, entry, [], ["not in the plan and not created by rolemap: kept (--prune deletes it)"]);
            }

            changes.Add(change);
            phased.AddRange(change.Operations.Select(o => (5, o)));
        }

        var operations = phased.Select((p, i) => (p.Phase, i, p.Operation)).OrderBy(p => p.Phase).ThenBy(p => p.i).Select(p => p.Operation).ToList();
        return new SyncPlan(live.Cluster.Name, changes, operations, warnings);
    }

    /// <summary>The access entries as they will be once the plan is carried out (for the guard).</summary>
    public static ExistingAccessEntries After(LiveAccessSnapshot live, SyncPlan plan)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(plan);
        var state = live.Entries.ToDictionary(e => e.PrincipalArn, e => e.ToKnown(live.Cluster.Name), StringComparer.Ordinal);
        foreach (var operation in plan.Operations)
        {
            var arn = state.Keys.FirstOrDefault(k => ExistingAccessEntries.MatchKey(k) == ExistingAccessEntries.MatchKey(operation.PrincipalArn)) ?? operation.PrincipalArn;
            switch (operation.Kind)
            {
                case SyncOperationKind.CreateEntry:
                    var e = operation.Entry!;
                    state[arn] = new KnownAccessEntry(e.PrincipalArn, e.Type, e.KubernetesGroups, e.Username ?? AccessEntryRules.GeneratedUsername(e.PrincipalArn, e.Type), [], live.Cluster.Name, new SourceLocation("planned"));
                    break;
                case SyncOperationKind.UpdateEntry:
                    state[arn] = state[arn] with { KubernetesGroups = operation.Entry!.KubernetesGroups, Username = operation.Entry.Username ?? state[arn].Username };
                    break;
                case SyncOperationKind.DeleteEntry:
                    state.Remove(arn);
                    break;
                case SyncOperationKind.AssociatePolicy:
                    state[arn] = state[arn] with { Policies = [.. (state[arn].Policies ?? []).Where(p => p.PolicyArn != operation.Policy!.PolicyArn), operation.Policy!] };
                    break;
                case SyncOperationKind.DisassociatePolicy:
                    state[arn] = state[arn] with { Policies = [.. (state[arn].Policies ?? []).Where(p => p.PolicyArn != operation.Policy!.PolicyArn)] };
                    break;
            }
        }

        return ExistingAccessEntries.Of(state.Values);
    }

    private static int PhaseOf(SyncOperation operation) => operation.Kind switch
    {
        SyncOperationKind.UpdateEntry => 1,
        SyncOperationKind.AssociatePolicy => 2,
        SyncOperationKind.DisassociatePolicy => 4,
        _ => 5,
    };

    private static EntryChange Compare(AccessEntry desired, LiveEntry? live)
    {
        var arn = desired.PrincipalArn;
        if (live is null)
        {
            return new EntryChange(arn, EntryChangeKind.Create, desired, null, Creation(desired), []);
        }

        var notes = new List<string>();
        if (!string.Equals(live.PrincipalArn, arn, StringComparison.Ordinal))
        {
            notes.Add("the existing entry is for " + live.PrincipalArn + ", the same principal as the plan's " + arn + "; it is kept under its ARN");
        }

        if (live.EksCreated is { } why)
        {
            var same = live.Entry.KnownType == desired.Type && SameIdentity(desired, live) && PolicyOperations(desired, live).Count == 0;
            notes.Add(why + (same ? string.Empty : "; the plan differs from it, and it is left as EKS made it"));
            return new EntryChange(live.PrincipalArn, EntryChangeKind.KeptEksCreated, desired, live, [], notes);
        }

        if (live.Entry.KnownType != desired.Type)
        {
            notes.Insert(0, "its type is " + live.Entry.Type + " and the plan wants " + desired.Type.Wire() + ", which EKS cannot change: the entry is deleted, then created again; the principal has no access entry in between");
            return new EntryChange(live.PrincipalArn, EntryChangeKind.Recreate, desired, live, [new SyncOperation(SyncOperationKind.DeleteEntry, live.PrincipalArn), .. Creation(desired with { PrincipalArn = live.PrincipalArn })], notes);
        }

        if (desired.Type == AccessEntryType.Standard && desired.Username is null && GeneratedDiffers(desired, live))
        {
            // EKS only generates a username at creation; writing the same text back with UpdateAccessEntry reads the
            // same and leaves the principal no moment without an entry (a delete and create would).
            desired = desired with { Username = AccessEntryRules.GeneratedUsername(live.PrincipalArn, desired.Type) };
            notes.Insert(0, "its username is '" + live.Entry.Username + "' and the plan leaves it to EKS: set back to EKS's own '" + desired.Username + "'");
        }

        var operations = new List<SyncOperation>();
        if (!SameIdentity(desired, live))
        {
            operations.Add(new SyncOperation(SyncOperationKind.UpdateEntry, live.PrincipalArn, desired with { PrincipalArn = live.PrincipalArn }));
            if (!live.ManagedByRolemap)
            {
                notes.Add("rolemap did not create this entry: it is updated but keeps no rolemap tag, so rolemap deletes it only with --prune");
            }
        }

        operations.AddRange(PolicyOperations(desired, live));
        return new EntryChange(live.PrincipalArn, operations.Count == 0 ? EntryChangeKind.Unchanged : EntryChangeKind.Update, desired, live, operations, notes);
    }

    private static List<SyncOperation> Creation(AccessEntry desired) =>
        [new SyncOperation(SyncOperationKind.CreateEntry, desired.PrincipalArn, desired), .. desired.Policies.Select(p => new SyncOperation(SyncOperationKind.AssociatePolicy, desired.PrincipalArn, Policy: p))];

    /// <summary>Groups and username match. Only STANDARD entries take groups and usernames; EKS sets them for the other types.</summary>
    private static bool SameIdentity(AccessEntry desired, LiveEntry live)
    {
        if (desired.Type != AccessEntryType.Standard)
        {
            return true;
        }

        var groups = new HashSet<string>(desired.KubernetesGroups, StringComparer.Ordinal).SetEquals(live.Entry.KubernetesGroups);
        return groups && (desired.Username is null ? !GeneratedDiffers(desired, live) : desired.Username == live.Entry.Username);
    }

    private static bool GeneratedDiffers(AccessEntry desired, LiveEntry live) =>
        AccessEntryRules.GeneratedUsername(live.PrincipalArn, desired.Type) is { } generated && live.Entry.Username is { } actual && generated != actual;

    private static List<SyncOperation> PolicyOperations(AccessEntry desired, LiveEntry live)
    {
        var operations = new List<SyncOperation>();
        var arn = live.PrincipalArn;
        foreach (var policy in desired.Policies)
        {
            var existing = live.Policies.FirstOrDefault(p => p.PolicyArn == policy.PolicyArn);
            if (existing is null)
            {
                operations.Add(new SyncOperation(SyncOperationKind.AssociatePolicy, arn, Policy: policy));
            }
            else if (!existing.Scope.SameAs(policy.Scope))
            {
                operations.Add(new SyncOperation(SyncOperationKind.AssociatePolicy, arn, Policy: policy, PreviousScope: existing.Scope));
            }
        }

        operations.AddRange(live.Associations.Where(p => desired.Policies.All(d => d.PolicyArn != p.PolicyArn))
            .Select(p => new SyncOperation(SyncOperationKind.DisassociatePolicy, arn, Policy: p)));
        return operations;
    }
}

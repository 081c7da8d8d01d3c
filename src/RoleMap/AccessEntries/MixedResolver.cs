using RoleMap.Arns;
using RoleMap.AwsAuth;

namespace RoleMap.AccessEntries;

/// <summary>The identity an access entry gives a caller. Null members are not known from the input.</summary>
/// <param name="Entry">The access entry that matched.</param>
/// <param name="Username">The rendered username (placeholders unknown offline stay as written).</param>
/// <param name="Groups">The Kubernetes groups.</param>
/// <param name="Policies">The associated access policies, enforced by EKS outside RBAC.</param>
public sealed record AccessEntryIdentity(KnownAccessEntry Entry, string? Username, IReadOnlyList<string>? Groups, IReadOnlyList<PolicyAssociation>? Policies);

/// <summary>What EKS makes of a caller when access entries and aws-auth may both apply.</summary>
/// <param name="Arn">The caller ARN as given.</param>
/// <param name="Canonical">The authenticator's canonical form.</param>
/// <param name="Mode">The cluster's authentication mode assumed.</param>
/// <param name="AccessEntry">The identity from an access entry, when one matched.</param>
/// <param name="AwsAuth">The aws-auth result, when aws-auth decided (no access entry matched and the mode reads aws-auth).</param>
/// <param name="Failure">Why the caller is rejected outright, if it is.</param>
/// <param name="Notes">What the reader should know, precedence included.</param>
public sealed record MixedResolution(string Arn, CanonicalArn Canonical, AuthenticationMode Mode, AccessEntryIdentity? AccessEntry, ResolveResult? AwsAuth, string? Failure, IReadOnlyList<string> Notes)
{
    public bool IsMapped => Failure is null && (AccessEntry is not null || AwsAuth?.IsMapped == true);
}

/// <summary>
/// Resolves a caller with the documented precedence (EKS User Guide migrating-access-entries): in
/// <c>API_AND_CONFIG_MAP</c> an access entry for the principal replaces its aws-auth entry completely (no merging of
/// groups), then aws-auth applies as the authenticator reads it (mapRoles, mapUsers, mapAccounts); <c>API</c> reads
/// access entries only, <c>CONFIG_MAP</c> aws-auth only. Access entries match like the authenticator's access-entry
/// backend: the entry's ARN with the role path removed, ignoring case, against the caller's canonical ARN.
/// </summary>
public sealed class MixedResolver(AwsAuthData? awsAuth, ExistingAccessEntries accessEntries, AuthenticationMode mode)
{
    /// <summary>Said of every identity that comes from an access entry.</summary>
    public const string PoliciesOutsideRbac = "access policy permissions are enforced by EKS's own authorizer, outside Kubernetes RBAC: RBAC analysis, RoleBindings and 'kubectl auth can-i --list' do not show them, and impersonation (--as) bypasses them";

    private readonly Resolver? resolver = awsAuth is null ? null : new Resolver(awsAuth);

    public AuthenticationMode Mode { get; } = mode;

    public MixedResolution Resolve(string callerArn, CallerFacts? facts = null)
    {
        ArgumentNullException.ThrowIfNull(callerArn);
        ArgumentNullException.ThrowIfNull(accessEntries);
        facts ??= new CallerFacts();
        var canonical = Canonicalizer.Canonicalize(callerArn);
        if (!canonical.IsValid)
        {
            return new MixedResolution(callerArn, canonical, Mode, null, null, canonical.Error, []);
        }

        var notes = new List<string>();
        var fromAwsAuth = resolver?.Resolve(callerArn, facts);
        var entry = Mode == AuthenticationMode.ConfigMap ? null : accessEntries.Find(canonical.Canonical);
        if (Mode == AuthenticationMode.ConfigMap && accessEntries.Entries.Count > 0)
        {
            notes.Add("the cluster is taken to be in CONFIG_MAP mode, where EKS does not consult access entries");
        }

        if (entry is null)
        {
            if (Mode == AuthenticationMode.Api)
            {
                notes.Add("no access entry matches this caller, and in API mode EKS ignores aws-auth" + (fromAwsAuth?.IsMapped == true ? " (aws-auth would map it through " + fromAwsAuth.Mapping!.MatchedBy.Wire() + ")" : string.Empty));
                return new MixedResolution(callerArn, canonical, Mode, null, null, null, notes);
            }

            if (resolver is null)
            {
                notes.Add("no access entry matches this caller, and no aws-auth was given");
                return new MixedResolution(callerArn, canonical, Mode, null, null, null, notes);
            }

            if (Mode == AuthenticationMode.ApiAndConfigMap)
            {
                notes.Add("no access entry matches this caller, so aws-auth applies");
            }

            notes.AddRange(fromAwsAuth!.Notes);
            return new MixedResolution(callerArn, canonical, Mode, null, fromAwsAuth, fromAwsAuth.Failure, notes);
        }

        notes.Add("matched by the access entry for " + entry.PrincipalArn + ": EKS uses it and ignores aws-auth for this principal");
        if (fromAwsAuth?.Mapping is { } replaced)
        {
            notes.Add(replaced.MatchedBy == MatchSource.MapAccounts
                ? "aws-auth would map it through mapAccounts; the access entry comes first"
                : "the aws-auth " + replaced.MatchedBy.Wire() + " entry for this ARN (username '" + replaced.Username + "', groups " + (replaced.Groups.Count == 0 ? "none" : string.Join(", ", replaced.Groups)) + ") is ignored: the access entry replaces it, and groups are not merged");
        }

        var values = Resolver.ValuesFor(callerArn, canonical, facts);
        string? username = null;
        if (entry.EffectiveUsername is { } template)
        {
            var rendered = Templates.Render(template, values);
            if (rendered.Failure is not null)
            {
                return new MixedResolution(callerArn, canonical, Mode, null, null, "the access entry's username uses {{EC2PrivateDNSName}}, which EKS only renders for an EC2 instance session (session 'i-...'); it rejects this caller: " + rendered.Failure, notes);
            }

            username = rendered.Text;
            notes.AddRange(rendered.Unresolved.Select(p => p + " is not known offline and is shown as written" + Resolver.Hint(p)));
        }
        else
        {
            notes.Add(entry.Described ? "EKS does not document the username it generates for " + entry.Type!.Value.Wire() + " entries" : "the entry's type, username and groups are not in the input: give the output of 'aws eks describe-access-entry'");
        }

        var groups = GroupsOf(entry);
        var policies = PoliciesOf(entry);
        if (entry.Type is { } type && type != AccessEntryType.Standard)
        {
            notes.Add("EKS gives " + type.Wire() + " entries their node permissions itself" + (groups!.Count > 0 ? "; the groups shown are those of the equivalent aws-auth node entry" : string.Empty));
        }

        if (policies is null)
        {
            notes.Add("the entry's access policies are not in the input: give the output of 'aws eks list-associated-access-policies'");
        }

        notes.Add(PoliciesOutsideRbac);
        return new MixedResolution(callerArn, canonical, Mode, new AccessEntryIdentity(entry, username, groups, policies), null, null, notes);
    }

    /// <summary>The groups an entry gives: a STANDARD entry's kubernetesGroups, a node type's node groups; null when the input does not tell.</summary>
    public static IReadOnlyList<string>? GroupsOf(KnownAccessEntry entry) =>
        entry?.Type is not { } type ? null : type == AccessEntryType.Standard ? entry.KubernetesGroups : NodeGroups(type);

    /// <summary>
    /// An entry's access policies: none for the node types EKS grants permissions itself (EC2_LINUX, EC2_WINDOWS,
    /// FARGATE_LINUX, HYBRID_LINUX); null when the input does not tell, which includes EC2 (Auto Mode, which carries
    /// AmazonEKSAutoNodePolicy) and HYPERPOD_LINUX entries without their policy list.
    /// </summary>
    public static IReadOnlyList<PolicyAssociation>? PoliciesOf(KnownAccessEntry entry) =>
        entry?.Policies ?? (entry?.Type is AccessEntryType.Ec2Linux or AccessEntryType.Ec2Windows or AccessEntryType.FargateLinux or AccessEntryType.HybridLinux ? [] : null);

    private static IReadOnlyList<string> NodeGroups(AccessEntryType type) => type switch
    {
        AccessEntryType.Ec2Linux => StandardEntries.Groups(EntryKind.LinuxNode),
        AccessEntryType.Ec2Windows => StandardEntries.Groups(EntryKind.WindowsNode),
        AccessEntryType.FargateLinux => StandardEntries.Groups(EntryKind.Fargate),
        AccessEntryType.HybridLinux => StandardEntries.Groups(EntryKind.HybridNode),
        _ => [],
    };
}

using RoleMap.AccessEntries;
using RoleMap.AccessPolicies;
using RoleMap.AwsAuth;
using IamPrincipal = RoleMap.Rbac.IamPrincipal;
using RoleMap.Rbac;

namespace RoleMap.UseCases;

/// <summary>A can-i answer with everything its outputs show: RBAC's result, EKS's decision with the access policies, and the notes.</summary>
public sealed record CanIReport(CanIResult Result, EksDecision Eks, IReadOnlyList<string> Notes)
{
    public Verdict Verdict => Eks.Verdict;
}

/// <summary>The access policies an identity brings (from its access entry), or that the input does not tell them.</summary>
public sealed record IdentityPolicies(IReadOnlyList<PolicyAssociation>? Policies, bool Unknown)
{
    /// <summary>No access entry: RBAC alone decides.</summary>
    public static IdentityPolicies None { get; } = new(null, false);

    /// <summary>Unknown when the input does not give the entry's policies, or its username and groups (RBAC may allow more).</summary>
    public static IdentityPolicies Of(AccessEntryIdentity? entry) =>
        entry is null ? None : new IdentityPolicies(entry.Policies, entry.Policies is null || !entry.Entry.Described);
}

/// <summary>A principal who-can lists through its access policies: allowed, or maybe (policy rules or inputs not known).</summary>
public sealed record PolicyPrincipal(EksPrincipal Principal, string Via, PolicyGrant? Grant);

/// <summary>The rules that apply to an identity in a namespace, as <c>kubectl auth can-i --list</c> prints them, and the notes.</summary>
public sealed record RuleListReport(IReadOnlyList<string[]> Rows, IReadOnlyList<string> Notes)
{
    /// <summary>
    /// The access policies that apply in the namespace, each with its rules in the same table form (null when AWS does
    /// not publish them). kubectl's list (SelfSubjectRulesReview) shows RBAC only; EKS authorizes with these after RBAC.
    /// </summary>
    public IReadOnlyList<PolicyRuleListing> Policies { get; init; } = [];
}

/// <summary>One access policy in a rule list: its association and its rules as table rows, header included.</summary>
public sealed record PolicyRuleListing(PolicyAssociation Association, IReadOnlyList<string[]>? Rows);

/// <summary>A who-can answer: the request as evaluated, the subjects and IAM principals, and the notes.</summary>
/// <param name="ByPolicy">Access-entry principals allowed by an access policy (and not already by RBAC).</param>
/// <param name="MayBeAllowed">Principals that may be allowed: through a policy whose rules are not published, or an entry the input does not describe.</param>
/// <param name="WithAccessEntries">Access entries were given: the access-policy lists are part of the answer.</param>
public sealed record WhoCanReport(PreparedRequest Request, WhoCanResult Result, IReadOnlyList<string> Notes, bool WithAwsAuth)
{
    public IReadOnlyList<PolicyPrincipal> ByPolicy { get; init; } = [];

    public IReadOnlyList<PolicyPrincipal> MayBeAllowed { get; init; } = [];

    public bool WithAccessEntries { get; init; }
}

/// <summary>An explanation of a caller, the access entry that authenticated it (if one did), and whether it is allowed.</summary>
/// <param name="Eks">EKS's decision of the question (RBAC, then the entry's access policies), when one was asked.</param>
public sealed record ExplainReport(Explanation Explanation, AccessEntryIdentity? AccessEntry, IReadOnlyList<string> CheckNotes, EksDecision? Eks)
{
    /// <summary>Mapped, and allowed when a question was asked.</summary>
    public bool Allowed => Explanation.User is not null && (Eks?.Verdict ?? Verdict.Yes) == Verdict.Yes;
}

/// <summary>One identity's access matrix; <see cref="Matrix"/> is null when EKS rejects the caller.</summary>
public sealed record MatrixIdentity(string Label, string Description, UserInfo? User, string Unmapped, IReadOnlyList<string> Notes, AccessMatrixResult? Matrix)
{
    /// <summary>The access policies of the identity's access entry, checked for every cell RBAC denies.</summary>
    public IdentityPolicies Policies { get; init; } = IdentityPolicies.None;
}

/// <summary>The matrix use case's result: one matrix per identity over the same namespaces, resources and verbs.</summary>
public sealed record MatrixReport(IReadOnlyList<MatrixIdentity> Identities, IReadOnlyList<string> Verbs, bool ShowAll)
{
    public bool AllMapped => Identities.All(i => i.Matrix is not null);
}

/// <summary>
/// The RBAC questions (can-i, who-can, explain, matrix) as use cases: each takes the loaded policy and the identity
/// and returns a report with everything any output needs, including the notes that qualify the answer.
/// </summary>
public static class AccessQueries
{
    /// <summary>How a request is named in answers: its attributes and the mode they were sent in.</summary>
    public static string Describe(PreparedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Attributes + " (" + (request.Mode == EvaluationMode.Sar ? "SAR mode" : "request mode") + ")";
    }

    public static CanIReport CanI(RbacPolicy policy, UserInfo user, ParsedQuery query, EvaluationMode mode, IReadOnlyList<string> identityNotes, IdentityPolicies? policies = null)
    {
        var result = Rbac.CanI.Evaluate(policy, user, query, mode);
        policies ??= IdentityPolicies.None;
        var eks = EksAuthorizer.Authorize(result.Chosen.Decision, result.Chosen.Request.Attributes, policies.Policies, policies.Unknown);
        return new CanIReport(result, eks, CheckNotes(result, identityNotes));
    }

    /// <summary>The notes of a check: how the question was read, what the other mode answers, bindings that grant nothing.</summary>
    public static IReadOnlyList<string> CheckNotes(CanIResult result, IReadOnlyList<string> identityNotes)
    {
        ArgumentNullException.ThrowIfNull(result);
        var notes = new List<string>(result.Query.Notes.Concat(identityNotes).Concat(result.Chosen.Request.Adjustments));
        if (result.ModesDiffer)
        {
            var other = result.Other;
            var name = other.Request.Mode == EvaluationMode.Sar ? "SAR mode (what 'kubectl auth can-i' asks)" : "request mode (a real request)";
            notes.Add(name + " answers " + (other.Decision.Allowed ? "yes" : "no") + ": " + Describe(other.Request) + "; " + other.Decision.Reason);
            notes.AddRange(other.Request.Adjustments);
        }

        notes.AddRange(result.Chosen.Decision.Dangling.Select(d => d.Binding.Display + " applies to this identity but its " + d.Error + "; it grants nothing"));
        return notes;
    }

    /// <summary>The rules that apply to <paramref name="user"/> in <paramref name="ns"/> (can-i --list).</summary>
    public static RuleListReport List(RbacPolicy policy, UserInfo user, string ns, IReadOnlyList<string> identityNotes, IdentityPolicies? policies = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(user);
        var rules = policy.RulesFor(user, ns);
        var notes = new List<string>(identityNotes);
        if (user.InGroup(Identities.Masters))
        {
            notes.Add("the identity is in system:masters: every request is allowed, whatever the rules above");
        }

        foreach (var granted in rules.Rules.Where(r => r.Binding is RoleBinding).DistinctBy(r => (r.Binding, r.Index)))
        {
            if (Unreachable(granted.Rule, granted.Binding.Namespace) is { } unreachable)
            {
                notes.Add(granted.Binding.Display + " grants '" + granted.Rule + "' through " + granted.Role.Display + ": " + unreachable);
            }
        }

        notes.AddRange(rules.Dangling.Select(d => d.Binding.Display + " applies to this identity but its " + d.Error + "; it grants nothing"));
        var listed = new List<PolicyRuleListing>();
        foreach (var association in policies?.Policies ?? [])
        {
            if (!Scopes.Applies(association.Scope, ns))
            {
                continue;
            }

            var known = AccessPolicyCatalogue.ForArn(association.PolicyArn) is { RulesKnown: true } definition ? definition : null;
            listed.Add(new PolicyRuleListing(association, known is null ? null : RuleListing.Rows(RuleListing.Compact(known.Rules))));
            if (known is null)
            {
                notes.Add("access policy " + association.Name + ": AWS does not publish its rules; what it allows here is unknown");
            }
            else if (!association.Scope.IsCluster)
            {
                notes.Add("access policy " + association.Name + " has namespace scope: its rules for cluster-scoped resources allow nothing");
            }
        }

        if (policies?.Unknown == true)
        {
            notes.Add("the identity's access entry is not fully described in the input: access policies may allow more than listed");
        }

        return new RuleListReport(RuleListing.Rows(RuleListing.Compact(rules.Rules.Select(r => r.Rule))), notes) { Policies = listed };
    }

    /// <param name="principals">The IAM principals to place among the subjects (aws-auth's, and with access entries theirs); null for RBAC subjects only.</param>
    /// <param name="withAccessEntries">Access entries were given: access policies and shadowed aws-auth entries are part of the answer.</param>
    public static WhoCanReport WhoCan(RbacPolicy policy, ParsedQuery query, EvaluationMode mode, EksPrincipalSet? principals, bool withAccessEntries = false)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(query);
        var prepared = query.In(mode);
        var result = Rbac.WhoCan.Evaluate(policy, prepared.Attributes, [.. principals?.Principals.Select(p => p.Principal) ?? []]);
        var notes = new List<string>(query.Notes);
        notes.AddRange(prepared.Adjustments);
        var other = prepared.Mode == EvaluationMode.Request ? query.Sar() : query.Request();
        if (other.Attributes != prepared.Attributes)
        {
            var mine = result.Allowed.Subjects.Select(s => s.Subject).ToHashSet();
            var theirs = policy.AllowedSubjects(other.Attributes).Subjects.Select(s => s.Subject).ToList();
            var more = theirs.Where(s => !mine.Contains(s)).ToList();
            var fewer = mine.Where(s => !theirs.Contains(s)).ToList();
            var name = other.Mode == EvaluationMode.Sar ? "SAR mode (what 'kubectl auth can-i' asks: " : "request mode (a real request: ";
            var answer = more.Count == 0 && fewer.Count == 0
                ? "allows the same subjects"
                : string.Join("; ", new[] { more.Count > 0 ? "also allows " + string.Join(", ", more) : null, fewer.Count > 0 ? "does not allow " + string.Join(", ", fewer) : null }.OfType<string>());
            notes.Add(name + other.Attributes + ") " + answer + (more.Count + fewer.Count > 0 ? "; run with" + (other.Mode == EvaluationMode.Sar ? " --sar" : "out --sar") + " for details" : string.Empty));
        }

        foreach (var (subject, binding) in result.Allowed.Unmatchable)
        {
            notes.Add(binding.Display + " names " + subject + ", which matches no one" + (subject.Kind == SubjectKinds.ServiceAccount ? " (a ServiceAccount in a ClusterRoleBinding needs a namespace)" : " (unknown subject kind)"));
        }

        notes.AddRange(result.Allowed.Dangling.Select(d => d + "; the binding grants nothing"));
        notes.AddRange(result.NeverMatching.Select(p => p.Arn + ": " + p.NeverMatches));
        if (principals is not null && result.Principals.Any(p => !p.Certain))
        {
            notes.Add("'may' marks a principal whose username or group holds a value EKS fills in at login ({{SessionName}}, ...): it is allowed only when that value produces the subject's name");
        }

        notes.Add("groups come only from authentication: who is in a group other than system:masters or system:authenticated is not known offline, except for IAM principals mapped by aws-auth");
        var (byPolicy, maybe) = withAccessEntries && principals is not null ? PolicyPrincipals(principals, result, prepared.Attributes) : ([], []);
        if (withAccessEntries && principals is not null)
        {
            notes.AddRange(principals.Shadowed.Select(s => s.Principal.Arn + " (" + s.Principal.MatchedBy.Wire() + ") is not listed: " + s.Why));
        }

        return new WhoCanReport(prepared, result, notes, principals is not null) { ByPolicy = byPolicy, MayBeAllowed = maybe, WithAccessEntries = withAccessEntries };
    }

    /// <summary>Access-entry principals RBAC does not certainly allow, decided by their access policies.</summary>
    private static (List<PolicyPrincipal> Allowed, List<PolicyPrincipal> Maybe) PolicyPrincipals(EksPrincipalSet principals, WhoCanResult rbac, Attributes request)
    {
        var certain = rbac.Principals.Where(g => g.Certain).Select(g => g.Principal).ToHashSet();
        var allowed = new List<PolicyPrincipal>();
        var maybe = new List<PolicyPrincipal>();
        foreach (var principal in principals.Principals.Where(p => p.AccessEntry is not null && !certain.Contains(p.Principal)))
        {
            var denied = new Decision(false, false, null, []);
            var eks = EksAuthorizer.Authorize(denied, request, principal.Policies, principal.PoliciesUnknown);
            if (eks.AllowedByPolicy is { } grant)
            {
                allowed.Add(new PolicyPrincipal(principal, grant.ToString(), grant));
            }
            else if (eks.Verdict == Verdict.Unknown)
            {
                maybe.Add(new PolicyPrincipal(principal, eks.PoliciesUnknown ? "its access policies are not in the input" : "depends on " + string.Join(", ", eks.Undecided.Select(a => a.Name + " (" + a.Scope + ")")) + ", whose rules AWS does not publish", null));
            }
            else if (!principal.AccessEntry!.Described)
            {
                maybe.Add(new PolicyPrincipal(principal, "its username and groups are not in the input (give 'aws eks describe-access-entry' output)", null));
            }
        }

        return (allowed, maybe);
    }

    /// <summary>Explains a resolved caller; with a question, evaluates it.</summary>
    public static ExplainReport Explain(RbacPolicy policy, CallerResolution caller, ParsedQuery? query, EvaluationMode mode, string? ns)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var explanation = Explainer.Explain(policy, caller.AwsAuthView, caller.User, query, mode, ns);
        var accessEntry = caller.Mixed?.AccessEntry;
        var policies = IdentityPolicies.Of(accessEntry);
        var check = explanation.Check;
        var eks = check is null ? null : EksAuthorizer.Authorize(check.Chosen.Decision, check.Chosen.Request.Attributes, policies.Policies, policies.Unknown);
        return new ExplainReport(explanation, accessEntry, check is null ? [] : CheckNotes(check, []), eks);
    }

    /// <summary>One matrix per identity; rows and namespaces default as documented (the policy's resources, namespaces with RoleBindings and default).</summary>
    public static MatrixReport Matrix(RbacPolicy policy, IReadOnlyList<MatrixIdentity> identities, IReadOnlyList<string>? namespaces, IReadOnlyList<MatrixResource>? resources, IReadOnlyList<string> verbs, bool showAll)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(identities);
        var rows = resources is { Count: > 0 } ? resources : AccessMatrix.DefaultResources(policy);
        var nsList = namespaces is { Count: > 0 } ? [.. namespaces.Distinct(StringComparer.Ordinal)] : DefaultNamespaces(policy);
        var verbArray = verbs.ToArray();
        var computed = identities.Select(i => i with { Matrix = i.User is null ? null : WithPolicies(AccessMatrix.Compute(policy, i.User, nsList, rows, verbArray), i.Policies) }).ToList();
        return new MatrixReport(computed, verbs, showAll || resources is { Count: > 0 });
    }

    /// <summary>Why a rule granted through a RoleBinding never applies to a real request, if it does not.</summary>
    private static string? Unreachable(PolicyRule rule, string ns)
    {
        if (rule.NonResourceUrls.Count > 0)
        {
            return "non-resource URLs are never requested in a namespace, so this part never applies";
        }

        var clusterScoped = rule.ApiGroups
            .SelectMany(g => rule.Resources.Select(r => (Group: g, Resource: r.Split('/')[0])))
            .Where(x => BuiltinResources.Find(x.Group, x.Resource) is { Namespaced: false, IsPseudo: false })
            .Select(x => RuleText.Resource(x.Group, x.Resource))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (clusterScoped.Count == 0)
        {
            return null;
        }

        return string.Join(", ", clusterScoped) + (clusterScoped.Count == 1 ? " is" : " are") + " cluster-scoped: real requests carry no namespace, so this applies only to SAR-style checks in " + ns
            + (clusterScoped.Contains("namespaces") ? " (and to requests for the namespace " + ns + " itself)" : string.Empty);
    }

    /// <summary>Every cell RBAC does not fully allow, asked of the identity's access policies: allowed, or unknown.</summary>
    private static AccessMatrixResult WithPolicies(AccessMatrixResult matrix, IdentityPolicies policies)
    {
        if (policies.Policies is not { Count: > 0 } && !policies.Unknown)
        {
            return matrix;
        }

        var denied = new Decision(false, false, null, []);
        var sections = matrix.Sections.Select(section => section with
        {
            Rows = [.. section.Rows.Select(row => row with
            {
                Cells = [.. row.Cells.Select((cell, v) => cell == Access.Full ? cell : EksAuthorizer.Authorize(denied, Attributes.ForResource(matrix.Verbs[v], row.Group, row.Resource, ns: section.Namespace), policies.Policies, policies.Unknown).Verdict switch
                {
                    Verdict.Yes => Access.Full,
                    Verdict.Unknown => cell == Access.Named ? Access.Named : Access.Unknown,
                    _ => cell,
                })],
            })],
        });
        return matrix with { Sections = [.. sections] };
    }

    private static List<string> DefaultNamespaces(RbacPolicy policy)
    {
        var namespaces = policy.Objects.RoleBindings.Where(b => !b.Source.IsDefault).Select(b => b.Namespace).Append("default");
        return [.. namespaces.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}

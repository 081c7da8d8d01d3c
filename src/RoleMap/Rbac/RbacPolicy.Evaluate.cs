namespace RoleMap.Rbac;

/// <summary>The authorizer's answer, with the reason.</summary>
/// <param name="ByPrivilegedGroup">Allowed because the user is in <c>system:masters</c>, before RBAC is asked.</param>
/// <param name="AllowedBy">The first rule that allowed the request (bindings in name order).</param>
/// <param name="Dangling">Bindings that applied to the user but refer to missing roles (they granted nothing).</param>
public sealed record Decision(bool Allowed, bool ByPrivilegedGroup, GrantedRule? AllowedBy, IReadOnlyList<DanglingBinding> Dangling)
{
    public string Reason => ByPrivilegedGroup
        ? "the user is in group system:masters, which the API server allows before RBAC is asked"
        : AllowedBy is { } rule
            ? "allowed by " + rule
            : "no RBAC rule allows it";
}

/// <summary>The rules that apply to a user in a namespace (SelfSubjectRulesReview, <c>kubectl auth can-i --list</c>).</summary>
public sealed record RulesForResult(UserInfo User, string Namespace, IReadOnlyList<GrantedRule> Rules, IReadOnlyList<DanglingBinding> Dangling);

/// <summary>A binding that grants a subject the access asked about, and the role it uses.</summary>
public sealed record SubjectVia(Binding Binding, RbacObject Role);

/// <summary>A subject allowed to do something, with every binding that allows it.</summary>
/// <param name="Subject">The subject, a ServiceAccount's namespace filled in from its RoleBinding when omitted.</param>
public sealed record AllowedSubject(Subject Subject, bool PrivilegedGroup, IReadOnlyList<SubjectVia> Via);

/// <summary>The answer to "who can": <c>SubjectAccessEvaluator.AllowedSubjects</c>, de-duplicated.</summary>
/// <param name="Unmatchable">Subjects of allowing bindings that match no one (a ServiceAccount without a namespace in a ClusterRoleBinding, an unknown kind).</param>
public sealed record AllowedSubjectsResult(Attributes Attributes, IReadOnlyList<AllowedSubject> Subjects, IReadOnlyList<DanglingBinding> Dangling, IReadOnlyList<(Subject Subject, Binding Binding)> Unmatchable);

/// <content>Evaluation: Authorize, RulesFor, AllowedSubjects.</content>
public sealed partial class RbacPolicy
{
    /// <summary>
    /// The decision of the API server's authorizer chain as modelled here: <c>system:masters</c> is allowed first
    /// (the privileged-group authorizer), then RBAC (<c>RBACAuthorizer.Authorize</c>): ClusterRoleBindings, then the
    /// RoleBindings of the request's namespace, first allowing rule wins. RBAC never denies: no allow is a denial.
    /// </summary>
    public Decision Authorize(UserInfo user, Attributes request)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        if (user.InGroup(Identities.Masters))
        {
            return new Decision(true, true, null, []);
        }

        var dangling = new List<DanglingBinding>();
        foreach (var granted in VisitRulesFor(user, request.Namespace, dangling))
        {
            if (RuleMatcher.RuleAllows(request, granted.Rule))
            {
                return new Decision(true, false, granted, dangling);
            }
        }

        return new Decision(false, false, null, dangling);
    }

    /// <summary><c>RulesFor</c>: every rule granted to the user for requests in <paramref name="ns"/> ("" = cluster scope only).</summary>
    public RulesForResult RulesFor(UserInfo user, string ns)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(ns);
        var dangling = new List<DanglingBinding>();
        var rules = VisitRulesFor(user, ns, dangling).ToList();
        return new RulesForResult(user, ns, rules, dangling);
    }

    /// <summary>The bindings that apply to a user: ClusterRoleBindings, then RoleBindings of <paramref name="ns"/>, or of every namespace when null.</summary>
    public IEnumerable<Binding> BindingsFor(UserInfo user, string? ns)
    {
        ArgumentNullException.ThrowIfNull(user);
        foreach (var binding in clusterIndex.For(user))
        {
            yield return binding;
        }

        if (ns is null)
        {
            foreach (var (_, bindings) in RoleBindingsFor(user))
            {
                foreach (var binding in bindings)
                {
                    yield return binding;
                }
            }
        }
        else if (ns.Length > 0 && namespaceIndex.TryGetValue(ns, out var index))
        {
            foreach (var binding in index.For(user))
            {
                yield return binding;
            }
        }
    }

    /// <summary>
    /// The RoleBindings that apply to a user in every namespace, found by the subjects they name (not namespace by
    /// namespace): the namespaces in ordinal order, each with its bindings in evaluation order (by name).
    /// </summary>
    public IReadOnlyList<(string Namespace, IReadOnlyList<RoleBinding> Bindings)> RoleBindingsFor(UserInfo user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var across = acrossNamespaces.Value;
        var result = new List<(string Namespace, IReadOnlyList<RoleBinding> Bindings)>();
        List<RoleBinding>? current = null;
        var currentRank = -1;
        foreach (var (rank, position) in across.For(user))
        {
            if (rank != currentRank)
            {
                current = [];
                currentRank = rank;
                result.Add((across.Namespaces[rank], current));
            }

            current!.Add(across.Indexes[rank].Bindings[position]);
        }

        return result;
    }

    /// <summary>
    /// <c>VisitRulesFor</c> (pkg/registry/rbac/validation/rule.go): the rules of every ClusterRoleBinding that applies
    /// to the user, then of every RoleBinding in <paramref name="ns"/> that applies. Missing roles are collected and
    /// skipped.
    /// </summary>
    private IEnumerable<GrantedRule> VisitRulesFor(UserInfo user, string ns, List<DanglingBinding> dangling) => VisitRules(BindingsFor(user, ns), dangling);

    /// <summary>The rules the bindings grant, in the bindings' order; bindings whose role is missing are collected in <paramref name="dangling"/> and skipped.</summary>
    internal IEnumerable<GrantedRule> VisitRules(IEnumerable<Binding> bindings, List<DanglingBinding> dangling)
    {
        foreach (var binding in bindings)
        {
            var (role, rules, error) = ResolveRole(binding);
            if (role is null)
            {
                dangling.Add(new DanglingBinding(binding, binding.RoleRef + " " + error));
                continue;
            }

            for (var i = 0; i < rules.Count; i++)
            {
                yield return new GrantedRule(binding, role, i, rules[i]);
            }
        }
    }

    /// <summary>
    /// <c>SubjectAccessEvaluator.AllowedSubjects</c> (plugin/pkg/auth/authorizer/rbac/subject_locator.go): Group
    /// <c>system:masters</c> first, then the subjects of every ClusterRoleBinding whose role allows the request, then
    /// (for a namespaced request) of every RoleBinding in that namespace whose role allows it. Subjects are merged
    /// (a ServiceAccount written without a namespace in a RoleBinding is that namespace's).
    /// </summary>
    public AllowedSubjectsResult AllowedSubjects(Attributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = new List<AllowedSubject> { new(Subject.Group(Identities.Masters), true, []) };
        var positions = new Dictionary<Subject, int> { [Subject.Group(Identities.Masters)] = 0 };
        var via = new List<List<SubjectVia>> { new() };
        var dangling = new List<DanglingBinding>();
        var unmatchable = new List<(Subject, Binding)>();
        var allows = new Dictionary<RbacObject, bool>(ReferenceEqualityComparer.Instance);

        IEnumerable<Binding> bindings = clusterIndex.Bindings;
        if (request.Namespace.Length > 0)
        {
            bindings = bindings.Concat(RoleBindingsIn(request.Namespace));
        }

        foreach (var binding in bindings)
        {
            var (role, rules, error) = ResolveRole(binding);
            if (role is null)
            {
                dangling.Add(new DanglingBinding(binding, binding.RoleRef + " " + error));
                continue;
            }

            if (!allows.TryGetValue(role, out var allowed))
            {
                allows[role] = allowed = RuleMatcher.RulesAllow(request, rules);
            }

            if (!allowed)
            {
                continue;
            }

            foreach (var written in binding.Subjects)
            {
                var subject = Normalise(written, binding);
                if (subject is null)
                {
                    unmatchable.Add((written, binding));
                    continue;
                }

                if (!positions.TryGetValue(subject, out var position))
                {
                    positions[subject] = position = result.Count;
                    result.Add(new AllowedSubject(subject, false, []));
                    via.Add([]);
                }

                if (!via[position].Exists(v => ReferenceEquals(v.Binding, binding)))
                {
                    via[position].Add(new SubjectVia(binding, role));
                }
            }
        }

        var subjects = result.Select((s, i) => s with { Via = via[i] }).ToList();
        return new AllowedSubjectsResult(request, subjects, dangling, unmatchable);
    }

    /// <summary>The subject as it matches: kind, name and (for ServiceAccounts) the namespace it really means; null when it matches no one.</summary>
    private static Subject? Normalise(Subject subject, Binding binding) => subject.Kind switch
    {
        SubjectKinds.User or SubjectKinds.Group => new Subject(subject.Kind, subject.Name),
        SubjectKinds.ServiceAccount when !string.IsNullOrEmpty(subject.Namespace) => Subject.ServiceAccount(subject.Namespace, subject.Name),
        SubjectKinds.ServiceAccount when binding.Namespace.Length > 0 => Subject.ServiceAccount(binding.Namespace, subject.Name),
        _ => null,
    };
}

namespace RoleMap.Rbac;

/// <summary>An IAM principal allowed to do something, through which subjects, and whether that depends on login values.</summary>
/// <param name="Certain">False when every match depends on a placeholder (e.g. the session name) taking a particular value.</param>
public sealed record PrincipalGrant(IamPrincipal Principal, IReadOnlyList<Subject> Via, bool Certain);

/// <summary>who-can: the allowed subjects and the IAM principals that are (or may be) among them.</summary>
public sealed record WhoCanResult(AllowedSubjectsResult Allowed, IReadOnlyList<PrincipalGrant> Principals, IReadOnlyList<IamPrincipal> NeverMatching);

public static class WhoCan
{
    /// <summary>
    /// Runs <see cref="RbacPolicy.AllowedSubjects"/> and, when principals are given, finds every principal whose
    /// identity (username, groups and <c>system:authenticated</c>) matches an allowed subject. A principal whose
    /// mapping can never be used by a real caller is reported apart, not as allowed.
    /// </summary>
    public static WhoCanResult Evaluate(RbacPolicy policy, Attributes request, IReadOnlyList<IamPrincipal> principals)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(principals);
        var allowed = policy.AllowedSubjects(request);
        var users = new List<(Subject Subject, string Username)>();
        var groups = new List<Subject>();
        foreach (var entry in allowed.Subjects)
        {
            switch (entry.Subject.Kind)
            {
                case SubjectKinds.User:
                    users.Add((entry.Subject, entry.Subject.Name));
                    break;
                case SubjectKinds.ServiceAccount:
                    users.Add((entry.Subject, Identities.ServiceAccountUsername(entry.Subject.Namespace!, entry.Subject.Name)));
                    break;
                case SubjectKinds.Group:
                    groups.Add(entry.Subject);
                    break;
            }
        }

        // Exact names are looked up; only identities that still hold login-time placeholders are matched one by one.
        var usersByName = users.ToLookup(u => u.Username, u => u.Subject, StringComparer.Ordinal);
        var groupsByName = groups.ToLookup(g => g.Name, StringComparer.Ordinal);
        var grants = new List<PrincipalGrant>();
        var never = new List<IamPrincipal>();
        foreach (var principal in principals)
        {
            if (principal.NeverMatches is not null)
            {
                never.Add(principal);
                continue;
            }

            var via = new List<Subject>();
            var certain = false;
            if (principal.Account is null && !TemplatePattern.HasPlaceholders(principal.Username))
            {
                via.AddRange(usersByName[principal.Username]);
                certain |= via.Count > 0;
            }
            else
            {
                foreach (var (subject, username) in users)
                {
                    var (match, sure) = principal.UsernameCouldBe(username);
                    if (match)
                    {
                        via.Add(subject);
                        certain |= sure;
                    }
                }
            }

            foreach (var own in principal.Groups)
            {
                if (!TemplatePattern.HasPlaceholders(own))
                {
                    var hits = groupsByName[own].Where(g => !via.Contains(g)).ToList();
                    via.AddRange(hits);
                    certain |= hits.Count > 0;
                    continue;
                }

                foreach (var subject in groups)
                {
                    var (match, sure) = TemplatePattern.Matches(own, subject.Name);
                    if (match && !via.Contains(subject))
                    {
                        via.Add(subject);
                        certain |= sure;
                    }
                }
            }

            if (via.Count > 0)
            {
                grants.Add(new PrincipalGrant(principal, via, certain));
            }
        }

        return new WhoCanResult(allowed, grants, never);
    }
}

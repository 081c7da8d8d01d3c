namespace RoleMap.AwsAuth;

/// <summary>
/// The guard every writer runs before output leaves rolemap: parse what was rendered with the authenticator's
/// rules and require exactly the intended entries back. YAML that would be misread is never written.
/// </summary>
public static class RoundTrip
{
    /// <summary>Null when the rendered data reads back as <paramref name="intended"/>; otherwise what differs.</summary>
    public static string? Check(AwsAuthData intended, IReadOnlyList<KeyValuePair<string, string>> rendered)
    {
        ArgumentNullException.ThrowIfNull(intended);
        ArgumentNullException.ThrowIfNull(rendered);
        var parsed = AwsAuthParser.ParseData(rendered, null, "rendered");
        var problems = parsed.Diagnostics.Where(d => d.Severity == Diagnostics.Severity.Error).Select(d => d.Message).ToList();
        if (Differences(intended, parsed) is { } differences)
        {
            problems.Add(differences);
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>
    /// Null when the entries the authenticator reads from <paramref name="parsed"/> are exactly <paramref name="intended"/>;
    /// otherwise what differs. Unlike <see cref="Check"/> it tolerates findings that do not change the entries
    /// (e.g. invalid entries kept as they were).
    /// </summary>
    public static string? Differences(AwsAuthData intended, AwsAuthDocument parsed)
    {
        ArgumentNullException.ThrowIfNull(intended);
        ArgumentNullException.ThrowIfNull(parsed);
        var problems = new List<string>();
        var back = parsed.Effective;
        Compare("mapRoles", intended.Roles, back.Roles, problems);
        Compare("mapUsers", intended.Users, back.Users, problems);
        if (!intended.Accounts.SequenceEqual(back.Accounts, StringComparer.Ordinal))
        {
            problems.Add("mapAccounts reads back as [" + string.Join(", ", back.Accounts) + "]");
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>Throws when the rendered data does not read back exactly.</summary>
    public static void Verify(AwsAuthData intended, IReadOnlyList<KeyValuePair<string, string>> rendered)
    {
        if (Check(intended, rendered) is { } problem)
        {
            throw new InvalidOperationException("the rendered aws-auth would not be read back as intended, so it was not written: " + problem);
        }
    }

    private static void Compare(string key, IReadOnlyList<MapEntry> intended, IReadOnlyList<MapEntry> back, List<string> problems)
    {
        if (intended.Count != back.Count)
        {
            problems.Add(key + " reads back with " + back.Count + " entries instead of " + intended.Count);
            return;
        }

        for (var i = 0; i < intended.Count; i++)
        {
            if (!intended[i].SameAs(back[i])) // content only: where either was read from does not count
            {
                problems.Add(key + "[" + i + "] reads back differently (" + intended[i].Arn + ")");
            }
        }
    }
}

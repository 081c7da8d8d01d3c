using RoleMap.Yaml;

namespace RoleMap.AwsAuth;

/// <summary>
/// The guard every writer runs before output leaves rolemap: parse what was rendered with the authenticator's
/// rules and require exactly the intended entries back. YAML that would be misread is never written.
/// </summary>
public static class RoundTrip
{
    /// <summary>Null when the rendered data reads back as <paramref name="intended"/>; otherwise what differs.</summary>
    public static string? Check(AwsAuthData intended, IReadOnlyList<KeyValuePair<string, string>> rendered) =>
        Check(intended, rendered, fastPath: true);

    /// <summary>The same for data rendered as UTF-8: the fast reader reads the bytes; only what it cannot confirm is decoded.</summary>
    public static string? Check(AwsAuthData intended, IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> rendered)
    {
        ArgumentNullException.ThrowIfNull(intended);
        ArgumentNullException.ThrowIfNull(rendered);
        return ReadsBackExactly(intended, rendered) ? null : Exact(intended, AwsAuthRenderer.Decode(rendered));
    }

    /// <summary>
    /// <see cref="Check(AwsAuthData, IReadOnlyList{KeyValuePair{string, string}})"/>, choosing whether the fast reader may
    /// confirm first (the differential tests read both ways). It only ever confirms; whatever it cannot, the exact reader
    /// (<see cref="AwsAuthParser"/>) reads, and its findings make the message.
    /// </summary>
    internal static string? Check(AwsAuthData intended, IReadOnlyList<KeyValuePair<string, string>> rendered, bool fastPath)
    {
        ArgumentNullException.ThrowIfNull(intended);
        ArgumentNullException.ThrowIfNull(rendered);
        return fastPath && ReadsBackExactly(intended, rendered) ? null : Exact(intended, rendered);
    }

    private static string? Exact(AwsAuthData intended, IReadOnlyList<KeyValuePair<string, string>> rendered)
    {
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

    /// <summary>
    /// True when <see cref="GoYamlEntryReader"/> reads every key entry by entry (no tree kept) exactly as intended, which
    /// means the exact reader would find nothing and read the same entries; false when it cannot tell. As in
    /// <see cref="AwsAuthParser.ParseData"/>, the last value of a key counts and an absent key has no entries.
    /// </summary>
    internal static bool ReadsBackExactly(AwsAuthData intended, IReadOnlyList<KeyValuePair<string, string>> rendered) =>
        ReadsBackExactly(intended, (key, arnField) => LastValue(rendered, key, out var text) ? new GoYamlEntryReader(text!, arnField) : null);

    /// <summary>The same over data rendered as UTF-8.</summary>
    internal static bool ReadsBackExactly(AwsAuthData intended, IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> rendered) =>
        ReadsBackExactly(intended, (key, arnField) => LastValue(rendered, key, out var text) ? new GoYamlEntryReader(text, arnField) : null);

    /// <param name="reader">A reader of a key's last value (given the ARN field, or null for strings), null when the key is absent.</param>
    private static bool ReadsBackExactly(AwsAuthData intended, Func<string, string?, GoYamlEntryReader?> reader) =>
        SameEntries(reader(AwsAuthRenderer.MapRoles, "rolearn"), intended.Roles)
        && SameEntries(reader(AwsAuthRenderer.MapUsers, "userarn"), intended.Users)
        && SameAccounts(reader(AwsAuthRenderer.MapAccounts, null), intended.Accounts);

    private static bool LastValue<T>(IReadOnlyList<KeyValuePair<string, T>> data, string key, out T? value)
    {
        value = default;
        var found = false;
        for (var i = 0; i < data.Count; i++)
        {
            if (data[i].Key == key && data[i].Value is not null)
            {
                value = data[i].Value;
                found = true;
            }
        }

        return found;
    }

    private static bool SameEntries(GoYamlEntryReader? reader, IReadOnlyList<MapEntry> intended) =>
        SameItems(reader, intended, static r => r.Next(), Same);

    private static bool SameAccounts(GoYamlEntryReader? reader, IReadOnlyList<string> intended) =>
        SameItems(reader, intended, static r => r.NextString(), static (account, r) => r.Item.SequenceEqual(account));

    /// <summary>The reader's items, stepped by <paramref name="next"/>, are exactly <paramref name="intended"/>; an absent key is no items.</summary>
    private static bool SameItems<T>(GoYamlEntryReader? reader, IReadOnlyList<T> intended, Func<GoYamlEntryReader, EntryStep> next, Func<T, GoYamlEntryReader, bool> same)
    {
        if (reader is null)
        {
            return intended.Count == 0;
        }

        var count = 0;
        EntryStep step;
        while ((step = next(reader)) == EntryStep.Entry)
        {
            if (count == intended.Count || !same(intended[count], reader))
            {
                return false;
            }

            count++;
        }

        return step == EntryStep.End && count == intended.Count;
    }

    private static bool Same(MapEntry intended, GoYamlEntryReader read)
    {
        if (intended.Arn is null || intended.ExtraFields.Count > 0 || !read.Arn.SequenceEqual(intended.Arn)
            || read.HasUsername != (intended.Username is not null) || (intended.Username is not null && !read.UsernameValue.SequenceEqual(intended.Username))
            || read.GroupCount != intended.Groups.Count)
        {
            return false;
        }

        for (var i = 0; i < intended.Groups.Count; i++)
        {
            if (!read.Group(i).SequenceEqual(intended.Groups[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws when the rendered data does not read back exactly.</summary>
    public static void Verify(AwsAuthData intended, IReadOnlyList<KeyValuePair<string, string>> rendered) => Refuse(Check(intended, rendered));

    /// <summary>The same for data rendered as UTF-8.</summary>
    public static void Verify(AwsAuthData intended, IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> rendered) => Refuse(Check(intended, rendered));

    private static void Refuse(string? problem)
    {
        if (problem is not null)
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

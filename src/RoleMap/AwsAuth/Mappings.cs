using RoleMap.Diagnostics;
using RoleMap.Yaml;

namespace RoleMap.AwsAuth;

/// <summary>Which standard principal an entry is for; decides its username and groups when generated.</summary>
public enum EntryKind
{
    /// <summary>A role or user mapped to groups chosen by the operator.</summary>
    Custom,

    /// <summary>EC2 Linux worker nodes (managed, self-managed, Karpenter).</summary>
    LinuxNode,

    /// <summary>EC2 Windows worker nodes.</summary>
    WindowsNode,

    /// <summary>Fargate pod execution role.</summary>
    Fargate,

    /// <summary>EKS hybrid nodes.</summary>
    HybridNode,
}

/// <summary>One entry of <c>mapRoles</c> or <c>mapUsers</c>.</summary>
/// <param name="Arn">The <c>rolearn</c> or <c>userarn</c>; null for an <c>sso</c> role entry.</param>
/// <param name="Username">The username template; null when absent (the authenticator then uses "").</param>
/// <param name="Groups">Group templates, in order.</param>
/// <param name="ExtraFields">Fields rolemap does not interpret (<c>userid</c>, <c>sso</c>, unknown ones), kept so a rewrite loses nothing.</param>
public sealed record MapEntry(string? Arn, string? Username, IReadOnlyList<string> Groups, IReadOnlyList<KeyValuePair<string, YamlValue>> ExtraFields)
{
    public MapEntry(string? arn, string? username, IReadOnlyList<string> groups)
        : this(arn, username, groups, [])
    {
    }

    /// <summary>Where the entry was read from, when it was read.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>Value equality on content (lists compared element by element).</summary>
    public bool SameAs(MapEntry other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Arn != other.Arn || Username != other.Username || Groups.Count != other.Groups.Count || ExtraFields.Count != other.ExtraFields.Count)
        {
            return false;
        }

        // Loops rather than LINQ: this compares every entry of every read-back.
        for (var i = 0; i < Groups.Count; i++)
        {
            if (!string.Equals(Groups[i], other.Groups[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        for (var i = 0; i < ExtraFields.Count; i++)
        {
            if (ExtraFields[i].Key != other.ExtraFields[i].Key || !YamlValueEquality.Equal(ExtraFields[i].Value, other.ExtraFields[i].Value))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>The three mapping lists of aws-auth as data: what goes into (or came out of) the ConfigMap keys.</summary>
public sealed record AwsAuthData(IReadOnlyList<MapEntry> Roles, IReadOnlyList<MapEntry> Users, IReadOnlyList<string> Accounts)
{
    public static AwsAuthData Empty { get; } = new([], [], []);
}

/// <summary>Content equality for <see cref="YamlValue"/> trees.</summary>
public static class YamlValueEquality
{
    public static bool Equal(YamlValue a, YamlValue b) => (a, b) switch
    {
        (YamlString x, YamlString y) => x.Value == y.Value,
        (YamlPlain x, YamlPlain y) => x.Text == y.Text,
        (YamlSequence x, YamlSequence y) => x.Items.Count == y.Items.Count && x.Items.Zip(y.Items).All(p => Equal(p.First, p.Second)),
        (YamlMapping x, YamlMapping y) => x.Pairs.Count == y.Pairs.Count
            && x.Pairs.Zip(y.Pairs).All(p => p.First.Key == p.Second.Key && Equal(p.First.Value, p.Second.Value)),
        _ => false,
    };
}

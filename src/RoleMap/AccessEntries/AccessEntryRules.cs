using RoleMap.Arns;
using RoleMap.AwsAuth;

namespace RoleMap.AccessEntries;

/// <summary>
/// The constraints EKS puts on access entries (EKS User Guide: creating-access-entries, set-custom-username;
/// CreateAccessEntry API reference) and the usernames it generates when none is given.
/// </summary>
public static class AccessEntryRules
{
    /// <summary>Prefixes an access entry username may not start with.</summary>
    public static IReadOnlyList<string> ReservedUsernamePrefixes { get; } = ["system:", "eks:", "aws:", "amazon:", "iam:"];

    /// <summary>The only group prefix EKS documents as rejected ("it cannot start with system:").</summary>
    public const string ReservedGroupPrefix = "system:";

    /// <summary>The group every authenticated caller gets from the API server anyway.</summary>
    public const string Authenticated = "system:authenticated";

    private const string SessionNamePrefix = "{{SessionName";

    /// <summary>The reserved prefix a name starts with (compared as written, like the authenticator's HasPrefix), or null.</summary>
    public static string? ReservedPrefix(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (var i = 0; i < ReservedUsernamePrefixes.Count; i++) // a loop, not LINQ: lint asks this for every group of every entry
        {
            if (name.StartsWith(ReservedUsernamePrefixes[i], StringComparison.Ordinal))
            {
                return ReservedUsernamePrefixes[i];
            }
        }

        return null;
    }

    /// <summary>
    /// True when a username uses <c>{{SessionName}}</c> or <c>{{SessionNameRaw}}</c> without a colon somewhere before it:
    /// EKS rejects <c>john{{SessionName}}</c> but accepts <c>:john{{SessionName}}</c> and <c>jo:hn{{SessionName}}</c>.
    /// </summary>
    public static bool LacksColonBeforeSessionName(string username) => SessionNameWithoutColon(username) >= 0;

    /// <summary>Where the session placeholder that lacks a colon before it starts (see <see cref="LacksColonBeforeSessionName"/>), or -1.</summary>
    public static int SessionNameWithoutColon(string username)
    {
        ArgumentNullException.ThrowIfNull(username);
        var at = username.IndexOf(SessionNamePrefix, StringComparison.Ordinal);
        return at >= 0 && !username.AsSpan(0, at).Contains(':') ? at : -1;
    }

    /// <summary>Placeholders the access entry documentation names for usernames.</summary>
    public static IReadOnlyList<string> DocumentedUsernamePlaceholders { get; } = [Templates.SessionName, Templates.SessionNameRaw];

    /// <summary>
    /// The username EKS sets when an entry has none (creating-access-entries table): a user's ARN; for a role, the STS
    /// assumed-role ARN with <c>{{SessionName}}</c> and the path removed; the node usernames for node types.
    /// Null when EKS does not document it (EC2 for Auto Mode, HYPERPOD_LINUX) or the ARN does not parse.
    /// </summary>
    public static string? GeneratedUsername(string principalArn, AccessEntryType type)
    {
        ArgumentNullException.ThrowIfNull(principalArn);
        switch (type)
        {
            case AccessEntryType.Ec2Linux or AccessEntryType.Ec2Windows:
                return StandardEntries.NodeUsername;
            case AccessEntryType.FargateLinux or AccessEntryType.HybridLinux:
                return StandardEntries.SessionNodeUsername;
            case AccessEntryType.Standard:
                var parsed = IamArn.Parse(principalArn, out _);
                return parsed?.Kind switch
                {
                    IamArnKind.Role => "arn:" + parsed.Partition + ":sts::" + parsed.Account + ":assumed-role/" + parsed.Name + "/" + Templates.SessionName,
                    IamArnKind.User => principalArn,
                    _ => null,
                };
            default:
                return null;
        }
    }

    /// <summary>True when an IAM role is a service-linked role, which access entries do not support.</summary>
    /// <remarks>
    /// Service-linked roles live under <c>/aws-service-role/</c>. aws-auth holds them without the path (eksctl writes the
    /// EMR role as <c>role/AWSServiceRoleForAmazonEMRContainers</c>), so the <c>AWSServiceRoleFor</c> name prefix counts too.
    /// </remarks>
    public static bool IsServiceLinkedRole(IamArn arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        return arn.Kind is IamArnKind.Role or IamArnKind.AssumedRole
            && (arn.Path.StartsWith("/aws-service-role/", StringComparison.Ordinal) || arn.Name.StartsWith("AWSServiceRoleFor", StringComparison.Ordinal));
    }
}

using RoleMap.Text;

namespace RoleMap.Arns;

/// <summary>The principal an ARN names.</summary>
public enum IamArnKind
{
    Role,
    User,
    Root,
    AssumedRole,
    FederatedUser,
}

/// <summary>A problem with an ARN as it would be written into aws-auth, with a stable rule id and a fix where one exists.</summary>
public sealed record ArnProblem(string Rule, string Message, string? Fix = null);

/// <summary>
/// A principal ARN split into its parts: kind, path (<c>/</c> when none), name and, for assumed roles, the session.
/// Stricter than the authenticator (which checks nothing in aws-auth): this is what a correct entry looks like.
/// </summary>
public sealed record IamArn(Arn Arn, IamArnKind Kind, string Path, string Name, string? Session)
{
    public string Partition => Arn.Partition;

    public string Account => Arn.Account;

    public bool HasPath => Path != "/";

    /// <summary>The role ARN as the authenticator matches it: no path, service iam, no region.</summary>
    public string RoleArnWithoutPath => "arn:" + Arn.Partition + ":iam::" + Arn.Account + ":role/" + Name;

    /// <summary>The ARN with its path, for access entries (for assumed roles the path is unknown: none).</summary>
    public string FullArn => Kind switch
    {
        IamArnKind.Role => "arn:" + Arn.Partition + ":iam::" + Arn.Account + ":role" + Path + Name,
        IamArnKind.User => "arn:" + Arn.Partition + ":iam::" + Arn.Account + ":user" + Path + Name,
        IamArnKind.AssumedRole => RoleArnWithoutPath,
        _ => Arn.ToString(),
    };

    public override string ToString() => Arn.ToString();

    /// <summary>
    /// Parses and checks an ARN. Returns the parsed principal when its shape is understood (even with problems such
    /// as a region or a short account), and every problem found. A null result means the ARN cannot be used at all.
    /// </summary>
    public static IamArn? Parse(string text, out IReadOnlyList<ArnProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<ArnProblem>? found = null; // most ARNs have no problem: no list for them
        var parsed = Parse(text, ref found);
        problems = found is null ? [] : found;
        return parsed;
    }

    private static IamArn? Parse(string text, ref List<ArnProblem>? found)
    {
        if (!Arns.Arn.TryParse(text, out var arn, out var error))
        {
            var hint = text.Contains(':', StringComparison.Ordinal) ? "arn:PARTITION:iam::ACCOUNT:role/NAME or ...:user/NAME" : "an ARN such as arn:aws:iam::111122223333:role/NAME";
            (found ??= []).Add(new ArnProblem("arn-malformed", "'" + text + "' is not an ARN (" + error + "); expected " + hint));
            return null;
        }

        if (!Partitions.IsKnown(arn!.Partition))
        {
            var closest = Suggest.Closest(arn.Partition, Partitions.Known, 2);
            (found ??= []).Add(new ArnProblem(
                "arn-partition",
                "partition '" + arn.Partition + "' is not one the authenticator recognises (" + string.Join(", ", Partitions.Known) + "); callers from it are rejected",
                closest is null ? null : (arn with { Partition = closest }).ToString()));
        }

        if (!IsAccountId(arn.Account))
        {
            (found ??= []).Add(new ArnProblem("arn-account", "account '" + arn.Account + "' is not a 12-digit AWS account ID", null));
        }

        // The resource's segments by their slashes, without splitting it: this runs for every ARN of large specs.
        var resource = arn.Resource;
        var firstSlash = resource.IndexOf('/', StringComparison.Ordinal);
        var lastSlash = resource.LastIndexOf('/');
        var type = firstSlash < 0 ? resource.AsSpan() : resource.AsSpan(0, firstSlash);
        var last = resource[(lastSlash + 1)..];
        var segments = firstSlash < 0 ? 1 : firstSlash == lastSlash ? 2 : 3; // 3: three or more
        var iam = arn.Service == "iam";
        var sts = arn.Service == "sts";
        if (iam && type is "role" && segments >= 2 && last.Length > 0)
        {
            return WithRegionCheck(new IamArn(arn, IamArnKind.Role, PathOf(resource, firstSlash, lastSlash), last, null), ref found);
        }

        if (iam && type is "user" && segments >= 2 && last.Length > 0)
        {
            return WithRegionCheck(new IamArn(arn, IamArnKind.User, PathOf(resource, firstSlash, lastSlash), last, null), ref found);
        }

        if (iam && type is "root" && segments == 1)
        {
            return WithRegionCheck(new IamArn(arn, IamArnKind.Root, "/", "root", null), ref found);
        }

        if (sts && type is "assumed-role" && segments >= 3)
        {
            var beforeLast = resource.LastIndexOf('/', lastSlash - 1);
            var role = resource[(beforeLast + 1)..lastSlash];
            if (role.Length > 0)
            {
                return WithRegionCheck(new IamArn(arn, IamArnKind.AssumedRole, "/", role, last), ref found);
            }
        }

        if (sts && type is "federated-user" && segments >= 2 && last.Length > 0)
        {
            return WithRegionCheck(new IamArn(arn, IamArnKind.FederatedUser, "/", last, null), ref found);
        }

        if (iam && type is "instance-profile")
        {
            (found ??= []).Add(new ArnProblem(
                "arn-resource",
                "'" + text + "' is an instance profile, not a role; EKS sees the role inside it",
                "arn:" + arn.Partition + ":iam::" + arn.Account + ":role/" + last + " (if the role has the profile's name; check with aws iam get-instance-profile)"));
            return null;
        }

        if (iam && type is "group")
        {
            (found ??= []).Add(new ArnProblem("arn-resource", "'" + text + "' is an IAM group; groups are not principals and cannot be mapped (map its roles or users instead)"));
            return null;
        }

        if (iam || sts)
        {
            (found ??= []).Add(new ArnProblem("arn-resource", "resource '" + arn.Resource + "' in '" + text + "' is not a role, user, root, assumed-role or federated-user"));
            return null;
        }

        (found ??= []).Add(new ArnProblem("arn-service", "service '" + arn.Service + "' in '" + text + "' is not iam or sts; only IAM principals can be mapped"));
        return null;

        IamArn WithRegionCheck(IamArn result, ref List<ArnProblem>? found)
        {
            if (arn.Region.Length > 0)
            {
                (found ??= []).Add(new ArnProblem(
                    "arn-region",
                    "'" + text + "' has region '" + arn.Region + "'; caller ARNs never carry a region, so it never matches",
                    (arn with { Region = string.Empty }).ToString()));
            }

            return result;
        }
    }

    /// <summary>
    /// True when <paramref name="text"/> is a role or user ARN in the form the authenticator matches, which
    /// <see cref="Parse"/> takes without a problem: <c>arn:PARTITION:iam::ACCOUNT:role/NAME</c> (or <c>user/</c>) with a
    /// known partition, a 12-digit account, no region and no path. Checked in place, without the objects
    /// <see cref="Parse"/> builds: nearly every ARN of a large spec has this form. False says nothing: parse it.
    /// </summary>
    /// <param name="nameStart">Where the name (<see cref="Name"/>) starts.</param>
    internal static bool IsPlain(string text, out IamArnKind kind, out int nameStart)
    {
        kind = IamArnKind.Role;
        nameStart = 0;
        var span = text.AsSpan();
        var partitionEnd = span.Length > 4 && span.StartsWith("arn:") ? span[4..].IndexOf(':') + 4 : -1;
        if (partitionEnd < 4 || !Partitions.IsKnown(span[4..partitionEnd]))
        {
            return false;
        }

        var rest = span[partitionEnd..];
        if (!rest.StartsWith(":iam::") || rest.Length < 6 + 12 + 1 + 5 + 1 || rest.Slice(6, 12).ContainsAnyExceptInRange('0', '9') || rest[18] != ':')
        {
            return false;
        }

        var resource = rest[19..];
        if (resource.StartsWith("user/"))
        {
            kind = IamArnKind.User;
        }
        else if (!resource.StartsWith("role/"))
        {
            return false;
        }

        // A non-empty name without a slash (a slash would make it a path).
        nameStart = text.Length - resource.Length + 5;
        return nameStart < text.Length && text.AsSpan(nameStart).IndexOf('/') < 0;
    }

    /// <summary>The segments between the type and the name, with their slashes (<c>/a/b/</c>); <c>/</c> when none.</summary>
    private static string PathOf(string resource, int firstSlash, int lastSlash) =>
        firstSlash == lastSlash ? "/" : resource[firstSlash..(lastSlash + 1)];

    /// <summary>
    /// The regular expression <c>^[0-9]{12}$</c> as a loop (this runs for every ARN): twelve ASCII digits, and like
    /// <c>$</c> it also accepts one final line feed.
    /// </summary>
    internal static bool IsAccountId(string account) =>
        (account.Length == 12 || (account.Length == 13 && account[12] == '\n')) && !account.AsSpan(0, 12).ContainsAnyExceptInRange('0', '9');
}

using System.Text.RegularExpressions;
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
public sealed partial record IamArn(Arn Arn, IamArnKind Kind, string Path, string Name, string? Session)
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
        var found = new List<ArnProblem>();
        problems = found;
        if (!Arns.Arn.TryParse(text, out var arn, out var error))
        {
            var hint = text.Contains(':', StringComparison.Ordinal) ? "arn:PARTITION:iam::ACCOUNT:role/NAME or ...:user/NAME" : "an ARN such as arn:aws:iam::111122223333:role/NAME";
            found.Add(new ArnProblem("arn-malformed", "'" + text + "' is not an ARN (" + error + "); expected " + hint));
            return null;
        }

        if (!Partitions.IsKnown(arn!.Partition))
        {
            var closest = Suggest.Closest(arn.Partition, Partitions.Known, 2);
            found.Add(new ArnProblem(
                "arn-partition",
                "partition '" + arn.Partition + "' is not one the authenticator recognises (" + string.Join(", ", Partitions.Known) + "); callers from it are rejected",
                closest is null ? null : (arn with { Partition = closest }).ToString()));
        }

        if (!AccountPattern().IsMatch(arn.Account))
        {
            found.Add(new ArnProblem("arn-account", "account '" + arn.Account + "' is not a 12-digit AWS account ID", null));
        }

        var parts = arn.Resource.Split('/');
        var type = parts[0];
        IamArn? result = null;
        switch (arn.Service, type)
        {
            case ("iam", "role") when parts.Length >= 2 && parts[^1].Length > 0:
                result = new IamArn(arn, IamArnKind.Role, PathOf(parts), parts[^1], null);
                break;
            case ("iam", "user") when parts.Length >= 2 && parts[^1].Length > 0:
                result = new IamArn(arn, IamArnKind.User, PathOf(parts), parts[^1], null);
                break;
            case ("iam", "root") when parts.Length == 1:
                result = new IamArn(arn, IamArnKind.Root, "/", "root", null);
                break;
            case ("sts", "assumed-role") when parts.Length >= 3 && parts[^2].Length > 0:
                result = new IamArn(arn, IamArnKind.AssumedRole, "/", parts[^2], parts[^1]);
                break;
            case ("sts", "federated-user") when parts.Length >= 2 && parts[^1].Length > 0:
                result = new IamArn(arn, IamArnKind.FederatedUser, "/", parts[^1], null);
                break;
            case ("iam", "instance-profile"):
                found.Add(new ArnProblem(
                    "arn-resource",
                    "'" + text + "' is an instance profile, not a role; EKS sees the role inside it",
                    "arn:" + arn.Partition + ":iam::" + arn.Account + ":role/" + parts[^1] + " (if the role has the profile's name; check with aws iam get-instance-profile)"));
                return null;
            case ("iam", "group"):
                found.Add(new ArnProblem("arn-resource", "'" + text + "' is an IAM group; groups are not principals and cannot be mapped (map its roles or users instead)"));
                return null;
            case ("iam" or "sts", _):
                found.Add(new ArnProblem("arn-resource", "resource '" + arn.Resource + "' in '" + text + "' is not a role, user, root, assumed-role or federated-user"));
                return null;
            default:
                found.Add(new ArnProblem("arn-service", "service '" + arn.Service + "' in '" + text + "' is not iam or sts; only IAM principals can be mapped"));
                return null;
        }

        if (arn.Region.Length > 0)
        {
            found.Add(new ArnProblem(
                "arn-region",
                "'" + text + "' has region '" + arn.Region + "'; caller ARNs never carry a region, so it never matches",
                (arn with { Region = string.Empty }).ToString()));
        }

        return result;
    }

    private static string PathOf(string[] parts) =>
        parts.Length <= 2 ? "/" : "/" + string.Join('/', parts[1..^1]) + "/";

    [GeneratedRegex("^[0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountPattern();
}

namespace RoleMap.Arns;

/// <summary>The principal types of aws-iam-authenticator's <c>pkg/arn</c>.</summary>
public enum PrincipalType
{
    None,
    Role,
    User,
    Root,
    FederatedUser,
    AssumedRole,
}

/// <summary>The result of canonicalising a caller ARN: the type and canonical ARN, or the authenticator's error.</summary>
public sealed record CanonicalArn(PrincipalType Type, string Canonical, string? Error)
{
    public bool IsValid => Error is null;
}

/// <summary>
/// ARN canonicalisation exactly as aws-iam-authenticator's <c>arn.Canonicalize</c> and <c>arn.StripPath</c>:
/// an assumed-role ARN becomes the IAM role ARN (session dropped, no path restored); every other accepted
/// ARN is returned unchanged, case included. Error messages are the authenticator's.
/// </summary>
public static class Canonicalizer
{
    public static CanonicalArn Canonicalize(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        if (!Arn.TryParse(arn, out var parsed, out var parseError))
        {
            return Fail("arn '" + arn + "' is invalid: '" + parseError + "'");
        }

        if (!Partitions.IsKnown(parsed!.Partition))
        {
            return Fail("arn '" + arn + "' does not have a recognized partition");
        }

        var parts = parsed.Resource.Split('/');
        var resource = parts[0];
        switch (parsed.Service)
        {
            case "sts":
                switch (resource)
                {
                    case "federated-user":
                        return new CanonicalArn(PrincipalType.FederatedUser, arn, null);
                    case "assumed-role":
                        if (parts.Length < 3)
                        {
                            return Fail("assumed-role arn '" + arn + "' does not have a role");
                        }

                        var role = string.Join('/', parts[1..^1]);
                        return new CanonicalArn(PrincipalType.AssumedRole, "arn:" + parsed.Partition + ":iam::" + parsed.Account + ":role/" + role, null);
                    default:
                        return Fail("unrecognized resource " + parsed.Resource + " for service sts");
                }

            case "iam":
                return resource switch
                {
                    "role" => new CanonicalArn(PrincipalType.Role, arn, null),
                    "user" => new CanonicalArn(PrincipalType.User, arn, null),
                    "root" => new CanonicalArn(PrincipalType.Root, arn, null),
                    _ => Fail("unrecognized resource " + parsed.Resource + " for service iam"),
                };
            default:
                return Fail("service " + parsed.Service + " in arn " + arn + " is not a valid service for identities");
        }
    }

    /// <summary>
    /// The authenticator's StripPath: <c>role/a/b/Name</c> becomes <c>role/Name</c>; anything else is unchanged.
    /// Returns null with the authenticator's error for an unparseable ARN or unknown partition.
    /// </summary>
    public static string? StripPath(string arn, out string? error)
    {
        ArgumentNullException.ThrowIfNull(arn);
        if (!Arn.TryParse(arn, out var parsed, out var parseError))
        {
            error = "arn '" + arn + "' is invalid: '" + parseError + "'";
            return null;
        }

        if (!Partitions.IsKnown(parsed!.Partition))
        {
            error = "arn '" + arn + "' does not have a recognized partition";
            return null;
        }

        error = null;
        var parts = parsed.Resource.Split('/');
        if (parts[0] != "role" || parts.Length <= 2)
        {
            return arn;
        }

        return "arn:" + parsed.Partition + ":iam::" + parsed.Account + ":role/" + parts[^1];
    }

    private static CanonicalArn Fail(string error) => new(PrincipalType.None, string.Empty, error);
}

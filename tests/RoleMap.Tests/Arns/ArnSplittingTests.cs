using RoleMap.Arns;

namespace RoleMap.Tests.Arns;

/// <summary>
/// ARNs are split by index rather than with string.Split; these compare the result with the split the parser used to do
/// (kept here as the reference) over every combination of sections and resource shapes.
/// </summary>
public class ArnSplittingTests
{
    private static readonly string[] Services = ["iam", "sts", "s3", ""];
    private static readonly string[] Resources =
    [
        "", "role", "role/", "role/A", "role/p/A", "role/p/q/A", "role/p/", "role//A", "user/U", "user/p/U", "user/",
        "root", "root/x", "assumed-role/R/s", "assumed-role/R", "assumed-role//s", "assumed-role/p/R/s", "assumed-role/R/",
        "federated-user/F", "federated-user/", "instance-profile", "instance-profile/P", "instance-profile/p/P", "group/G",
        "other/x", "role:x/A", "a:b:c", "/", "//",
    ];

    public static TheoryData<string> Arns()
    {
        var data = new TheoryData<string>();
        foreach (var service in Services)
        {
            foreach (var resource in Resources)
            {
                data.Add("arn:aws:" + service + "::111122223333:" + resource);
                data.Add("arn:aws-cn:" + service + ":us-east-1:1234:" + resource);
            }
        }

        foreach (var text in new[] { "arn:", "arn:aws", "arn:aws:iam", "arn:aws:iam:", "arn:aws:iam::", "arn:aws:iam::1", "arn:aws:iam::1:", "nope", "arn::::", "arn:::::" })
        {
            data.Add(text);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Arns))]
    public void Splits_as_string_split_did(string text)
    {
        var parsed = IamArn.Parse(text, out var problems);
        var sections = text.StartsWith("arn:", StringComparison.Ordinal) ? text.Split(':', 6) : [];
        var arn = Arn.TryParse(text);
        if (sections.Length != 6)
        {
            Assert.Null(arn);
            Assert.Null(parsed);
            return;
        }

        Assert.Equal(new Arn(sections[1], sections[2], sections[3], sections[4], sections[5]), arn);
        var expected = Reference(arn!);
        Assert.Equal(expected?.ToString(), parsed is null ? null : (parsed.Kind, parsed.Path, parsed.Name, parsed.Session).ToString());
        Assert.Equal(problems.Count, problems.Distinct().Count());
    }

    /// <summary>The resource split as IamArn.Parse did it with string.Split.</summary>
    private static (IamArnKind Kind, string Path, string Name, string? Session)? Reference(Arn arn)
    {
        var parts = arn.Resource.Split('/');
        var path = parts.Length <= 2 ? "/" : "/" + string.Join('/', parts[1..^1]) + "/";
        return (arn.Service, parts[0]) switch
        {
            ("iam", "role") when parts.Length >= 2 && parts[^1].Length > 0 => (IamArnKind.Role, path, parts[^1], null),
            ("iam", "user") when parts.Length >= 2 && parts[^1].Length > 0 => (IamArnKind.User, path, parts[^1], null),
            ("iam", "root") when parts.Length == 1 => (IamArnKind.Root, "/", "root", null),
            ("sts", "assumed-role") when parts.Length >= 3 && parts[^2].Length > 0 => (IamArnKind.AssumedRole, "/", parts[^2], parts[^1]),
            ("sts", "federated-user") when parts.Length >= 2 && parts[^1].Length > 0 => (IamArnKind.FederatedUser, "/", parts[^1], null),
            _ => null,
        };
    }
}

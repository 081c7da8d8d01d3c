namespace RoleMap.Arns;

/// <summary>The partitions the authenticator recognises (pkg/endpoints/partitions.go).</summary>
public static class Partitions
{
    public static IReadOnlyList<string> Known { get; } =
        ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"];

    public static bool IsKnown(string partition) => Known.Contains(partition, StringComparer.Ordinal);
}

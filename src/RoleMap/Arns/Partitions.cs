namespace RoleMap.Arns;

/// <summary>The partitions the authenticator recognises (pkg/endpoints/partitions.go).</summary>
public static class Partitions
{
    private static readonly string[] KnownPartitions = ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"];

    public static IReadOnlyList<string> Known { get; } = Array.AsReadOnly(KnownPartitions);

    /// <summary>An ordinal look-up in the array: LINQ's Contains with a comparer enumerates, one allocation per ARN.</summary>
    public static bool IsKnown(string partition) => Array.IndexOf(KnownPartitions, partition) >= 0;

    /// <summary>As <see cref="IsKnown(string)"/>, for a partition still inside its ARN.</summary>
    internal static bool IsKnown(ReadOnlySpan<char> partition)
    {
        foreach (var known in KnownPartitions)
        {
            if (partition.SequenceEqual(known))
            {
                return true;
            }
        }

        return false;
    }
}

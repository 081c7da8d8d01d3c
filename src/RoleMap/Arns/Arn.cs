namespace RoleMap.Arns;

/// <summary>
/// An ARN split the way aws-sdk-go-v2's <c>arn.Parse</c> splits it: prefix <c>arn:</c>, then partition, service,
/// region, account and resource, the resource keeping any further colons.
/// </summary>
public sealed record Arn(string Partition, string Service, string Region, string Account, string Resource)
{
    public override string ToString() => "arn:" + Partition + ":" + Service + ":" + Region + ":" + Account + ":" + Resource;

    /// <summary>Parses like aws-sdk-go-v2: returns the SDK's error text on failure.</summary>
    public static bool TryParse(string? text, out Arn? arn, out string? error)
    {
        arn = null;
        if (text is null || !text.StartsWith("arn:", StringComparison.Ordinal))
        {
            error = "arn: invalid prefix";
            return false;
        }

        var sections = text.Split(':', 6);
        if (sections.Length != 6)
        {
            error = "arn: not enough sections";
            return false;
        }

        arn = new Arn(sections[1], sections[2], sections[3], sections[4], sections[5]);
        error = null;
        return true;
    }

    public static Arn? TryParse(string? text) => TryParse(text, out var arn, out _) ? arn : null;
}

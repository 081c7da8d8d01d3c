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

        // The five colons that split the six sections (the resource keeps any further colons), found without
        // splitting: this runs for every ARN of specs with 100,000 and more.
        Span<int> colons = stackalloc int[5];
        var at = 0;
        for (var i = 0; i < colons.Length; i++)
        {
            var next = text.IndexOf(':', at);
            if (next < 0)
            {
                error = "arn: not enough sections";
                return false;
            }

            colons[i] = next;
            at = next + 1;
        }

        arn = new Arn(
            Section(text, colons[0], colons[1]),
            Section(text, colons[1], colons[2]),
            text[(colons[2] + 1)..colons[3]],
            text[(colons[3] + 1)..colons[4]],
            text[(colons[4] + 1)..]);
        error = null;
        return true;
    }

    /// <summary>A partition or service: the common ones as the one string each, not a new string per ARN.</summary>
    private static string Section(string text, int before, int after) => text.AsSpan(before + 1, after - before - 1) switch
    {
        "aws" => "aws",
        "iam" => "iam",
        "sts" => "sts",
        var other => other.ToString(),
    };

    public static Arn? TryParse(string? text) => TryParse(text, out var arn, out _) ? arn : null;
}

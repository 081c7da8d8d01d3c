using System.Text.RegularExpressions;

namespace RoleMap.Cli.Aws;

/// <summary>An AWS partition: its DNS suffix and where its global IAM endpoint signs.</summary>
internal sealed record AwsPartition(string Name, string DnsSuffix, string IamHost, string IamSigningRegion);

/// <summary>Where a service is reached and for which region its requests are signed.</summary>
internal sealed record AwsEndpoint(Uri Url, string SigningRegion, bool Overridden);

/// <summary>
/// The standard endpoints of EKS, IAM and STS per partition (botocore's partitions.json and endpoint rules), and the
/// AWS_ENDPOINT_URL_&lt;SERVICE&gt; / AWS_ENDPOINT_URL overrides that every AWS SDK honours (read through CliIO).
/// </summary>
internal static partial class AwsEndpoints
{
    private static readonly (Regex Regions, AwsPartition Partition)[] Partitions =
    [
        (ChinaRegions(), new AwsPartition("aws-cn", "amazonaws.com.cn", "iam.cn-north-1.amazonaws.com.cn", "cn-north-1")),
        (GovCloudRegions(), new AwsPartition("aws-us-gov", "amazonaws.com", "iam.us-gov.amazonaws.com", "us-gov-west-1")),
        (IsoRegions(), new AwsPartition("aws-iso", "c2s.ic.gov", "iam.us-iso-east-1.c2s.ic.gov", "us-iso-east-1")),
        (IsoBRegions(), new AwsPartition("aws-iso-b", "sc2s.sgov.gov", "iam.us-isob-east-1.sc2s.sgov.gov", "us-isob-east-1")),
        (IsoERegions(), new AwsPartition("aws-iso-e", "cloud.adc-e.uk", "iam.eu-isoe-west-1.cloud.adc-e.uk", "eu-isoe-west-1")),
        (IsoFRegions(), new AwsPartition("aws-iso-f", "csp.hci.ic.gov", "iam.us-isof-south-1.csp.hci.ic.gov", "us-isof-south-1")),
        (EuscRegions(), new AwsPartition("aws-eusc", "amazonaws.eu", "iam.eusc-de-east-1.amazonaws.eu", "eusc-de-east-1")),
    ];

    private static readonly AwsPartition Commercial = new("aws", "amazonaws.com", "iam.amazonaws.com", "us-east-1");

    /// <summary>The partition of a region; the commercial one for any region no other partition claims (as botocore does).</summary>
    public static AwsPartition PartitionOf(string region) =>
        Partitions.FirstOrDefault(p => p.Regions.IsMatch(region)).Partition ?? Commercial;

    /// <summary>Whether a string looks like a region name at all (e.g. us-west-2), for a clear error on a typo.</summary>
    public static bool LooksLikeRegion(string region) => RegionShape().IsMatch(region);

    /// <summary>The EKS endpoint: regional, signed for the region.</summary>
    public static AwsEndpoint Eks(string region, Func<string, string?> environment) =>
        Override("EKS", region, environment) ?? new AwsEndpoint(new Uri("https://eks." + region + "." + PartitionOf(region).DnsSuffix + "/"), region, false);

    /// <summary>The IAM endpoint: global per partition, signed for the partition's IAM region (with an override too).</summary>
    public static AwsEndpoint Iam(string region, Func<string, string?> environment)
    {
        var partition = PartitionOf(region);
        return Override("IAM", partition.IamSigningRegion, environment) ?? new AwsEndpoint(new Uri("https://" + partition.IamHost + "/"), partition.IamSigningRegion, false);
    }

    /// <summary>The STS endpoint: regional (the SDKs' default), signed for the region.</summary>
    public static AwsEndpoint Sts(string region, Func<string, string?> environment) =>
        Override("STS", region, environment) ?? new AwsEndpoint(new Uri("https://sts." + region + "." + PartitionOf(region).DnsSuffix + "/"), region, false);

    /// <summary>AWS_ENDPOINT_URL_&lt;SERVICE&gt;, else AWS_ENDPOINT_URL, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true.</summary>
    private static AwsEndpoint? Override(string service, string signingRegion, Func<string, string?> environment)
    {
        if (string.Equals(environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var name = "AWS_ENDPOINT_URL_" + service;
        var value = environment(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            name = "AWS_ENDPOINT_URL";
            value = environment(name);
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new RoleMap.Diagnostics.InputException(name + " is not an http(s) URL: '" + value + "'");
        }

        return new AwsEndpoint(url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/"), signingRegion, true);
    }

    [GeneratedRegex(@"^cn\-\w+\-\d+$")]
    private static partial Regex ChinaRegions();

    [GeneratedRegex(@"^us\-gov\-\w+\-\d+$")]
    private static partial Regex GovCloudRegions();

    [GeneratedRegex(@"^us\-iso\-\w+\-\d+$")]
    private static partial Regex IsoRegions();

    [GeneratedRegex(@"^us\-isob\-\w+\-\d+$")]
    private static partial Regex IsoBRegions();

    [GeneratedRegex(@"^eu\-isoe\-\w+\-\d+$")]
    private static partial Regex IsoERegions();

    [GeneratedRegex(@"^us\-isof\-\w+\-\d+$")]
    private static partial Regex IsoFRegions();

    [GeneratedRegex(@"^eusc\-(de)\-\w+\-\d+$")]
    private static partial Regex EuscRegions();

    [GeneratedRegex(@"^[a-z]{2}(\-[a-z]+)+\-\d+$")]
    private static partial Regex RegionShape();
}

using System.CommandLine;
using System.Text.RegularExpressions;
using k8s;
using k8s.KubeConfigModels;
using RoleMap.AwsApi;
using RoleMap.Cli.Cluster;
using RoleMap.Diagnostics;

namespace RoleMap.Cli.Aws;

/// <summary>Which cluster and region, and whose credentials: resolved from flags, the kubeconfig context's exec plugin, then the environment.</summary>
/// <param name="ClusterName">null when no flag or kubeconfig names one (commands that need it refuse).</param>
/// <param name="Profile">The shared-config profile (--profile, the exec plugin's --profile or AWS_PROFILE in its env), or null for the default chain.</param>
/// <param name="RoleArn">The exec plugin's --role-arn: assumed on top of the base credentials.</param>
internal sealed record AwsTarget(string? ClusterName, string Region, string? Profile, string? RoleArn);

/// <summary>Connected AWS clients for one target.</summary>
internal sealed record AwsSession(AwsTarget Target, IEksApi Eks, IIamApi Iam, IStsApi Sts);

/// <summary><c>--cluster-name</c>, <c>--region</c>, <c>--profile</c> and the kubeconfig/context they may be read from.</summary>
internal sealed class AwsTargetOptions
{
    public Option<string?> ClusterName { get; } = new("--cluster-name") { Description = "The EKS cluster (default: the --cluster-name of the kubeconfig context's 'aws eks get-token' exec plugin).", HelpName = "NAME" };

    public Option<string?> Region { get; } = new("--region") { Description = "The AWS region (default: the exec plugin's --region, then AWS_REGION, AWS_DEFAULT_REGION and the profile's region).", HelpName = "REGION" };

    public Option<string?> Profile { get; } = new("--profile") { Description = "The AWS profile (default: the exec plugin's --profile or AWS_PROFILE, then the SDK's default credential chain).", HelpName = "NAME" };

    public Option<string?> Kubeconfig { get; } = new("--kubeconfig") { Description = "kubeconfig whose context names the cluster, region and profile (default: $KUBECONFIG, then ~/.kube/config).", HelpName = "FILE" };

    public Option<string?> Context { get; } = new("--context") { Description = "kubeconfig context to read the cluster, region and profile from (default: the current one).", HelpName = "NAME" };
}

/// <summary>Makes the AWS clients for a command: SDK credentials and signing, the standard endpoints or AWS_ENDPOINT_URL*.</summary>
internal static partial class AwsConnector
{
    /// <summary>How long one AWS request may take before it counts as unanswered.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The clients for a resolved target: endpoints, credentials and the retry policy given.</summary>
    public static AwsSession Connect(CliIO io, AwsTarget target, RetryPolicy retry)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(target);
        var eks = AwsEndpoints.Eks(target.Region, io.Environment);
        var iam = AwsEndpoints.Iam(target.Region, io.Environment);
        var sts = AwsEndpoints.Sts(target.Region, io.Environment);
        var credentials = AwsCredentialSource.Resolve(io, target, sts);

        // One client for the command's lifetime: the process ends with the command.
        var http = AwsTransport.NewHttpClient(RequestTimeout);
        return new AwsSession(
            target,
            new EksHttpApi(new AwsTransport(http, credentials, "eks", eks, target.Region, retry)),
            new IamQueryApi(new AwsTransport(http, credentials, "iam", iam, target.Region, retry)),
            new StsApi(credentials, sts, target.Region));
    }

    /// <summary>
    /// The cluster, region, profile and role: the flags first; then the kubeconfig context's exec plugin ('aws eks
    /// get-token --cluster-name X --region Y [--role-arn R] [--profile P]' with AWS_PROFILE in its env, or
    /// 'aws-iam-authenticator token -i X'), or the region in an EKS API server host name; then AWS_REGION,
    /// AWS_DEFAULT_REGION and the profile's region.
    /// </summary>
    public static AwsTarget Resolve(CliIO io, string? clusterName, string? region, string? profile, string? kubeconfig, string? context)
    {
        ArgumentNullException.ThrowIfNull(io);
        string? roleArn = null;
        var fromContext = KubeconfigTarget(io, kubeconfig, context);
        if (fromContext is not null && (clusterName is null || clusterName == fromContext.ClusterName))
        {
            clusterName ??= fromContext.ClusterName;
            region ??= fromContext.Region;
            profile ??= fromContext.Profile;
            roleArn = fromContext.RoleArn;
        }

        region ??= NonEmpty(io.Environment("AWS_REGION")) ?? NonEmpty(io.Environment("AWS_DEFAULT_REGION")) ?? ProfileRegion(io, profile);
        if (region is null)
        {
            throw new InputException("no AWS region: pass --region REGION, set AWS_REGION, set 'region' in the AWS profile, or use a kubeconfig context made by 'aws eks update-kubeconfig' (its exec plugin names the region)");
        }

        if (!AwsEndpoints.LooksLikeRegion(region))
        {
            throw new InputException("'" + region + "' is not an AWS region name (expected e.g. us-west-2)");
        }

        return new AwsTarget(clusterName, region, profile, roleArn);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? ProfileRegion(CliIO io, string? profile)
    {
        var name = profile ?? NonEmpty(io.Environment("AWS_PROFILE")) ?? "default";
        try
        {
            return AwsCredentialSource.SharedFiles(io).TryGetProfile(name, out var found) ? found.Region?.SystemName : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Amazon.Runtime.AmazonClientException)
        {
            return null;
        }
    }

    /// <summary>What the kubeconfig context says about the AWS target; null without a kubeconfig (unless one was asked for) or without an AWS exec plugin and EKS host.</summary>
    private static ContextTarget? KubeconfigTarget(CliIO io, string? kubeconfig, string? contextName)
    {
        var files = ClusterConnector.KubeconfigFiles(io, kubeconfig);
        if (files.Count == 0)
        {
            if (contextName is not null)
            {
                throw new InputException("--context " + contextName + " given, but no kubeconfig found: pass --kubeconfig FILE or set KUBECONFIG");
            }

            return null;
        }

        K8SConfiguration config;
        try
        {
            config = ClusterConnector.Merge([.. files.Select(f => KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(f)))]);
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            throw new InputException("cannot read the kubeconfig: " + ex.Message, new SourceLocation(string.Join(Path.PathSeparator, files)));
        }

        var name = contextName ?? config.CurrentContext;
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        var context = (config.Contexts ?? []).FirstOrDefault(c => c.Name == name);
        if (context is null)
        {
            if (contextName is not null)
            {
                throw new InputException("no context '" + contextName + "' in the kubeconfig; contexts: " + string.Join(", ", (config.Contexts ?? []).Select(c => c.Name)), new SourceLocation(string.Join(Path.PathSeparator, files)));
            }

            return null;
        }

        var user = (config.Users ?? []).FirstOrDefault(u => u.Name == context.ContextDetails?.User)?.UserCredentials;
        var server = (config.Clusters ?? []).FirstOrDefault(c => c.Name == context.ContextDetails?.Cluster)?.ClusterEndpoint?.Server;
        var hostRegion = server is not null && Uri.TryCreate(server, UriKind.Absolute, out var url) && EksHost().Match(url.Host) is { Success: true } host ? host.Groups["region"].Value : null;
        if (user?.ExternalExecution is { } exec && FromExec(exec.Command, exec.Arguments ?? [], exec.EnvironmentVariables ?? []) is { } target)
        {
            return target with { Region = target.Region ?? hostRegion };
        }

        return hostRegion is null ? null : new ContextTarget(null, hostRegion, null, null);
    }

    /// <summary>The target an exec credential plugin names: 'aws eks get-token …' or 'aws-iam-authenticator token …'.</summary>
    internal static ContextTarget? FromExec(string? command, IList<string> args, IEnumerable<IDictionary<string, string>> environment)
    {
        var program = Path.GetFileNameWithoutExtension(command ?? string.Empty);
        string? cluster = null;
        string? region = null;
        string? profile = null;
        string? role = null;
        string? Value(int i) => i + 1 < args.Count ? args[i + 1] : null;
        if (program == "aws" && args.Contains("eks") && args.Contains("get-token"))
        {
            for (var i = 0; i < args.Count; i++)
            {
                var (flag, inline) = Split(args[i]);
                var value = inline ?? Value(i);
                switch (flag)
                {
                    case "--cluster-name": cluster = value; break;
                    case "--region": region = value; break;
                    case "--role-arn": role = value; break;
                    case "--profile": profile = value; break;
                }
            }
        }
        else if (program == "aws-iam-authenticator" && args.Contains("token"))
        {
            for (var i = 0; i < args.Count; i++)
            {
                var (flag, inline) = Split(args[i]);
                var value = inline ?? Value(i);
                switch (flag)
                {
                    case "-i" or "--cluster-id": cluster = value; break;
                    case "--region": region = value; break;
                    case "-r" or "--role": role = value; break;
                }
            }
        }
        else
        {
            return null;
        }

        foreach (var variable in environment)
        {
            variable.TryGetValue("name", out var name);
            variable.TryGetValue("value", out var value);
            if (name == "AWS_PROFILE" && !string.IsNullOrEmpty(value))
            {
                profile ??= value;
            }
            else if (name is "AWS_REGION" or "AWS_DEFAULT_REGION" && !string.IsNullOrEmpty(value))
            {
                region ??= value;
            }
        }

        return new ContextTarget(cluster, region, profile, role);
    }

    private static (string Flag, string? Inline) Split(string arg)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith('-') && eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }

    /// <summary>What a kubeconfig context names (any part may be missing).</summary>
    internal sealed record ContextTarget(string? ClusterName, string? Region, string? Profile, string? RoleArn);

    /// <summary>An EKS API server host: ID.gr7.REGION.eks.amazonaws.com (or .com.cn).</summary>
    [GeneratedRegex(@"\.(?<region>[a-z]{2}(-[a-z]+)+-\d+)\.eks\.amazonaws\.com(\.cn)?$")]
    private static partial Regex EksHost();
}

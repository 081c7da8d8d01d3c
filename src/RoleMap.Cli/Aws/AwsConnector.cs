using System.CommandLine;
using RoleMap.AwsApi;

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

    /// <summary>Adds the options to a command, leaving out any the command already has (by name).</summary>
    public static AwsTargetOptions AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var options = new AwsTargetOptions();
        foreach (var option in new Option[] { options.ClusterName, options.Region, options.Profile, options.Kubeconfig, options.Context })
        {
            if (!command.Options.Any(o => o.Name == option.Name))
            {
                command.Options.Add(option);
            }
        }

        return options;
    }
}

/// <summary>Makes the AWS clients for a command: SDK credentials and signing, the standard endpoints or AWS_ENDPOINT_URL*.</summary>
internal static class AwsConnector
{
    /// <summary>Resolves the target from the options, kubeconfig and environment, and connects (no call is made yet).</summary>
    public static AwsSession Connect(CliIO io, ParseResult parse, AwsTargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(io);
        if (io.AwsOverride is { } fake)
        {
            return fake(Resolve(io, parse, options));
        }

        throw new NotImplementedException("live AWS is being built (issue 14)");
    }

    public static AwsTarget Resolve(CliIO io, ParseResult parse, AwsTargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(options);
        return new AwsTarget(parse.GetValue(options.ClusterName), parse.GetValue(options.Region) ?? io.Environment("AWS_REGION") ?? "us-east-1", parse.GetValue(options.Profile), null);
    }
}

using System.CommandLine;
using RoleMap.AccessEntries;
using RoleMap.AwsApi;
using RoleMap.Cli.Aws;
using RoleMap.Diagnostics;

namespace RoleMap.Cli;

/// <summary>
/// The word <c>live</c> as a value of <c>--access-entries</c> and <c>--iam-arns</c>, and what every command that
/// talks to AWS shares: the target options, one connection per run, the cluster name, the caller.
/// </summary>
internal sealed class LiveAws
{
    /// <summary>The value that reads from AWS instead of a file.</summary>
    public const string Live = "live";

    private AwsSession? session;

    // Every IAM role and user, listed once per run however many inputs (spec, plan, lint) ask for them.
    private IamDirectory? liveIam;

    public LiveAws(AwsTargetOptions? options = null)
    {
        Options = options ?? new AwsTargetOptions();
    }

    public AwsTargetOptions Options { get; }

    /// <summary>
    /// Adds the target options the command does not have yet (by name). A command with the kubeconfig connection
    /// options already keeps its own --kubeconfig and --context.
    /// </summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { Options.ClusterName, Options.Region, Options.Profile, Options.Kubeconfig, Options.Context })
        {
            if (!command.Options.Any(o => o.Name == option.Name))
            {
                command.Options.Add(option);
            }
        }
    }

    /// <summary>The AWS clients, connected once per run.</summary>
    public AwsSession Connect(CliIO io, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(parse);
        if (session is not null)
        {
            return session;
        }

        // The command's --kubeconfig and --context, whichever option group added them (the connection options of a
        // command that reads RBAC or aws-auth from the cluster, or ours): the AWS target comes from the context they
        // name, not from the current one.
        var options = parse.CommandResult.Command.Options;
        var kubeconfig = options.OfType<Option<string?>>().FirstOrDefault(o => o.Name == Options.Kubeconfig.Name);
        var contexts = options.OfType<Option<string[]>>().FirstOrDefault(o => o.Name == Options.Context.Name) is { } many
            ? parse.GetValue(many) ?? []
            : options.OfType<Option<string?>>().FirstOrDefault(o => o.Name == Options.Context.Name) is { } one && parse.GetValue(one) is { } name ? [name] : [];
        if (contexts.Length > 1)
        {
            throw new InputException("live AWS works on one cluster: give one --context (or --cluster-name and --region)", new SourceLocation("--context"));
        }

        var target = AwsConnector.Resolve(
            io,
            parse.GetValue(Options.ClusterName),
            parse.GetValue(Options.Region),
            parse.GetValue(Options.Profile),
            kubeconfig is null ? null : parse.GetValue(kubeconfig),
            contexts.Length == 1 ? contexts[0] : null);
        return session = io.AwsOverride is { } fake ? fake(target) : AwsConnector.Connect(io, target, Cluster.RetryPolicy.Default);
    }

    /// <summary>The cluster the command works on; refuses when neither a flag nor the kubeconfig names one.</summary>
    public string ClusterName(CliIO io, ParseResult parse) =>
        Connect(io, parse).Target.ClusterName
        ?? throw new InputException("which EKS cluster? give --cluster-name NAME (or a kubeconfig context whose exec plugin runs 'aws eks get-token --cluster-name NAME')", new SourceLocation("--cluster-name"));

    /// <summary>The cluster's access state.</summary>
    public LiveAccessSnapshot Read(CliIO io, ParseResult parse) =>
        LiveAccess.ReadAsync(Connect(io, parse).Eks, ClusterName(io, parse), CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Who the credentials belong to (STS GetCallerIdentity).</summary>
    public string CallerArn(CliIO io, ParseResult parse) =>
        Connect(io, parse).Sts.GetCallerIdentityAsync(CancellationToken.None).GetAwaiter().GetResult().Arn;

    /// <summary>IAM listings from files and, for <c>live</c>, from the IAM API; null when none were given.</summary>
    public IamDirectory? LoadIam(CliIO io, ParseResult parse, IReadOnlyList<string>? values)
    {
        if (values is not { Count: > 0 })
        {
            return null;
        }

        return IamDirectory.Combine(values.Select(v => v == Live
            ? liveIam ??= LiveAccess.ReadIamAsync(Connect(io, parse).Iam, CancellationToken.None).GetAwaiter().GetResult()
            : IamDirectory.Parse(io.ReadText(v), CliIO.DisplayName(v))));
    }
}

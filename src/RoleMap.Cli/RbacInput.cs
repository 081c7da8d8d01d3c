using System.CommandLine;
using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Rbac;
using RoleMap.UseCases;

namespace RoleMap.Cli;

/// <summary>
/// <c>--rbac PATH...</c> and <c>--no-bootstrap</c>: where RBAC objects come from. Files, directories (recursively:
/// .yaml, .yml, .json), '-' for stdin. The library is pure; reading the file system happens here.
/// </summary>
internal sealed class RbacInput
{
    /// <summary>The <c>--rbac</c> value that means the live cluster.</summary>
    public const string ClusterSource = "cluster";

    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    private RbacInput(Option<string[]> paths, Option<bool> noBootstrap)
    {
        Paths = paths;
        NoBootstrap = noBootstrap;
    }

    public Option<string[]> Paths { get; }

    public Option<bool> NoBootstrap { get; }

    /// <summary>The connection options, for <c>--rbac cluster</c> (added with the RBAC options).</summary>
    private Cluster.ClusterOptions? cluster;

    /// <summary>The connection options added with the RBAC options, for other inputs read from the same cluster.</summary>
    public Cluster.ClusterOptions? Connection => cluster;

    public static RbacInput Create(bool required = true) => new(
        new Option<string[]>("--rbac")
        {
            Description = "RBAC manifests: a file, a directory (read recursively: .yaml, .yml, .json) or '-' for stdin, e.g. 'kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml' output; 'cluster' reads the live cluster (--kubeconfig, --context). Repeat --rbac for several.",
            HelpName = "PATH",
            Required = required,
        },
        new Option<bool>("--no-bootstrap") { Description = "Do not add the Kubernetes " + BootstrapPolicy.KubernetesVersion + " default roles and bindings (cluster-admin, view, system:discovery, ...)." });

    /// <summary>Adds only --rbac and --no-bootstrap, for a command that already has the connection options.</summary>
    public void AddTo(Command command, Cluster.ClusterOptions connection)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Paths);
        command.Options.Add(NoBootstrap);
        cluster = connection;
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Paths);
        command.Options.Add(NoBootstrap);
        cluster = Cluster.ClusterOptions.AddTo(command);
    }

    /// <summary>True when at least one --rbac was given.</summary>
    public bool IsGiven(ParseResult parse) => (parse.GetValue(Paths) ?? []).Length > 0;

    /// <summary>Refuses two readers of stdin: RBAC from '-' and aws-auth or a spec from '-'.</summary>
    public void EnsureOneStdin(ParseResult parse, MappingSource mappings)
    {
        var rbacFromStdin = (parse.GetValue(Paths) ?? []).Count(p => p == "-");
        var mappingsFromStdin = (parse.GetValue(mappings.AwsAuth) == "-" ? 1 : 0) + (parse.GetValue(mappings.Spec) == "-" ? 1 : 0);
        if (rbacFromStdin + mappingsFromStdin > 1)
        {
            throw new InputException("only one input can be read from stdin ('-')", new SourceLocation("--rbac"));
        }
    }

    /// <summary>Reads every input and builds the policy; warnings about the input go to stderr.</summary>
    public RbacPolicy Load(CliIO io, ParseResult parse)
    {
        var sources = new List<RbacSource>();
        foreach (var path in parse.GetValue(Paths) ?? [])
        {
            sources.AddRange(path == ClusterSource ? ReadCluster(io, parse) : Expand(io, path));
        }

        var objects = RbacLoader.Load(sources);
        var policy = RbacPolicy.Build(objects, includeDefaults: !parse.GetValue(NoBootstrap));
        foreach (var diagnostic in policy.Diagnostics)
        {
            io.Error.WriteLine("rolemap: " + diagnostic);
        }

        return policy;
    }

    /// <summary>The live cluster's RBAC (a directory literally named 'cluster' is './cluster').</summary>
    private IReadOnlyList<RbacSource> ReadCluster(CliIO io, ParseResult parse)
    {
        var clients = Cluster.ClusterConnector.Connect(io, parse, cluster ?? throw new InvalidOperationException("--rbac cluster needs the connection options on the command"));
        if (clients.Count != 1)
        {
            throw new InputException("--rbac cluster reads one cluster; give a single --context", new SourceLocation("--rbac"));
        }

        return LiveRbac.ReadSourcesAsync(clients[0], CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>A file's RBAC, as bytes where they are UTF-8 (see <see cref="CliIO.ReadSource"/>).</summary>
    private static RbacSource Source(CliIO io, string path) => new(path, io.ReadSource(path));

    private static IEnumerable<RbacSource> Expand(CliIO io, string path)
    {
        if (path == "-")
        {
            return [new RbacSource(CliIO.DisplayName(path), io.ReadText(path))];
        }

        var full = io.FullPath(path);
        if (!Directory.Exists(full))
        {
            return [Source(io, path)];
        }

        var files = Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Select(f => Path.Combine(path, Path.GetRelativePath(full, f)))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new InputException("the directory has no .yaml, .yml or .json files", new SourceLocation(path));
        }

        return files.Select(f => Source(io, f));
    }
}

/// <summary>
/// Who is asking: <c>--as USER</c>, <c>--as-group G</c> (repeatable), or <c>--as-arn ARN</c> resolved as EKS does:
/// through aws-auth, and with <c>--access-entries</c>/<c>--authentication-mode</c> through access entries first.
/// </summary>
internal sealed class IdentityOptions
{
    private IdentityOptions(Option<string?> user, Option<string[]> groups, Option<string?> arn, Option<string?> session, MappingSource mappings, AccessEntryOptions accessEntries)
    {
        User = user;
        Groups = groups;
        Arn = arn;
        Session = session;
        Mappings = mappings;
        AccessEntries = accessEntries;
    }

    public Option<string?> User { get; }

    public Option<string[]> Groups { get; }

    public Option<string?> Arn { get; }

    public Option<string?> Session { get; }

    public MappingSource Mappings { get; }

    public AccessEntryOptions AccessEntries { get; }

    public static IdentityOptions Create() => new(
        new Option<string?>("--as") { Description = "Username to evaluate as, as 'kubectl --as' impersonates it (system:authenticated is added; a ServiceAccount username gets its groups). Impersonation gets RBAC only, never access policies.", HelpName = "USER" },
        new Option<string[]>("--as-group") { Description = "Group to evaluate as (repeatable). Works without --as (empty username).", HelpName = "GROUP" },
        new Option<string?>("--as-arn") { Description = "IAM caller ARN: resolved through aws-auth (--aws-auth or --spec) and access entries (--access-entries) exactly as EKS does (default with --access-entries live: the caller STS names for your AWS credentials).", HelpName = "ARN" },
        new Option<string?>("--session-name") { Description = "Role session name for {{SessionName}} when --as-arn is a role ARN without a session.", HelpName = "NAME" },
        MappingSource.Create(required: false),
        new AccessEntryOptions(
            "Access entries (JSON of 'aws eks describe-access-entry', 'list-associated-access-policies', 'list-access-entries', or 'rolemap access-entries export -o json'): an access entry replaces the principal's aws-auth entry, and its access policies are evaluated after RBAC. Repeatable.",
            "API_AND_CONFIG_MAP (the default with --access-entries), API or CONFIG_MAP."));

    public void AddTo(Command command)
    {
        command.Options.Add(User);
        command.Options.Add(Groups);
        command.Options.Add(Arn);
        command.Options.Add(Session);
        Mappings.AddTo(command);
        AccessEntries.AddTo(command);
    }

    public bool IsGiven(ParseResult parse) =>
        parse.GetValue(User) is not null || (parse.GetValue(Groups)?.Length ?? 0) > 0 || parse.GetValue(Arn) is not null;

    /// <summary>
    /// The identity, or the reason there is none (an ARN EKS does not map). With <c>--access-entries live</c> and no
    /// identity given, the caller is who the AWS credentials belong to (STS GetCallerIdentity).
    /// </summary>
    public ResolvedIdentity Resolve(CliIO io, ParseResult parse)
    {
        var arn = parse.GetValue(Arn);
        var user = parse.GetValue(User);
        var groups = parse.GetValue(Groups) ?? [];
        if (arn is null && user is null && groups.Length == 0 && AccessEntries.IsLive(parse))
        {
            arn = AccessEntries.Aws.CallerArn(io, parse);
        }
        if (arn is not null)
        {
            if (user is not null || groups.Length > 0)
            {
                throw new InputException("give either --as-arn or --as/--as-group, not both", new SourceLocation("--as-arn"));
            }

            var data = Mappings.IsGiven(parse) || (parse.GetValue(AccessEntries.Files) ?? []).Length == 0 ? Mappings.Load(io, parse).Data : null;
            var (entries, mode) = AccessEntries.Load(io, parse);
            var caller = CallerUseCase.Resolve(data, entries, mode, arn, new CallerFacts(SessionName: parse.GetValue(Session)), "--as-arn");
            return ResolvedIdentity.FromCaller(caller, arn);
        }

        if (user is null && groups.Length == 0)
        {
            throw new InputException("who is asking? give --as USER, --as-group GROUP or --as-arn ARN (with --aws-auth or --spec)");
        }

        if (AccessEntries.IsGiven(parse))
        {
            throw new InputException("--access-entries and --authentication-mode apply to --as-arn: impersonation (--as, --as-group) gets RBAC only, as on EKS", new SourceLocation("--access-entries"));
        }

        var info = Identities.Impersonated(user ?? string.Empty, groups);
        var origin = string.Join(' ', (user is null ? [] : new[] { "--as " + Quote(user) }).Concat(groups.Select(g => "--as-group " + Quote(g))));
        return new ResolvedIdentity(info, null, origin);
    }

    private static string Quote(string value) => value.Length == 0 || value.Contains(' ', StringComparison.Ordinal) ? "\"" + value + "\"" : value;
}

/// <summary>The identity evaluated, where it came from, and (for an ARN) how EKS resolved it.</summary>
internal sealed record ResolvedIdentity(UserInfo? User, ResolveResult? Resolution, string Origin)
{
    /// <summary>The caller's resolution when access entries were in play.</summary>
    public MixedResolution? Mixed { get; init; }

    /// <summary>The access policies the caller's access entry brings (none through aws-auth or impersonation).</summary>
    public IdentityPolicies Policies => IdentityPolicies.Of(Mixed?.AccessEntry);

    public static ResolvedIdentity FromCaller(CallerResolution caller, string arn)
    {
        var resolution = caller.AwsAuthView;
        var origin = caller.Mixed?.AccessEntry is { } entry
            ? arn + " (access entry " + entry.Entry.PrincipalArn + ")"
            : arn + (resolution.Mapping is { } m ? " (" + m.MatchedBy.Wire() + (m.Entry?.Arn is { } e ? " " + e : string.Empty) + ")" : string.Empty);
        return new ResolvedIdentity(caller.User, resolution, origin) { Mixed = caller.Mixed };
    }

    /// <summary>Why there is no identity: the caller is not mapped or is rejected.</summary>
    public string Unmapped => Resolution?.Failure is { } failure
        ? "EKS rejects this caller: " + failure
        : Mixed is { } mixed
            ? "no access entry matches this caller" + (mixed.Mode == AuthenticationMode.Api ? " (API mode: aws-auth is not read)" : " and aws-auth does not map it") + ": EKS rejects it with 401 Unauthorized before any authorization"
            : "aws-auth does not map this caller (no mapRoles or mapUsers entry, account not in mapAccounts): EKS rejects it with 401 Unauthorized before any authorization";

    /// <summary>Notes from the resolution (placeholders not known offline, duplicates, access-entry precedence).</summary>
    public IReadOnlyList<string> Notes =>
        [.. Resolution?.Notes ?? [], .. User is not null && NotModelled.For(User) is { } node ? [node] : Array.Empty<string>()];

    /// <summary><c>"dev:alice" [dev, system:authenticated]</c> and where it came from.</summary>
    public string Describe() => User is null ? Origin : User + " from " + Origin;
}

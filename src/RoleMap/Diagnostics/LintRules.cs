namespace RoleMap.Diagnostics;

/// <summary>Where a finding is made, when that changes its severity.</summary>
public enum FindingContext
{
    /// <summary>In aws-auth as the authenticator reads it.</summary>
    AwsAuth,

    /// <summary>In a spec: rolemap corrects some values (a warning) and refuses some that aws-auth would take (an error).</summary>
    Spec,

    /// <summary>The input shows that the harm happens (a cluster known to have EC2 nodes has no node role).</summary>
    Certain,
}

/// <summary>A lint rule: stable id, default severity, what it catches.</summary>
public sealed record LintRule(string Id, Severity Severity, string Summary)
{
    /// <summary>The severity in a spec, when it differs from <see cref="Severity"/>.</summary>
    public Severity? InSpec { get; init; }

    /// <summary>The severity when the input shows that the harm happens, when it differs from <see cref="Severity"/>.</summary>
    public Severity? WhenCertain { get; init; }

    public Severity SeverityIn(FindingContext context) => context switch
    {
        FindingContext.Spec => InSpec ?? Severity,
        FindingContext.Certain => WhenCertain ?? Severity,
        _ => Severity,
    };
}

/// <summary>
/// Every rule rolemap reports, from the spec compiler, the aws-auth parser and the linter, with its severity: every
/// finding with one of these ids takes its severity from here. Ids are stable: scripts and SARIF consumers may depend on them.
/// </summary>
/// <remarks>In Diagnostics, not Lint: the spec compiler and the aws-auth reader report these rules too, and the linter reads their results.</remarks>
public static class LintRules
{
    public static IReadOnlyList<LintRule> All { get; } =
    [
        // ARNs
        new("arn-malformed", Severity.Error, "Not an ARN: the entry can never match."),
        new("arn-partition", Severity.Error, "Unknown partition: the authenticator rejects callers from it."),
        new("arn-account", Severity.Error, "Account is not 12 digits."),
        new("arn-region", Severity.Error, "IAM ARN with a region: caller ARNs never carry one, so it never matches."),
        new("arn-service", Severity.Error, "Not an iam or sts ARN: only IAM principals can be mapped."),
        new("arn-resource", Severity.Error, "Not a role, user, root, assumed-role or federated-user (an IAM group or instance profile, say)."),
        new("arn-role-path", Severity.Error, "Role ARN with a path: never matches in aws-auth (a spec is corrected with a warning).") { InSpec = Severity.Warning },
        new("arn-assumed-role", Severity.Error, "STS assumed-role ARN: never matches in aws-auth (a spec is corrected with a warning).") { InSpec = Severity.Warning },
        new("arn-unicode-case", Severity.Warning, "An ARN with non-ASCII letters: the authenticator compares case with Go's Unicode folding ('ſ' matches 's'; 'İ' never matches)."),
        new("arn-wrong-list", Severity.Warning, "Role ARN under mapUsers or user ARN under mapRoles (a spec refuses it).") { InSpec = Severity.Error },

        // Duplicates
        new("duplicate-arn", Severity.Error, "The same ARN twice: for roles the last entry wins without merging groups; for users differing only in case the winner is random."),
        new("node-fargate-shared-role", Severity.Error, "The same role used for Fargate and for EC2 nodes: aws-auth keeps only one entry."),
        new("duplicate-account", Severity.Warning, "An account listed twice."),

        // IAM Identity Center permission sets in a spec
        new("sso-permission-set-no-data", Severity.Error, "A permission set mapped by name without IAM role data: its roles (AWSReservedSSO_NAME_SUFFIX) cannot be found."),
        new("sso-permission-set-no-role", Severity.Warning, "A permission set mapped by name has no role in the IAM data: it is not assigned to the account, or the data is incomplete."),

        // Raw aws-auth YAML
        new("configmap-identity", Severity.Warning, "The ConfigMap is not kube-system/aws-auth."),
        new("data-not-string", Severity.Error, "A data value that is not a string (often a missing '|'): the API server rejects the ConfigMap."),
        new("top-key-case", Severity.Error, "mapRoles, mapUsers or mapAccounts in the wrong case: the authenticator ignores the key silently."),
        new("data-key-unknown", Severity.Warning, "A data key the authenticator does not read, close to one it does."),
        new("yaml-invalid", Severity.Error, "A key whose YAML does not parse: every entry in it is dropped, node roles included."),
        new("yaml-control-character", Severity.Error, "A key holding a control character (NUL, ESC, DEL, C1...): go-yaml refuses it and every entry in the key is dropped."),
        new("yaml-tag-mismatch", Severity.Error, "A tag its value cannot have (!!int abc): go-yaml fails the document and every entry in the key is dropped."),
        new("yaml-merge-key", Severity.Warning, "A merge key ('<<'): go-yaml merges the anchored mapping in (a merge of a non-mapping fails the whole key)."),
        new("yaml-binary", Severity.Warning, "A !!binary value: go-yaml decodes the base64 (invalid base64 fails the whole key)."),
        new("yaml-json-value", Severity.Error, "A value JSON cannot hold (.inf, .nan) or a null key: the conversion to JSON fails and every entry in the key is dropped."),
        new("yaml-after-document", Severity.Warning, "Content after the first YAML document or node ('---', text after a flow list): the authenticator never reads it."),
        new("yaml-byte-order-mark", Severity.Info, "A byte-order mark at the start of a key: go-yaml skips it."),
        new("unquoted-template", Severity.Error, "An unquoted value starting with '{{': YAML reads a mapping and the whole key is dropped."),
        new("list-not-sequence", Severity.Error, "mapRoles, mapUsers or mapAccounts is not a list: no entries are read."),
        new("entry-invalid", Severity.Error, "An entry the authenticator drops (no rolearn/userarn, or a bad sso block)."),
        new("field-type", Severity.Error, "A field of the wrong type (a number or boolean username, say): the authenticator leaves it empty."),
        new("groups-not-list", Severity.Error, "groups given as a scalar: the entry is kept with no groups."),
        new("group-list-swallowed", Severity.Error, "A group name containing ' - ': list items merged by bad indentation."),
        new("field-case", Severity.Warning, "A field name not in lower case: accepted by the open-source authenticator, rejected by older EKS versions."),
        new("field-typo", Severity.Error, "An unknown field close to a known one: it is ignored, so the entry loses that value."),
        new("unknown-field", Severity.Info, "A field the authenticator ignores."),

        // Usernames and templates
        new("username-missing", Severity.Warning, "No username: it is empty, which breaks aggregated APIs such as metrics ('kubectl top') and hides who acted."),
        new("template-unknown", Severity.Warning, "A {{placeholder}} the authenticator does not know: it stays in the name literally."),
        new("template-ec2-non-node", Severity.Error, "{{EC2PrivateDNSName}} on a principal that is not an EC2 node role: the authenticator rejects the caller."),
        new("template-session-user", Severity.Warning, "{{SessionName}} on a user mapping: users have no session, so it renders empty."),
        new("control-characters", Severity.Warning, "A username or group with line breaks or control characters."),

        // Groups and RBAC
        new("group-unbound", Severity.Warning, "A mapped group that no RoleBinding or ClusterRoleBinding references and that Kubernetes does not treat specially: it grants nothing."),
        new("binding-group-unmapped", Severity.Info, "A binding to a group that no mapping produces."),
        new("human-in-node-group", Severity.Error, "A principal that is not a node role in system:nodes or system:bootstrappers."),
        new("node-entry-nonstandard", Severity.Error, "A node or Fargate role without its standard username and groups."),
        new("masters-broad", Severity.Warning, "system:masters given to many principals: it bypasses RBAC entirely and cannot be revoked by RBAC."),
        new("map-accounts", Severity.Warning, "mapAccounts: every principal of the account, including any role anyone there can assume, authenticates."),
        new("sso-matcher", Severity.Warning, "An sso matcher entry: alpha, behind a feature gate EKS is not known to enable."),

        // Lockout
        new("no-node-role", Severity.Warning, "No node or Fargate role: nodes cannot join the cluster.") { WhenCertain = Severity.Error },
        new("map-roles-empty", Severity.Warning, "mapRoles is empty: no node can join and no role-based admin can get in."),

        // Access entries readiness
        new("access-entry-group", Severity.Info, "A group access entries reject (reserved prefix system:, eks:, aws:, amazon:, iam:).") { WhenCertain = Severity.Error },
        new("access-entry-username", Severity.Info, "A username access entries reject (reserved prefix, or {{SessionName}} without a ':' before it).") { WhenCertain = Severity.Error },

        // Spec only
        new("account-invalid", Severity.Error, "A mapped account that is not a 12-digit ID."),
        new("label-invalid", Severity.Error, "A ConfigMap label that Kubernetes rejects."),
        new("group-empty", Severity.Error, "An empty group name."),

        // Access entries (lint --access-entries); access-entry-group and access-entry-username are errors on an access entry itself
        new("access-policy-admin-broad", Severity.Warning, "Cluster-wide admin access policies (AmazonEKSClusterAdminPolicy, or AmazonEKSAdminPolicy at cluster scope) on many principals: no RBAC binding can take them back."),
        new("access-entry-shadows-aws-auth", Severity.Warning, "An aws-auth entry for a principal whose access entry gives different access: in API_AND_CONFIG_MAP the access entry wins, so the aws-auth entry is dead."),
        new("access-entry-node-standard", Severity.Warning, "A node role with a STANDARD access entry instead of EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX or HYBRID_LINUX: its nodes get no node identity.") { WhenCertain = Severity.Error },
        new("access-entry-cross-account", Severity.Info, "An access entry for a principal of another account than the cluster's (EKS refuses it for node types).") { WhenCertain = Severity.Error },
        new("access-policy-rules-unknown", Severity.Info, "An associated access policy whose rules AWS does not publish: answers that depend on it are unknown."),
        new("access-entry-principal-recreated", Severity.Error, "The IAM principal was created after its access entry: EKS binds the entry to the principal's unique ID, so the re-created principal no longer matches it."),
    ];

    private static readonly Dictionary<string, LintRule> ById = All.ToDictionary(r => r.Id, StringComparer.Ordinal);

    public static LintRule Get(string id) => ById.TryGetValue(id, out var rule) ? rule : throw new ArgumentException("unknown rule " + id, nameof(id));

    public static bool Exists(string id) => ById.ContainsKey(id);

    /// <summary>A finding of rule <paramref name="id"/>, with the rule's severity in <paramref name="context"/>.</summary>
    public static Diagnostic Finding(string id, string message, SourceLocation? location, string? fix = null, FindingContext context = FindingContext.AwsAuth) =>
        new(id, Get(id).SeverityIn(context), message, location, fix);
}

using System.Globalization;
using System.Text;

namespace RoleMap.Bench.Inputs;

/// <summary>
/// A cluster's RBAC as <c>kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml</c> prints it
/// (one <c>kind: List</c>, keys sorted, server metadata included): about <c>rules</c> rules in Roles over
/// <c>rules / 50</c> namespaces (one team each), a RoleBinding per Role and per namespace to the default
/// ClusterRoles, and custom ClusterRoles with ClusterRoleBindings holding the last tenth of the rules.
/// <see cref="Spec"/> maps IAM roles to the teams' groups, so who-can, can-i and matrix find principals in it.
/// </summary>
public sealed class RbacInputs
{
    private static readonly (string Group, string[] Resources)[] Apis =
    [
        ("", ["pods", "pods/log", "pods/exec", "services", "configmaps", "secrets", "persistentvolumeclaims", "serviceaccounts", "events", "endpoints"]),
        ("apps", ["deployments", "statefulsets", "daemonsets", "replicasets", "deployments/scale"]),
        ("batch", ["jobs", "cronjobs"]),
        ("networking.k8s.io", ["ingresses", "networkpolicies"]),
        ("autoscaling", ["horizontalpodautoscalers"]),
        ("policy", ["poddisruptionbudgets"]),
        ("monitoring.coreos.com", ["servicemonitors", "prometheusrules"]),
        ("example.com", ["widgets", "gadgets"]),
    ];

    private static readonly string[][] VerbSets =
    [
        ["get", "list", "watch"],
        ["get", "list", "watch", "create", "update", "patch", "delete"],
        ["get"],
        ["create", "delete"],
        ["*"],
        ["get", "list"],
        ["update", "patch"],
    ];

    private static readonly string[] DefaultRoles = ["view", "edit", "admin"];

    private RbacInputs(string yaml, string spec, int ruleCount, int namespaceCount, int objectCount, string sampleNamespace, string sampleArn)
    {
        Yaml = yaml;
        Spec = spec;
        RuleCount = ruleCount;
        NamespaceCount = namespaceCount;
        ObjectCount = objectCount;
        SampleNamespace = sampleNamespace;
        SampleArn = sampleArn;
    }

    /// <summary>The kubectl List.</summary>
    public string Yaml { get; }

    /// <summary>A spec mapping the IAM principals (node roles and team roles) to the teams' groups.</summary>
    public string Spec { get; }

    public int RuleCount { get; }

    public int NamespaceCount { get; }

    public int ObjectCount { get; }

    /// <summary>A namespace in the middle of the input, to ask questions about.</summary>
    public string SampleNamespace { get; }

    /// <summary>A mapped role ARN whose team works in <see cref="SampleNamespace"/>.</summary>
    public string SampleArn { get; }

    public static RbacInputs Generate(int rules, int principals, ulong seed = 1)
    {
        var random = new SplitMix(seed);
        var namespaces = Math.Max(1, rules / 50);
        var teams = Math.Max(1, namespaces / 2);
        var text = new StringBuilder(rules * 120);
        text.Append("apiVersion: v1\nitems:\n");
        var written = 0;
        var objects = 0;
        var resourceVersion = 1000;

        string Metadata(string name, string? ns)
        {
            var meta = new StringBuilder();
            meta.Append("  metadata:\n    creationTimestamp: \"2025-0").Append(1 + random.Below(9)).Append("-1").Append(random.Below(10)).Append("T0").Append(random.Below(10)).Append(":14:3").Append(random.Below(10)).Append("Z\"\n");
            if (random.Chance(20))
            {
                meta.Append("    labels:\n      app.kubernetes.io/managed-by: Helm\n      team: ").Append(name.Split('-')[0]).Append('\n');
            }

            meta.Append("    name: ").Append(name).Append('\n');
            if (ns is not null)
            {
                meta.Append("    namespace: ").Append(ns).Append('\n');
            }

            meta.Append("    resourceVersion: \"").Append(resourceVersion++).Append("\"\n    uid: ")
                .Append(random.Hex(8)).Append('-').Append(random.Hex(4)).Append('-').Append(random.Hex(4)).Append('-').Append(random.Hex(4)).Append('-').Append(random.Hex(12)).Append('\n');
            return meta.ToString();
        }

        void Rules(int count)
        {
            text.Append("  rules:\n");
            for (var r = 0; r < count; r++)
            {
                var (group, resources) = random.Pick(Apis);
                var chosen = Enumerable.Range(0, 1 + random.Below(3)).Select(_ => random.Pick(resources)).Distinct().Order(StringComparer.Ordinal).ToList();
                text.Append("  - apiGroups:\n    - ").Append(group.Length == 0 ? "\"\"" : group).Append('\n');
                if (random.Chance(5))
                {
                    text.Append("    resourceNames:\n    - ").Append(random.Pick(Words)).Append("-config\n");
                }

                text.Append("    resources:\n");
                foreach (var resource in chosen)
                {
                    text.Append("    - ").Append(resource).Append('\n');
                }

                text.Append("    verbs:\n");
                foreach (var verb in random.Pick(VerbSets))
                {
                    text.Append("    - ").Append(verb == "*" ? "'*'" : verb).Append('\n');
                }
            }

            written += count;
        }

        void Subjects(int team, string ns)
        {
            text.Append("  subjects:\n  - apiGroup: rbac.authorization.k8s.io\n    kind: Group\n    name: ").Append(TeamGroup(team)).Append('\n');
            if (random.Chance(30))
            {
                text.Append("  - apiGroup: rbac.authorization.k8s.io\n    kind: Group\n    name: ").Append(TeamGroup(random.Below(teams))).Append('\n');
            }

            if (random.Chance(30))
            {
                text.Append("  - apiGroup: rbac.authorization.k8s.io\n    kind: User\n    name: ").Append(random.Pick(Words)).Append('.').Append(random.Hex(4)).Append("@example.com\n");
            }

            if (random.Chance(40))
            {
                text.Append("  - kind: ServiceAccount\n    name: ").Append(random.Pick(Words)).Append("-controller\n    namespace: ").Append(ns).Append('\n');
            }
        }

        var sampleNamespace = Namespace(namespaces / 2);
        var namespaceIndex = 0;
        for (; namespaceIndex < namespaces && written < rules * 9 / 10; namespaceIndex++)
        {
            var ns = Namespace(namespaceIndex);
            var team = namespaceIndex % teams;
            var roleCount = 3 + random.Below(5);
            for (var r = 0; r < roleCount; r++)
            {
                var name = random.Pick(Words) + "-" + random.Pick(["reader", "writer", "operator", "debugger"]) + "-" + r.ToString(CultureInfo.InvariantCulture);
                text.Append("- apiVersion: rbac.authorization.k8s.io/v1\n  kind: Role\n").Append(Metadata(name, ns));
                Rules(4 + random.Below(9));
                text.Append("- apiVersion: rbac.authorization.k8s.io/v1\n  kind: RoleBinding\n").Append(Metadata(name, ns))
                    .Append("  roleRef:\n    apiGroup: rbac.authorization.k8s.io\n    kind: Role\n    name: ").Append(name).Append('\n');
                Subjects(team, ns);
                objects += 2;
            }

            var defaultRole = random.Pick(DefaultRoles);
            text.Append("- apiVersion: rbac.authorization.k8s.io/v1\n  kind: RoleBinding\n").Append(Metadata("team-" + defaultRole, ns))
                .Append("  roleRef:\n    apiGroup: rbac.authorization.k8s.io\n    kind: ClusterRole\n    name: ").Append(defaultRole).Append('\n');
            Subjects(team, ns);
            objects++;
        }

        for (var c = 0; written < rules; c++)
        {
            var name = "custom:" + random.Pick(Words) + "-" + c.ToString(CultureInfo.InvariantCulture);
            text.Append("- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRole\n").Append(Metadata(name, null));
            Rules(Math.Min(rules - written, 5 + random.Below(20)));
            text.Append("- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRoleBinding\n").Append(Metadata(name, null))
                .Append("  roleRef:\n    apiGroup: rbac.authorization.k8s.io\n    kind: ClusterRole\n    name: ").Append(name).Append('\n');
            Subjects(random.Below(teams), "kube-system");
            objects += 2;
        }

        text.Append("kind: List\nmetadata:\n  resourceVersion: \"\"\n");

        var spec = new StringBuilder("# Generated by bench/RoleMap.Bench (deterministic); see docs/benchmarks.md.\nnodeRoles:\n  - arn:aws:iam::111122223333:role/eks-nodes\nroles:\n");
        for (var p = 0; p < principals; p++)
        {
            spec.Append("  - arn: arn:aws:iam::111122223333:role/team-").Append(p.ToString(CultureInfo.InvariantCulture))
                .Append("-developer\n    groups: [").Append(TeamGroup(p % teams)).Append("]\n");
        }

        var sampleTeam = namespaces / 2 % teams;
        var sampleArn = "arn:aws:iam::111122223333:role/team-" + (sampleTeam < principals ? sampleTeam : 0).ToString(CultureInfo.InvariantCulture) + "-developer";
        return new RbacInputs(text.ToString(), spec.ToString(), written, namespaceIndex, objects, sampleNamespace, sampleArn);
    }

    private static readonly string[] Words = ["api", "backend", "billing", "data", "deploy", "edge", "frontend", "infra", "ml", "mobile", "ops", "platform", "search", "security", "storage", "web"];

    private static string Namespace(int index) => "ns-" + index.ToString("D5", CultureInfo.InvariantCulture);

    private static string TeamGroup(int team) => "team-" + team.ToString(CultureInfo.InvariantCulture);
}

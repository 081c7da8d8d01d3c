using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Cli.Rendering.Report;
using RoleMap.Rbac;
using RoleMap.Report;
using RoleMap.Tests.TestSupport;
using Xunit;

namespace RoleMap.Tests.Report;

/// <summary>
/// The report's matrix, evaluated split (a principal's ClusterRoleBindings once, each namespace's RoleBindings apart,
/// a reason per rule) against the exact path (<c>matrix</c>'s evaluation and the authorizer, cell by cell): the same
/// report to the byte, on the example with access entries and on generated clusters.
/// </summary>
public class ReportMatrixSplitTests
{
    private const string Account = "111122223333";

    [Fact]
    public void Split_evaluation_is_the_exact_one_on_the_access_entries_example()
    {
        var example = Repo.Path("examples", "eks-access");
        var rbac = RbacLoader.Load(Directory.GetFiles(Path.Combine(example, "rbac")).Order(StringComparer.Ordinal).Select(f => new RbacSource(f, File.ReadAllText(f))));
        var request = new ReportRequest(
            RbacPolicy.Build(rbac),
            AwsAuthParser.Parse(File.ReadAllText(Path.Combine(example, "aws-auth.yaml")), "aws-auth.yaml").Effective,
            ExistingAccessEntries.Parse(File.ReadAllText(Path.Combine(example, "access-entries.json")), "access-entries.json"),
            AuthenticationMode.ApiAndConfigMap,
            ["example"]);

        var (split, exact) = BothWays(request);
        Assert.Equal(exact, split);
        Assert.Contains("access entry ", split, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_evaluation_is_the_exact_one_on_generated_clusters()
    {
        var letters = new HashSet<char>();
        var masters = false;
        for (var seed = 0; seed < 80; seed++)
        {
            var request = Generated(new Random(seed));
            var (split, exact) = BothWays(request);
            Assert.True(exact == split, "seed " + seed.ToString(CultureInfo.InvariantCulture) + ": the split matrix differs from the exact one");
            var matrix = JsonNode.Parse(split)!["matrix"]!;
            letters.UnionWith(matrix["sets"]!.AsArray().SelectMany(s => s!["a"]!.AsArray()).SelectMany(a => (string)a!));
            masters |= matrix["lines"]!.AsArray().Any(l => (string)l! == "Group system:masters");
        }

        // The generated clusters reach every kind of cell: allowed, named objects only, unknown (a policy AWS does not publish), denied.
        Assert.Equal(['.', '?', 'N', 'Y'], letters.Order());
        Assert.True(masters, "no generated principal is in system:masters");
    }

    private static (string Split, string Exact) BothWays(ReportRequest request) =>
        (ReportJson.Document(ReportBuilder.Build(request, exactMatrix: false)), ReportJson.Document(ReportBuilder.Build(request, exactMatrix: true)));

    /// <summary>
    /// A small random cluster: roles with wildcards, subresources and resourceNames (also ""), bindings to users,
    /// groups, service accounts, system:masters and every authenticated user, missing roles, and mapped roles of
    /// which some have access entries with published, unpublished and unknown policies.
    /// </summary>
    private static ReportRequest Generated(Random random)
    {
        string[] namespaces = ["ns-a", "ns-b", "ns-c"];
        string[] groups = ["g0", "g1", "g2", "g3", "system:masters"];
        string[] users = ["u0", "u1", "u2"];
        var yaml = new StringBuilder();
        var clusterRoles = Enumerable.Range(0, 5).Select(i => "cr" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        foreach (var name in clusterRoles)
        {
            Document(yaml, "ClusterRole", name, null, Rules(random));
        }

        foreach (var ns in namespaces)
        {
            for (var i = 0; i < 2; i++)
            {
                Document(yaml, "Role", "role" + i.ToString(CultureInfo.InvariantCulture), ns, Rules(random));
            }
        }

        string Subjects(string? ns)
        {
            var text = new StringBuilder("subjects:\n");
            for (var i = random.Next(1, 4); i > 0; i--)
            {
                _ = random.Next(6) switch
                {
                    0 => text.Append("  - kind: User\n    name: ").Append(Pick(random, users)).Append('\n'),
                    1 => text.Append("  - kind: Group\n    name: system:authenticated\n"),
                    2 => text.Append("  - kind: ServiceAccount\n    name: default\n").Append(ns is null ? "    namespace: ns-a\n" : string.Empty),
                    _ => text.Append("  - kind: Group\n    name: ").Append(Pick(random, groups[..(random.Next(10) == 0 ? 5 : 4)])).Append('\n'),
                };
            }

            return text.ToString();
        }

        for (var i = random.Next(2, 6); i > 0; i--)
        {
            var role = random.Next(12) == 0 ? "missing" : Pick(random, clusterRoles);
            Document(yaml, "ClusterRoleBinding", "crb" + i.ToString(CultureInfo.InvariantCulture), null, "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: " + role + "\n" + Subjects(null));
        }

        foreach (var ns in namespaces)
        {
            for (var i = random.Next(0, 5); i > 0; i--)
            {
                var (kind, role) = random.Next(3) == 0 ? ("ClusterRole", Pick(random, clusterRoles)) : ("Role", "role" + random.Next(3).ToString(CultureInfo.InvariantCulture));
                Document(yaml, "RoleBinding", "rb" + i.ToString(CultureInfo.InvariantCulture), ns, "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: " + kind + "\n  name: " + role + "\n" + Subjects(ns));
            }
        }

        var awsAuth = new StringBuilder("mapRoles: |\n");
        var entries = new StringBuilder();
        for (var i = 0; i < 6; i++)
        {
            var arn = "arn:aws:iam::" + Account + ":role/r" + i.ToString(CultureInfo.InvariantCulture);
            var mapped = groups.Where(_ => random.Next(4) == 0).Where(g => g != "system:masters" || random.Next(3) == 0).ToList();
            var username = Pick(random, users);
            awsAuth.Append("  - rolearn: ").Append(arn).Append("\n    username: ").Append(username).Append("\n    groups: [").Append(string.Join(", ", mapped)).Append("]\n");
            if (random.Next(3) == 0)
            {
                AccessEntry(entries, random, arn, username, mapped.Where(g => g != "system:masters"), namespaces);
            }
        }

        return new ReportRequest(
            RbacPolicy.Build(RbacLoader.Load(yaml.ToString(), "generated.yaml")),
            AwsAuthParser.Parse(awsAuth.ToString(), "aws-auth.yaml").Effective,
            entries.Length == 0 ? null : ExistingAccessEntries.Parse(entries.ToString(), "access-entries.json"),
            entries.Length == 0 ? null : AuthenticationMode.ApiAndConfigMap,
            ["generated"]);
    }

    private static void AccessEntry(StringBuilder json, Random random, string arn, string username, IEnumerable<string> groups, string[] namespaces)
    {
        json.Append("{\"accessEntry\": {\"clusterName\": \"prod\", \"principalArn\": \"").Append(arn).Append("\", \"kubernetesGroups\": [")
            .Append(string.Join(", ", groups.Select(g => "\"" + g + "\""))).Append("], \"type\": \"STANDARD\", \"username\": \"").Append(username).Append("\"}}\n");
        if (random.Next(5) == 0)
        {
            return; // policies not given: unknown
        }

        string[] policies = [AccessPolicyNames.View, AccessPolicyNames.Edit, AccessPolicyNames.Admin, AccessPolicyNames.ClusterAdmin, AccessPolicyNames.AdminView];
        var associations = Enumerable.Range(0, random.Next(1, 3)).Select(_ =>
        {
            var scope = random.Next(2) == 0
                ? "{\"type\": \"cluster\", \"namespaces\": []}"
                : "{\"type\": \"namespace\", \"namespaces\": [\"" + (random.Next(3) == 0 ? "ns-*" : Pick(random, namespaces)) + "\"]}";
            return "{\"policyArn\": \"" + AccessPolicyNames.Arn("aws", Pick(random, policies)) + "\", \"accessScope\": " + scope + "}";
        });
        json.Append("{\"clusterName\": \"prod\", \"principalArn\": \"").Append(arn).Append("\", \"associatedAccessPolicies\": [").Append(string.Join(", ", associations)).Append("]}\n");
    }

    private static string Rules(Random random)
    {
        string[] verbs = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "escalate", "bind", "impersonate", "*"];
        string[] apiGroups = ["", "apps", "example.com", "*"];
        string[] resources = ["pods", "secrets", "pods/exec", "*/exec", "deployments", "widgets", "users", "groups", "namespaces", "nodes", "*"];
        var text = new StringBuilder("rules:\n");
        for (var i = random.Next(1, 5); i > 0; i--)
        {
            text.Append("  - apiGroups: [").Append(string.Join(", ", Some(random, apiGroups).Select(g => "\"" + g + "\""))).Append("]\n")
                .Append("    resources: [").Append(string.Join(", ", Some(random, resources).Select(r => "\"" + r + "\""))).Append("]\n")
                .Append("    verbs: [").Append(string.Join(", ", Some(random, verbs).Select(v => "\"" + v + "\""))).Append("]\n");
            switch (random.Next(5))
            {
                case 0:
                    text.Append("    resourceNames: [web]\n");
                    break;
                case 1 when random.Next(3) == 0:
                    text.Append("    resourceNames: [\"\"]\n");
                    break;
            }
        }

        return text.ToString();
    }

    private static void Document(StringBuilder yaml, string kind, string name, string? ns, string body) =>
        yaml.Append("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ").Append(kind).Append("\nmetadata:\n  name: ").Append(name).Append('\n')
            .Append(ns is null ? string.Empty : "  namespace: " + ns + "\n").Append(body);

    private static string Pick(Random random, IReadOnlyList<string> values) => values[random.Next(values.Count)];

    private static IEnumerable<string> Some(Random random, string[] values) => values.Where(_ => random.Next(3) == 0).DefaultIfEmpty(Pick(random, values));
}

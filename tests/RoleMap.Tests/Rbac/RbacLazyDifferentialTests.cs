using System.Globalization;
using System.Text;
using RoleMap.Diagnostics;
using RoleMap.Rbac;

namespace RoleMap.Tests.Rbac;

/// <summary>
/// The RBAC reader names each object in its messages only when a message is made (no context string per object), shares
/// equal subjects, subject lists and role references, keeps no labels for Roles and bindings, and the policy indexes
/// bindings by (user or group, name) pairs instead of prefixed strings. These tests pin the messages to what the reader
/// wrote before (taken from the previous binary), and compare the policy's answers on generated kubectl Lists, read
/// streamed, whole and from bytes, and damaged, against a brute-force reading of the objects.
/// </summary>
public class RbacLazyDifferentialTests
{
    private const string Rbac = "apiVersion: rbac.authorization.k8s.io/v1\n";

    public static TheoryData<string, string> Messages() => new()
    {
        // An error in an item, after the name is read: the object is named with its namespace.
        {
            "apiVersion: v1\nitems:\n- " + Rbac + "  kind: Role\n  metadata:\n    name: dev\n    namespace: ns-1\n  rules: []\n- " + Rbac + "  kind: Role\n  metadata:\n    name: dev\n    namespace: ns-1\n  rules: x\nkind: List\nmetadata:\n  resourceVersion: \"\"\n",
            "error in.yaml:14:10: document 1, items[1], Role ns-1/dev: rules: expected a list of rules, found a string"
        },
        // Before the name is read: the kind only.
        {
            "apiVersion: v1\nitems:\n- " + Rbac + "  kind: RoleBinding\n  metadata:\n    namespace: ns-1\n    name: [a]\n  roleRef: {kind: Role, name: dev}\nkind: List\n",
            "error in.yaml:7:11: document 1, items[0], RoleBinding: metadata.name: expected a name, found a list"
        },
        // A label that is not a string, in a Role (whose labels are checked, not kept).
        {
            "apiVersion: v1\nitems:\n- " + Rbac + "  kind: Role\n  metadata:\n    name: dev\n    namespace: ns-1\n    labels:\n      a: true\n  rules: []\nkind: List\n",
            "error in.yaml:9:10: document 1, items[0], Role ns-1/dev: metadata.labels.a: expected a string (quote values such as \"true\"), found a boolean (true); Kubernetes reads it as a non-string and refuses the object (quote it)"
        },
        // A List in a List (read whole): items of items.
        {
            "kind: List\nitems:\n- kind: List\n  items:\n  - " + Rbac + "    kind: Role\n    metadata:\n      name: r\n      namespace: nsx\n    rules:\n    - verbs: [get]\n      apiGroups: [\"\"]\n      resources: [pods]\n    - 5\n",
            "error in.yaml:14:7: document 1, items[0], items[0], Role nsx/r: rules[1]: expected a rule (a mapping with verbs, apiGroups, resources...), found a number (5)"
        },
        {
            "kind: List\nitems:\n- kind: List\n  items:\n  - " + Rbac + "    kind: Role\n    metadata:\n      name: r\n      namespace: n\n",
            "error in.yaml:9:18: document 1, items[0], items[0], Role: metadata.namespace: expected a namespace name, found a boolean (n); Kubernetes reads it as a non-string and refuses the object (quote it)"
        },
        // Warnings: at the object (a duplicate, named by its place), at a field, in a nested List, and a second document.
        {
            "apiVersion: v1\nitems:\n- " + Rbac + "  kind: ClusterRole\n  metadata:\n    name: dev\n    namespace: ns-1\n    labels:\n      a: \"x\"\n  rules: []\n- apiVersion: rbac.authorization.k8s.io/v1beta1\n  kind: ClusterRole\n  metadata:\n    name: dev\n  rules: []\n"
                + "- kind: List\n  items:\n  - " + Rbac + "    kind: RoleBinding\n    metadata:\n      name: rb\n    roleRef:\n      kind: Role\n      name: nope\n    subjects:\n    - kind: user\n      name: x\nkind: List\n---\n" + Rbac + "kind: Role\nmetadata:\n  name: dev\n  namespace: ns-1\n---\n" + Rbac + "kind: Role\nmetadata:\n  name: dev\n  namespace: ns-1\n",
            "warning rbac-namespace-ignored in.yaml:7:16 document 1, items[0], ClusterRole dev: metadata.namespace: metadata.namespace 'ns-1' is ignored: this kind is cluster-scoped\n"
            + "warning rbac-old-api-version in.yaml:11:3 document 1, items[1], ClusterRole: apiVersion: apiVersion rbac.authorization.k8s.io/v1beta1 is not served since Kubernetes 1.22; a current API server refuses this manifest. Read as rbac.authorization.k8s.io/v1.\n"
            + "warning rbac-duplicate-object in.yaml:11:3 document 1, items[1], ClusterRole dev: ClusterRole dev is given again; this one replaces the one from in.yaml:3\n"
            + "warning rbac-namespace-defaulted in.yaml:21:7 document 1, items[2], items[0], RoleBinding rb: metadata.namespace: no metadata.namespace; assumed 'default' (kubectl would use the current context's namespace)\n"
            + "warning rbac-invalid-object in.yaml:26:7 document 1, items[2], items[0], RoleBinding rb: subjects[0].kind: kind 'user' is not User, Group or ServiceAccount (case matters); this subject matches no one (did you mean User?) (the API server refuses this object on validation)\n"
            + "warning rbac-duplicate-object in.yaml:36:1 document 3, Role ns-1/dev: Role ns-1/dev is given again; this one replaces the one from in.yaml:30\n"
        },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Messages_name_the_object_as_before_whichever_way_the_text_is_read(string text, string expected)
    {
        Assert.Equal(expected, Messages(() => RbacLoader.Load([new RbacSource("in.yaml", text)], streaming: false)));
        Assert.Equal(expected, Messages(() => RbacLoader.Load([new RbacSource("in.yaml", text)], streaming: true)));
        Assert.Equal(expected, Messages(() => RbacLoader.Load([RbacSource.FromUtf8("in.yaml", Encoding.UTF8.GetBytes(text))])));
    }

    [Fact]
    public void Generated_lists_give_the_answers_of_a_brute_force_reading_whichever_way_they_are_read()
    {
        var random = new Random(2017);
        var outcomes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 300; i++)
        {
            var text = List(random);
            if (random.Next(3) == 0)
            {
                text = Damaged(text, random);
            }

            var whole = Answers(() => RbacLoader.Load([new RbacSource("in.yaml", text)], streaming: false));
            var streamed = Answers(() => RbacLoader.Load([new RbacSource("in.yaml", text)], streaming: true));
            var bytes = Answers(() => RbacLoader.Load([RbacSource.FromUtf8("in.yaml", Encoding.UTF8.GetBytes(text))]));
            Assert.True(whole == streamed, "streamed\n" + streamed + "\nbut whole\n" + whole + "\nfor:\n" + text);
            Assert.True(whole == bytes, "from bytes\n" + bytes + "\nbut whole\n" + whole + "\nfor:\n" + text);
            outcomes.Add(whole.StartsWith("error", StringComparison.Ordinal) ? "error" : whole.Contains("granted", StringComparison.Ordinal) ? "granted" : "none");
        }

        Assert.Equal(["error", "granted", "none"], outcomes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Equal_subjects_and_role_references_are_shared_and_stay_equal()
    {
        var random = new Random(5);
        var objects = RbacLoader.Load([RbacSource.FromUtf8("in.yaml", Encoding.UTF8.GetBytes(List(random, objects: 200)))]);
        var subjects = objects.RoleBindings.SelectMany(b => b.Subjects).ToList();
        var distinct = subjects.Distinct().ToList(); // by value (records)
        Assert.True(distinct.Count < subjects.Count, "the generator repeats subjects");
        Assert.Equal(distinct.Count, subjects.Distinct(ReferenceEqualityComparer.Instance).Count());
        var roleRefs = objects.RoleBindings.Select(b => b.RoleRef).ToList();
        Assert.Equal(roleRefs.Distinct().Count(), roleRefs.Distinct(ReferenceEqualityComparer.Instance).Count());
        Assert.All(objects.ClusterRoles, r => Assert.NotNull(r.Labels));
    }

    /// <summary>The policy's bindings for several users against those a plain scan of every binding finds.</summary>
    private static string Answers(Func<RbacObjects> load)
    {
        RbacObjects objects;
        try
        {
            objects = load();
        }
        catch (InputException ex)
        {
            return "error " + ex.Message + " | " + ex.Location?.Line + ":" + ex.Location?.Column + " " + ex.Location?.Path;
        }

        var policy = RbacPolicy.Build(objects, includeDefaults: false);
        var sb = new StringBuilder();
        foreach (var user in Users)
        {
            foreach (var ns in new string?[] { null, "ns-1", "ns-2", "nowhere" })
            {
                var found = policy.BindingsFor(user, ns).Select(b => b.Display).ToList();
                var expected = objects.ClusterRoleBindings.Cast<Binding>().Where(b => Applies(user, b, string.Empty)).OrderBy(b => b.Name, StringComparer.Ordinal)
                    .Concat(objects.RoleBindings.Where(b => (ns is null || b.Namespace == ns) && Applies(user, b, b.Namespace)).OrderBy(b => b.Namespace, StringComparer.Ordinal).ThenBy(b => b.Name, StringComparer.Ordinal))
                    .Select(b => b.Display).ToList();
                Assert.Equal(expected, found);
                var rules = ns is null ? 0 : policy.RulesFor(user, ns).Rules.Count;
                sb.Append(user.Name).Append(' ').Append(ns).Append(": ").AppendJoin(", ", found).Append(" rules ").Append(rules).Append(found.Count > 0 ? " granted" : string.Empty).Append('\n');
            }
        }

        return sb.Append(Messages(() => objects)).ToString();
    }

    private static readonly UserInfo[] Users =
    [
        new("alice", ["team-1", "system:authenticated"]),
        new("bob", ["team-2"]),
        new("system:serviceaccount:ns-1:ci", ["system:serviceaccounts", "system:serviceaccounts:ns-1"]),
        new("system:serviceaccount:ns-2:ci", ["system:serviceaccounts"]),
        new("nobody", []),
    ];

    // Written out from the API's rules (pkg/registry/rbac/validation/rule.go appliesToUser), independently of the index.
    private static bool Applies(UserInfo user, Binding binding, string ns) => binding.Subjects.Any(s => s.Kind switch
    {
        "User" => s.Name == user.Name,
        "Group" => user.Groups.Contains(s.Name),
        "ServiceAccount" => (string.IsNullOrEmpty(s.Namespace) ? ns : s.Namespace) is { Length: > 0 } sns && user.Name == "system:serviceaccount:" + sns + ":" + s.Name,
        _ => false,
    });

    private static string Messages(Func<RbacObjects> load)
    {
        try
        {
            var objects = load();
            return string.Concat(objects.Diagnostics.Select(d => "warning " + d.Rule + " " + d.Location?.File + ":" + d.Location?.Line + ":" + d.Location?.Column + " " + d.Location?.Path + ": " + d.Message + "\n"));
        }
        catch (InputException ex)
        {
            return "error " + ex.Message;
        }
    }

    /// <summary>A kubectl List as kubectl writes it: metadata never read (uid, timestamps), labels, repeated subjects.</summary>
    private static string List(Random random, int objects = 0)
    {
        var sb = new StringBuilder("apiVersion: v1\nitems:\n");
        for (var i = objects > 0 ? objects : random.Next(1, 12); i > 0; i--)
        {
            var kind = Pick(random, "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding");
            var name = Pick(random, "dev", "view", "ops-" + random.Next(4).ToString(CultureInfo.InvariantCulture));
            sb.Append("- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ").Append(kind).Append("\n  metadata:\n");
            sb.Append("    creationTimestamp: \"2025-03-1").Append(random.Next(10)).Append("T08:14:35Z\"\n");
            if (random.Next(3) == 0)
            {
                sb.Append("    labels:\n      team: ").Append(Pick(random, "a", "b")).Append('\n');
            }

            sb.Append("    name: ").Append(name).Append('\n');
            if (kind is "Role" or "RoleBinding")
            {
                sb.Append("    namespace: ").Append(Pick(random, "ns-1", "ns-2")).Append('\n');
            }

            sb.Append("    resourceVersion: \"").Append(random.Next(100000)).Append("\"\n    uid: ").Append(random.Next().ToString("x8", CultureInfo.InvariantCulture)).Append('\n');
            if (kind is "Role" or "ClusterRole")
            {
                sb.Append("  rules:\n");
                for (var r = random.Next(1, 4); r > 0; r--)
                {
                    sb.Append("  - apiGroups:\n    - \"\"\n    resources:\n    - ").Append(Pick(random, "pods", "secrets", "configmaps")).Append("\n    verbs:\n    - ").Append(Pick(random, "get", "list", "\"*\"")).Append('\n');
                }
            }
            else
            {
                sb.Append("  roleRef:\n    apiGroup: rbac.authorization.k8s.io\n    kind: ").Append(kind == "RoleBinding" && random.Next(2) == 0 ? "Role" : "ClusterRole").Append("\n    name: ").Append(name).Append('\n');
                sb.Append("  subjects:\n");
                for (var s = random.Next(1, 4); s > 0; s--)
                {
                    switch (random.Next(3))
                    {
                        case 0:
                            sb.Append("  - apiGroup: rbac.authorization.k8s.io\n    kind: Group\n    name: ").Append(Pick(random, "team-1", "team-2", "system:serviceaccounts")).Append('\n');
                            break;
                        case 1:
                            sb.Append("  - apiGroup: rbac.authorization.k8s.io\n    kind: User\n    name: ").Append(Pick(random, "alice", "bob")).Append('\n');
                            break;
                        default:
                            sb.Append("  - kind: ServiceAccount\n    name: ci\n").Append(random.Next(2) == 0 ? "    namespace: ns-1\n" : string.Empty);
                            break;
                    }
                }
            }
        }

        return sb.Append("kind: List\nmetadata:\n  resourceVersion: \"\"\n").ToString();
    }

    private static readonly string[] Damage = ["", " ", "\n", ":", "- ", "#", "'", "\"", "[", "{", "|", "\t", "&a ", "*a", "!", "---\n", ",", "  ", "x: 1\n", ".inf", "~", "5"];

    private static string Damaged(string text, Random random)
    {
        var at = random.Next(text.Length + 1);
        var damage = Damage[random.Next(Damage.Length)];
        return damage.Length == 0 && text.Length > 0 ? text.Remove(Math.Min(at, text.Length - 1), 1) : text.Insert(at, damage);
    }

    private static T Pick<T>(Random random, params T[] choices) => choices[random.Next(choices.Length)];
}

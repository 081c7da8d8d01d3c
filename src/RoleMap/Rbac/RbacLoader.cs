using RoleMap.Diagnostics;
using RoleMap.Text;
using RoleMap.Yaml;

namespace RoleMap.Rbac;

/// <summary>One input text with the name to show for it in messages (a path, <c>&lt;stdin&gt;</c>, <c>cluster</c>).</summary>
public sealed record RbacSource(string Name, string Text);

/// <summary>
/// Reads Role, ClusterRole, RoleBinding and ClusterRoleBinding objects (<c>rbac.authorization.k8s.io/v1</c>) from
/// YAML or JSON: multi-document streams, <c>kind: List</c> (kubectl's output) and the API server's typed lists
/// (<c>ClusterRoleList</c>, whose items carry no kind). Other kinds are ignored.
/// An object that cannot be decoded (wrong types, unknown or repeated fields, missing names) is an
/// <see cref="InputException"/> naming file, line, document and field. An object the API server would refuse on
/// validation is read as the authorizer would read it and reported as a warning.
/// </summary>
public static class RbacLoader
{
    public const string ApiGroup = "rbac.authorization.k8s.io";

    private static readonly string[] ObjectKinds = ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"];

    public static RbacObjects Load(string text, string name) => Load([new RbacSource(name, text)]);

    public static RbacObjects Load(IEnumerable<RbacSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var sink = new Sink();
        foreach (var source in sources)
        {
            var documents = YamlLoader.LoadAll(source.Text, source.Name);
            for (var i = 0; i < documents.Count; i++)
            {
                if (documents[i] is { } document)
                {
                    var reader = new ObjectReader(source.Name, i + 1, sink);
                    reader.Read(document, "document " + (i + 1), impliedKind: null, impliedApiVersion: null);
                }
            }
        }

        return sink.Result();
    }

    /// <summary>Collects objects; a later object with the same identity replaces the earlier one, with a warning.</summary>
    private sealed class Sink
    {
        private readonly Dictionary<(string Kind, string Namespace, string Name), (int Index, RbacObject Object)> seen = [];
        private readonly List<RbacObject> objects = [];

        public List<Diagnostic> Diagnostics { get; } = [];

        public void Add(RbacObject item, SourceLocation location)
        {
            var key = (item.Kind, item.Namespace, item.Name);
            if (seen.TryGetValue(key, out var earlier))
            {
                Diagnostics.Add(new Diagnostic("rbac-duplicate-object", Severity.Warning, item.Display + " is given again; this one replaces the one from " + earlier.Object.Source, location));
                objects[earlier.Index] = item;
                seen[key] = (earlier.Index, item);
                return;
            }

            seen[key] = (objects.Count, item);
            objects.Add(item);
        }

        public RbacObjects Result() => new(
            [.. objects.OfType<Role>()],
            [.. objects.OfType<ClusterRole>()],
            [.. objects.OfType<RoleBinding>()],
            [.. objects.OfType<ClusterRoleBinding>()],
            Diagnostics);
    }

    private sealed class ObjectReader(string file, int document, Sink sink)
    {
        private static readonly string[] RuleFields = ["verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs"];
        private static readonly string[] SubjectFields = ["kind", "apiGroup", "name", "namespace"];
        private static readonly string[] RoleRefFields = ["apiGroup", "kind", "name"];
        private static readonly string[] SelectorFields = ["matchLabels", "matchExpressions"];
        private static readonly string[] RequirementFields = ["key", "operator", "values"];
        private static readonly string[] RoleFields = ["apiVersion", "kind", "metadata", "rules"];
        private static readonly string[] ClusterRoleFields = ["apiVersion", "kind", "metadata", "rules", "aggregationRule"];
        private static readonly string[] BindingFields = ["apiVersion", "kind", "metadata", "roleRef", "subjects"];

        private string context = string.Empty;

        public void Read(YNode node, string where, string? impliedKind, string? impliedApiVersion)
        {
            if (node is not YMapping map)
            {
                return; // not a Kubernetes object: other YAML in a directory is ignored
            }

            var kind = PlainString(map.Get("kind")) ?? impliedKind;
            var apiVersion = PlainString(map.Get("apiVersion")) ?? impliedApiVersion;
            if (kind is null)
            {
                return;
            }

            if (kind.EndsWith("List", StringComparison.Ordinal) && map.Get("items") is { } itemsNode)
            {
                ReadList(itemsNode, kind, apiVersion, where);
                return;
            }

            if (!ObjectKinds.Contains(kind, StringComparer.Ordinal))
            {
                return;
            }

            context = where + ", " + kind;
            if (apiVersion is null)
            {
                throw Error(map, "apiVersion", "missing apiVersion; expected " + ApiGroup + "/v1");
            }

            var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
            var group = slash < 0 ? string.Empty : apiVersion[..slash];
            if (group != ApiGroup)
            {
                return; // another API's kind of the same name (a CRD), not RBAC
            }

            var version = apiVersion[(slash + 1)..];
            if (version is not "v1")
            {
                sink.Diagnostics.Add(new Diagnostic("rbac-old-api-version", Severity.Warning, "apiVersion " + apiVersion + " is not served since Kubernetes 1.22; a current API server refuses this manifest. Read as " + ApiGroup + "/v1.", At(map.GetKeyNode("apiVersion") ?? map, "apiVersion"), "use " + ApiGroup + "/v1"));
            }

            switch (kind)
            {
                case "Role":
                    ReadRole(map);
                    break;
                case "ClusterRole":
                    ReadClusterRole(map);
                    break;
                default:
                    ReadBinding(map, kind);
                    break;
            }
        }

        private void ReadList(YNode itemsNode, string kind, string? apiVersion, string where)
        {
            if (itemsNode.IsNull())
            {
                return;
            }

            if (itemsNode is not YSequence items)
            {
                context = where + ", " + kind;
                throw Expected(itemsNode, "items", "a list of objects");
            }

            // A typed list from the API server (ClusterRoleList) omits kind and apiVersion on its items.
            var element = kind == "List" ? null : kind[..^"List".Length];
            var impliedKind = element is not null && ObjectKinds.Contains(element, StringComparer.Ordinal) ? element : null;
            var impliedApiVersion = impliedKind is null ? null : apiVersion;
            for (var i = 0; i < items.Items.Count; i++)
            {
                Read(items.Items[i], where + ", items[" + i + "]", impliedKind, impliedApiVersion);
            }
        }

        private void ReadRole(YMapping map)
        {
            var fields = Fields(map, string.Empty, RoleFields);
            var (name, ns, _) = Metadata(map, fields, namespaced: true);
            var rules = Rules(fields.GetValueOrDefault("rules"), "rules", inRole: true);
            sink.Add(new Role(name, ns, rules, Source(map)), At(map, null));
        }

        private void ReadClusterRole(YMapping map)
        {
            var fields = Fields(map, string.Empty, ClusterRoleFields);
            var (name, _, labels) = Metadata(map, fields, namespaced: false);
            var rules = Rules(fields.GetValueOrDefault("rules"), "rules", inRole: false);
            IReadOnlyList<LabelSelector>? selectors = null;
            if (fields.TryGetValue("aggregationRule", out var aggregation) && !aggregation.IsNull())
            {
                selectors = AggregationRule(aggregation);
            }

            sink.Add(new ClusterRole(name, labels, rules, selectors, Source(map)), At(map, null));
        }

        private void ReadBinding(YMapping map, string kind)
        {
            var fields = Fields(map, string.Empty, BindingFields);
            var namespaced = kind == "RoleBinding";
            var (name, ns, _) = Metadata(map, fields, namespaced);
            if (!fields.TryGetValue("roleRef", out var roleRefNode) || roleRefNode.IsNull())
            {
                throw Error(map, "roleRef", "missing roleRef: a binding must name the role it grants");
            }

            var roleRef = RoleRefOf(roleRefNode, namespaced);
            var subjects = Subjects(fields.GetValueOrDefault("subjects"), namespaced);
            var source = Source(map);
            Binding binding = namespaced
                ? new RoleBinding(name, ns, roleRef, subjects, source)
                : new ClusterRoleBinding(name, roleRef, subjects, source);
            sink.Add(binding, At(map, null));
        }

        private (string Name, string Namespace, IReadOnlyDictionary<string, string> Labels) Metadata(YMapping map, Dictionary<string, YNode> fields, bool namespaced)
        {
            if (!fields.TryGetValue("metadata", out var metadataNode) || metadataNode is not YMapping metadata)
            {
                throw Expected(fields.GetValueOrDefault("metadata") ?? map, "metadata", "a mapping with a name");
            }

            var name = String(metadata.Get("name"), metadata, "metadata.name", "a name");
            if (name.Length == 0)
            {
                throw Error(metadata.Get("name") ?? metadata, "metadata.name", "the name is empty");
            }

            var nsNode = metadata.Get("namespace");
            var ns = nsNode.IsNull() ? null : String(nsNode, metadata, "metadata.namespace", "a namespace name");
            context += " " + (namespaced && !string.IsNullOrEmpty(ns) ? ns + "/" : string.Empty) + name;
            if (namespaced && string.IsNullOrEmpty(ns))
            {
                ns = "default";
                sink.Diagnostics.Add(new Diagnostic("rbac-namespace-defaulted", Severity.Warning, "no metadata.namespace; assumed 'default' (kubectl would use the current context's namespace)", At(metadata, "metadata.namespace"), "write the namespace into the manifest"));
            }
            else if (!namespaced && !string.IsNullOrEmpty(ns))
            {
                sink.Diagnostics.Add(new Diagnostic("rbac-namespace-ignored", Severity.Info, "metadata.namespace '" + ns + "' is ignored: this kind is cluster-scoped", At(nsNode, "metadata.namespace")));
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var labelsNode = metadata.Get("labels");
            if (!labelsNode.IsNull())
            {
                var labelMap = labelsNode as YMapping ?? throw Expected(labelsNode, "metadata.labels", "a mapping of label names to strings");
                foreach (var (key, value) in StringPairs(labelMap, "metadata.labels"))
                {
                    labels[key] = value;
                }
            }

            return (name, namespaced ? ns! : string.Empty, labels);
        }

        private List<PolicyRule> Rules(YNode? node, string path, bool inRole)
        {
            var rules = new List<PolicyRule>();
            if (node.IsNull())
            {
                return rules;
            }

            var items = node as YSequence ?? throw Expected(node, path, "a list of rules");
            for (var i = 0; i < items.Items.Count; i++)
            {
                var rulePath = path + "[" + i + "]";
                var ruleMap = items.Items[i] as YMapping ?? throw Expected(items.Items[i], rulePath, "a rule (a mapping with verbs, apiGroups, resources...)");
                var fields = Fields(ruleMap, rulePath + ".", RuleFields);
                var rule = new PolicyRule(
                    StringList(fields.GetValueOrDefault("verbs"), rulePath, ".verbs"),
                    StringList(fields.GetValueOrDefault("apiGroups"), rulePath, ".apiGroups"),
                    StringList(fields.GetValueOrDefault("resources"), rulePath, ".resources"),
                    StringList(fields.GetValueOrDefault("resourceNames"), rulePath, ".resourceNames"),
                    StringList(fields.GetValueOrDefault("nonResourceURLs"), rulePath, ".nonResourceURLs"));
                ValidateRule(rule, ruleMap, rulePath, inRole);
                rules.Add(rule);
            }

            return rules;
        }

        // pkg/apis/rbac/validation/validation.go ValidatePolicyRule.
        private void ValidateRule(PolicyRule rule, YMapping node, string path, bool inRole)
        {
            string? problem = null;
            if (rule.Verbs.Count == 0)
            {
                problem = "a rule needs at least one verb; this one matches nothing";
            }
            else if (rule.NonResourceUrls.Count > 0 && inRole)
            {
                problem = "nonResourceURLs are not allowed in a namespaced Role; they can never be reached through one";
            }
            else if (rule.NonResourceUrls.Count > 0 && (rule.ApiGroups.Count > 0 || rule.Resources.Count > 0 || rule.ResourceNames.Count > 0))
            {
                problem = "a rule may have nonResourceURLs or apiGroups/resources/resourceNames, not both";
            }
            else if (rule.NonResourceUrls.Count == 0 && rule.ApiGroups.Count == 0)
            {
                problem = "a resource rule needs at least one apiGroup (\"\" for the core group); this one matches nothing";
            }
            else if (rule.NonResourceUrls.Count == 0 && rule.Resources.Count == 0)
            {
                problem = "a resource rule needs at least one resource; this one matches nothing";
            }

            if (problem is not null)
            {
                Invalid(node, path, problem);
            }
        }

        private RoleRef RoleRefOf(YNode node, bool inRoleBinding)
        {
            var map = node as YMapping ?? throw Expected(node, "roleRef", "a mapping with kind and name");
            var fields = Fields(map, "roleRef.", RoleRefFields);
            var kind = String(fields.GetValueOrDefault("kind"), map, "roleRef.kind", "Role or ClusterRole");
            var name = String(fields.GetValueOrDefault("name"), map, "roleRef.name", "the name of the role");
            var group = fields.TryGetValue("apiGroup", out var groupNode) && !groupNode.IsNull() ? String(groupNode, "roleRef.apiGroup", "a string") : string.Empty;
            if (group.Length == 0)
            {
                group = ApiGroup; // pkg/apis/rbac/v1/defaults.go
            }

            if (kind is not ("Role" or "ClusterRole"))
            {
                Invalid(map, "roleRef.kind", "kind '" + kind + "' is not Role or ClusterRole; the authorizer ignores this binding (unsupported role reference kind)");
            }
            else if (!inRoleBinding && kind == "Role")
            {
                Invalid(map, "roleRef.kind", "a ClusterRoleBinding can only refer to a ClusterRole; this binding grants nothing");
            }

            if (group != ApiGroup)
            {
                Invalid(map, "roleRef.apiGroup", "apiGroup '" + group + "' is not " + ApiGroup);
            }

            if (name.Length == 0)
            {
                Invalid(map, "roleRef.name", "the role name is empty");
            }

            return new RoleRef(kind, name, group);
        }

        private List<Subject> Subjects(YNode? node, bool inRoleBinding)
        {
            var subjects = new List<Subject>();
            if (node.IsNull())
            {
                return subjects;
            }

            var items = node as YSequence ?? throw Expected(node, "subjects", "a list of subjects");
            for (var i = 0; i < items.Items.Count; i++)
            {
                var path = "subjects[" + i + "]";
                var map = items.Items[i] as YMapping ?? throw Expected(items.Items[i], path, "a subject (kind, name, namespace)");
                var fields = Fields(map, path + ".", SubjectFields);
                var kind = String(fields.GetValueOrDefault("kind"), map, path + ".kind", "User, Group or ServiceAccount");
                var name = String(fields.GetValueOrDefault("name"), map, path + ".name", "a name");
                var ns = OptionalString(fields.GetValueOrDefault("namespace"), path + ".namespace");
                var group = OptionalString(fields.GetValueOrDefault("apiGroup"), path + ".apiGroup");
                ValidateSubject(map, path, kind, name, ns, group, inRoleBinding);
                subjects.Add(new Subject(kind, name, ns, group));
            }

            return subjects;
        }

        // pkg/apis/rbac/validation/validation.go ValidateRoleBindingSubject.
        private void ValidateSubject(YMapping node, string path, string kind, string name, string? ns, string? group, bool inRoleBinding)
        {
            if (name.Length == 0)
            {
                Invalid(node, path + ".name", "the subject name is empty");
            }

            switch (kind)
            {
                case SubjectKinds.ServiceAccount:
                    if (!string.IsNullOrEmpty(group))
                    {
                        Invalid(node, path + ".apiGroup", "a ServiceAccount subject must have apiGroup \"\", not '" + group + "'");
                    }

                    if (!inRoleBinding && string.IsNullOrEmpty(ns))
                    {
                        Invalid(node, path + ".namespace", "a ServiceAccount subject of a ClusterRoleBinding needs a namespace; without one it matches no one");
                    }

                    break;
                case SubjectKinds.User or SubjectKinds.Group:
                    if (!string.IsNullOrEmpty(group) && group != ApiGroup)
                    {
                        Invalid(node, path + ".apiGroup", "a " + kind + " subject must have apiGroup " + ApiGroup + ", not '" + group + "'");
                    }

                    break;
                default:
                    var suggestion = Suggest.Closest(kind, [SubjectKinds.User, SubjectKinds.Group, SubjectKinds.ServiceAccount]);
                    Invalid(node, path + ".kind", "kind '" + kind + "' is not User, Group or ServiceAccount (case matters); this subject matches no one" + (suggestion is null ? string.Empty : " (did you mean " + suggestion + "?)"));
                    break;
            }
        }

        private List<LabelSelector> AggregationRule(YNode node)
        {
            var map = node as YMapping ?? throw Expected(node, "aggregationRule", "a mapping with clusterRoleSelectors");
            var fields = Fields(map, "aggregationRule.", ["clusterRoleSelectors"]);
            var selectors = new List<LabelSelector>();
            var list = fields.GetValueOrDefault("clusterRoleSelectors");
            if (!list.IsNull())
            {
                var items = list as YSequence ?? throw Expected(list, "aggregationRule.clusterRoleSelectors", "a list of label selectors");
                for (var i = 0; i < items.Items.Count; i++)
                {
                    selectors.Add(Selector(items.Items[i], "aggregationRule.clusterRoleSelectors[" + i + "]"));
                }
            }

            if (selectors.Count == 0)
            {
                Invalid(map, "aggregationRule.clusterRoleSelectors", "an aggregationRule needs at least one selector; this role aggregates nothing and its rules become empty");
            }

            return selectors;
        }

        private LabelSelector Selector(YNode node, string path)
        {
            if (node.IsNull())
            {
                return new LabelSelector([], []);
            }

            var map = node as YMapping ?? throw Expected(node, path, "a label selector (matchLabels, matchExpressions)");
            var fields = Fields(map, path + ".", SelectorFields);
            var labels = new List<KeyValuePair<string, string>>();
            var labelsNode = fields.GetValueOrDefault("matchLabels");
            if (!labelsNode.IsNull())
            {
                var labelMap = labelsNode as YMapping ?? throw Expected(labelsNode, path + ".matchLabels", "a mapping of label names to strings");
                labels.AddRange(StringPairs(labelMap, path + ".matchLabels").Select(p => new KeyValuePair<string, string>(p.Key, p.Value)));
            }

            var requirements = new List<LabelRequirement>();
            var expressions = fields.GetValueOrDefault("matchExpressions");
            if (!expressions.IsNull())
            {
                var items = expressions as YSequence ?? throw Expected(expressions, path + ".matchExpressions", "a list of requirements");
                for (var i = 0; i < items.Items.Count; i++)
                {
                    var itemPath = path + ".matchExpressions[" + i + "]";
                    var item = items.Items[i] as YMapping ?? throw Expected(items.Items[i], itemPath, "a requirement (key, operator, values)");
                    var itemFields = Fields(item, itemPath + ".", RequirementFields);
                    var key = String(itemFields.GetValueOrDefault("key"), item, itemPath + ".key", "a label name");
                    var op = String(itemFields.GetValueOrDefault("operator"), item, itemPath + ".operator", "In, NotIn, Exists or DoesNotExist");
                    var values = StringList(itemFields.GetValueOrDefault("values"), itemPath + ".values");
                    var valid = op switch
                    {
                        "In" or "NotIn" => values.Count > 0 ? null : "operator " + op + " needs at least one value",
                        "Exists" or "DoesNotExist" => values.Count == 0 ? null : "operator " + op + " takes no values",
                        _ => "operator '" + op + "' is not In, NotIn, Exists or DoesNotExist",
                    };
                    if (valid is not null)
                    {
                        // metav1.LabelSelectorAsSelector fails, and the aggregation controller cannot sync the role.
                        throw Error(item, itemPath + ".operator", valid);
                    }

                    requirements.Add(new LabelRequirement(key, op, values));
                }
            }

            return new LabelSelector(labels, requirements);
        }

        private Dictionary<string, YNode> Fields(YMapping map, string prefix, string[] known)
        {
            var result = new Dictionary<string, YNode>(StringComparer.Ordinal);
            foreach (var pair in map.Pairs)
            {
                var key = pair.Key is YScalar { Kind: ScalarKind.String } scalar ? scalar.Value : throw Expected(pair.Key, prefix.TrimEnd('.'), "field names that are strings");
                if (result.ContainsKey(key))
                {
                    throw Error(pair.Key, prefix + key, "field '" + key + "' is given twice");
                }

                if (!known.Contains(key, StringComparer.Ordinal))
                {
                    var suggestion = Suggest.Closest(key, known);
                    throw Error(pair.Key, prefix + key, "unknown field '" + key + "'" + (suggestion is null ? "; expected one of " + string.Join(", ", known) : " (did you mean '" + suggestion + "'?)"));
                }

                result[key] = pair.Value;
            }

            return result;
        }

        private List<(string Key, string Value)> StringPairs(YMapping map, string path)
        {
            var result = new List<(string, string)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pair in map.Pairs)
            {
                var key = String(pair.Key, path, "a label name");
                if (!seen.Add(key))
                {
                    throw Error(pair.Key, path + "." + key, "label '" + key + "' is given twice");
                }

                result.Add((key, String(pair.Value, path + "." + key, "a string (quote values such as \"true\")")));
            }

            return result;
        }

        /// <summary>A list of strings at <paramref name="path"/> + <paramref name="field"/>; the path is only built for a message.</summary>
        /// <remarks>The path is passed in two parts because this runs for every field of every rule of a cluster dump.</remarks>
        private List<string> StringList(YNode? node, string path, string field = "")
        {
            if (node.IsNull())
            {
                return [];
            }

            var items = node as YSequence ?? throw Expected(node, path + field, "a list of strings");
            var result = new List<string>(items.Items.Count);
            for (var i = 0; i < items.Items.Count; i++)
            {
                result.Add(items.Items[i] is YScalar { Kind: ScalarKind.String } scalar ? scalar.Value : String(items.Items[i], path + field + "[" + i + "]", "a string"));
            }

            return result;
        }

        private string String(YNode? node, YNode owner, string path, string expected)
        {
            if (node is null)
            {
                throw Error(owner, path, "expected " + expected + ", found nothing");
            }

            return String(node, path, expected);
        }

        private string String(YNode node, string path, string expected)
        {
            if (node is YScalar { Kind: ScalarKind.String } scalar)
            {
                return scalar.Value;
            }

            if (node is YScalar { Kind: not ScalarKind.Null } other)
            {
                throw Error(node, path, "expected " + expected + ", found " + other.Describe() + "; Kubernetes reads it as a non-string and refuses the object (quote it)");
            }

            throw Expected(node, path, expected);
        }

        private string? OptionalString(YNode? node, string path) => node is null || node.IsNull() ? null : String(node, path, "a string");

        private static string? PlainString(YNode? node) => node is YScalar { Kind: ScalarKind.String } scalar ? scalar.Value : null;

        private void Invalid(YNode node, string path, string message) =>
            sink.Diagnostics.Add(new Diagnostic("rbac-invalid-object", Severity.Warning, message + " (the API server refuses this object on validation)", At(node, path)));

        private ObjectSource Source(YMapping map) => new(file, document, map.Start.Line);

        private SourceLocation At(YNode? node, string? path) =>
            new(file, node?.Start.Line, node?.Start.Column, path is null ? context : context + ": " + path);

        private InputException Error(YNode? node, string path, string message) => new(message, At(node, path));

        private InputException Expected(YNode? node, string path, string expected) =>
            Error(node, path, "expected " + expected + ", found " + (node is null ? "nothing" : node.Describe()));
    }
}

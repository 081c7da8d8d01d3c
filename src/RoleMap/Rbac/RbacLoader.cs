using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;
using RoleMap.Diagnostics;
using RoleMap.Text;
using RoleMap.Yaml;

namespace RoleMap.Rbac;

/// <summary>One input text with the name to show for it in messages (a path, <c>&lt;stdin&gt;</c>, <c>cluster</c>).</summary>
public sealed class RbacSource(string name, SourceText source)
{
    public RbacSource(string name, string text)
        : this(name, new SourceText(text))
    {
    }

    public string Name { get; } = name ?? throw new ArgumentNullException(nameof(name));

    /// <summary>The text; decoded when first asked for if it came as bytes.</summary>
    public string Text => Source.Text;

    /// <summary>The text, or a file's UTF-8 bytes that the fast path reads when they are all ASCII: a large dump is then never one string.</summary>
    public SourceText Source { get; } = source ?? throw new ArgumentNullException(nameof(source));

    /// <summary>A source of a file's UTF-8 bytes (see <see cref="SourceText.FromUtf8"/>).</summary>
    public static RbacSource FromUtf8(string name, byte[] utf8) => new(name, SourceText.FromUtf8(utf8));
}

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

    public static RbacObjects Load(IEnumerable<RbacSource> sources) => Load(sources, streaming: true);

    /// <summary>
    /// <see cref="Load(IEnumerable{RbacSource})"/>, choosing whether objects may be read while the fast path reads the
    /// YAML (the differential test reads both ways; without streaming, every text is read whole first).
    /// </summary>
    internal static RbacObjects Load(IEnumerable<RbacSource> sources, bool streaming)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var sink = new Sink();
        var lists = new StringLists();
        foreach (var source in sources)
        {
            if (streaming && Stream(source, lists) is { } streamed)
            {
                streamed.ReplayInto(sink);
                continue;
            }

            var documents = YamlLoader.LoadManifests(source.Text, source.Name);
            for (var i = 0; i < documents.Count; i++)
            {
                if (documents[i] is { } document)
                {
                    var reader = new ObjectReader(new NodeReader(source.Name, NodeReaderOptions.Kubernetes), i + 1, sink, lists);
                    reader.Read(document, new Where(null, i + 1, -1), impliedKind: null, impliedApiVersion: null);
                }
            }
        }

        return sink.Result();
    }

    /// <summary>
    /// The source's objects read while the fast path reads its YAML (from its bytes when they are ASCII), or null when
    /// the text must be read whole (see <see cref="YamlLoader.TryStreamManifests(string, IManifestVisitor)"/>).
    /// </summary>
    private static StreamedSource? Stream(RbacSource source, StringLists lists)
    {
        var streamed = new StreamedSource(source.Name, lists);
        if (source.Source.Utf8 is { } utf8)
        {
            if (YamlLoader.TryStreamManifests(utf8, streamed))
            {
                return streamed;
            }

            if (Ascii.IsValid(utf8))
            {
                return null; // the text is these bytes, and reading it as a string declines as well
            }

            streamed = new StreamedSource(source.Name, lists);
        }

        return YamlLoader.TryStreamManifests(source.Text, streamed) ? streamed : null;
    }

    /// <summary>
    /// One array per distinct list of strings: the rules of a large cluster repeat the same verbs, groups and resources
    /// endlessly, and 100,000 rules of five lists each were most of the model's memory. Lists are told apart by their
    /// strings' identity, which the YAML reader shares for short texts; equal lists of other strings are merely not
    /// shared. Nothing changes a rule's lists once read.
    /// </summary>
    internal sealed class StringLists
    {
        private readonly SharedArrays<string> strings = new();
        private readonly SharedArrays<Subject> subjectLists = new();
        private readonly Dictionary<RuleLists, PolicyRule> rules = [];
        private readonly Dictionary<(string Kind, string Name, string? Namespace, string? ApiGroup), Subject> subjects = [];
        private readonly Dictionary<(string Kind, string Name, string ApiGroup), RoleRef> roleRefs = [];

        public string[] Intern(List<string> list) => strings.Intern(list);

        /// <summary>
        /// One list per distinct list of subjects (shared <see cref="Subject"/>s, see <see cref="Subject"/>): bindings
        /// grant the same teams in many namespaces. Records nothing changes, so sharing is invisible but for memory.
        /// </summary>
        public IReadOnlyList<Subject> Subjects(List<Subject> list) => subjectLists.Intern(list);

        /// <summary>One subject per distinct kind, name, namespace and API group (records: equal ones are interchangeable).</summary>
        public Subject Subject(string kind, string name, string? ns, string? group)
        {
            if (!subjects.TryGetValue((kind, name, ns, group), out var subject))
            {
                subject = new Subject(kind, name, ns, group);
                subjects.Add((kind, name, ns, group), subject);
            }

            return subject;
        }

        /// <summary>One role reference per distinct kind, name and API group.</summary>
        public RoleRef RoleRef(string kind, string name, string group)
        {
            if (!roleRefs.TryGetValue((kind, name, group), out var roleRef))
            {
                roleRef = new RoleRef(kind, name, group);
                roleRefs.Add((kind, name, group), roleRef);
            }

            return roleRef;
        }

        /// <summary>
        /// One rule per distinct five lists (shared arrays, see <see cref="Intern"/>): a large cluster repeats the same
        /// rules in many roles, and a rule is a record nothing changes, so sharing it is invisible but for memory.
        /// </summary>
        public PolicyRule Rule(string[] verbs, string[] apiGroups, string[] resources, string[] resourceNames, string[] nonResourceUrls)
        {
            var key = new RuleLists(verbs, apiGroups, resources, resourceNames, nonResourceUrls);
            if (!rules.TryGetValue(key, out var rule))
            {
                rule = new PolicyRule(verbs, apiGroups, resources, resourceNames, nonResourceUrls);
                rules.Add(key, rule);
            }

            return rule;
        }

        /// <summary>A rule's lists, the same when they are the same arrays.</summary>
        private readonly struct RuleLists(string[] verbs, string[] apiGroups, string[] resources, string[] resourceNames, string[] nonResourceUrls) : IEquatable<RuleLists>
        {
            private readonly string[] verbs = verbs;
            private readonly string[] apiGroups = apiGroups;
            private readonly string[] resources = resources;
            private readonly string[] resourceNames = resourceNames;
            private readonly string[] nonResourceUrls = nonResourceUrls;

            public bool Equals(RuleLists other) =>
                ReferenceEquals(verbs, other.verbs) && ReferenceEquals(apiGroups, other.apiGroups) && ReferenceEquals(resources, other.resources)
                && ReferenceEquals(resourceNames, other.resourceNames) && ReferenceEquals(nonResourceUrls, other.nonResourceUrls);

            public override bool Equals(object? obj) => obj is RuleLists other && Equals(other);

            public override int GetHashCode() => HashCode.Combine(
                RuntimeHelpers.GetHashCode(verbs), RuntimeHelpers.GetHashCode(apiGroups), RuntimeHelpers.GetHashCode(resources),
                RuntimeHelpers.GetHashCode(resourceNames), RuntimeHelpers.GetHashCode(nonResourceUrls));
        }

        /// <summary>One array per distinct list of the same items (by identity), given as a list to copy when new.</summary>
        private sealed class SharedArrays<T>
            where T : class
        {
            private readonly Dictionary<T[], T[]> known = new(SameItems<T>.Instance);
            private readonly Dictionary<T[], T[]>.AlternateLookup<List<T>> lookup;

            public SharedArrays() => lookup = known.GetAlternateLookup<List<T>>();

            public T[] Intern(List<T> list)
            {
                if (list.Count == 0)
                {
                    return [];
                }

                if (lookup.TryGetValue(list, out var shared))
                {
                    return shared;
                }

                var copy = list.ToArray();
                known.Add(copy, copy);
                return copy;
            }
        }

        private sealed class SameItems<T> : IEqualityComparer<T[]>, IAlternateEqualityComparer<List<T>, T[]>
            where T : class
        {
            public static SameItems<T> Instance { get; } = new();

            public bool Equals(T[]? x, T[]? y) => x is not null && y is not null && Same(x, y);

            public int GetHashCode(T[] obj) => Hash(obj);

            public bool Equals(List<T> alternate, T[] other) => Same(CollectionsMarshal.AsSpan(alternate), other);

            public int GetHashCode(List<T> alternate) => Hash(CollectionsMarshal.AsSpan(alternate));

            public T[] Create(List<T> alternate) => [.. alternate];

            private static bool Same(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
            {
                if (x.Length != y.Length)
                {
                    return false;
                }

                for (var i = 0; i < x.Length; i++)
                {
                    if (!ReferenceEquals(x[i], y[i]))
                    {
                        return false;
                    }
                }

                return true;
            }

            private static int Hash(ReadOnlySpan<T> items)
            {
                var hash = default(HashCode);
                foreach (var item in items)
                {
                    hash.Add(RuntimeHelpers.GetHashCode(item));
                }

                return hash.ToHashCode();
            }
        }
    }

    /// <summary>
    /// The paths of the first rules and subjects of an object, built once: every rule and subject is read with the
    /// paths its messages would name, and building them per item was a good part of the reader's allocation.
    /// </summary>
    private static class ItemPaths
    {
        public const int Cached = 64;

        public static readonly string[] Rules = [.. Enumerable.Range(0, Cached).Select(i => "rules[" + i.ToString(CultureInfo.InvariantCulture) + "]")];

        public static readonly SubjectPaths[] Subjects = [.. Enumerable.Range(0, Cached).Select(i => new SubjectPaths(i))];
    }

    /// <summary>Where a document or List item is: <c>document 2</c>, <c>document 1, items[7]</c>; the text is made for messages only.</summary>
    /// <param name="Prefix">The text of the enclosing place for an item of a nested List, else null (the document).</param>
    /// <param name="Document">The 1-based document.</param>
    /// <param name="Index">The item's index, or -1 for the document itself.</param>
    private readonly record struct Where(string? Prefix, int Document, int Index)
    {
        public string Text => (Prefix ?? "document " + Document.ToString(CultureInfo.InvariantCulture)) + (Index < 0 ? string.Empty : ", items[" + Index.ToString(CultureInfo.InvariantCulture) + "]");

        public Where Item(int index) => new(Index < 0 ? Prefix : Text, Document, index);
    }

    /// <summary>The object being read, as messages name it (<c>document 1, items[7], Role dev/view</c>), written out only for a message.</summary>
    private sealed class ObjectPlace(Where where, string kind) : ILazyContext
    {
        private string? ns;
        private string? name;

        public string Text => where.Text + ", " + kind + (name is null ? string.Empty : " " + (ns is null ? name : ns + "/" + name));

        /// <summary>Once its metadata is read, the object is named by its namespace (or null) and name.</summary>
        public void Named(string? objectNamespace, string objectName)
        {
            ns = objectNamespace;
            name = objectName;
        }
    }

    /// <summary>The paths of subject <c>i</c> and of its fields.</summary>
    private sealed class SubjectPaths(int index)
    {
        public string Item { get; } = "subjects[" + index.ToString(CultureInfo.InvariantCulture) + "]";

        public string Kind => field ??= Item + ".kind";

        public string Name => field ??= Item + ".name";

        public string Namespace => field ??= Item + ".namespace";

        public string ApiGroup => field ??= Item + ".apiGroup";
    }

    /// <summary>Where an <see cref="ObjectReader"/> puts the objects and diagnostics it reads, in order.</summary>
    private interface IObjectSink
    {
        /// <summary>An object read at <paramref name="start"/>; <paramref name="reader"/> (with the object's context) makes its location if a message needs it.</summary>
        void Add(RbacObject item, NodeReader reader, YPosition start);

        void Warn(Diagnostic diagnostic);
    }

    /// <summary>
    /// Reads the objects of one source while the fast path reads its YAML (<see cref="YamlLoader.TryStreamManifests"/>),
    /// one document or List item at a time, so that the tree of a large kubectl List is never whole. Everything read is
    /// held back, the first error included, until the whole text has turned out to read as <see cref="YamlLoader.LoadManifests"/>
    /// reads it: before that, a YAML error further on (or anything the fast path leaves to the exact path) must win, as
    /// it does when the text is read first and the objects after.
    /// </summary>
    private sealed class StreamedSource(string name, StringLists lists) : IManifestVisitor, IObjectSink
    {
        private readonly List<(RbacObject? Item, NodeReader? Reader, YPosition Start, Diagnostic? Diagnostic)> journal = [];
        private ObjectReader? reader;
        private ExceptionDispatchInfo? failure;

        public void Item(int document, int index, YNode item) => Read(document, item, new Where(null, document, index));

        public bool Document(int document, YNode root, YSequence? streamed)
        {
            if (streamed is null)
            {
                Read(document, root, new Where(null, document, -1));
                return true;
            }

            // The items were read as those of a kind: List (ObjectReader.ReadList), which they are only when the root
            // says so and its items are the list that was streamed (the last key wins). Anything else: the exact path.
            return root is YMapping map && ReferenceEquals(map.Get("items"), streamed) && ObjectReader.PlainString(map.Get("kind")) == "List";
        }

        /// <summary>Puts what was read into <paramref name="sink"/>, in order, or throws the first error.</summary>
        public void ReplayInto(Sink sink)
        {
            failure?.Throw();
            foreach (var (item, reader, start, diagnostic) in journal)
            {
                if (item is not null)
                {
                    sink.Add(item, reader!, start);
                }
                else
                {
                    sink.Warn(diagnostic!);
                }
            }
        }

        void IObjectSink.Add(RbacObject item, NodeReader reader, YPosition start) => journal.Add((item, reader, start, null));

        void IObjectSink.Warn(Diagnostic diagnostic) => journal.Add((null, null, default, diagnostic));

        private void Read(int document, YNode node, Where where)
        {
            if (failure is not null)
            {
                return; // the exact path stops at the first error
            }

            try
            {
                if (reader?.Document != document)
                {
                    reader = new ObjectReader(new NodeReader(name, NodeReaderOptions.Kubernetes), document, this, lists);
                }

                reader.Read(node, where, impliedKind: null, impliedApiVersion: null);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
        }
    }

    /// <summary>Collects objects; a later object with the same identity replaces the earlier one, with a warning.</summary>
    private sealed class Sink : IObjectSink
    {
        private readonly Dictionary<(string Kind, string Namespace, string Name), (int Index, RbacObject Object)> seen = [];
        private readonly List<RbacObject> objects = [];

        public List<Diagnostic> Diagnostics { get; } = [];

        public void Warn(Diagnostic diagnostic) => Diagnostics.Add(diagnostic);

        public void Add(RbacObject item, NodeReader reader, YPosition start)
        {
            var key = (item.Kind, item.Namespace, item.Name);
            if (seen.TryGetValue(key, out var earlier))
            {
                Diagnostics.Add(new Diagnostic("rbac-duplicate-object", Severity.Warning, item.Display + " is given again; this one replaces the one from " + earlier.Object.Source, reader.AtStart(start, null)));
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

    private sealed class ObjectReader(NodeReader reader, int document, IObjectSink sink, StringLists lists)
    {
        // Only Roles and bindings are read without their labels: no dictionary for them.
        private static readonly IReadOnlyDictionary<string, string> NoLabels = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;

        private readonly List<string> scratch = [];
        private readonly List<Subject> subjectScratch = [];
        private ObjectPlace? place; // the object being read, for messages

        private static readonly string[] RuleFields = ["verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs"];
        private static readonly string[] SubjectFields = ["kind", "apiGroup", "name", "namespace"];
        private static readonly string[] RoleRefFields = ["apiGroup", "kind", "name"];
        private static readonly string[] SelectorFields = ["matchLabels", "matchExpressions"];
        private static readonly string[] RequirementFields = ["key", "operator", "values"];
        private static readonly string[] AggregationFields = ["clusterRoleSelectors"];
        private static readonly string[] RoleFields = ["apiVersion", "kind", "metadata", "rules"];
        private static readonly string[] ClusterRoleFields = ["apiVersion", "kind", "metadata", "rules", "aggregationRule"];
        private static readonly string[] BindingFields = ["apiVersion", "kind", "metadata", "roleRef", "subjects"];

        public int Document => document;

        public void Read(YNode node, Where where, string? impliedKind, string? impliedApiVersion)
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

            place = new ObjectPlace(where, kind);
            reader = reader.In(place);
            if (apiVersion is null)
            {
                throw Error(map, "apiVersion", "missing apiVersion; expected " + ApiGroup + "/v1");
            }

            // Compared as spans: two strings per object for a check that almost always passes.
            var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
            var group = slash < 0 ? ReadOnlySpan<char>.Empty : apiVersion.AsSpan(0, slash);
            if (!group.SequenceEqual(ApiGroup))
            {
                return; // another API's kind of the same name (a CRD), not RBAC
            }

            if (!apiVersion.AsSpan(slash + 1).SequenceEqual("v1"))
            {
                sink.Warn(new Diagnostic("rbac-old-api-version", Severity.Warning, "apiVersion " + apiVersion + " is not served since Kubernetes 1.22; a current API server refuses this manifest. Read as " + ApiGroup + "/v1.", At(map.GetKeyNode("apiVersion") ?? map, "apiVersion"), "use " + ApiGroup + "/v1"));
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

        private void ReadList(YNode itemsNode, string kind, string? apiVersion, Where where)
        {
            if (reader.In(where.Text + ", " + kind).OptionalList(itemsNode, "items", "a list of objects") is not { } items)
            {
                return;
            }

            // A typed list from the API server (ClusterRoleList) omits kind and apiVersion on its items.
            var element = kind == "List" ? null : kind[..^"List".Length];
            var impliedKind = element is not null && ObjectKinds.Contains(element, StringComparer.Ordinal) ? element : null;
            var impliedApiVersion = impliedKind is null ? null : apiVersion;
            for (var i = 0; i < items.Items.Count; i++)
            {
                Read(items.Items[i], where.Item(i), impliedKind, impliedApiVersion);
            }
        }

        private void ReadRole(YMapping map)
        {
            reader.CheckKeys(map, string.Empty, RoleFields, "field");
            var (name, ns, _) = Metadata(map, namespaced: true, keepLabels: false);
            var rules = Rules(map.Get("rules"), "rules", inRole: true);
            sink.Add(new Role(name, ns, rules, Source(map)), reader, map.Start);
        }

        private void ReadClusterRole(YMapping map)
        {
            reader.CheckKeys(map, string.Empty, ClusterRoleFields, "field");
            var (name, _, labels) = Metadata(map, namespaced: false, keepLabels: true);
            var rules = Rules(map.Get("rules"), "rules", inRole: false);
            IReadOnlyList<LabelSelector>? selectors = null;
            if (map.Get("aggregationRule") is { } aggregation && !aggregation.IsNull())
            {
                selectors = AggregationRule(aggregation);
            }

            sink.Add(new ClusterRole(name, labels, rules, selectors, Source(map)), reader, map.Start);
        }

        private void ReadBinding(YMapping map, string kind)
        {
            reader.CheckKeys(map, string.Empty, BindingFields, "field");
            var namespaced = kind == "RoleBinding";
            var (name, ns, _) = Metadata(map, namespaced, keepLabels: false);
            if (map.Get("roleRef") is not { } roleRefNode || roleRefNode.IsNull())
            {
                throw Error(map, "roleRef", "missing roleRef: a binding must name the role it grants");
            }

            var roleRef = RoleRefOf(roleRefNode, namespaced);
            var subjects = Subjects(map.Get("subjects"), namespaced);
            var source = Source(map);
            Binding binding = namespaced
                ? new RoleBinding(name, ns, roleRef, subjects, source)
                : new ClusterRoleBinding(name, roleRef, subjects, source);
            sink.Add(binding, reader, map.Start);
        }

        /// <summary>The name, namespace and (with <paramref name="keepLabels"/>, else only checked) labels of an object.</summary>
        private (string Name, string Namespace, IReadOnlyDictionary<string, string> Labels) Metadata(YMapping map, bool namespaced, bool keepLabels)
        {
            var metadataNode = map.Get("metadata");
            var metadata = metadataNode as YMapping ?? throw reader.Expected(metadataNode ?? map, "metadata", "a mapping with a name");

            var name = reader.String(metadata.Get("name"), metadata, "metadata.name", "a name");
            if (name.Length == 0)
            {
                throw Error(metadata.Get("name") ?? metadata, "metadata.name", "the name is empty");
            }

            var nsNode = metadata.Get("namespace");
            var ns = nsNode.IsNull() ? null : reader.String(nsNode, metadata, "metadata.namespace", "a namespace name");
            place!.Named(namespaced && !string.IsNullOrEmpty(ns) ? ns : null, name);
            if (namespaced && string.IsNullOrEmpty(ns))
            {
                ns = "default";
                sink.Warn(new Diagnostic("rbac-namespace-defaulted", Severity.Warning, "no metadata.namespace; assumed 'default' (kubectl would use the current context's namespace)", At(metadata, "metadata.namespace"), "write the namespace into the manifest"));
            }
            else if (!namespaced && !string.IsNullOrEmpty(ns))
            {
                sink.Warn(new Diagnostic("rbac-namespace-ignored", Severity.Info, "metadata.namespace '" + ns + "' is ignored: this kind is cluster-scoped", At(nsNode, "metadata.namespace")));
            }

            IReadOnlyDictionary<string, string> labels = NoLabels;
            if (reader.OptionalMapping(metadata.Get("labels"), "metadata.labels", "a mapping of label names to strings") is { } labelMap)
            {
                var kept = keepLabels ? new Dictionary<string, string>(StringComparer.Ordinal) : null;
                StringPairs(labelMap, "metadata.labels", kept);
                labels = kept ?? NoLabels;
            }

            return (name, namespaced ? ns! : string.Empty, labels);
        }

        private List<PolicyRule> Rules(YNode? node, string path, bool inRole)
        {
            if (reader.OptionalList(node, path, "a list of rules") is not { } items)
            {
                return [];
            }

            var rules = new List<PolicyRule>(items.Items.Count);

            for (var i = 0; i < items.Items.Count; i++)
            {
                var rulePath = i < ItemPaths.Cached && path == "rules" ? ItemPaths.Rules[i] : path + "[" + i + "]";
                var ruleMap = reader.Mapping(items.Items[i], rulePath, "a rule (a mapping with verbs, apiGroups, resources...)");
                reader.CheckKeys(ruleMap, rulePath, RuleFields, "field");
                var rule = lists.Rule(
                    StringListField(ruleMap, "verbs", rulePath),
                    StringListField(ruleMap, "apiGroups", rulePath),
                    StringListField(ruleMap, "resources", rulePath),
                    StringListField(ruleMap, "resourceNames", rulePath),
                    StringListField(ruleMap, "nonResourceURLs", rulePath));
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
            var map = reader.Mapping(node, "roleRef", "a mapping with kind and name");
            reader.CheckKeys(map, "roleRef", RoleRefFields, "field");
            var kind = reader.String(map.Get("kind"), map, "roleRef.kind", "Role or ClusterRole");
            var name = reader.String(map.Get("name"), map, "roleRef.name", "the name of the role");
            var group = reader.OptionalString(map.Get("apiGroup"), "roleRef.apiGroup") ?? string.Empty;
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

            return lists.RoleRef(kind, name, group);
        }

        private IReadOnlyList<Subject> Subjects(YNode? node, bool inRoleBinding)
        {
            if (reader.OptionalList(node, "subjects", "a list of subjects") is not { } items)
            {
                return [];
            }

            var subjects = subjectScratch;
            subjects.Clear();

            for (var i = 0; i < items.Items.Count; i++)
            {
                var paths = i < ItemPaths.Cached ? ItemPaths.Subjects[i] : new SubjectPaths(i);
                var path = paths.Item;
                var map = reader.Mapping(items.Items[i], path, "a subject (kind, name, namespace)");
                reader.CheckKeys(map, path, SubjectFields, "field");
                var kind = reader.String(map.Get("kind"), map, paths.Kind, "User, Group or ServiceAccount");
                var name = reader.String(map.Get("name"), map, paths.Name, "a name");
                var ns = reader.OptionalString(map.Get("namespace"), paths.Namespace);
                var group = reader.OptionalString(map.Get("apiGroup"), paths.ApiGroup);
                ValidateSubject(map, path, kind, name, ns, group, inRoleBinding);
                subjects.Add(lists.Subject(kind, name, ns, group));
            }

            return lists.Subjects(subjects);
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
            var map = reader.Mapping(node, "aggregationRule", "a mapping with clusterRoleSelectors");
            reader.CheckKeys(map, "aggregationRule", AggregationFields, "field");
            var selectors = new List<LabelSelector>();
            if (reader.OptionalList(map.Get("clusterRoleSelectors"), "aggregationRule.clusterRoleSelectors", "a list of label selectors") is { } items)
            {
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

            var map = reader.Mapping(node, path, "a label selector (matchLabels, matchExpressions)");
            reader.CheckKeys(map, path, SelectorFields, "field");
            var labels = new List<KeyValuePair<string, string>>();
            if (reader.OptionalMapping(map.Get("matchLabels"), path + ".matchLabels", "a mapping of label names to strings") is { } labelMap)
            {
                StringPairs(labelMap, path + ".matchLabels", labels);
            }

            var requirements = new List<LabelRequirement>();
            if (reader.OptionalList(map.Get("matchExpressions"), path + ".matchExpressions", "a list of requirements") is { } items)
            {
                for (var i = 0; i < items.Items.Count; i++)
                {
                    var itemPath = path + ".matchExpressions[" + i + "]";
                    var item = reader.Mapping(items.Items[i], itemPath, "a requirement (key, operator, values)");
                    reader.CheckKeys(item, itemPath, RequirementFields, "field");
                    var key = reader.String(item.Get("key"), item, itemPath + ".key", "a label name");
                    var op = reader.String(item.Get("operator"), item, itemPath + ".operator", "In, NotIn, Exists or DoesNotExist");
                    var values = reader.StringListField(item, "values", itemPath);
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

        /// <summary>
        /// Checks a mapping of label names to strings and adds its pairs to <paramref name="into"/> (when given), in order.
        /// Keys are unique (Kubernetes' keys are strict: a repeated one is an error first).
        /// </summary>
        private void StringPairs(YMapping map, string path, ICollection<KeyValuePair<string, string>>? into)
        {
            reader.CheckKeys(map, path, noun: "label");
            var pairs = map.Pairs;
            for (var i = 0; i < pairs.Count; i++)
            {
                var (keyNode, value) = pairs[i];
                var key = ((YScalar)keyNode).Value;
                var text = reader.TryString(value, out var found) ? found : reader.String(value, path + "." + key, "a string (quote values such as \"true\")");
                into?.Add(new(key, text));
            }
        }

        /// <summary>A rule's list of strings, one shared copy per distinct list (see <see cref="StringLists"/>).</summary>
        private string[] StringListField(YMapping map, string key, string path)
        {
            reader.StringListFieldInto(scratch, map, key, path);
            return lists.Intern(scratch);
        }

        public static string? PlainString(YNode? node) => node is YScalar { Kind: ScalarKind.String } scalar ? scalar.Value : null;

        private void Invalid(YNode node, string path, string message) =>
            sink.Warn(new Diagnostic("rbac-invalid-object", Severity.Warning, message + " (the API server refuses this object on validation)", At(node, path)));

        private ObjectSource Source(YMapping map) => new(reader.File!, document, map.Start.Line);

        private SourceLocation At(YNode? node, string? path) => reader.At(node, path);

        private InputException Error(YNode? node, string path, string message) => reader.Error(node, path, message);
    }
}

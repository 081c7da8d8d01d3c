using RoleMap.Yaml;

namespace RoleMap.Spec;

public static partial class SpecLoader
{
    /// <summary>
    /// Reads the entries of a spec's <c>roles</c> and <c>users</c> lists while the block-YAML fast path reads them, one
    /// item at a time (<see cref="IListVisitor"/>), so that the tree of 100,000 entries is never built. Only entries the
    /// fast entry reader (<see cref="TryEntry"/>) reads are taken, and only from a single document: anything else
    /// declines (<see cref="Declined"/>), and the spec is read from its tree, with every message. The lists stay in the
    /// tree as empty lists, which <see cref="FromNode(YNode?, string?, bool, StreamedEntries?)"/> replaces by their entries,
    /// so every other key is read, checked and ordered as before.
    /// </summary>
    internal sealed class StreamedEntries(string? file) : IListVisitor
    {
        private readonly NodeReader reader = new(file, NodeReaderOptions.Spec);

        // The entries of each streamed list, by the line of its first item (where its empty list in the tree starts).
        private readonly Dictionary<int, List<SpecPrincipal>> lists = [];
        private List<SpecPrincipal> current = [];
        private string key = string.Empty;

        /// <summary>Shares equal group lists across the streamed entries and the rest of the spec.</summary>
        public GroupLists Groups { get; } = new();

        /// <summary>The document's root, with empty lists in place of the streamed ones.</summary>
        public YNode? Root { get; private set; }

        /// <summary>An entry or a document was left to the tree's reading.</summary>
        public bool Declined { get; private set; }

        public bool StreamsList(string key, int line)
        {
            if (key is not ("roles" or "users"))
            {
                return false;
            }

            this.key = key;
            current = [];
            lists[line] = current;
            return true;
        }

        public void Item(int document, int index, YNode item)
        {
            if (Declined)
            {
                return;
            }

            if (TryEntry(reader, item, key, index, key == "roles" ? "rolearn" : "userarn", Groups) is { } entry)
            {
                current.Add(entry);
            }
            else
            {
                Declined = true;
            }
        }

        public bool Document(int document, YNode root, YSequence? streamed)
        {
            // More than one document is an error, which the tree's reading gives.
            Declined |= document > 1;
            Root = root;
            return !Declined;
        }

        /// <summary>The entries of <paramref name="list"/> when it stands for a streamed list; null for any other list.</summary>
        public List<SpecPrincipal>? Entries(YSequence list) =>
            list.Items.Count == 0 && lists.TryGetValue(list.Start.Line, out var entries) ? entries : null;
    }
}

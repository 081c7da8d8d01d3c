using YamlDotNet.Core;

namespace RoleMap.Yaml;

/// <summary>
/// The nodes (and their lists) of one streamed item, given out again for the next item once the visitor is done with
/// it (see <see cref="IManifestVisitor.Item"/>): a kubectl List's items are read one after another, and allocating
/// their millions of short-lived nodes cost more than reading them (fresh memory to clear and fault in, collections).
/// The nodes are the ones <see cref="BlockYamlReader"/> would allocate, with the same values and positions.
/// </summary>
internal sealed class NodeArena
{
    private readonly Pool<YScalar> scalars = new(() => new YScalar(string.Empty, ScalarStyle.Plain, default));
    private readonly Pool<YSequence> sequences = new(() => new YSequence([], default));
    private readonly Pool<YMapping> mappings = new(() => new YMapping([], default));
    private readonly Pool<List<YNode>> itemLists = new(() => []);
    private readonly Pool<List<KeyValuePair<YNode, YNode>>> pairLists = new(() => []);

    public YScalar Scalar(string value, ScalarStyle style, YPosition start, int contentLineOffset)
    {
        var node = scalars.Next();
        node.Reuse(value, style, start, contentLineOffset);
        return node;
    }

    public YSequence Sequence(IReadOnlyList<YNode> items, YPosition start)
    {
        var node = sequences.Next();
        node.Reuse(items, start);
        return node;
    }

    public YMapping Mapping(IReadOnlyList<KeyValuePair<YNode, YNode>> pairs, YPosition start)
    {
        var node = mappings.Next();
        node.Reuse(pairs, start);
        return node;
    }

    public List<YNode> ItemList()
    {
        var list = itemLists.Next();
        list.Clear();
        return list;
    }

    public List<KeyValuePair<YNode, YNode>> PairList()
    {
        var list = pairLists.Next();
        list.Clear();
        return list;
    }

    /// <summary>Every node given out so far may be given out again.</summary>
    public void Reset()
    {
        scalars.Reset();
        sequences.Reset();
        mappings.Reset();
        itemLists.Reset();
        pairLists.Reset();
    }

    private sealed class Pool<T>(Func<T> create)
    {
        private readonly List<T> items = [];
        private int used;

        public T Next()
        {
            if (used == items.Count)
            {
                items.Add(create());
            }

            return items[used++];
        }

        public void Reset() => used = 0;
    }
}

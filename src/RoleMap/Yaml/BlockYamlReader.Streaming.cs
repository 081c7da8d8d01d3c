namespace RoleMap.Yaml;

/// <summary>Which block lists of a document's root mapping go to the visitor item by item.</summary>
internal sealed partial class BlockYamlReader<TText>
{
    /// <summary>
    /// Whether the block list under <paramref name="key"/> (a key of a document's root mapping), whose first item is on
    /// the current line, is streamed: the lists an <see cref="IListVisitor"/> asks for, or else a kubectl List's first
    /// <c>items</c>.
    /// </summary>
    private bool StreamsList(YScalar key) =>
        visitor is IListVisitor lists ? lists.StreamsList(key.Value, line) : streamed is null && key.Value == "items";
}

/// <summary>
/// An <see cref="IManifestVisitor"/> that chooses the root mapping's block lists whose items it is given one by one
/// (instead of a kubectl List's <c>items</c>), e.g. a spec's <c>roles</c> and <c>users</c>.
/// </summary>
internal interface IListVisitor : IManifestVisitor
{
    /// <summary>
    /// True to have the items of the block list under <paramref name="key"/> given to <see cref="IManifestVisitor.Item"/>
    /// one by one, until the next call; the tree keeps an empty list starting at <paramref name="line"/> (its first
    /// item's line) in its place.
    /// </summary>
    bool StreamsList(string key, int line);
}

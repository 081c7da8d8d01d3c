using YamlDotNet.Core;
using YamlDotNet.Core.Tokens;

namespace RoleMap.Yaml;

/// <summary>
/// Works around a YamlDotNet parser defect: an anchor on a flow mapping's value (<c>{a: &amp;x "q"}</c>) makes it
/// fail with "did not find expected ',' or '}'", where libyaml and go-yaml read the anchored value. The scanner's
/// tokens are right; this wrapper takes such an anchor out of the stream and remembers it by the position of the
/// token that follows, so that <see cref="YamlLoader"/> can put it back on the node that starts there.
/// </summary>
internal sealed class FlowAnchorScanner(IScanner inner) : IScanner
{
    private readonly Stack<bool> flow = new(); // true for a flow mapping, false for a flow sequence
    private Token? previous;

    /// <summary>Anchors taken out of the stream, by the index of the token they stood before.</summary>
    public Dictionary<long, string> Anchors { get; } = [];

    public Mark CurrentPosition => inner.CurrentPosition;

    public Token Current => inner.Current!;

    public bool MoveNext()
    {
        if (inner.Current is not null)
        {
            ConsumeCurrent();
        }

        return MoveNextWithoutConsuming();
    }

    public bool MoveNextWithoutConsuming()
    {
        if (!inner.MoveNextWithoutConsuming())
        {
            return false;
        }

        if (inner.Current is Anchor anchor && previous is Value && flow.Count > 0 && flow.Peek())
        {
            inner.ConsumeCurrent();
            if (!inner.MoveNextWithoutConsuming())
            {
                return false;
            }

            Anchors[inner.Current!.Start.Index] = anchor.Value.Value;
        }

        return true;
    }

    public void ConsumeCurrent()
    {
        var token = inner.Current;
        switch (token)
        {
            case FlowMappingStart:
                flow.Push(true);
                break;
            case FlowSequenceStart:
                flow.Push(false);
                break;
            case FlowMappingEnd or FlowSequenceEnd when flow.Count > 0:
                flow.Pop();
                break;
        }

        previous = token;
        inner.ConsumeCurrent();
    }
}

using System.Text;
using YamlDotNet.Core;

namespace RoleMap.Yaml;

/// <summary>
/// What go-yaml v2 (gopkg.in/yaml.v2 2.4, the library under sigs.k8s.io/yaml, kubectl and aws-iam-authenticator)
/// does on top of the YAML syntax, applied to the trees <see cref="YamlLoader"/> reads:
/// its reader refuses control characters and skips a leading byte-order mark; <c>Unmarshal</c> reads only the first
/// document; decoding resolves merge keys (<c>&lt;&lt;</c>) and <c>!!binary</c>, and fails a whole document on a
/// tag its value cannot have (<c>!!int abc</c>), a merge of a non-mapping, or a mapping used as a key; and
/// sigs.k8s.io/yaml's conversion to JSON fails on values JSON cannot hold (<c>.inf</c>, <c>.nan</c>) and on null
/// or out-of-range keys. docs/yaml.md lists each case; tests/go-oracle checks them against the real libraries.
/// </summary>
public static class GoYaml
{
    private const string StrTag = "tag:yaml.org,2002:str";
    private const string BinaryTag = "tag:yaml.org,2002:binary";
    private const string MergeTag = "tag:yaml.org,2002:merge";

    /// <summary>go-yaml's reader decodes its input in chunks of this many bytes and checks every character of a chunk.</summary>
    private const int ReaderChunk = 512;

    /// <summary>
    /// The index of the first character go-yaml's reader refuses ("control characters are not allowed"): anything
    /// but tab, LF, CR, U+0020–U+007E, U+0085, U+00A0–U+D7FF, U+E000–U+FFFD and U+10000 and above.
    /// Lone surrogates count as refused (they cannot be UTF-8). -1 when there is none.
    /// </summary>
    public static int FirstRefusedCharacter(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\t' or '\n' or '\r' or '\u0085' || (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }

    /// <summary>True when go-yaml would refuse this text as a value (a control character anywhere in it).</summary>
    public static bool HasRefusedCharacter(string text) => FirstRefusedCharacter(text) >= 0;

    /// <summary>
    /// The text as go-yaml's scanner sees it: the byte-order mark at its very start is dropped by the reader, and a
    /// second one right after it is skipped by the scanner like a space (so it is replaced by one). Any other
    /// byte-order mark is content.
    /// </summary>
    public static string WithoutByteOrderMark(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        return text.Length > 0 && text[0] == '\uFEFF' ? " " + text[1..] : text;
    }

    /// <summary>
    /// The reader's error for a refused character at <paramref name="index"/>, when go-yaml gets that far: it decodes
    /// whole 512-byte chunks, so a refused character counts when it lies in a chunk up to the one holding
    /// <paramref name="readUpTo"/> (the last character the parser needed), and always in the first chunk.
    /// </summary>
    internal static YamlSyntaxError? ReaderError(string text, int readUpTo)
    {
        var index = FirstRefusedCharacter(text);
        if (index < 0)
        {
            return null;
        }

        var badChunk = Utf8Length(text, index) / ReaderChunk;
        var readChunk = Utf8Length(text, Math.Min(Math.Max(readUpTo, 0), text.Length)) / ReaderChunk;
        if (badChunk > readChunk)
        {
            return null;
        }

        var (line, column) = LineAndColumn(text, index);
        return new YamlSyntaxError("control characters are not allowed (U+" + ((int)text[index]).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) + ")", line, column, "yaml-control-character");
    }

    private static int Utf8Length(string text, int end) => Encoding.UTF8.GetByteCount(text.AsSpan(0, end));

    private static (int Line, int Column) LineAndColumn(string text, int index)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, index - lineStart + 1);
    }

    /// <summary>
    /// libyaml's scanner error for a plain scalar that starts with '@', '`' or '%' (reserved in YAML 1.1, read as
    /// text by YamlDotNet), anywhere in the tree; null when there is none.
    /// </summary>
    public static YamlSyntaxError? ScannerError(YNode? root)
    {
        foreach (var node in Walk(root))
        {
            if (node is YScalar { Style: ScalarStyle.Plain } scalar && scalar.Value.Length > 0 && scalar.Value[0] is '@' or '`' or '%')
            {
                return new YamlSyntaxError("found character that cannot start any token ('" + scalar.Value[0] + "' is reserved)", scalar.Start.Line, scalar.Start.Column);
            }

            if (node.Tag == "tag:yaml.org,2002:")
            {
                return new YamlSyntaxError("did not find expected tag URI ('!!' needs a name)", node.Start.Line, node.Start.Column);
            }
        }

        return null;
    }

    /// <summary>
    /// go-yaml's "anchor 'a' value contains itself": decoding into <c>interface{}</c> visits every node, so an alias of
    /// a collection inside that collection always fails the document.
    /// </summary>
    internal static YamlSyntaxError? SelfAliasError(YNode? root) =>
        Walk(root).OfType<SelfAlias>().FirstOrDefault() is { } alias
            ? new YamlSyntaxError("anchor '" + alias.Anchor + "' value contains itself", alias.Start.Line, alias.Start.Column)
            : null;

    /// <summary>Every node once, keys included, without recursion.</summary>
    private static IEnumerable<YNode> Walk(YNode? root)
    {
        if (root is null)
        {
            yield break;
        }

        var stack = new Stack<YNode>();

        // Only collections can be reached twice in a way that matters (aliases share them; skipping a seen one keeps
        // the walk linear). A shared leaf is yielded again, which no caller can tell apart: each stops at its first match.
        var seen = new HashSet<YNode>(ReferenceEqualityComparer.Instance);
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node is YMapping or YSequence && !seen.Add(node))
            {
                continue;
            }

            yield return node;
            switch (node)
            {
                case YMapping mapping:
                    foreach (var pair in mapping.Pairs)
                    {
                        stack.Push(pair.Value);
                        stack.Push(pair.Key);
                    }

                    break;
                case YSequence sequence:
                    foreach (var item in sequence.Items)
                    {
                        stack.Push(item);
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// Decodes a document as go-yaml v2 decodes it into <c>interface{}</c>: merge keys expanded in place (later keys
    /// still win), <c>!!binary</c> scalars replaced by their decoded text, every scalar's tag checked against its value.
    /// Returns the decoded tree, or the error that makes go-yaml fail the whole document.
    /// </summary>
    public static YNode? Decode(YNode? root, out YamlSyntaxError? error) => Decode(root, out error, out _, out _);

    /// <summary><see cref="Decode(YNode?, out YamlSyntaxError?)"/>, also giving the line of the first merge key and !!binary scalar resolved.</summary>
    public static YNode? Decode(YNode? root, out YamlSyntaxError? error, out int? mergeLine, out int? binaryLine)
    {
        error = null;
        mergeLine = null;
        binaryLine = null;
        if (root is null)
        {
            return null;
        }

        var decoder = new Decoder(rememberScalars: false);
        try
        {
            YNode decoded;
            try
            {
                decoded = decoder.Node(root, 0);
            }
            catch (ScalarTooDeep)
            {
                decoder = new Decoder(rememberScalars: true);
                decoded = decoder.Node(root, 0);
            }

            mergeLine = decoder.MergeLine;
            binaryLine = decoder.BinaryLine;
            return decoded;
        }
        catch (DecodeFailure failure)
        {
            error = failure.Error;
            return null;
        }
    }

    /// <summary>
    /// The error sigs.k8s.io/yaml's YAML-to-JSON conversion stops at in a decoded tree, or null: a null, or an
    /// unsigned 64-bit key ("Unsupported map key"), and an infinite or NaN number anywhere (encoding/json cannot write it).
    /// </summary>
    public static YamlSyntaxError? JsonConversionError(YNode? root) => JsonConversionError(root, out _);

    /// <summary><see cref="JsonConversionError(YNode?)"/>, also giving the field path of the value or key (<c>rules[0].verbs[1]</c>).</summary>
    public static YamlSyntaxError? JsonConversionError(YNode? root, out string field)
    {
        field = string.Empty;
        if (root is null || !MayFailJsonConversion(root))
        {
            return null;
        }

        var stack = new Stack<(YNode Node, string Path)>();
        var seen = new HashSet<YNode>(ReferenceEqualityComparer.Instance);
        stack.Push((root, string.Empty));
        while (stack.Count > 0)
        {
            var (node, path) = stack.Pop();
            if (!seen.Add(node))
            {
                continue;
            }

            switch (node)
            {
                case YScalar scalar when GoYamlResolver.IsInfiniteOrNaN(scalar):
                    field = path;
                    return new YamlSyntaxError("json: unsupported value " + scalar.Value + " (JSON has no infinity or NaN)", scalar.Start.Line, scalar.Start.Column, "yaml-json-value");
                case YMapping mapping:
                    foreach (var pair in LastOfEachKey(mapping))
                    {
                        if (pair.Key is YScalar key && (key.Kind == ScalarKind.Null || GoYamlResolver.IsUnsigned64(key)))
                        {
                            field = path;
                            var what = key.Kind == ScalarKind.Null ? "a null key" : "the key " + key.Value + " (above the int64 range)";
                            return new YamlSyntaxError("unsupported map key: " + what + " cannot be converted to JSON", key.Start.Line, key.Start.Column, "yaml-json-value");
                        }

                        stack.Push((pair.Value, Field(path, pair.Key))); // keys: numbers, even .inf, become their text
                    }

                    break;
                case YSequence sequence:
                    for (var i = 0; i < sequence.Items.Count; i++)
                    {
                        stack.Push((sequence.Items[i], path + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]"));
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>
    /// The walk of <see cref="JsonConversionError(YNode?, out string)"/> without building a path for every node (it runs
    /// over every read-back of every entry): false when the conversion cannot fail; true sends the caller to the full
    /// walk, which finds the same error and names its field.
    /// </summary>
    private static bool MayFailJsonConversion(YNode root)
    {
        var stack = new Stack<YNode>();
        var seen = new HashSet<YNode>(ReferenceEqualityComparer.Instance);
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            switch (node)
            {
                case YScalar scalar when GoYamlResolver.IsInfiniteOrNaN(scalar):
                    return true;
                case YMapping mapping when seen.Add(mapping):
                    if (!KeysDistinctInGo(mapping))
                    {
                        return true; // duplicate keys: the full walk decides which pairs go-yaml keeps
                    }

                    foreach (var pair in mapping.Pairs)
                    {
                        if (pair.Key is YScalar key && (key.Kind == ScalarKind.Null || GoYamlResolver.IsUnsigned64(key)))
                        {
                            return true;
                        }

                        stack.Push(pair.Value);
                    }

                    break;
                case YSequence sequence when seen.Add(sequence):
                    foreach (var item in sequence.Items)
                    {
                        stack.Push(item);
                    }

                    break;
            }
        }

        return false;
    }

    /// <summary>True when no two keys of a small mapping are one Go map key, so <see cref="LastOfEachKey"/> keeps every pair in order.</summary>
    private static bool KeysDistinctInGo(YMapping mapping)
    {
        var pairs = mapping.Pairs;
        if (pairs.Count > 16)
        {
            return false;
        }

        for (var i = 0; i < pairs.Count; i++)
        {
            if (pairs[i].Key is not YScalar a || a.Kind is not (ScalarKind.String or ScalarKind.Null or ScalarKind.Bool))
            {
                continue;
            }

            for (var j = i + 1; j < pairs.Count; j++)
            {
                if (pairs[j].Key is YScalar b && b.Kind == a.Kind && (a.Kind != ScalarKind.String || a.Value == b.Value))
                {
                    return false; // equal, or two null or bool keys: left to the full walk's exact comparison
                }
            }
        }

        return true;
    }

    private static string Field(string path, YNode key)
    {
        var name = key is YScalar scalar ? scalar.Value : "?";
        return path.Length == 0 ? name : path + "." + name;
    }

    /// <summary>
    /// One scalar decoded as go-yaml decodes it into a string: !!binary replaced by its decoded text, a tag its text
    /// cannot have reported as the error that fails the document. Returns the scalar to read.
    /// </summary>
    public static YScalar DecodeScalar(YScalar scalar, out YamlSyntaxError? error)
    {
        ArgumentNullException.ThrowIfNull(scalar);
        error = null;
        try
        {
            return Decoder.Scalar(scalar);
        }
        catch (DecodeFailure failure)
        {
            error = failure.Error;
            return scalar;
        }
    }

    /// <summary>The pairs go-yaml's map keeps: for each key (as a Go value: "yes" and "true" are one key), the last.</summary>
    private static IEnumerable<KeyValuePair<YNode, YNode>> LastOfEachKey(YMapping mapping)
    {
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < mapping.Pairs.Count; i++)
        {
            last[GoKey(mapping.Pairs[i].Key) ?? "#" + i] = i;
        }

        return last.Values.Order().Select(i => mapping.Pairs[i]);

        static string? GoKey(YNode key) => key is not YScalar s ? null : s.Kind switch
        {
            ScalarKind.String => "s" + s.Value,
            ScalarKind.Null => "n",
            ScalarKind.Bool => "b" + (GoYamlResolver.ResolvePlain(s.Value.ToLowerInvariant()) == ScalarKind.Bool && s.Value.ToLowerInvariant() is "y" or "yes" or "true" or "on"),
            _ => null, // numbers: distinct unless written alike; NaN never equals itself
        };
    }

    /// <summary>Go's base64.StdEncoding.DecodeString (padding required; CR and LF ignored) then the bytes as Go's encoding/json writes them.</summary>
    public static string? DecodeBinary(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cleaned = text.Replace("\n", string.Empty, StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal);
        if (cleaned.Length % 4 != 0)
        {
            return null;
        }

        foreach (var c in cleaned)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='))
            {
                return null;
            }
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(cleaned);
        }
        catch (FormatException)
        {
            return null;
        }

        // Like Go's base64.StdEncoding (not Strict): padding is required, non-zero bits in the last character are ignored ("ZG2=" is "dm").
        return GoUtf8(bytes);
    }

    /// <summary>Bytes as a Go string written by encoding/json: each byte of an invalid UTF-8 sequence becomes U+FFFD.</summary>
    public static string GoUtf8(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out var rune, out var used);
            if (status == System.Buffers.OperationStatus.Done)
            {
                sb.Append(rune.ToString());
                bytes = bytes[used..];
            }
            else
            {
                sb.Append('\uFFFD');
                bytes = bytes[1..];
            }
        }

        return sb.ToString();
    }

    /// <summary>go-yaml's isMerge: a plain, untagged <c>&lt;&lt;</c> key, or one tagged !!merge.</summary>
    private static bool IsMergeKey(YNode key) =>
        key is YScalar { Value: "<<" } s && ((s.IsPlain && s.Tag is null) || s.Tag == MergeTag);

    private sealed class DecodeFailure(YamlSyntaxError error) : Exception(error.Message)
    {
        public YamlSyntaxError Error { get; } = error;
    }

    /// <summary>
    /// A scalar below the depth limit: with aliases it may have been decoded before at a lesser depth, which makes it
    /// no error. Only a pass that remembers every scalar can tell, so the decoding starts over with one.
    /// </summary>
    private sealed class ScalarTooDeep : Exception
    {
    }

    /// <summary>
    /// One decoding pass; shared nodes (aliases) are decoded once. Scalars are remembered only when asked: a scalar
    /// decoded twice decodes alike, and remembering each of a large document's scalars costs more than the decoding.
    /// </summary>
    private sealed class Decoder(bool rememberScalars)
    {
        private readonly Dictionary<YNode, YNode> done = new(ReferenceEqualityComparer.Instance);

        public int? MergeLine { get; private set; }

        public int? BinaryLine { get; private set; }

        public YNode Node(YNode node, int depth)
        {
            var remember = rememberScalars || node is not YScalar;
            if (remember && done.TryGetValue(node, out var decoded))
            {
                return decoded;
            }

            if (depth > YamlLoader.MaxDepth)
            {
                throw remember ? Fail("YAML nesting deeper than " + YamlLoader.MaxDepth + " levels", node) : new ScalarTooDeep();
            }

            decoded = node switch
            {
                YScalar scalar => Remember(scalar),
                YSequence sequence => Sequence(sequence, depth),
                YMapping mapping => Mapping(mapping, depth),
                _ => node,
            };
            if (remember)
            {
                done[node] = decoded;
            }

            return decoded;
        }

        private YScalar Remember(YScalar scalar)
        {
            if (scalar.Tag == BinaryTag)
            {
                BinaryLine ??= scalar.Start.Line;
            }

            return Scalar(scalar);
        }

        public static YScalar Scalar(YScalar scalar)
        {

            if (scalar.Tag == BinaryTag)
            {
                var text = DecodeBinary(scalar.Value) ?? throw Fail("!!binary value contains invalid base64 data", scalar, "yaml-binary");
                return new YScalar(text, ScalarStyle.DoubleQuoted, scalar.Start, StrTag, scalar.ContentLineOffset);
            }

            if (GoYamlResolver.TagError(scalar) is { } message)
            {
                throw Fail(message, scalar, "yaml-tag-mismatch");
            }

            return scalar;
        }

        private YSequence Sequence(YSequence sequence, int depth)
        {
            var items = new List<YNode>(sequence.Items.Count);
            var changed = false;
            foreach (var item in sequence.Items)
            {
                var decoded = Node(item, depth + 1);
                changed |= !ReferenceEquals(decoded, item);
                items.Add(decoded);
            }

            return changed ? new YSequence(items, sequence.Start, sequence.Tag) : sequence;
        }

        private YMapping Mapping(YMapping mapping, int depth)
        {
            var pairs = new List<KeyValuePair<YNode, YNode>>(mapping.Pairs.Count);
            var changed = false;
            foreach (var pair in mapping.Pairs)
            {
                if (IsMergeKey(pair.Key))
                {
                    MergeLine ??= pair.Key.Start.Line;
                    Merge(pair.Value, pairs, depth);
                    changed = true;
                    continue;
                }

                if (pair.Key is not YScalar)
                {
                    throw Fail("invalid map key: a mapping or list used as a key", pair.Key);
                }

                var key = Node(pair.Key, depth + 1);
                var value = Node(pair.Value, depth + 1);
                changed |= !ReferenceEquals(key, pair.Key) || !ReferenceEquals(value, pair.Value);
                pairs.Add(new(key, value));
            }

            return changed ? new YMapping(pairs, mapping.Start, mapping.Tag) : mapping;
        }

        /// <summary>
        /// go-yaml's merge: the merged mapping's pairs go in where the key stands, so later keys override them and
        /// they override earlier ones; of a list of mappings, earlier ones take precedence (merged last).
        /// </summary>
        private void Merge(YNode value, List<KeyValuePair<YNode, YNode>> pairs, int depth)
        {
            switch (value)
            {
                case YMapping:
                    pairs.AddRange(((YMapping)Node(value, depth + 1)).Pairs);
                    break;
                case YSequence sequence:
                    for (var i = sequence.Items.Count - 1; i >= 0; i--)
                    {
                        if (sequence.Items[i] is not YMapping)
                        {
                            throw Fail("map merge requires map or sequence of maps as the value", sequence.Items[i], "yaml-merge-key");
                        }

                        pairs.AddRange(((YMapping)Node(sequence.Items[i], depth + 1)).Pairs);
                    }

                    break;
                default:
                    throw Fail("map merge requires map or sequence of maps as the value", value, "yaml-merge-key");
            }
        }

        private static DecodeFailure Fail(string message, YNode at, string rule = "yaml-invalid") => new(new YamlSyntaxError(message, at.Start.Line, at.Start.Column, rule));
    }
}

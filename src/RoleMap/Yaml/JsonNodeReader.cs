using System.Text;
using System.Text.Json;
using YamlDotNet.Core;

namespace RoleMap.Yaml;

/// <summary>
/// Reads JSON text straight into <see cref="YNode"/> trees with Utf8JsonReader: the same tree the YAML path
/// builds (strings double-quoted, numbers and literals plain, duplicate keys kept), many times faster for
/// large inputs such as <c>kubectl get -o json</c> dumps and Terraform's jsonencode()d values.
/// </summary>
internal static class JsonNodeReader
{
    /// <summary>True when the text looks like JSON (its first non-blank character opens an object or array).</summary>
    public static bool LooksLikeJson(string text)
    {
        foreach (var c in text)
        {
            if (c is ' ' or '\t' or '\r' or '\n' or '\uFEFF')
            {
                continue;
            }

            return c is '{' or '[';
        }

        return false;
    }

    /// <summary>
    /// Parses JSON; returns false (and no tree) when the text is not strict JSON, so the caller can fall back to YAML.
    /// Without <paramref name="positions"/> every node is at line 0, for JSON nested inside another value, where a
    /// line and column would point into the wrong text.
    /// </summary>
    public static bool TryRead(string text, out YNode? root, bool positions = true)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = YamlLoader.MaxDepth });
        try
        {
            var values = ReadValues(ref reader, positions ? LineStarts(bytes) : null);
            root = values.Count > 0 ? values[^1] : null;
            return true;
        }
        catch (JsonException)
        {
            root = null;
            return false;
        }
    }

    /// <summary>
    /// Every value in a text that holds one or more JSON values one after the other (several AWS CLI outputs appended to
    /// one file), comments skipped. Not JSON: a <see cref="JsonException"/> with the line and byte position.
    /// </summary>
    public static List<YNode> ReadAll(string text, int maxDepth)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = maxDepth });
        return ReadValues(ref reader, LineStarts(bytes));
    }

    private static List<YNode> ReadValues(ref Utf8JsonReader reader, LinePositions? lineStarts)
    {
        var values = new List<YNode>();
        var stack = new Stack<(bool IsObject, YPosition Start, List<YNode> Items)>();
        try
        {
            while (reader.Read())
            {
                var position = lineStarts is not null ? Position(lineStarts, (int)reader.TokenStartIndex) : default;
                YNode? node = null;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        stack.Push((true, position, []));
                        continue;
                    case JsonTokenType.StartArray:
                        stack.Push((false, position, []));
                        continue;
                    case JsonTokenType.EndObject:
                        {
                            var frame = stack.Pop();
                            var pairs = new List<KeyValuePair<YNode, YNode>>(frame.Items.Count / 2);
                            for (var i = 0; i + 1 < frame.Items.Count; i += 2)
                            {
                                pairs.Add(new(frame.Items[i], frame.Items[i + 1]));
                            }

                            node = new YMapping(pairs, frame.Start);
                            break;
                        }

                    case JsonTokenType.EndArray:
                        {
                            var frame = stack.Pop();
                            node = new YSequence(frame.Items, frame.Start);
                            break;
                        }

                    case JsonTokenType.PropertyName:
                    case JsonTokenType.String:
                        node = new YScalar(reader.GetString()!, ScalarStyle.DoubleQuoted, position);
                        break;
                    case JsonTokenType.Number:
                        node = new YScalar(Encoding.UTF8.GetString(reader.ValueSpan), ScalarStyle.Plain, position);
                        break;
                    case JsonTokenType.True:
                        node = new YScalar("true", ScalarStyle.Plain, position);
                        break;
                    case JsonTokenType.False:
                        node = new YScalar("false", ScalarStyle.Plain, position);
                        break;
                    case JsonTokenType.Null:
                        node = new YScalar("null", ScalarStyle.Plain, position);
                        break;
                    default:
                        continue;
                }

                if (stack.Count == 0)
                {
                    values.Add(node);
                }
                else
                {
                    stack.Peek().Items.Add(node);
                }
            }
        }
        catch (InvalidOperationException ex)
        {
            // A string that is not valid UTF-16 when decoded: not JSON rolemap can read, like a syntax error.
            var at = lineStarts is not null ? Position(lineStarts, (int)reader.TokenStartIndex) : default;
            throw new JsonException("a string is not valid UTF-16", null, at.Line - 1, at.Column - 1, ex);
        }

        return values;
    }

    private sealed record LinePositions(byte[] Bytes, int[] Starts);

    private static LinePositions LineStarts(byte[] bytes)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return new LinePositions(bytes, [.. starts]);
    }

    private static YPosition Position(LinePositions lines, int offset)
    {
        var index = Array.BinarySearch(lines.Starts, offset);
        var line = index >= 0 ? index : ~index - 1;
        // The column counts characters, not bytes: UTF-8 continuation bytes do not start one.
        var column = 1;
        foreach (var b in lines.Bytes.AsSpan(lines.Starts[line], offset - lines.Starts[line]))
        {
            column += (b & 0xC0) != 0x80 ? 1 : 0;
        }

        return new YPosition(line + 1, column);
    }
}

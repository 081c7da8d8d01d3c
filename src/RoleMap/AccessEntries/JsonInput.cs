using System.Text.Json;
using RoleMap.Diagnostics;
using RoleMap.Yaml;

namespace RoleMap.AccessEntries;

/// <summary>
/// Reads the JSON that AWS CLI commands print: one value, or several written one after the other (the output of
/// several commands appended to one file). Values are read with a <see cref="NodeReader"/> for AWS CLI output, so
/// errors name the file and the JSON path in the same words as every other input.
/// </summary>
internal static class JsonInput
{
    public static NodeReader Reader(string? file) => new(file, NodeReaderOptions.AwsCliJson);

    /// <summary>
    /// Every top-level value in the text with its path, a top-level list taken item by item (so a file may hold one
    /// output, several outputs one after the other, or a list of them).
    /// </summary>
    public static IEnumerable<(YNode Value, string Path)> Values(NodeReader reader, string text, string expected)
    {
        var values = ReadAll(reader, text, expected);
        for (var i = 0; i < values.Count; i++)
        {
            var path = values.Count == 1 ? "$" : "$[" + i + "]";
            if (values[i] is not YSequence list)
            {
                yield return (values[i], path);
                continue;
            }

            for (var j = 0; j < list.Items.Count; j++)
            {
                yield return (list.Items[j], path + "[" + j + "]");
            }
        }
    }

    /// <summary>
    /// An optional timestamp field as the AWS CLI prints it (ISO 8601, e.g. <c>2025-03-01T10:00:00.000000+00:00</c>);
    /// null when absent. A value that is not a timestamp is bad input.
    /// </summary>
    public static DateTimeOffset? OptionalTimestamp(NodeReader reader, YMapping map, string key, string path)
    {
        var text = reader.OptionalStringField(map, key, path);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw reader.Error(map.Get(key), path + "." + key, "'" + text + "' is not a timestamp; expected ISO 8601 such as 2025-03-01T10:00:00+00:00");
    }

    private static List<YNode> ReadAll(NodeReader reader, string text, string expected)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<YNode> values;
        try
        {
            values = JsonNodeReader.ReadAll(text.TrimStart('\uFEFF'), maxDepth: 64);
        }
        catch (JsonException ex)
        {
            throw new InputException("not valid JSON (" + FirstSentence(ex.Message) + "); expected " + expected, new SourceLocation(reader.File, (int?)ex.LineNumber + 1, (int?)ex.BytePositionInLine + 1));
        }

        if (values.Count == 0)
        {
            throw new InputException("the file is empty; expected " + expected, new SourceLocation(reader.File));
        }

        return values;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }
}

using System.Text;
using System.Text.Json;
using RoleMap.Diagnostics;

namespace RoleMap.AccessEntries;

/// <summary>
/// Reads the JSON that AWS CLI commands print: one value, or several written one after the other (the output of
/// several commands appended to one file). Errors name the file, line and column and the JSON path.
/// </summary>
internal sealed class JsonInput(string? file)
{
    public string? File { get; } = file;

    /// <summary>
    /// Every top-level value in the text with its path, a top-level list taken item by item (so a file may hold one
    /// output, several outputs one after the other, or a list of them).
    /// </summary>
    public IEnumerable<(JsonElement Value, string Path)> Values(string text, string expected)
    {
        var values = ReadAll(text, expected);
        for (var i = 0; i < values.Count; i++)
        {
            var path = values.Count == 1 ? "$" : "$[" + i + "]";
            if (values[i].ValueKind != JsonValueKind.Array)
            {
                yield return (values[i], path);
                continue;
            }

            var j = 0;
            foreach (var item in values[i].EnumerateArray())
            {
                yield return (item, path + "[" + j++ + "]");
            }
        }
    }

    /// <summary>Every top-level value in the text, cloned so the documents can be released.</summary>
    private List<JsonElement> ReadAll(string text, string expected)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text.TrimStart('\uFEFF'));
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
        var values = new List<JsonElement>();
        try
        {
            while (reader.Read())
            {
                using var document = JsonDocument.ParseValue(ref reader);
                values.Add(document.RootElement.Clone());
            }
        }
        catch (JsonException ex)
        {
            throw new InputException("not valid JSON (" + FirstSentence(ex.Message) + "); expected " + expected, new SourceLocation(File, (int?)ex.LineNumber + 1, (int?)ex.BytePositionInLine + 1));
        }

        if (values.Count == 0)
        {
            throw new InputException("the file is empty; expected " + expected, new SourceLocation(File));
        }

        return values;
    }

    public InputException Error(string path, string message) => new(message, new SourceLocation(File, Path: path));

    public string? OptionalString(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw Error(path + "." + name, "expected a string, found " + Describe(value));
    }

    public string RequiredString(JsonElement obj, string name, string path) =>
        OptionalString(obj, name, path) ?? throw Error(path + "." + name, "missing '" + name + "'");

    public IReadOnlyList<string>? OptionalStrings(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(path + "." + name, "expected a list of strings, found " + Describe(value));
        }

        var result = new List<string>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            result.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Error(path + "." + name + "[" + i + "]", "expected a string, found " + Describe(item)));
            i++;
        }

        return result;
    }

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }
}

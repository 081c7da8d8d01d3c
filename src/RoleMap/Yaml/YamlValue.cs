namespace RoleMap.Yaml;

/// <summary>
/// A value to be written as YAML: a string, a plain scalar kept as written (a number or boolean read from an
/// existing document), a sequence, or a mapping with keys in the order given.
/// </summary>
public abstract record YamlValue
{
    public static YamlValue Of(string text) => new YamlString(text);

    public static YamlValue Of(IEnumerable<string> items)
    {
        if (items is IReadOnlyList<string> list)
        {
            // A loop: LINQ's Select and the spread were start-up time in every Terraform result (its mapAccounts).
            var values = new YamlValue[list.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Of(list[i]);
            }

            return new YamlSequence(values);
        }

        return new YamlSequence([.. items.Select(Of)]);
    }

    /// <summary>Converts a node read from a document, keeping non-string scalars as they were written.</summary>
    public static YamlValue From(YNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Convert(node, 0);

        static YamlValue Convert(YNode node, int depth)
        {
            if (depth > YamlLoader.MaxDepth)
            {
                throw new InvalidOperationException("YAML nesting too deep");
            }

            return node switch
            {
                YScalar s when s.Kind == ScalarKind.String => new YamlString(s.Value),
                YScalar s => new YamlPlain(s.Value.Length == 0 ? "null" : s.Value),
                YSequence seq => new YamlSequence([.. seq.Items.Select(i => Convert(i, depth + 1))]),
                YMapping map => new YamlMapping([.. map.Pairs.Select(p => new KeyValuePair<string, YamlValue>(
                    p.Key is YScalar k ? k.Value : "?", Convert(p.Value, depth + 1)))]),
                _ => throw new InvalidOperationException("unknown node"),
            };
        }
    }
}

public sealed record YamlString(string Value) : YamlValue;

/// <summary>A scalar written without quotes, exactly as given (numbers, booleans, null from parsed input).</summary>
public sealed record YamlPlain(string Text) : YamlValue;

public sealed record YamlSequence(IReadOnlyList<YamlValue> Items) : YamlValue;

public sealed record YamlMapping(IReadOnlyList<KeyValuePair<string, YamlValue>> Pairs) : YamlValue;

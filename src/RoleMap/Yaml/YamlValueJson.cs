using System.Text.Json;

namespace RoleMap.Yaml;

/// <summary>Writes <see cref="YamlValue"/> trees as JSON.</summary>
public static class YamlValueJson
{
    /// <summary>Writes a value tree as JSON: plain scalars true/false/null/numbers as JSON literals, the rest as strings.</summary>
    public static void Write(Utf8JsonWriter w, YamlValue value)
    {
        ArgumentNullException.ThrowIfNull(w);
        switch (value)
        {
            case YamlString s:
                w.WriteStringValue(s.Value);
                break;
            case YamlPlain { Text: "true" }:
                w.WriteBooleanValue(true);
                break;
            case YamlPlain { Text: "false" }:
                w.WriteBooleanValue(false);
                break;
            case YamlPlain { Text: "null" or "~" }:
                w.WriteNullValue();
                break;
            case YamlPlain p when decimal.TryParse(p.Text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number):
                w.WriteNumberValue(number);
                break;
            case YamlPlain p:
                w.WriteStringValue(p.Text);
                break;
            case YamlSequence seq:
                w.WriteStartArray();
                foreach (var item in seq.Items)
                {
                    Write(w, item);
                }

                w.WriteEndArray();
                break;
            case YamlMapping map:
                w.WriteStartObject();
                foreach (var (key, item) in map.Pairs)
                {
                    w.WritePropertyName(key);
                    Write(w, item);
                }

                w.WriteEndObject();
                break;
        }
    }
}

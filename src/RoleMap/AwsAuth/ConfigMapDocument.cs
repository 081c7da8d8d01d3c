using System.Text;
using System.Text.Json;
using RoleMap.Text;
using RoleMap.Yaml;

namespace RoleMap.AwsAuth;

/// <summary>A ConfigMap to print or write: identity, labels, annotations and data, all in a fixed order.</summary>
public sealed record ConfigMapDocument(
    string Name,
    string Namespace,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    IReadOnlyList<KeyValuePair<string, string>> Annotations,
    IReadOnlyList<KeyValuePair<string, string>> Data)
{
    public const string AwsAuthName = "aws-auth";
    public const string KubeSystem = "kube-system";

    public static ConfigMapDocument AwsAuth(IReadOnlyList<KeyValuePair<string, string>> data, IReadOnlyList<KeyValuePair<string, string>>? labels = null) =>
        new(AwsAuthName, KubeSystem, labels ?? [], [], data);
}

/// <summary>Writes ConfigMaps and their data as YAML manifests or JSON, deterministically.</summary>
public static class ConfigMapWriter
{
    public static string ToYaml(ConfigMapDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var sb = new StringBuilder();
        sb.Append("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ");
        PlainYamlWriter.AppendScalar(sb, document.Name);
        sb.Append("\n  namespace: ");
        PlainYamlWriter.AppendScalar(sb, document.Namespace);
        sb.Append('\n');
        AppendStringMap(sb, "labels", document.Labels, 2);
        AppendStringMap(sb, "annotations", document.Annotations, 2);
        sb.Append("data:");
        if (document.Data.Count == 0)
        {
            sb.Append(" {}\n");
        }
        else
        {
            sb.Append('\n');
            AppendData(sb, document.Data, 2);
        }

        return sb.ToString();
    }

    public static string DataToYaml(IReadOnlyList<KeyValuePair<string, string>> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0)
        {
            return "{}\n";
        }

        var sb = new StringBuilder();
        AppendData(sb, data, 0);
        return sb.ToString();
    }

    public static string ToJson(ConfigMapDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return JsonText.Write(json =>
        {
            json.WriteStartObject();
            json.WriteString("apiVersion", "v1");
            json.WriteString("kind", "ConfigMap");
            json.WriteStartObject("metadata");
            json.WriteString("name", document.Name);
            json.WriteString("namespace", document.Namespace);
            WriteJsonMap(json, "labels", document.Labels, skipEmpty: true);
            WriteJsonMap(json, "annotations", document.Annotations, skipEmpty: true);
            json.WriteEndObject();
            WriteJsonMap(json, "data", document.Data, skipEmpty: false);
            json.WriteEndObject();
        });
    }

    public static string DataToJson(IReadOnlyList<KeyValuePair<string, string>> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return JsonText.Write(json =>
        {
            json.WriteStartObject();
            foreach (var (key, value) in data)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
        });
    }

    /// <summary>A string map (labels, annotations, data) as a JSON object property, in its order; nothing when empty and <paramref name="skipEmpty"/>.</summary>
    public static void WriteJsonMap(Utf8JsonWriter json, string name, IReadOnlyList<KeyValuePair<string, string>> pairs, bool skipEmpty)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(pairs);
        if (skipEmpty && pairs.Count == 0)
        {
            return;
        }

        json.WriteStartObject(name);
        foreach (var (key, value) in pairs)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }

    private static void AppendStringMap(StringBuilder sb, string name, IReadOnlyList<KeyValuePair<string, string>> pairs, int indent)
    {
        if (pairs.Count == 0)
        {
            return;
        }

        sb.Append(' ', indent).Append(name).Append(":\n");
        foreach (var (key, value) in pairs)
        {
            sb.Append(' ', indent + 2);
            PlainYamlWriter.AppendScalar(sb, key);
            sb.Append(": ");
            PlainYamlWriter.AppendScalar(sb, value);
            sb.Append('\n');
        }
    }

    private static void AppendData(StringBuilder sb, IReadOnlyList<KeyValuePair<string, string>> data, int indent)
    {
        foreach (var (key, value) in data)
        {
            sb.Append(' ', indent);
            PlainYamlWriter.AppendScalar(sb, key);
            sb.Append(':');
            AppendBlockValue(sb, value, indent + 2);
        }
    }

    /// <summary>
    /// A data value as a literal block (<c>|</c>) when YAML can carry it verbatim that way, else double-quoted.
    /// Chomping and indentation indicators are chosen so the value reads back byte for byte.
    /// </summary>
    private static void AppendBlockValue(StringBuilder sb, string value, int indent)
    {
        if (!CanBeLiteral(value))
        {
            sb.Append(' ');
            PlainYamlWriter.AppendDoubleQuoted(sb, value);
            sb.Append('\n');
            return;
        }

        sb.Append(" |");
        if (value[0] is ' ' or '\n')
        {
            sb.Append('2');
        }

        var trailing = value.Length - value.TrimEnd('\n').Length;
        sb.Append(trailing switch { 0 => "-", 1 => string.Empty, _ => "+" });
        sb.Append('\n');
        var lines = value.Split('\n');
        var count = trailing == 0 ? lines.Length : lines.Length - 1;
        for (var i = 0; i < count; i++)
        {
            if (lines[i].Length > 0)
            {
                sb.Append(' ', indent).Append(lines[i]);
            }

            sb.Append('\n');
        }
    }

    private static bool CanBeLiteral(string value)
    {
        if (value.Length == 0 || value.TrimEnd('\n').Length == 0)
        {
            return false;
        }

        foreach (var c in value)
        {
            // Tabs are legal in block scalars but some readers mishandle them at line starts; breaks other
            // than LF would be normalised, and non-printable characters cannot appear raw.
            if (c is '\r' or '\t' or '\u0085' or '\u2028' or '\u2029' || (c != '\n' && !YamlChars.IsPrintable(c) && !char.IsSurrogate(c)))
            {
                return false;
            }
        }

        return true;
    }
}

using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Spec;
using RoleMap.Yaml;
using YamlDotNet.Core;

namespace RoleMap.Terraform;

/// <summary>
/// The Terraform <c>external</c> data source protocol: one JSON object of strings in (lists and maps arrive
/// <c>jsonencode</c>d, as Terraform sends them), one flat JSON object of strings out.
/// Input keys are the original module's (<see cref="SpecLoader.Keys"/>) plus <c>style</c> (plain or terraform).
/// Output keys: <c>mapRoles</c>, <c>mapUsers</c>, <c>mapAccounts</c> and <c>warnings</c> (a JSON list, encoded).
/// </summary>
public static class ExternalDataSource
{
    private const string Source = "<terraform query>";

    public static (MappingSpec Spec, RenderStyle Style) ParseQuery(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InputException("the query on stdin is not JSON: " + ex.Message, new SourceLocation(Source, (int?)(ex.LineNumber + 1)));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InputException("expected a JSON object of strings on stdin, found " + document.RootElement.ValueKind.ToString().ToLowerInvariant(), new SourceLocation(Source));
            }

            var style = RenderStyle.Plain;
            var pairs = new List<KeyValuePair<YNode, YNode>>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var location = new SourceLocation(Source, Path: property.Name);
                if (property.Name == "style")
                {
                    style = property.Value.ValueKind == JsonValueKind.String ? ParseStyle(property.Value.GetString()!, location) : throw new InputException("expected \"plain\" or \"terraform\"", location);
                    continue;
                }

                var key = new YScalar(property.Name, ScalarStyle.DoubleQuoted, new YPosition(1, 1));
                pairs.Add(new(key, ToNode(property, location)));
            }

            var spec = SpecLoader.FromNode(new YMapping(pairs, new YPosition(1, 1)), Source);
            return (spec, style);
        }
    }

    public static RenderStyle ParseStyle(string text, SourceLocation? location = null) => text switch
    {
        "plain" => RenderStyle.Plain,
        "terraform" => RenderStyle.Terraform,
        _ => throw new InputException("unknown style '" + text + "'; expected plain or terraform", location),
    };

    /// <summary>Renders the result object. Warnings are encoded as a JSON list inside a string, as the protocol allows only strings.</summary>
    public static string RenderResult(CompiledSpec compiled, RenderStyle style)
    {
        ArgumentNullException.ThrowIfNull(compiled);
        var data = AwsAuthRenderer.RenderData(compiled.Data, style, alwaysAccounts: true);
        var warnings = compiled.Diagnostics.Where(d => d.Severity != Severity.Error).Select(d => d.ToString()).ToList();
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in data)
            {
                writer.WriteString(key, value);
            }

            writer.WriteString("warnings", EncodeList(warnings));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string EncodeList(IReadOnlyList<string> items)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartArray();
            foreach (var item in items)
            {
                writer.WriteStringValue(item);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static YNode ToNode(JsonProperty property, SourceLocation location)
    {
        // Terraform sends strings only; lists and maps are jsonencode()d inside them. A string for a list or map key
        // is therefore decoded; the single-ARN key keeps its string. A raw JSON list or object is accepted too.
        var element = property.Value;
        var isScalarKey = property.Name == "eks_worker_iam_role_arn";
        if (element.ValueKind == JsonValueKind.String)
        {
            var text = element.GetString()!;
            if (isScalarKey)
            {
                return new YScalar(text, ScalarStyle.DoubleQuoted, new YPosition(1, 1));
            }

            if (text.Trim().Length == 0)
            {
                return new YScalar(string.Empty, ScalarStyle.Plain, new YPosition(1, 1));
            }

            if (!JsonNodeReader.TryRead(text, out var decoded))
            {
                throw new InputException("expected a jsonencode()d list or map in this string, but it is not JSON", location);
            }

            return decoded ?? new YScalar(string.Empty, ScalarStyle.Plain, new YPosition(1, 1));
        }

        return YamlLoader.LoadSingle(element.GetRawText(), Source + " " + property.Name) ?? new YScalar(string.Empty, ScalarStyle.Plain, new YPosition(1, 1));
    }
}

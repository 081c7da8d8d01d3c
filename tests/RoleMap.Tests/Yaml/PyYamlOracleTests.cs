using System.Text;
using CsCheck;
using RoleMap.AwsAuth;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Yaml;

/// <summary>
/// Differential test against a second YAML 1.1 implementation (PyYAML, the same resolver family as the
/// authenticator's go-yaml v2): everything rolemap renders in the plain style, and whole ConfigMap manifests,
/// must load there as exactly the intended strings. Skipped, with the reason, where python3 with PyYAML is missing.
/// </summary>
public class PyYamlOracleTests
{
    private static readonly string[] Fragments =
    [
        "\n", "\t", " ", "\"", "'", "\\", "{{SessionName}}", ": ", " #", "- ", "? ", "yes", "Off", "123", "1:20", "0o17", "~", "null", "=", "<<",
        "é", "\U0001F600", "\u00a0", "\u0085", "\u2028", "\u0001", "&a", "*a", "!x", "%", "@", "`", "[", "]", "{", "}", ",", "|", ">", "---", "...",
        "word", "system:masters", "0x1F", ".5", "+1", "-", "1e3", "2001-12-14",
    ];

    private static readonly Gen<string> Hostile = Gen.OneOf(
            Gen.Int[0, Fragments.Length - 1].Select(i => Fragments[i]),
            Gen.Char['a', 'z'].Array[1, 6].Select(c => new string(c)))
        .Array[0, 8]
        .Select(parts => string.Concat(parts));

    [RequiresToolFact("python3:yaml")]
    public void Plain_style_loads_back_identically_in_pyyaml()
    {
        var entries = Gen.Select(Gen.Int[0, 99], Hostile, Hostile.Array[0, 3], (n, u, g) => new MapEntry("arn:aws:iam::111122223333:role/r" + n, u, g))
            .Array[1, 4].Array[300].Single();
        var script = new StringBuilder("import yaml, json, sys\ncases = json.load(sys.stdin)\nbad = 0\nfor case in cases:\n    got = yaml.safe_load(case['yaml'])\n    if got != case['expected']:\n        bad += 1\n        print(repr(case['yaml']), repr(got), repr(case['expected']))\nprint('mismatches', bad)\n");
        var json = new StringBuilder("[");
        foreach (var data in entries)
        {
            var manifest = ConfigMapWriter.ToYaml(ConfigMapDocument.AwsAuth(AwsAuthRenderer.RenderData(new AwsAuthData(data, [], []), RenderStyle.Plain)));
            var roles = AwsAuthRenderer.RenderRoles(data, RenderStyle.Plain);
            json.Append("{\"yaml\":").Append(JsonString(roles)).Append(",\"expected\":[");
            json.Append(string.Join(",", data.Select(e => "{\"rolearn\":" + JsonString(e.Arn!) + ",\"username\":" + JsonString(e.Username!) + ",\"groups\":[" + string.Join(",", e.Groups.Select(JsonString)) + "]}")));
            json.Append("]},");
            json.Append("{\"yaml\":").Append(JsonString(manifest)).Append(",\"expected\":{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"aws-auth\",\"namespace\":\"kube-system\"},\"data\":{\"mapRoles\":").Append(JsonString(roles)).Append(",\"mapUsers\":\"[]\\n\"}}},");
        }

        var input = json.ToString().TrimEnd(',') + "]";
        var (code, output, error) = Tools.Run(Tools.Require("python3:yaml"), ["-c", script.ToString()], environment: new Dictionary<string, string> { ["PYTHONIOENCODING"] = "utf-8" }, stdin: input);
        Assert.True(code == 0, error);
        Assert.EndsWith("mismatches 0\n", output, StringComparison.Ordinal);
    }

    private static string JsonString(string text) => System.Text.Json.JsonSerializer.Serialize(text, StringJsonContext.Default.String);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class StringJsonContext : System.Text.Json.Serialization.JsonSerializerContext;

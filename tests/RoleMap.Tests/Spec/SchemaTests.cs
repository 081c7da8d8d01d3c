using System.Text.Json;
using RoleMap.Spec;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Spec;

public class SchemaTests
{
    [Fact]
    public void Schema_lists_exactly_the_keys_the_loader_accepts()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Repo.Path("docs", "spec.schema.json")));
        var properties = schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(SpecLoader.Keys.Order(StringComparer.Ordinal), properties);
    }

    [RequiresToolFact("python3:jsonschema", "python3:yaml")]
    public void Example_specs_validate_against_the_schema()
    {
        var specs = Directory.GetFiles(Repo.Path("examples"), "spec.yaml", SearchOption.AllDirectories);
        Assert.NotEmpty(specs);
        var script = "import sys, json, yaml, jsonschema\nschema = json.load(open(sys.argv[1]))\nfor path in sys.argv[2:]:\n    jsonschema.validate(yaml.safe_load(open(path)), schema)\nprint('ok')\n";
        Tools.Require("python3:yaml");
        var (code, stdout, stderr) = Tools.Run(Tools.Require("python3:jsonschema"), ["-c", script, Repo.Path("docs", "spec.schema.json"), .. specs]);
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal("ok\n", stdout);
    }
}

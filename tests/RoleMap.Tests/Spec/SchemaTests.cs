using System.Diagnostics;
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

    [Fact]
    public void Example_specs_validate_against_the_schema_when_python_jsonschema_is_available()
    {
        var specs = Directory.GetFiles(Repo.Path("examples"), "spec.yaml", SearchOption.AllDirectories);
        Assert.NotEmpty(specs);
        var script = "import sys, json, yaml, jsonschema\nschema = json.load(open(sys.argv[1]))\nfor path in sys.argv[2:]:\n    jsonschema.validate(yaml.safe_load(open(path)), schema)\nprint('ok')\n";
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import jsonschema, yaml");
        try
        {
            using var probe = Process.Start(start)!;
            probe.WaitForExit();
            if (probe.ExitCode != 0)
            {
                return; // python3 without jsonschema/PyYAML: nothing to check against
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return; // no python3 on this machine
        }

        var run = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        run.ArgumentList.Add("-c");
        run.ArgumentList.Add(script);
        run.ArgumentList.Add(Repo.Path("docs", "spec.schema.json"));
        foreach (var spec in specs)
        {
            run.ArgumentList.Add(spec);
        }

        using var process = Process.Start(run)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output);
    }
}

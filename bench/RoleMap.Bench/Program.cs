using System.Globalization;
using System.Text;
using BenchmarkDotNet.Running;
using RoleMap.Bench.Inputs;

// rolemap's benchmark helper (docs/benchmarks.md):
//   generate mappings ROLES DIR [SEED]          DIR/mappings-ROLES.query.json (Terraform external query) and .spec.yaml
//   generate rbac RULES PRINCIPALS DIR [SEED]   DIR/rbac-RULES.yaml (kubectl List), .spec.yaml and .info (sample namespace, ARN)
//   profile (terraform-external QUERY | lint SPEC | rbac FILE) [ROUNDS [NS]]   time each phase in-process
//   micro [BenchmarkDotNet arguments]           the micro-benchmarks, e.g. micro --filter '*Render*'
//   paint CHROMIUM PAGE [RUNS]                  a page's paint timings in headless Chromium (ms from navigation start)
if (args.Length >= 4 && args[0] == "generate" && args[1] == "mappings")
{
    var roles = int.Parse(args[2], CultureInfo.InvariantCulture);
    var inputs = MappingInputs.Generate(roles, Seed(args, 4));
    Write(args[3], "mappings-" + roles + ".query.json", inputs.TerraformQuery());
    Write(args[3], "mappings-" + roles + ".spec.yaml", inputs.Spec());
    return 0;
}

if (args.Length >= 5 && args[0] == "generate" && args[1] == "rbac")
{
    var rules = int.Parse(args[2], CultureInfo.InvariantCulture);
    var inputs = RbacInputs.Generate(rules, int.Parse(args[3], CultureInfo.InvariantCulture), Seed(args, 5));
    Write(args[4], "rbac-" + rules + ".yaml", inputs.Yaml);
    Write(args[4], "rbac-" + rules + ".spec.yaml", inputs.Spec);
    Write(args[4], "rbac-" + rules + ".info", string.Create(CultureInfo.InvariantCulture, $"namespace={inputs.SampleNamespace}\narn={inputs.SampleArn}\nrules={inputs.RuleCount}\nnamespaces={inputs.NamespaceCount}\nobjects={inputs.ObjectCount}\n"));
    return 0;
}

if (args.Length >= 3 && args[0] == "profile")
{
    return RoleMap.Bench.Profile.Run(args);
}

if (args.Length >= 3 && args[0] == "paint")
{
    return await RoleMap.Bench.PaintTiming.RunAsync(args).ConfigureAwait(false);
}

if (args.Length >= 1 && args[0] == "micro")
{
    BenchmarkSwitcher.FromAssembly(typeof(MappingInputs).Assembly).Run(args[1..]);
    return 0;
}

Console.Error.WriteLine("usage: RoleMap.Bench generate mappings ROLES DIR [SEED] | generate rbac RULES PRINCIPALS DIR [SEED] | micro [BenchmarkDotNet arguments] | paint CHROMIUM PAGE [RUNS]");
return 2;

static ulong Seed(string[] args, int index) => args.Length > index ? ulong.Parse(args[index], CultureInfo.InvariantCulture) : 1;

static void Write(string directory, string name, string text)
{
    Directory.CreateDirectory(directory);
    File.WriteAllText(Path.Combine(directory, name), text, new UTF8Encoding(false));
}

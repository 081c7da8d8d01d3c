using System.Diagnostics;
using System.Globalization;
using RoleMap.AwsAuth;
using RoleMap.Lint;
using RoleMap.Rbac;
using RoleMap.Spec;
using RoleMap.Terraform;
using RoleMap.Yaml;

namespace RoleMap.Bench;

/// <summary>
/// Where the time goes: runs the library's phases of one command one after another on a file, timing each with a
/// Stopwatch and reporting allocations. JIT, not NativeAOT, so absolute numbers differ from the native binary's,
/// but the split between phases is what profiling needs (docs/benchmarks.md, "Where the time goes"). Run it with
/// DOTNET_TieredCompilation=0 so that every method is fully optimised from the first call, as in the native binary.
/// </summary>
internal static class Profile
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
        for (var round = 1; round <= rounds; round++)
        {
            Console.WriteLine("round " + round + (round == 1 ? " (includes JIT)" : string.Empty));
            switch (args[1])
            {
                case "terraform-external":
                    TerraformExternal(File.ReadAllText(args[2]));
                    break;
                case "lint":
                    Lint(File.ReadAllText(args[2]));
                    break;
                case "rbac":
                    Rbac(File.ReadAllText(args[2]), args.Length > 4 ? args[4] : "default");
                    break;
                default:
                    Console.Error.WriteLine("profile terraform-external QUERY | lint SPEC | rbac FILE [ROUNDS [NAMESPACE]]");
                    return 2;
            }
        }

        return 0;
    }

    private static void TerraformExternal(string query)
    {
        var (spec, style, _) = Phase("parse query (exact path; the CLI reads bytes first)", () => ExternalDataSource.ParseQuery(query));
        var compiled = Phase("compile", () => SpecCompiler.Compile(spec));
        var findings = Phase("lint", () => Linter.LintSpec(compiled).Findings);
        var data = Phase("render", () => AwsAuthRenderer.RenderDataUtf8(compiled.Data, style, alwaysAccounts: true));
        Phase("round trip", () => { RoundTrip.Verify(compiled.Data, data); return 0; });
        Phase("result JSON", () => ExternalDataSource.WriteResult(data, findings.Select(f => f.ToString()).ToList()));
        Phase("whole Evaluate (UTF-8 bytes, as the CLI)", () => ExternalDataSource.Evaluate(System.Text.Encoding.UTF8.GetBytes(query)));
    }

    private static void Lint(string text)
    {
        var root = Phase("YAML", () => YamlLoader.LoadSingle(text, "spec.yaml"));
        var spec = Phase("spec reader", () => SpecLoader.FromNode(root, "spec.yaml"));
        var compiled = Phase("compile", () => SpecCompiler.Compile(spec));
        Phase("lint", () => Linter.LintSpec(compiled).Findings);
    }

    private static void Rbac(string text, string ns)
    {
        var documents = Phase("YAML", () => YamlLoader.LoadAll(text, "rbac.yaml"));
        var objects = Phase("YAML + RBAC decode", () => RbacLoader.Load(text, "rbac.yaml"));
        var policy = Phase("policy build", () => RbacPolicy.Build(objects));
        var query = QueryParser.Parse(new AccessQuery("get", "secrets", Namespace: ns)).Request();
        Phase("who-can", () => WhoCan.Evaluate(policy, query.Attributes, []));
        GC.KeepAlive(documents);
    }

    /// <summary>With ROLEMAP_PROFILE_LIVE=1, the live heap after the phase (a full collection, outside the timing).</summary>
    private static string LiveHeap() => Environment.GetEnvironmentVariable("ROLEMAP_PROFILE_LIVE") == "1"
        ? string.Create(CultureInfo.InvariantCulture, $", live {GC.GetTotalMemory(forceFullCollection: true) / 1048576.0:F1} MiB")
        : string.Empty;

    private static T Phase<T>(string name, Func<T> work)
    {
        // CPU time as well as wall time: on a shared machine the CPU time is the steadier of the two.
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var pause = GC.GetTotalPauseDuration();
        int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = work();
        clock.Stop();
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var gcs = string.Join('/', Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - collections[g]));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-20} {clock.Elapsed.TotalMilliseconds,9:F1} ms wall {cpuMs,9:F1} ms CPU {bytes / 1048576.0,9:F1} MiB allocated  GC {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds,7:F1} ms paused, gen0/1/2 {gcs}{LiveHeap()}"));
        return result;
    }
}

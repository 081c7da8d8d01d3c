using System.Diagnostics;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Examples;

/// <summary>
/// Every example directory has a check.sh that runs its scenario (generate, lint, resolve, can-i, ...) and
/// compares the answers with the documented ones; this runs them all against the rolemap built with the tests,
/// so the examples and their docs cannot drift from what rolemap does.
/// </summary>
public class ExampleScriptTests
{
    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Repo.Path("examples")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_script_passes(string example)
    {
        var script = Repo.Path("examples", example, "check.sh");
        Assert.True(File.Exists(script), "examples/" + example + " has no check.sh");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.Environment["ROLEMAP"] = dotnet + " " + Path.Combine(AppContext.BaseDirectory, "rolemap.dll");
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        Assert.True(process.ExitCode == 0, "examples/" + example + "/check.sh failed:\n" + output + stderr);
        Assert.EndsWith("all checks passed\n", output, StringComparison.Ordinal);
    }
}

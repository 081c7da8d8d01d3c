using RoleMap.Cli;

namespace RoleMap.Tests.TestSupport;

/// <summary>The outcome of one in-process rolemap invocation.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs the real command line in-process with captured streams.</summary>
public static class Cli
{
    public static CliRun RunWithInput(string stdin, params string[] args) => RunIn(Repo.Root, stdin, null, args);

    public static CliRun Run(params string[] args) => RunIn(Repo.Root, string.Empty, null, args);

    public static CliRun RunIn(string workingDirectory, string stdin, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        RunIn(workingDirectory, stdin, environment, inIsTerminal: false, aws: null, args);

    /// <summary>With stdin taken for a terminal or not, and AWS clients to use instead of connecting (<see cref="CliIO.AwsOverride"/>).</summary>
    internal static CliRun RunIn(string workingDirectory, string stdin, IReadOnlyDictionary<string, string>? environment, bool inIsTerminal, Func<RoleMap.Cli.Aws.AwsTarget, RoleMap.Cli.Aws.AwsSession>? aws, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var io = new CliIO
        {
            In = new StringReader(stdin),
            Out = stdout,
            Error = stderr,
            WorkingDirectory = workingDirectory,
            Environment = name => environment is not null && environment.TryGetValue(name, out var value) ? value : null,
            InIsTerminal = inIsTerminal,
            AwsOverride = aws,
        };
        var code = CliApp.RunAsync(args, io).GetAwaiter().GetResult();
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// A bash script run from the repository root in which <c>"$0" "$1"</c> starts rolemap as its own process (the
    /// dotnet host and the test build's rolemap.dll), for what only a process has: its real descriptors 0, 1 and 2.
    /// </summary>
    public static async Task<CliRun> RunProcessScript(string script)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo.Root };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(dotnet);
        start.ArgumentList.Add(System.IO.Path.Combine(AppContext.BaseDirectory, "rolemap.dll"));
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        return new CliRun(process.ExitCode, await stdout.ConfigureAwait(false), stderr);
    }
}

/// <summary>Paths in the repository, found from the test binary's location.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string TestData(params string[] parts) => System.IO.Path.Combine([Root, "tests", "RoleMap.Tests", "testdata", .. parts]);

    private static string FindRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir, "rolemap.slnx")))
        {
            dir = System.IO.Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("cannot find the repository root (rolemap.slnx) above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// Golden files: compares output with a file under testdata/golden. Set ROLEMAP_UPDATE_GOLDEN=1 to rewrite them
/// after a deliberate change, then review the diff.
/// </summary>
public static class Golden
{
    public static void Assert(string name, string actual)
    {
        var path = Repo.TestData("golden", name);
        if (Environment.GetEnvironmentVariable("ROLEMAP_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Xunit.Assert.True(File.Exists(path), "golden file missing: " + path + " (run with ROLEMAP_UPDATE_GOLDEN=1 to create it)");
        Xunit.Assert.Equal(File.ReadAllText(path), actual);
    }
}

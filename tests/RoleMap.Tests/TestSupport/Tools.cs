using System.Collections.Concurrent;
using System.Diagnostics;

namespace RoleMap.Tests.TestSupport;

/// <summary>
/// The one place tests find external programs (terraform, python3 with its modules, go, kubectl, aws, chromium, sh).
/// A test that needs one is marked <see cref="RequiresToolFactAttribute"/> or <see cref="RequiresToolTheoryAttribute"/>:
/// where the tool is missing it is reported as skipped with the reason, never passed. Under CI (<c>ROLEMAP_CI=1</c>,
/// set by <c>.ci/run</c>, which installs every tool) a missing tool fails the test instead.
/// </summary>
public static class Tools
{
    private static readonly ConcurrentDictionary<string, string?> Missing = new(StringComparer.Ordinal);

    /// <summary>True under CI, where every tool is installed and a missing one is a failure.</summary>
    public static bool RequiredEverywhere => Environment.GetEnvironmentVariable("ROLEMAP_CI") == "1";

    /// <summary>
    /// The full path of a program: <c>ROLEMAP_&lt;NAME&gt;</c> (e.g. ROLEMAP_TERRAFORM) when set, else PATH, else the
    /// places Debian and manual installs put it. Null when it is nowhere.
    /// </summary>
    public static string? Find(string name)
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("ROLEMAP_" + name.ToUpperInvariant().Replace('-', '_')) is { Length: > 0 } configured)
        {
            candidates.Add(configured);
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            candidates.Add(Path.Combine(dir, name));
        }

        candidates.Add(Path.Combine("/usr/local/bin", name));
        candidates.Add(Path.Combine("/usr/lib/go/bin", name));
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Why a tool cannot be used here, or null when it can. A tool is a program name, or <c>python3:MODULE</c> for
    /// python3 with a module importable (e.g. <c>python3:yaml</c>, <c>python3:moto</c>).
    /// </summary>
    public static string? MissingReason(string tool) => Missing.GetOrAdd(tool, Probe);

    /// <summary>The path of a tool a test needs; fails the test (with the reason) when it is missing.</summary>
    public static string Require(string tool)
    {
        if (MissingReason(tool) is { } reason)
        {
            Assert.Fail(reason + (RequiredEverywhere ? " (ROLEMAP_CI=1: every tool must be installed)" : string.Empty));
        }

        return Find(tool.Split(':')[0])!;
    }

    /// <summary>Runs a program to completion; returns its exit code and output.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string program, IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null, string? stdin = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null, UseShellExecute = false, WorkingDirectory = workingDirectory ?? string.Empty };
        if (stdin is not null)
        {
            start.StandardInputEncoding = new System.Text.UTF8Encoding(false);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        var limit = timeout ?? TimeSpan.FromSeconds(60);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(program + " did not finish within " + limit.TotalSeconds + " s");
        }

        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static string? Probe(string tool)
    {
        var parts = tool.Split(':', 2);
        var program = Find(parts[0]);
        if (program is null)
        {
            return parts[0] + " is not installed on this machine";
        }

        if (parts.Length == 1)
        {
            return null;
        }

        try
        {
            var (code, _, stderr) = Run(program, ["-c", "import " + parts[1]], timeout: TimeSpan.FromSeconds(30));
            return code == 0 ? null : parts[0] + " cannot import " + parts[1] + " on this machine: " + stderr.Trim().Split('\n')[^1];
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return parts[0] + " cannot be started: " + ex.Message;
        }
    }

    internal static string? SkipFor(IEnumerable<string> tools)
    {
        if (RequiredEverywhere)
        {
            return null; // the test runs and fails in Require with the reason
        }

        var reasons = tools.Select(MissingReason).OfType<string>().ToList();
        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }
}

/// <summary>A fact that needs external tools: skipped with the reason where one is missing (failed under CI).</summary>
public sealed class RequiresToolFactAttribute : FactAttribute
{
    public RequiresToolFactAttribute(params string[] tools)
    {
        Tools = tools;
        if (TestSupport.Tools.SkipFor(tools) is { } reason)
        {
            Skip = reason;
        }
    }

    public IReadOnlyList<string> Tools { get; }
}

/// <summary>A theory that needs external tools: skipped with the reason where one is missing (failed under CI).</summary>
public sealed class RequiresToolTheoryAttribute : TheoryAttribute
{
    public RequiresToolTheoryAttribute(params string[] tools)
    {
        Tools = tools;
        if (TestSupport.Tools.SkipFor(tools) is { } reason)
        {
            Skip = reason;
        }
    }

    public IReadOnlyList<string> Tools { get; }
}

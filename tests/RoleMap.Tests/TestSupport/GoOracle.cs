using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace RoleMap.Tests.TestSupport;

/// <summary>
/// The Go oracle (tests/go-oracle/main.go): built once per test run into a temporary directory from Debian's Go
/// packages in GOPATH mode (no network, no module download), then fed many cases through one process.
/// </summary>
public static class GoOracle
{
    private static readonly Lazy<string> Binary = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Where Debian installs the Go sources of golang-gopkg-yaml.v2-dev and friends; ROLEMAP_GOPATH overrides.</summary>
    public static string GoPath => Environment.GetEnvironmentVariable("ROLEMAP_GOPATH") is { Length: > 0 } configured ? configured : "/usr/share/gocode";

    /// <summary>One input case: data keys (null = absent) and callers to resolve.</summary>
    public sealed record Case(string? MapRoles, string? MapUsers, string? MapAccounts, IReadOnlyList<string> Callers);

    /// <summary>Runs every case through the oracle; returns one parsed JSON result per case, in order.</summary>
    public static IReadOnlyList<JsonElement> Run(IReadOnlyList<Case> cases)
    {
        var input = new StringBuilder();
        foreach (var c in cases)
        {
            input.Append(Line(c)).Append('\n');
        }

        var (code, stdout, stderr) = Tools.Run(Binary.Value, [], stdin: input.ToString(), timeout: TimeSpan.FromMinutes(5));
        Assert.True(code == 0, "go-oracle failed: " + stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(cases.Count, lines.Length);
        return [.. lines.Select(l => JsonDocument.Parse(l).RootElement)];
    }

    /// <summary>The JSON line the oracle reads for a case.</summary>
    public static string Line(Case c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            Write(json, "mapRoles", c.MapRoles);
            Write(json, "mapUsers", c.MapUsers);
            Write(json, "mapAccounts", c.MapAccounts);
            json.WriteStartArray("callers");
            foreach (var caller in c.Callers)
            {
                json.WriteStringValue(caller);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());

        static void Write(Utf8JsonWriter json, string name, string? value)
        {
            if (value is not null)
            {
                json.WriteString(name, value);
            }
        }
    }

    private static string Build()
    {
        var go = Tools.Require("go");
        var source = Repo.Path("tests", "go-oracle", "main.go");
        var dir = Path.Combine(Path.GetTempPath(), "rolemap-go-oracle-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        File.Copy(source, Path.Combine(dir, "main.go"), overwrite: true);
        var output = Path.Combine(dir, "go-oracle");
        var environment = new Dictionary<string, string>
        {
            ["GO111MODULE"] = "off",
            ["GOPATH"] = GoPath,
            ["GOFLAGS"] = string.Empty,
            ["CGO_ENABLED"] = "0",
            // A cache shared between runs keeps the build at a second or two after the first time.
            ["GOCACHE"] = Path.Combine(Path.GetTempPath(), "rolemap-go-oracle-cache"),
            ["HOME"] = Path.GetTempPath(),
        };
        var (code, stdout, stderr) = Tools.Run(go, ["build", "-o", output, "main.go"], workingDirectory: dir, environment: environment, timeout: TimeSpan.FromMinutes(5));
        Assert.True(code == 0, "building the Go oracle failed (needs golang-gopkg-yaml.v2-dev, golang-k8s-sigs-yaml-dev and golang-github-aws-aws-sdk-go-dev under " + GoPath + "):\n" + stdout + stderr);
        return output;
    }
}

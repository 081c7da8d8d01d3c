using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Terraform;

/// <summary>The outcome of one terraform invocation.</summary>
public sealed record TerraformRun(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs the terraform CLI for the tests that tie the module to rolemap: <c>terraform console</c> (offline, no providers)
/// and <c>terraform fmt</c>. Found by <see cref="Tools"/> (ROLEMAP_TERRAFORM or PATH); tests skip without it.
/// </summary>
public static partial class TerraformCli
{
    public static string Executable => Tools.Require("terraform");

    public static string ModuleDirectory => Repo.Path("terraform", "modules", "eks-k8s-role-mapping");

    /// <summary>Runs terraform in <paramref name="workingDirectory"/>, isolated from the user's CLI configuration unless asked.</summary>
    public static TerraformRun Run(string workingDirectory, string? stdin, bool userConfiguration, params string[] args)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["CHECKPOINT_DISABLE"] = "1";
        start.Environment["TF_IN_AUTOMATION"] = "1";
        if (!userConfiguration)
        {
            // An empty CLI configuration: no provider mirrors, credentials or plugin caches of the user's.
            start.Environment["TF_CLI_CONFIG_FILE"] = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin ?? string.Empty);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("terraform " + string.Join(' ', args) + " did not finish within 5 minutes");
        }

        return new TerraformRun(process.ExitCode, stdout.Result, Ansi().Replace(stderr.Result, string.Empty));
    }

    /// <summary>A fresh directory holding the module's variables.tf and query.tf, plus any extra files.</summary>
    public static ScratchDirectory QueryDirectory(params string[] extraFiles)
    {
        var directory = new ScratchDirectory();
        foreach (var file in new[] { Path.Combine(ModuleDirectory, "variables.tf"), Path.Combine(ModuleDirectory, "query.tf") }.Concat(extraFiles))
        {
            File.Copy(file, Path.Combine(directory.Path, Path.GetFileName(file)));
        }

        return directory;
    }

    /// <summary>
    /// Evaluates one expression with <c>terraform console</c> and returns the string it yields. Console exits 0 even
    /// when a variable fails validation, so any error on stderr fails the evaluation.
    /// </summary>
    public static string EvaluateString(string directory, string expression, params string[] consoleArgs)
    {
        var run = Run(directory, expression + "\n", userConfiguration: false, ["console", .. consoleArgs]);
        if (run.ExitCode != 0 || run.Stderr.Contains("Error", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("terraform console failed on " + expression + " (exit " + run.ExitCode + "):\n" + run.Stderr);
        }

        return GoUnquote(run.Stdout.Trim());
    }

    /// <summary>
    /// Decodes a string as <c>terraform console</c> prints it (Go's strconv.Quote): \" \\ \a \b \f \n \r \t \v,
    /// \xHH, \uHHHH and \UHHHHHHHH.
    /// </summary>
    public static string GoUnquote(string quoted)
    {
        if (quoted.Length < 2 || quoted[0] != '"' || quoted[^1] != '"')
        {
            throw new FormatException("terraform console did not print a quoted string: " + quoted);
        }

        var bytes = new List<byte>();
        var text = quoted[1..^1];
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                var end = i + (char.IsHighSurrogate(text[i]) ? 2 : 1);
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i..end]));
                i = end - 1;
                continue;
            }

            var escape = text[++i];
            switch (escape)
            {
                case 'x':
                    bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                case 'u' or 'U':
                    var digits = escape == 'u' ? 4 : 8;
                    var rune = new Rune(int.Parse(text.AsSpan(i + 1, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    bytes.AddRange(Encoding.UTF8.GetBytes(rune.ToString()));
                    i += digits;
                    break;
                default:
                    bytes.Add(escape switch
                    {
                        'a' => 0x07,
                        'b' => 0x08,
                        'f' => 0x0C,
                        'n' => 0x0A,
                        'r' => 0x0D,
                        't' => 0x09,
                        'v' => 0x0B,
                        '"' => (byte)'"',
                        '\\' => (byte)'\\',
                        _ => throw new FormatException("unknown escape \\" + escape + " in " + quoted),
                    });
                    break;
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    [GeneratedRegex("\u001b\\[[0-9;]*m")]
    private static partial Regex Ansi();
}

/// <summary>A temporary directory, deleted on dispose.</summary>
public sealed class ScratchDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("rolemap-tf-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>
/// A fact that needs terraform with its providers installable (a registry or a provider mirror in the CLI
/// configuration): opt in with ROLEMAP_TEST_TERRAFORM_VALIDATE=1.
/// </summary>
public sealed class TerraformValidateFactAttribute : FactAttribute
{
    public TerraformValidateFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("ROLEMAP_TEST_TERRAFORM_VALIDATE") != "1")
        {
            Skip = "set ROLEMAP_TEST_TERRAFORM_VALIDATE=1 where terraform can install the external and kubernetes providers";
        }
        else if (Tools.SkipFor(["terraform"]) is { } reason)
        {
            Skip = reason;
        }
    }
}

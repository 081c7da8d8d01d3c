using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using RoleMap.AwsAuth;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Yaml;

/// <summary>
/// Differential test against the real Terraform: hostile mapping data rendered with --style terraform must equal
/// Terraform's own yamlencode of the same objects, byte for byte. Skipped, with the reason,
/// where terraform is missing (offline: no providers are needed for yamlencode in outputs).
/// </summary>
public class TerraformOracleTests
{
    private static readonly string[] Fragments =
    [
        "\n", "\r", "\t", " ", "  ", "\"", "'", "\\", "{{SessionName}}", ": ", " #", "- ", "yes", "123", "~", "é", "中文",
        "\U0001F600", "\ufeff", "\u00a0", "\u0085", "\u2028", "\u2029", "\u0001", "\u007f", "$", "%", "{", "}", "${", "%{",
        "word", "system:masters", "a", "|", ">",
    ];

    private static readonly Gen<string> Hostile = Gen.OneOf(
            Gen.Int[0, Fragments.Length - 1].Select(i => Fragments[i]),
            Gen.Char['a', 'z'].Array[1, 12].Select(c => new string(c)))
        .Array[0, 40]
        .Select(parts => string.Concat(parts));

    private static readonly Gen<MapEntry> Entry = Gen.Select(Gen.Int[0, 99], Hostile, Hostile.Array[0, 3], (n, u, g) => new MapEntry("arn:aws:iam::111122223333:role/r" + n, u, g));

    [RequiresToolFact("terraform")]
    public void Terraform_style_equals_terraform_yamlencode()
    {
        var terraform = Tools.Require("terraform");

        var cases = Entry.Array[0, 4].Array[150].Single();
        var dir = Directory.CreateTempSubdirectory("rolemap-tf-oracle-");
        try
        {
            var tf = new StringBuilder();
            for (var i = 0; i < cases.Length; i++)
            {
                tf.Append("output \"c").Append(i).Append("\" { value = yamlencode([");
                foreach (var entry in cases[i])
                {
                    tf.Append("{groups = [").Append(string.Join(", ", entry.Groups.Select(Hcl))).Append("], rolearn = ").Append(Hcl(entry.Arn!)).Append(", username = ").Append(Hcl(entry.Username!)).Append("},");
                }

                tf.Append("]) }\n");
            }

            File.WriteAllText(Path.Combine(dir.FullName, "main.tf"), tf.ToString());
            Run(terraform, dir.FullName, "init", "-input=false", "-no-color");
            Run(terraform, dir.FullName, "apply", "-auto-approve", "-input=false", "-no-color");
            using var outputs = JsonDocument.Parse(Run(terraform, dir.FullName, "output", "-json", "-no-color"));
            for (var i = 0; i < cases.Length; i++)
            {
                var expected = outputs.RootElement.GetProperty("c" + i.ToString(CultureInfo.InvariantCulture)).GetProperty("value").GetString();
                Assert.Equal(expected, AwsAuthRenderer.RenderRoles(cases[i], RenderStyle.Terraform));
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Run(string terraform, string directory, params string[] args)
    {
        var start = new ProcessStartInfo(terraform) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TF_IN_AUTOMATION"] = "1";
        start.Environment["CHECKPOINT_DISABLE"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "terraform " + string.Join(' ', args) + " failed: " + stderr);
        return stdout.Result;
    }

    /// <summary>An HCL string literal for any text: escapes, and $${ / %%{ so nothing is interpolated.</summary>
    private static string Hcl(string text)
    {
        var sb = new StringBuilder("\"");
        for (var i = 0; i < text.Length; i++)
        {
            int cp = text[i];
            if (char.IsHighSurrogate(text[i]))
            {
                cp = char.ConvertToUtf32(text[i], text[++i]);
            }

            switch (cp)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '$' when i + 1 < text.Length && text[i + 1] == '{': sb.Append("$$"); break;
                case '%' when i + 1 < text.Length && text[i + 1] == '{': sb.Append("%%"); break;
                default:
                    if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp > 0xffff || cp is 0x2028 or 0x2029 or 0xfeff)
                    {
                        sb.Append(cp > 0xffff ? "\\U" + cp.ToString("X8", CultureInfo.InvariantCulture) : "\\u" + cp.ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append((char)cp);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Terraform;

/// <summary>
/// The module terraform/modules/eks-k8s-role-mapping and rolemap, tied together. Each case under
/// testdata/terraform/{cases,errors}/NAME holds inputs.tfvars (a module call's arguments) and query.json: the exact
/// bytes the external data source sends rolemap for them. The terraform-console tests derive query.json from the
/// module's own query.tf (refresh with ROLEMAP_UPDATE_GOLDEN=1), so the JSON fed to rolemap here cannot drift from
/// the module; the other tests run the module's exact command on it and compare with golden files.
/// </summary>
public partial class TerraformModuleTests
{
    /// <summary>The arguments the module passes after the executable: local.rolemap_program[1:] in query.tf.</summary>
    private static readonly string[] ModuleCommand = ["terraform-external"];

    private static readonly string[] ExampleNames = ["ops-dev", "api-backend"];

    public static TheoryData<string> Cases => [.. Names("cases")];

    public static TheoryData<string> AllInputs => [.. Names("cases").Select(n => "cases/" + n), .. Names("errors").Select(n => "errors/" + n)];

    public static TheoryData<string> Examples => [.. ExampleNames];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Module_command_renders_the_golden_result(string name)
    {
        var run = TestSupport.Cli.RunWithInput(Query("cases/" + name), ModuleCommand);

        Assert.Equal(string.Empty, run.Stderr);
        Assert.Equal(0, run.ExitCode);
        AssertProtocolResult(run.Stdout);
        Golden.Assert("terraform/" + name + ".json", run.Stdout);
    }

    [Theory]
    [InlineData("user-in-role-map", "arn-wrong-list", "iam_role_to_rbac_group_mappings.arn:aws:iam::111122223333:user/alice")]
    [InlineData("duplicate-worker", "duplicate-arn", "eks_worker_iam_role_arns")]
    [InlineData("node-and-fargate", "node-fargate-shared-role", "eks_fargate_profile_executor_iam_role_arns")]
    [InlineData("bad-partition", "arn-partition", "eks_worker_iam_role_arns")]
    [InlineData("bad-label", "label-invalid", "config_map_labels.team")]
    [InlineData("human-in-node-group", "human-in-node-group", "iam_role_to_rbac_group_mappings.arn:aws:iam::111122223333:role/admin")]
    public void Bad_inputs_fail_the_plan_with_rolemaps_message(string name, string rule, string input)
    {
        var run = TestSupport.Cli.RunWithInput(Query("errors/" + name), ModuleCommand);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.StartsWith("rolemap: 1 error in the module inputs; nothing was rendered:\nerror[" + rule + "]: " + input + ": ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotMatch(@":\d+:\d+", run.Stderr); // no line:column inside a jsonencode()d string
    }

    [Fact]
    public void Warnings_are_lint_warnings_named_by_input()
    {
        using var result = JsonDocument.Parse(TestSupport.Cli.RunWithInput(Query("cases/everything-plain"), ModuleCommand).Stdout);
        var warnings = JsonSerializer.Deserialize<string[]>(result.RootElement.GetProperty("warnings").GetString()!)!;

        // From the spec compiler (a corrected path) and from the linter proper (mapAccounts is broad).
        Assert.Contains(warnings, w => w.StartsWith("warning[arn-role-path]: iam_role_to_rbac_group_mappings.", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("warning[map-accounts]: map_accounts: ", StringComparison.Ordinal));
        Assert.All(warnings, w => Assert.StartsWith("warning[", w, StringComparison.Ordinal));
    }

    [RequiresToolTheory("terraform")]
    [MemberData(nameof(AllInputs))]
    public void Query_is_exactly_what_the_module_sends(string name)
    {
        // The external provider sends Go's json.Marshal of the query map: keys sorted, compact, <>& escaped. Terraform's
        // jsonencode of the same object produces those bytes (cty sorts attributes and uses Go's string encoding).
        using var directory = TerraformCli.QueryDirectory();
        var sent = TerraformCli.EvaluateString(directory.Path, "jsonencode(local.rolemap_query)", "-var-file=" + Repo.TestData("terraform", name, "inputs.tfvars"));

        var path = Repo.TestData("terraform", name, "query.json");
        if (Environment.GetEnvironmentVariable("ROLEMAP_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, sent);
        }

        Assert.Equal(File.ReadAllText(path), sent);
    }

    [RequiresToolFact("terraform")]
    public void Module_runs_rolemap_terraform_external()
    {
        using var directory = TerraformCli.QueryDirectory();
        var program = JsonSerializer.Deserialize<string[]>(TerraformCli.EvaluateString(directory.Path, "jsonencode(local.rolemap_program)"))!;

        Assert.Equal(["rolemap", .. ModuleCommand], program);
    }

    [RequiresToolFact("terraform")]
    public void Terraform_style_is_byte_for_byte_the_original_modules_yamlencode()
    {
        using var directory = TerraformCli.QueryDirectory(Repo.TestData("terraform", "original-module.tf"));
        using var original = JsonDocument.Parse(TerraformCli.EvaluateString(
            directory.Path,
            "jsonencode({ mapRoles = local.original_map_roles, mapUsers = local.original_map_users })",
            "-var-file=" + Repo.TestData("terraform", "cases", "original-module", "inputs.tfvars")));
        using var rolemap = JsonDocument.Parse(TestSupport.Cli.RunWithInput(Query("cases/original-module"), ModuleCommand).Stdout);

        Assert.Equal(original.RootElement.GetProperty("mapRoles").GetString(), rolemap.RootElement.GetProperty("mapRoles").GetString());
        Assert.Equal(original.RootElement.GetProperty("mapUsers").GetString(), rolemap.RootElement.GetProperty("mapUsers").GetString());
    }

    [RequiresToolTheory("terraform")]
    [InlineData("style=fancy", "style must be \"plain\" or \"terraform\"")]
    [InlineData("manage=everything", "manage must be \"configmap\", \"data\" or \"none\"")]
    [InlineData("map_accounts=[\"1111-2222-3333\"]", "12-digit AWS account ID")]
    [InlineData("eks_worker_iam_role_arns=[\"eks-workers\"]", "not a role name")]
    [InlineData("eks_worker_iam_role_arn=eks-workers", "not a role name")]
    [InlineData("iam_user_to_rbac_group_mappings={\"alice\"=[\"dev\"]}", "not a user name")]
    [InlineData("iam_role_to_rbac_group_mappings={\"arn:aws:iam::111122223333:role/ops\"=[\"\"]}", "empty group name")]
    [InlineData("namespace=Kube_System", "namespace must be a Kubernetes namespace name")]
    [InlineData("rolemap_path= ", "rolemap_path must name the rolemap executable")]
    public void Variable_validation_rejects_what_terraform_can_check(string assignment, string message)
    {
        using var directory = TerraformCli.QueryDirectory();
        var run = TerraformCli.Run(directory.Path, "local.rolemap_query\n", userConfiguration: false, "console", "-var", assignment);

        Assert.Contains("Invalid value for variable", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(message, Regex.Replace(run.Stderr, @"\s*│\s*", " "), StringComparison.Ordinal);
    }

    [RequiresToolFact("terraform")]
    public void Terraform_files_are_fmt_clean()
    {
        foreach (var directory in new[] { Repo.Path("terraform"), Repo.Path("examples"), Repo.TestData("terraform") })
        {
            var run = TerraformCli.Run(Repo.Root, null, userConfiguration: false, "fmt", "-check", "-recursive", "-diff", "-no-color", directory);
            Assert.True(run.ExitCode == 0, "terraform fmt -check -recursive " + directory + " failed:\n" + run.Stdout + run.Stderr);
        }
    }

    [RequiresToolTheory("terraform")]
    [MemberData(nameof(Examples))]
    public void Example_module_call_renders_what_its_spec_renders(string example)
    {
        // The module block's literal arguments are valid .tfvars syntax; arguments that refer to the example's own
        // variables (manage, rolemap_path, ...) do not change the mapping and are left out.
        var arguments = ModuleArguments(File.ReadAllText(Repo.Path("examples", example, "main.tf")));
        using var directory = TerraformCli.QueryDirectory();
        File.WriteAllText(Path.Combine(directory.Path, "example.tfvars"), arguments);
        var query = TerraformCli.EvaluateString(directory.Path, "jsonencode(local.rolemap_query)", "-var-file=example.tfvars");
        var style = JsonDocument.Parse(query).RootElement.GetProperty("style").GetString()!;

        var module = TestSupport.Cli.RunWithInput(query, ModuleCommand);
        var spec = TestSupport.Cli.Run("generate", "examples/" + example + "/spec.yaml", "--data-only", "-o", "json", "--style", style);

        Assert.Equal(0, module.ExitCode);
        Assert.Equal(0, spec.ExitCode);
        using var fromModule = JsonDocument.Parse(module.Stdout);
        using var fromSpec = JsonDocument.Parse(spec.Stdout);
        Assert.Equal(fromSpec.RootElement.GetProperty("mapRoles").GetString(), fromModule.RootElement.GetProperty("mapRoles").GetString());
        Assert.Equal(fromSpec.RootElement.GetProperty("mapUsers").GetString(), fromModule.RootElement.GetProperty("mapUsers").GetString());
    }

    [TerraformValidateFact]
    public void Module_and_examples_validate_with_their_providers()
    {
        // A copy, so init leaves no .terraform directories or lock files in the repository.
        using var scratch = new ScratchDirectory();
        var root = scratch.Path;
        var module = Path.Combine(root, "terraform", "modules", "eks-k8s-role-mapping");
        CopyTerraformFiles(TerraformCli.ModuleDirectory, module);
        var directories = new List<string> { module };
        foreach (var example in ExampleNames)
        {
            var target = Path.Combine(root, "examples", example);
            CopyTerraformFiles(Repo.Path("examples", example), target);
            directories.Add(target);
        }

        foreach (var directory in directories)
        {
            foreach (var args in new[] { new[] { "init", "-backend=false", "-input=false", "-no-color" }, ["validate", "-no-color"] })
            {
                var run = TerraformCli.Run(directory, null, userConfiguration: true, args);
                Assert.True(run.ExitCode == 0, "terraform " + string.Join(' ', args) + " in " + directory + " failed:\n" + run.Stdout + run.Stderr);
            }
        }
    }

    /// <summary>The literal arguments of the first module block, as .tfvars text.</summary>
    internal static string ModuleArguments(string mainTf)
    {
        var match = ModuleBlock().Match(mainTf);
        Assert.True(match.Success, "no module block in main.tf");
        var lines = match.Groups["body"].Value.Split('\n')
            .Where(line => !SourceOrReference().IsMatch(line));
        return string.Join('\n', lines) + "\n";
    }

    private static string Query(string name) => File.ReadAllText(Repo.TestData("terraform", name, "query.json"));

    private static string[] Names(string kind) =>
        [.. Directory.GetDirectories(Repo.TestData("terraform", kind)).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)];

    private static void AssertProtocolResult(string stdout)
    {
        // The external provider accepts only a flat JSON object of strings.
        using var result = JsonDocument.Parse(stdout);
        Assert.Equal(JsonValueKind.Object, result.RootElement.ValueKind);
        Assert.Equal(["mapRoles", "mapUsers", "mapAccounts", "warnings"], result.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.All(result.RootElement.EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
        using var warnings = JsonDocument.Parse(result.RootElement.GetProperty("warnings").GetString()!);
        Assert.Equal(JsonValueKind.Array, warnings.RootElement.ValueKind);
        Assert.All(warnings.RootElement.EnumerateArray(), w => Assert.Equal(JsonValueKind.String, w.ValueKind));
    }

    private static void CopyTerraformFiles(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*.tf"))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    [GeneratedRegex(@"^module ""[^""]+"" \{\n(?<body>.*?)^\}", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ModuleBlock();

    [GeneratedRegex(@"^\s*(source\s*=|[a-z_]+\s*=\s*(var|local|module|data)\.)")]
    private static partial Regex SourceOrReference();
}

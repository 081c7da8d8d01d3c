using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Cli;

/// <summary>
/// The order of the managed methods in the native image (src/RoleMap.Cli/Native/method-order.txt, recorded by
/// bench/method_order.py): the project hands it to the NativeAOT compiler, and it lists the Terraform data source's
/// path first, since that start-up is what the benchmark's example measures. Whether a published image follows it
/// is checked where one is published (.ci/run: `python3 bench/method_order.py check`).
/// </summary>
public sealed class NativeLayoutTests
{
    private static readonly string OrderFile = Path.Combine(Repo.Root, "src/RoleMap.Cli/Native/method-order.txt");

    private static string[] Methods() =>
        File.ReadAllLines(OrderFile).Where(line => line.Length > 0 && !line.StartsWith('#')).ToArray();

    [Fact]
    public void The_project_gives_the_compiler_the_order_file()
    {
        var project = File.ReadAllText(Path.Combine(Repo.Root, "src/RoleMap.Cli/RoleMap.Cli.csproj"));
        Assert.Contains("<IlcOrderFile>$(MSBuildThisFileDirectory)Native/method-order.txt</IlcOrderFile>", project, StringComparison.Ordinal);
        Assert.True(File.Exists(OrderFile));
    }

    [Fact]
    public void Every_line_is_a_comment_or_one_mangled_method_name_listed_once()
    {
        var methods = Methods();
        Assert.True(methods.Length > 500, $"{methods.Length} methods: record the order again (python3 bench/method_order.py record)");
        Assert.All(methods, name => Assert.False(name.Any(char.IsWhiteSpace), $"'{name}' is not one symbol name"));
        Assert.Equal(methods.Length, methods.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_terraform_data_source_comes_before_the_other_commands()
    {
        var methods = Methods().ToList();
        var firstOther = methods.FindIndex(name => name.StartsWith("rolemap_RoleMap_Cli_Commands_GenerateCommand_", StringComparison.Ordinal));
        Assert.True(firstOther > 0, "generate's methods are listed");
        foreach (var method in new[]
                 {
                     "rolemap_Program___Main_",
                     "rolemap_RoleMap_Cli_Commands_TerraformExternalCommand__Run",
                     "RoleMap_Core_RoleMap_Terraform_ExternalDataSource__Evaluate_1",
                     "RoleMap_Core_RoleMap_AwsAuth_AwsAuthRenderer__RenderDataUtf8",
                 })
        {
            var index = methods.IndexOf(method);
            Assert.True(index >= 0 && index < firstOther, $"{method} at {index}, generate's first method at {firstOther}");
        }
    }
}

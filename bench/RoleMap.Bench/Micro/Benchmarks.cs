using BenchmarkDotNet.Attributes;
using RoleMap.Arns;
using RoleMap.AwsAuth;
using RoleMap.Bench.Inputs;
using RoleMap.Rbac;
using RoleMap.Spec;
using RoleMap.Terraform;
using RoleMap.Yaml;

namespace RoleMap.Bench.Micro;

// The hot paths of docs/benchmarks.md, each on generated inputs (RoleMap.Bench.Inputs, seed 1). MemoryDiagnoser
// reports allocations, which is where most of the time went before the optimisations of issue 8.

/// <summary>Rendering aws-auth data, in rolemap's plain style and in Terraform yamlencode's style.</summary>
[MemoryDiagnoser]
public class RenderBenchmarks
{
    private AwsAuthData data = null!;

    [Params(1_000, 10_000)]
    public int Roles { get; set; }

    [GlobalSetup]
    public void Setup() => data = SpecCompiler.Compile(SpecLoader.Load(MappingInputs.Generate(Roles).Spec(), "spec.yaml")).Data;

    [Benchmark]
    public object Plain() => AwsAuthRenderer.RenderData(data, RenderStyle.Plain, alwaysAccounts: true);

    [Benchmark]
    public object Terraform() => AwsAuthRenderer.RenderData(data, RenderStyle.Terraform, alwaysAccounts: true);
}

/// <summary>Reading: a rendered aws-auth ConfigMap with the authenticator's rules, a spec, a Terraform query, YAML alone.</summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private string configMap = null!;
    private string spec = null!;
    private string query = null!;

    [Params(1_000, 10_000)]
    public int Roles { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var inputs = MappingInputs.Generate(Roles);
        spec = inputs.Spec();
        query = inputs.TerraformQuery();
        var data = SpecCompiler.Compile(SpecLoader.Load(spec, "spec.yaml")).Data;
        configMap = ConfigMapWriter.ToYaml(ConfigMapDocument.AwsAuth(AwsAuthRenderer.RenderData(data, RenderStyle.Plain)));
    }

    [Benchmark]
    public object AwsAuthParse() => AwsAuthParser.Parse(configMap, "aws-auth.yaml");

    [Benchmark]
    public object SpecYaml() => YamlLoader.LoadAll(spec, "spec.yaml");

    [Benchmark]
    public object SpecLoadAndCompile() => SpecCompiler.Compile(SpecLoader.Load(spec, "spec.yaml"));

    [Benchmark]
    public object TerraformExternal() => ExternalDataSource.Evaluate(query);
}

/// <summary>The authenticator's ARN canonicalisation and rolemap's ARN checks.</summary>
[MemoryDiagnoser]
public class CanonicaliseBenchmarks
{
    private static readonly string[] Arns =
    [
        "arn:aws:iam::111122223333:role/dev",
        "arn:aws:sts::111122223333:assumed-role/dev/alice@example.com",
        "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef",
        "arn:aws:iam::111122223333:user/ci/deployer",
    ];

    [Benchmark(OperationsPerInvoke = 4)]
    public int Canonicalize()
    {
        var length = 0;
        foreach (var arn in Arns)
        {
            length += Canonicalizer.Canonicalize(arn).Canonical.Length;
        }

        return length;
    }

    [Benchmark(OperationsPerInvoke = 4)]
    public int IamArnParse()
    {
        var problems = 0;
        foreach (var arn in Arns)
        {
            IamArn.Parse(arn, out var found);
            problems += found.Count;
        }

        return problems;
    }
}

/// <summary>RBAC: loading a kubectl dump, one rule match, one authorization, who-can.</summary>
[MemoryDiagnoser]
public class RbacBenchmarks
{
    private string yaml = null!;
    private RbacPolicy policy = null!;
    private Attributes request = null!;
    private UserInfo user = null!;
    private PolicyRule rule = null!;

    [Params(10_000)]
    public int Rules { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var inputs = RbacInputs.Generate(Rules, 100);
        yaml = inputs.Yaml;
        policy = RbacPolicy.Build(RbacLoader.Load(yaml, "rbac.yaml"));
        request = Attributes.ForResource("get", string.Empty, "secrets", ns: inputs.SampleNamespace);
        user = Identities.Authenticated("team-0-developer", ["team-0"]);
        rule = new PolicyRule(["get", "list", "watch"], ["", "apps"], ["pods", "secrets", "deployments"], [], []);
    }

    [Benchmark]
    public object Load() => RbacLoader.Load(yaml, "rbac.yaml");

    [Benchmark]
    public object BuildPolicy() => RbacPolicy.Build(RbacLoader.Load(yaml, "rbac.yaml"));

    [Benchmark]
    public bool RuleMatch() => RuleMatcher.RuleAllows(request, rule);

    [Benchmark]
    public object Authorize() => policy.Authorize(user, request);

    [Benchmark]
    public object WhoCanEvaluate() => WhoCan.Evaluate(policy, request, []);
}

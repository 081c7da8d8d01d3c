using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Rbac;
using RoleMap.Spec;
using RoleMap.Tests.TestSupport;
using RoleMap.Yaml;

namespace RoleMap.Tests.Yaml;

/// <summary>
/// kubectl and the API server convert a manifest to JSON (sigs.k8s.io/yaml) before anything else, and JSON has no
/// infinity, NaN or null key: <c>.inf</c>, <c>-.inf</c>, <c>.nan</c> as values make kubectl fail with "error converting
/// YAML to JSON". rolemap refuses them in specs and RBAC manifests with the file, line and field.
/// </summary>
public class ManifestJsonTests
{
    private static string ClusterRole(string tier, string verb) =>
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n  labels:\n    tier: " + tier + "\nrules:\n- apiGroups: [\"\"]\n  resources: [pods]\n  verbs: [get, " + verb + "]\n";

    public static TheoryData<string, string, int, string> Refused() => new()
    {
        { ClusterRole(".inf", "list"), "metadata.labels.tier", 6, ".inf" },
        { ClusterRole("x", "-.Inf"), "rules[0].verbs[1]", 10, "-.Inf" },
        { ClusterRole(".NaN", "list"), "metadata.labels.tier", 6, ".NaN" },
        { ClusterRole("x", "list") + "---\n" + ClusterRole("+.inf", "list"), "metadata.labels.tier", 17, "+.inf" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void An_rbac_manifest_with_infinity_or_nan_is_refused_naming_file_line_and_field(string manifest, string field, int line, string value)
    {
        var ex = Assert.Throws<InputException>(() => RbacLoader.Load([new RbacSource("rbac.yaml", manifest)]));
        Assert.Equal("rbac.yaml", ex.Location?.File);
        Assert.Equal(line, ex.Location?.Line);
        Assert.StartsWith(field + ": ", ex.Detail, StringComparison.Ordinal);
        Assert.Contains(value, ex.Detail, StringComparison.Ordinal);
        Assert.Contains("error converting YAML to JSON", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_aws_auth_manifest_with_infinity_in_its_metadata_is_refused_as_kubectl_refuses_it()
    {
        const string manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\n  labels:\n    tier: .inf\ndata:\n  mapAccounts: |\n    - \"111122223333\"\n";
        var ex = Assert.Throws<InputException>(() => AwsAuthParser.Parse(manifest, "aws-auth.yaml"));
        Assert.Equal("aws-auth.yaml", ex.Location?.File);
        Assert.Equal(7, ex.Location?.Line);
        Assert.StartsWith("metadata.labels.tier: ", ex.Detail, StringComparison.Ordinal);
        Assert.Contains("error converting YAML to JSON", ex.Detail, StringComparison.Ordinal);

        // Quoted, it is text, and the aws-auth loads.
        Assert.Equal(["111122223333"], AwsAuthParser.Parse(manifest.Replace("tier: .inf", "tier: \".inf\"", StringComparison.Ordinal), "aws-auth.yaml").Effective.Accounts);
    }

    [Fact]
    public void Quoted_or_as_a_key_infinity_is_text_and_loads()
    {
        var quoted = ClusterRole("\".inf\"", "'.nan'");
        Assert.Single(RbacLoader.Load([new RbacSource("rbac.yaml", quoted)]).ClusterRoles);
        Assert.Single(YamlLoader.LoadManifests("a:\n  .inf: x\n", "m.yaml"));
    }

    [Fact]
    public void A_null_key_is_refused_as_kubectl_refuses_it()
    {
        var ex = Assert.Throws<InputException>(() => YamlLoader.LoadManifests("metadata:\n  labels:\n    ~: x\n", "m.yaml"));
        Assert.Equal(3, ex.Location?.Line);
        Assert.StartsWith("metadata.labels: ", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_spec_with_infinity_as_a_value_is_refused_naming_file_line_and_field()
    {
        var ex = Assert.Throws<InputException>(() => SpecLoader.Load("roles:\n- arn: arn:aws:iam::111122223333:role/Dev\n  username: .inf\n  groups: [dev]\n", "spec.yaml"));
        Assert.Equal("spec.yaml", ex.Location?.File);
        Assert.Equal(3, ex.Location?.Line);
        Assert.StartsWith("roles[0].username: ", ex.Detail, StringComparison.Ordinal);
        Assert.Contains("spec.yaml:3", ex.Message, StringComparison.Ordinal);

        // Quoted, it is the text ".inf", as before.
        Assert.Equal(".inf", SpecLoader.Load("roles:\n- arn: arn:aws:iam::111122223333:role/Dev\n  username: \".inf\"\n  groups: [dev]\n", "spec.yaml").Roles[0].Username);
    }

    /// <summary>The real kubectl, offline: it fails on the conversion before it needs a server for the refused shapes, and gets past it otherwise.</summary>
    [RequiresToolFact("kubectl")]
    public void Kubectl_refuses_exactly_the_manifests_rolemap_refuses()
    {
        var kubectl = Tools.Require("kubectl");
        var directory = Directory.CreateTempSubdirectory("rolemap-inf-");
        try
        {
            var accepted = ClusterRole("\".inf\"", "'.nan'");
            var cases = Refused().Select(row => ((string)row[0], true)).Append((accepted, false)).ToList();
            for (var i = 0; i < cases.Count; i++)
            {
                var (manifest, refused) = cases[i];
                var file = Path.Combine(directory.FullName, "m" + i + ".yaml");
                File.WriteAllText(file, manifest);
                var (_, _, stderr) = Tools.Run(kubectl, ["create", "--dry-run=client", "--validate=false", "-o", "json", "-f", file, "--server", "http://127.0.0.1:9", "--request-timeout", "5s"], timeout: TimeSpan.FromMinutes(1));
                Assert.True(refused == stderr.Contains("error converting YAML to JSON", StringComparison.Ordinal), manifest + "\nkubectl: " + stderr);
                var rolemapRefuses = Record.Exception(() => RbacLoader.Load([new RbacSource("m.yaml", manifest)])) is InputException;
                Assert.Equal(refused, rolemapRefuses);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}

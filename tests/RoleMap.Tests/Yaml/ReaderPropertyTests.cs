using System.Text;
using CsCheck;
using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Rbac;
using RoleMap.Spec;
using RoleMap.Tests.AwsAuth;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Yaml;

/// <summary>
/// Every reader of user input, on random bytes (decoded as the CLI decodes files), random YAML-like text and damaged
/// real files: the only failure allowed is an <see cref="InputException"/> (exit code 2 with a message); anything else
/// (an internal error from YamlDotNet, a null dereference, an index out of range) fails the test with the input.
/// </summary>
public class ReaderPropertyTests
{
    private static readonly (string Name, Action<string> Read)[] Readers =
    [
        ("aws-auth manifest", text => AwsAuthParser.Parse(text, "fuzz.yaml")),
        ("aws-auth data keys", text => AwsAuthParser.ParseData([new("mapRoles", text), new("mapUsers", text), new("mapAccounts", text)], null, "fuzz")),
        ("spec", text => SpecCompiler.Compile(SpecLoader.Load(text, "fuzz.yaml"))),
        ("RBAC manifests", text => RbacPolicy.Build(RbacLoader.Load(text, "fuzz.yaml"))),
        ("access entries JSON", text => ExistingAccessEntries.Parse(text, "fuzz.json")),
        ("IAM directory JSON", text => IamDirectory.Parse(text, "fuzz.json")),
    ];

    private static readonly string[] Samples =
    [
        .. Directory.GetFiles(Repo.TestData("aws-auth")).Concat(Directory.GetFiles(Repo.TestData("rbac"))).Select(File.ReadAllText),
        File.ReadAllText(Repo.Path("examples", "quickstart", "spec.yaml")),
        File.ReadAllText(Repo.Path("examples", "access-entries", "access-entries.json")),
        File.ReadAllText(Repo.Path("examples", "access-entries", "iam-roles.json")),
    ];

    /// <summary>Bytes decoded as UTF-8 with replacement characters, as File.ReadAllText does.</summary>
    private static readonly Gen<string> RandomBytes = Gen.Byte.Array[0, 400].Select(bytes => Encoding.UTF8.GetString(bytes));

    private static readonly Gen<string> RandomYaml = Gen.Int.Select(seed => new HostileAwsAuth(seed).Data(seed % 2 == 0 ? "rolearn" : "userarn"));

    private static readonly Gen<string> DamagedSample = Gen.Select(Gen.Int[0, Samples.Length - 1], Gen.Int[0, 100_000], Gen.Int[0, 100_000], Gen.String[0, 4])
        .Select((i, at, length, insert) =>
        {
            var text = Samples[i];
            var start = at % (text.Length + 1);
            var cut = Math.Min(length % 8, text.Length - start);
            return text.Remove(start, cut).Insert(start, insert);
        });

    [Theory]
    [InlineData("random bytes")]
    [InlineData("random YAML")]
    [InlineData("damaged files")]
    public void Readers_fail_only_with_input_errors(string kind)
    {
        var gen = kind switch
        {
            "random bytes" => RandomBytes,
            "random YAML" => RandomYaml,
            _ => DamagedSample,
        };
        gen.Sample(
            text =>
            {
                foreach (var (name, read) in Readers)
                {
                    try
                    {
                        read(text);
                    }
                    catch (InputException ex)
                    {
                        Assert.False(string.IsNullOrWhiteSpace(ex.Detail), name + ": an input error without a message");
                    }
                    catch (Exception ex)
                    {
                        Assert.Fail(name + " threw " + ex.GetType().Name + " (" + ex.Message + ") on " + HostileAwsAuth.Describe(text));
                    }
                }
            },
            iter: 1500);
    }
}

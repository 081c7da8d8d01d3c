using System.Text;
using CsCheck;
using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Rbac;
using RoleMap.Spec;
using RoleMap.Tests.AwsAuth;
using RoleMap.Tests.TestSupport;
using RoleMap.Yaml;

namespace RoleMap.Tests.Yaml;

/// <summary>
/// Every reader of user input, on random bytes (decoded as the CLI decodes files), random YAML-like text and damaged
/// real files: the only failure allowed is an <see cref="InputException"/> (exit code 2 with a message); anything else
/// (an internal error from YamlDotNet, a null dereference, an index out of range) fails the test with the input.
/// The readers: the commands' (aws-auth manifest and data keys, spec, RBAC, access entries, IAM directory), and under
/// them every YAML path on its own (the YAML stream loader, the manifest JSON rule, go-yaml's Unmarshal through the
/// fast path and through the go-yaml transcription for each target, BlockYamlReader, GoYamlParser, the JSON reader)
/// and the NodeReader presets walking whatever tree comes out.
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
        ("YAML stream", text => YamlLoader.LoadAll(text, "fuzz.yaml")),
        ("manifest JSON rule", text => YamlLoader.LoadManifests(text, "fuzz.yaml")),
        ("go-yaml Unmarshal", Unmarshal),
        ("BlockYamlReader", text => BlockYamlReader.TryParse(text)),
        ("GoYamlParser", text => GoYamlParser.TryParseFirst(text, out _, out _, out _)),
        ("JSON reader", text => JsonNodeReader.TryRead(text, out _)),
        ("NodeReader presets", WalkWithEveryPreset),
    ];

    /// <summary>Characters YAML gives a meaning to, the line breaks and marks go-yaml treats specially, and some text.</summary>
    private const string Soup = " \t\n\r-?:,[]{}#&*!|>'\"%@`~.\\+<=^$01239abcxyz_/\uFEFF\u0085\u2028\u0001\u00A0\u00E9";

    private static readonly Gen<string> YamlSoup = Gen.Char[Soup].Array[0, 160].Select(chars => new string(chars));

    private static void Unmarshal(string text)
    {
        foreach (var target in new[] { UnmarshalTarget.Any, UnmarshalTarget.Json, UnmarshalTarget.StringList })
        {
            YamlLoader.TryUnmarshal(text, target, fastPath: true, out _, out _, out _);
            YamlLoader.TryUnmarshal(text, target, fastPath: false, out _, out _, out _);
        }
    }

    /// <summary>Every NodeReader preset over every node of the tree go-yaml reads and of the YAML stream, asking each node for what readers ask.</summary>
    private static void WalkWithEveryPreset(string text)
    {
        var roots = new List<YNode?>();
        if (YamlLoader.TryUnmarshal(text, UnmarshalTarget.Any, fastPath: false, out var root, out _, out _))
        {
            roots.Add(root);
        }

        if (YamlLoader.TryLoadAll(text, out var documents, out _))
        {
            roots.AddRange(documents);
        }

        foreach (var options in new[] { NodeReaderOptions.Spec, NodeReaderOptions.Kubernetes, NodeReaderOptions.AwsCliJson })
        {
            var reader = new NodeReader("fuzz.yaml", options);
            var stack = new Stack<(YNode? Node, int Depth)>(roots.Select(r => (r, 0)));
            while (stack.Count > 0)
            {
                var (node, depth) = stack.Pop();
                Ask(() => reader.Describe(node));
                Ask(() => reader.IsNull(node));
                Ask(() => reader.TryString(node, out _));
                Ask(() => reader.OptionalString(node, "p"));
                Ask(() => reader.StringList(node, "p", "f"));
                Ask(() => reader.OptionalMapping(node, "p", "a mapping"));
                Ask(() => reader.OptionalList(node, "p", "a list"));
                if (node is YMapping mapping)
                {
                    Ask(() => reader.Pairs(mapping, "p", ["a", "b"]));
                    Ask(() => reader.OptionalStringField(mapping, "a", "p"));
                }

                if (depth < 64)
                {
                    var children = node switch
                    {
                        YMapping m => m.Pairs.SelectMany(p => new[] { p.Key, p.Value }),
                        YSequence q => q.Items,
                        _ => [],
                    };
                    foreach (var child in children)
                    {
                        stack.Push((child, depth + 1));
                    }
                }
            }
        }

        static void Ask(Action question)
        {
            try
            {
                question();
            }
            catch (InputException)
            {
                // the answer to a question about input it cannot hold
            }
        }
    }

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
    [InlineData("YAML soup")]
    public void Readers_fail_only_with_input_errors(string kind)
    {
        var gen = kind switch
        {
            "random bytes" => RandomBytes,
            "random YAML" => RandomYaml,
            "YAML soup" => YamlSoup,
            _ => DamagedSample,
        };
        gen.Sample(ReadWithEveryReader, iter: 1500);
    }

    [Fact]
    public void Deep_and_long_input_fails_only_with_input_errors()
    {
        string[] inputs =
        [
            new string('[', 20_000), new string('{', 20_000), string.Concat(Enumerable.Repeat("- ", 5_000)) + "x",
            string.Concat(Enumerable.Range(0, 2_000).Select(i => new string(' ', i) + "k:\n")), "a: " + new string('x', 100_000),
            "\"" + new string(' ', 3_000) + "\\u", "key: &a [*a, *a]\n" + string.Concat(Enumerable.Repeat("- *a\n", 2_000)),
            new string('\uFEFF', 600) + "a: b\n", "- " + new string('\u0085', 1_000),
        ];
        foreach (var text in inputs)
        {
            ReadWithEveryReader(text);
        }
    }

    private static void ReadWithEveryReader(string text)
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
                Assert.Fail(name + " threw " + ex.GetType().Name + " (" + ex.Message + ") on " + HostileAwsAuth.Describe(text[..Math.Min(400, text.Length)]));
            }
        }
    }
}

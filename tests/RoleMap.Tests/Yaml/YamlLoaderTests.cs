using CsCheck;
using RoleMap.Diagnostics;
using RoleMap.Yaml;

namespace RoleMap.Tests.Yaml;

public class YamlLoaderTests
{
    [Fact]
    public void Json_fast_path_builds_the_same_tree_as_yaml()
    {
        var json = "{\n  \"a\": [1, \"x\", true, null, {\"b\": \"c\"}],\n  \"a\": \"dup\"\n}";
        var fast = (YMapping)YamlLoader.LoadSingle(json, "f")!;
        Assert.Equal(2, fast.Pairs.Count); // duplicates kept
        var items = ((YSequence)fast.Pairs[0].Value).Items;
        Assert.Equal(ScalarKind.Int, ((YScalar)items[0]).Kind);
        Assert.Equal(ScalarKind.String, ((YScalar)items[1]).Kind);
        Assert.Equal(ScalarKind.Bool, ((YScalar)items[2]).Kind);
        Assert.Equal(ScalarKind.Null, ((YScalar)items[3]).Kind);
        Assert.Equal(new YPosition(2, 3), fast.Pairs[0].Key.Start);
        Assert.Equal("dup", fast.Get("a").AsString());
    }

    [Fact]
    public void Yaml_flow_that_is_not_json_falls_back_to_yaml()
    {
        var node = (YSequence)YamlLoader.LoadSingle("[a, b, 'c']", "f")!;
        Assert.Equal(["a", "b", "c"], node.Items.Select(i => i.AsString()));
    }

    [Fact]
    public void Both_paths_agree_on_random_json() =>
        Gen.Select(Gen.String[Gen.Char['a', 'z'], 0, 5], Gen.Int, Gen.Bool).Array[0, 5].Sample(items =>
        {
            var json = "[" + string.Join(",", items.Select(i => "{\"s\":\"" + i.Item1 + "\",\"n\":" + i.Item2 + ",\"b\":" + (i.Item3 ? "true" : "false") + "}")) + "]";
            var fast = Flatten(YamlLoader.LoadSingle(json, "f"));
            var yaml = Flatten(YamlLoader.LoadSingle("# force the YAML path\n" + json, "f"));
            Assert.Equal(yaml, fast);
        });

    [Fact]
    public void Deep_json_is_refused_cleanly()
    {
        var text = new string('[', 5000) + new string(']', 5000);
        Assert.Throws<InputException>(() => YamlLoader.LoadAll(text, "deep.json"));
    }

    private static string Flatten(YNode? node) => node switch
    {
        YScalar s => s.Kind + ":" + s.Value,
        YSequence q => "[" + string.Join(",", q.Items.Select(Flatten)) + "]",
        YMapping m => "{" + string.Join(",", m.Pairs.Select(p => Flatten(p.Key) + "=" + Flatten(p.Value))) + "}",
        _ => "~",
    };

    [Fact]
    public void A_lone_dash_in_a_flow_after_lone_carriage_returns_is_the_string_dash()
    {
        // YamlDotNet counts a lone '\r' as a line break; the lone-dash correction once patched by its line numbers and
        // threw IndexOutOfRangeException (an internal error) on these.
        var mapping = (YMapping)YamlLoader.LoadSingle("\r{-}", "cr.yaml")!;
        Assert.Equal("-", ((YScalar)mapping.Pairs.Single().Key).Value);
        var sequence = (YSequence)YamlLoader.LoadSingle("\r\r[-]", "cr.yaml")!;
        Assert.Equal("-", ((YScalar)sequence.Items.Single()).Value);
    }
}

using RoleMap.AccessEntries;
using RoleMap.Diagnostics;
using RoleMap.Rbac;
using RoleMap.Spec;
using RoleMap.Yaml;

namespace RoleMap.Tests.Yaml;

/// <summary>One reader for specs, RBAC objects and AWS CLI JSON: the same vocabulary, with what each source allows.</summary>
public class NodeReaderTests
{
    private const string Rbac = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: a}\n";

    private static YMapping Yaml(string text) => (YMapping)YamlLoader.LoadSingle(text, "in.yaml")!;

    private static YMapping Json(string text) => (YMapping)JsonNodeReader.ReadAll(text, 64)[0];

    private static string Message(Action read) => Assert.Throws<InputException>(read).Message;

    [Theory]
    [InlineData("x: 5\n", "in.yaml:1:4: x: expected a string, found a number (5); Kubernetes reads it as a non-string and refuses the object (quote it)")]
    [InlineData("x: [a]\n", "in.yaml:1:4: x: expected a string, found a list")]
    [InlineData("x: {}\n", "in.yaml:1:4: x: expected a string, found a mapping")]
    [InlineData("x: ~\n", "in.yaml:1:4: x: expected a string, found null")]
    public void Kubernetes_objects_take_only_strings_and_say_why(string yaml, string message)
    {
        var reader = new NodeReader("in.yaml", NodeReaderOptions.Kubernetes);
        Assert.Equal(message, Message(() => reader.String(Yaml(yaml).Get("x"), "x")));
    }

    [Fact]
    public void A_spec_takes_any_scalar_as_written_but_not_an_unwritable_one()
    {
        var reader = new NodeReader("in.yaml", NodeReaderOptions.Spec);
        Assert.Equal("5", reader.String(Yaml("x: 5\n").Get("x"), "x"));
        Assert.Equal("true", reader.String(Yaml("x: true\n").Get("x"), "x"));
        Assert.Equal("in.yaml:1:4: x: expected a string, found null", Message(() => reader.String(Yaml("x: null\n").Get("x"), "x")));
        Assert.Equal(
            "in.yaml:1:4: x: contains an unpaired UTF-16 surrogate, which cannot be written as UTF-8",
            Message(() => reader.String(new YScalar("a\ud800", YamlDotNet.Core.ScalarStyle.DoubleQuoted, new YPosition(1, 4)), "x")));
    }

    [Theory]
    [InlineData("""{"x": 5}""", "j.json:1:7: $.x: expected a string, found a number")]
    [InlineData("""{"x": true}""", "j.json:1:7: $.x: expected a string, found a boolean")]
    [InlineData("""{"x": {}}""", "j.json:1:7: $.x: expected a string, found an object")]
    [InlineData("""{"x": []}""", "j.json:1:7: $.x: expected a string, found a list")]
    [InlineData("""{"é": 1, "x": 5}""", "j.json:1:15: $.x: expected a string, found a number")] // columns count characters, not bytes
    public void Json_names_json_types_and_the_line_and_column(string json, string message)
    {
        var reader = JsonInput.Reader("j.json");
        Assert.Equal(message, Message(() => reader.OptionalStringField(Json(json), "x", "$")));
    }

    [Fact]
    public void Json_null_and_a_missing_field_are_absent_and_a_required_one_is_missing()
    {
        var reader = JsonInput.Reader("j.json");
        var map = Json("""{"x": null, "n": "5"}""");
        Assert.Null(reader.OptionalStringField(map, "x", "$"));
        Assert.Null(reader.OptionalStringField(map, "y", "$"));
        Assert.Equal("5", reader.RequiredStringField(map, "n", "$")); // a JSON string that looks like a number is a string
        Assert.Equal("j.json:1:1: $.x: missing 'x'", Message(() => reader.RequiredStringField(map, "x", "$")));
        Assert.Empty(reader.StringListField(map, "x", "$"));
    }

    [Fact]
    public void Json_ignores_fields_nobody_reads_and_the_last_repeated_field_wins()
    {
        var reader = JsonInput.Reader("j.json");
        var map = Json("""{"a": "1", "new": 2, "a": "3"}""");
        Assert.Equal(3, reader.Pairs(map, "$", ["a"]).Count);
        Assert.Equal("3", reader.RequiredStringField(map, "a", "$"));
    }

    [Fact]
    public void Strict_sources_refuse_unknown_and_repeated_keys_in_one_wording()
    {
        foreach (var options in new[] { NodeReaderOptions.Spec, NodeReaderOptions.Kubernetes })
        {
            var reader = new NodeReader("in.yaml", options);
            Assert.Equal("in.yaml:2:1: m.vebs: unknown field 'vebs'; did you mean 'verbs'?", Message(() => reader.Pairs(Yaml("verbs: []\nvebs: []\n"), "m", ["verbs"], "field")));
            Assert.Equal("in.yaml:1:1: m.zzzzzz: unknown field 'zzzzzz'; expected one of: verbs, resources", Message(() => reader.Pairs(Yaml("zzzzzz: 1\n"), "m", ["verbs", "resources"], "field")));
            Assert.Equal("in.yaml:2:1: verbs: field 'verbs' is given twice (first at line 1)", Message(() => reader.Pairs(Yaml("verbs: []\nverbs: []\n"), string.Empty, ["verbs"], "field")));
        }
    }

    [Fact]
    public void Lists_of_strings_name_the_item_that_is_not_one()
    {
        var yaml = Yaml("l: [a, {b: c}]\n");
        Assert.Equal("in.yaml:1:8: m.l[1]: expected a string, found a mapping", Message(() => new NodeReader("in.yaml", NodeReaderOptions.Kubernetes).StringList(yaml.Get("l"), "m", "l")));
        Assert.Equal("j.json:1:13: $.l[1]: expected a string, found an object", Message(() => JsonInput.Reader("j.json").StringListField(Json("""{"l": ["a", {}]}"""), "l", "$")));
        Assert.Equal("j.json:1:7: $.l: expected a list of strings, found a string", Message(() => JsonInput.Reader("j.json").StringListField(Json("""{"l": "a"}"""), "l", "$")));
    }

    [Fact]
    public void A_context_goes_before_every_path()
    {
        var reader = new NodeReader("in.yaml", NodeReaderOptions.Kubernetes).In("document 2, Role x");
        Assert.Equal("in.yaml:1:1: document 2, Role x: rules: expected a list of rules, found a mapping", Message(() => reader.List(Yaml("a: b\n"), "rules", "a list of rules")));
        Assert.Equal("document 2, Role x", reader.At(null, null).Path);
    }

    [Fact]
    public void Every_source_reports_the_same_mistake_in_the_same_words()
    {
        // A group list holding a mapping, in a spec, an RBAC rule and describe-access-entry output.
        var spec = Message(() => SpecLoader.Load("roles:\n- arn: arn:aws:iam::111122223333:role/a\n  groups: [{x: y}]\n", "s.yaml"));
        var rbac = Message(() => RbacLoader.Load(Rbac + "rules:\n- verbs: [{x: y}]\n", "r.yaml"));
        var json = Message(() => ExistingAccessEntries.Parse("""{"accessEntry": {"principalArn": "arn:aws:iam::111122223333:role/a", "kubernetesGroups": [{}]}}""", "a.json"));
        Assert.Equal("s.yaml:3:12: roles[0].groups[0]: expected group names, found a mapping", spec);
        Assert.Equal("r.yaml:5:11: document 1, ClusterRole a: rules[0].verbs[0]: expected a string, found a mapping", rbac);
        Assert.Equal("a.json:1:91: $.accessEntry.kubernetesGroups[0]: expected a string, found an object", json);
    }

    [Fact]
    public void Several_json_values_one_after_the_other_are_read_with_comments_skipped()
    {
        var values = JsonNodeReader.ReadAll("{\"a\": 1}\n// a comment\n[\"x\"]\n", 64);
        Assert.Equal(2, values.Count);
        Assert.Equal(new YPosition(3, 1), values[1].Start);
        Assert.Throws<System.Text.Json.JsonException>(() => JsonNodeReader.ReadAll("{\"a\": \"\\ud800\"}", 64));
    }
}

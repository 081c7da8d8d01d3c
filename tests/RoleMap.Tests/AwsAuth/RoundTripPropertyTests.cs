using CsCheck;
using RoleMap.AwsAuth;
using RoleMap.Yaml;

namespace RoleMap.Tests.AwsAuth;

/// <summary>
/// Render, then parse with the authenticator's rules, and get the same model back, for hostile strings:
/// YAML indicators, line breaks of every kind, quotes, templates, injected entries, booleans and numbers.
/// </summary>
public class RoundTripPropertyTests
{
    private static readonly string[] Fragments =
    [
        "- rolearn: arn:aws:iam::111122223333:role/evil", "\n", "\r\n", "\r", "\u0085", "\u2028", "\u2029", "\t", " ", "  ",
        "\"", "'", "\\", "{{", "}}", "{{SessionName}}", ": ", " #", "#", "|", ">", "-", "- ", "? ", "&a", "*a", "!", "%", "@", "`",
        "[", "]", "{", "}", ",", "yes", "no", "on", "~", "null", "123456789012", "0x1F", "1e3", ".inf", "<<", "=", "---", "...",
        "é", "中文", "\U0001F600", "\ufeff", "\u00a0", "\u0000", "\u001b", "\u007f", "\ufffe", "system:masters", "a", "Z", "0",
    ];

    private static readonly Gen<string> Hostile = Gen.OneOf(
            Gen.Int[0, Fragments.Length - 1].Select(i => Fragments[i]),
            Gen.Char['\u0001', '\u00ff'].Select(c => c.ToString()))
        .Array[0, 6]
        .Select(parts => string.Concat(parts));

    private static readonly Gen<MapEntry> Entry = Gen.Select(
        Gen.Int[0, 999],
        Gen.Bool,
        Hostile,
        Hostile.Array[0, 4],
        (n, hasUsername, username, groups) => new MapEntry("arn:aws:iam::111122223333:role/r" + n, hasUsername ? username : null, groups));

    private static readonly Gen<AwsAuthData> Data = Gen.Select(
        Entry.List[0, 5],
        Entry.List[0, 3],
        Gen.Long[100000000000, 999999999999].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).List[0, 2],
        (roles, users, accounts) => new AwsAuthData(roles, [.. users.Select(u => u with { Arn = u.Arn!.Replace("role/", "user/", StringComparison.Ordinal) })], accounts));

    [Theory]
    [InlineData(RenderStyle.Plain)]
    [InlineData(RenderStyle.Terraform)]
    public void Rendered_data_parses_back_to_the_same_model(RenderStyle style) =>
        Data.Sample(data => Assert.Null(RoundTrip.Check(data, AwsAuthRenderer.RenderData(data, style))), iter: 3000);

    [Theory]
    [InlineData(RenderStyle.Plain)]
    [InlineData(RenderStyle.Terraform)]
    public void Whole_configmap_yaml_and_json_parse_back(RenderStyle style) =>
        Data.Sample(
            data =>
            {
                var rendered = AwsAuthRenderer.RenderData(data, style, alwaysAccounts: true);
                var document = ConfigMapDocument.AwsAuth(rendered);
                foreach (var text in new[] { ConfigMapWriter.ToYaml(document), ConfigMapWriter.ToJson(document), ConfigMapWriter.DataToYaml(rendered) })
                {
                    var parsed = AwsAuthParser.Parse(text, "generated");
                    Assert.Equal(rendered, parsed.Data.Select(d => new KeyValuePair<string, string>(d.Key, d.Value!)));
                    Assert.Null(RoundTrip.Check(data, [.. parsed.Data.Select(d => new KeyValuePair<string, string>(d.Key, d.Value!))]));
                }
            },
            iter: 1000);

    [Fact]
    public void Plain_scalars_are_only_used_when_they_read_back_as_the_same_string() =>
        Hostile.Sample(
            text =>
            {
                var yaml = PlainYamlWriter.Write(new YamlSequence([YamlValue.Of(text)]));
                var node = (YSequence)YamlLoader.LoadSingle(yaml, "x")!;
                Assert.Equal(text, node.Items[0].AsString());
            },
            iter: 5000);

    [Fact]
    public void The_loader_survives_arbitrary_text() =>
        Gen.String.Sample(
            text =>
            {
                try
                {
                    var document = AwsAuthParser.ParseData([new("mapRoles", text), new("mapUsers", text), new("mapAccounts", text)], null, "fuzz");
                    Assert.NotNull(document.Effective);
                }
                catch (RoleMap.Diagnostics.InputException)
                {
                    // a clear error is an acceptable answer; a crash is not
                }
            },
            iter: 5000);

    [Fact]
    public void Deep_nesting_is_refused_without_overflowing_the_stack()
    {
        var text = new string('[', 100_000);
        var document = AwsAuthParser.ParseData([new("mapRoles", text)], null, "deep");
        Assert.True(document.MapRoles.Dropped);
    }
}

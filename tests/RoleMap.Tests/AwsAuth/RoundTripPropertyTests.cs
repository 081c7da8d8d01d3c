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

    /// <summary>
    /// generate never writes a shape go-yaml reads differently: no control character or byte-order mark in the text,
    /// nothing after the first document, no merge key or !!binary, and nothing the JSON conversion refuses.
    /// </summary>
    [Theory]
    [InlineData(RenderStyle.Plain)]
    [InlineData(RenderStyle.Terraform)]
    public void Rendered_data_has_none_of_the_shapes_go_yaml_reads_differently(RenderStyle style) =>
        Data.Sample(
            data =>
            {
                foreach (var (key, value) in AwsAuthRenderer.RenderData(data, style, alwaysAccounts: true))
                {
                    Assert.False(GoYaml.HasRefusedCharacter(value), key + " holds a control character");
                    Assert.DoesNotContain('\ufeff', value);
                    var target = key == AwsAuthRenderer.MapAccounts ? UnmarshalTarget.StringList : UnmarshalTarget.Json;
                    Assert.True(YamlLoader.TryUnmarshal(value, target, out _, out var error, out var notes), key + ": " + error);
                    Assert.Equal(GoYamlNotes.None, notes);
                }
            },
            iter: 2000);

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

    /// <summary>
    /// Data keys never throw: whatever the text, each key is either read or dropped, a dropped key has no entries and
    /// an error finding that names it (so lint and get can say why), and only the valid entries of read keys take effect.
    /// </summary>
    [Fact]
    public void The_loader_survives_arbitrary_text() =>
        Gen.String.Sample(
            text =>
            {
                var document = AwsAuthParser.ParseData([new("mapRoles", text), new("mapUsers", text), new("mapAccounts", text)], null, "fuzz");
                foreach (var list in new[] { document.MapRoles, document.MapUsers })
                {
                    var named = document.Diagnostics.Any(d => d.Severity == RoleMap.Diagnostics.Severity.Error && d.Location?.Path == "data." + list.Key && GoYamlFindings.KeyDropped.Contains(d.Rule));
                    Assert.True(list.Skippable || !list.Dropped || named, list.Key + " dropped without a finding");
                    Assert.True(!list.Dropped || list.Entries.Count == 0, list.Key + " dropped but has entries");
                }

                Assert.Equal(document.MapRoles.ValidEntries.Count(), document.Effective.Roles.Count);
                Assert.Equal(document.MapUsers.ValidEntries.Count(), document.Effective.Users.Count);
                Assert.Equal(document.MapAccounts.Accounts.Count, document.Effective.Accounts.Count);
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

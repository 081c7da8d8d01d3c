using RoleMap.AwsAuth;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.AwsAuth;

/// <summary>
/// One test per way aws-auth was found to read differently in rolemap and in the authenticator's Go libraries
/// (issue 15): each states what Go does with the key, checks rolemap does the same, and runs the inputs through the
/// Go oracle as well.
/// </summary>
public class GoYamlClassTests
{
    private const string Dev = "arn:aws:iam::111122223333:role/Dev";
    private const string Ops = "arn:aws:iam::111122223333:role/Ops";

    private static AwsAuthDocument Roles(string mapRoles) => AwsAuthParser.ParseData([new("mapRoles", mapRoles)], null, "test");

    private static void Agree(params string[] mapRoles) =>
        GoOracleDifferentialTests.AssertAgree([.. mapRoles.Select(r => new GoOracle.Case(r, null, null, [Dev, Ops, "arn:aws:sts::111122223333:assumed-role/Dev/s"]))]);

    [RequiresToolFact("go")]
    public void Content_after_the_first_document_or_node_is_never_read()
    {
        string[] inputs = ["- rolearn: " + Dev + "\n---\n- rolearn: " + Ops + "\n", "[{rolearn: " + Dev + "}] x\n- rolearn: " + Ops + "\n", "- rolearn: " + Dev + "\n...\n{[\n"];
        foreach (var input in inputs)
        {
            var document = Roles(input);
            Assert.Equal([Dev], document.MapRoles.Entries.Select(e => e.Entry.Arn));
        }

        Assert.Contains(Roles(inputs[0]).Diagnostics, d => d.Rule == "yaml-after-document");
        Agree(inputs);
    }

    [RequiresToolFact("go")]
    public void Values_json_cannot_hold_drop_the_whole_key()
    {
        string[] inputs = ["- rolearn: " + Dev + "\n  username: .inf\n", "- rolearn: " + Dev + "\n  x: -.inf\n", "- rolearn: " + Dev + "\n  groups: [.nan]\n", "- rolearn: " + Dev + "\n  ~: x\n", "- rolearn: " + Dev + "\n  18446744073709551615: x\n"];
        foreach (var input in inputs)
        {
            var document = Roles(input);
            Assert.True(document.MapRoles.Dropped, input);
            Assert.Contains(document.Diagnostics, d => d.Rule == "yaml-json-value");
        }

        // As a key a float is only text, and a later duplicate replaces an infinite value before the conversion.
        Assert.False(Roles("- rolearn: " + Dev + "\n  .inf: x\n").MapRoles.Dropped);
        Assert.False(Roles("- rolearn: " + Dev + "\n  username: .inf\n  username: dev\n").MapRoles.Dropped);
        Agree([.. inputs, "- rolearn: " + Dev + "\n  .inf: x\n", "- rolearn: " + Dev + "\n  username: .inf\n  username: dev\n"]);
    }

    [RequiresToolFact("go")]
    public void Control_characters_and_nul_drop_the_whole_key()
    {
        string[] inputs = ["- rolearn: " + Dev + "\n  username: a\u0000b\n", "- rolearn: " + Dev + "\u001b\n", "- rolearn: " + Dev + "\n# \u007f\n", "- rolearn: " + Dev + "\n  username: \u0085\u0086\n"];
        foreach (var input in inputs)
        {
            var document = Roles(input);
            Assert.True(document.MapRoles.Dropped, input);
            Assert.Contains(document.Diagnostics, d => d.Rule == "yaml-control-character");
        }

        // Written as an escape in double quotes, the character is a value like any other.
        Assert.False(Roles("- rolearn: " + Dev + "\n  username: \"a\\x01b\"\n").MapRoles.Dropped);
        Agree([.. inputs, "- rolearn: " + Dev + "\n  username: \"a\\x01b\"\n"]);
    }

    [RequiresToolFact("go")]
    public void A_byte_order_mark_at_the_start_is_skipped()
    {
        var input = "\ufeff- rolearn: " + Dev + "\n  username: dev\n";
        var document = Roles(input);
        Assert.Equal("dev", Assert.Single(document.MapRoles.Entries).Entry.Username);
        Assert.Contains(document.Diagnostics, d => d.Rule == "yaml-byte-order-mark");
        Agree(input, "\ufeff[{rolearn: " + Dev + "}]\n");
    }

    [RequiresToolFact("go")]
    public void Merge_keys_are_resolved()
    {
        var input = "- &base\n  rolearn: " + Ops + "\n  username: ops\n  groups: [g]\n- <<: *base\n  rolearn: " + Dev + "\n- <<: [{username: first}, {username: second}]\n  rolearn: " + Ops + "\n";
        var entries = Roles(input).MapRoles.Entries;
        Assert.Equal(("ops", Dev), (entries[1].Entry.Username, entries[1].Entry.Arn));
        Assert.Equal(["g"], entries[1].Entry.Groups);
        Assert.Equal("first", entries[2].Entry.Username); // of a list of mappings, the first wins
        Assert.True(Roles("- <<: x\n  rolearn: " + Dev + "\n").MapRoles.Dropped); // a merge of a non-mapping fails the document
        Assert.Contains(Roles(input).Diagnostics, d => d.Rule == "yaml-merge-key");
        Agree(input, "- <<: x\n  rolearn: " + Dev + "\n", "- '<<': {username: x}\n  rolearn: " + Dev + "\n");
    }

    [RequiresToolFact("go")]
    public void Binary_scalars_are_decoded()
    {
        var input = "- rolearn: " + Dev + "\n  username: !!binary ZGV2\n  groups: [!!binary c3lzdGVtOm1hc3RlcnM=]\n";
        var entry = Assert.Single(Roles(input).MapRoles.Entries).Entry;
        Assert.Equal(("dev", "system:masters"), (entry.Username, entry.Groups[0]));
        Assert.True(Roles("- rolearn: " + Dev + "\n  username: !!binary ZGV\n").MapRoles.Dropped);
        Agree(input, "- rolearn: " + Dev + "\n  username: !!binary ZGV\n", "- rolearn: " + Dev + "\n  username: !!binary /w==\n");
    }

    [RequiresToolFact("go")]
    public void An_anchor_before_a_quoted_scalar_in_a_flow_mapping_is_read()
    {
        var input = "[{rolearn: " + Dev + ", username: &name \"dev\"}, {rolearn: " + Ops + ", username: *name}]\n";
        var entries = Roles(input).MapRoles.Entries;
        Assert.Equal(["dev", "dev"], entries.Select(e => e.Entry.Username));
        Agree(input, "[{rolearn: &a " + Dev + ", username: &b 'x'}]\n");
    }

    [RequiresToolFact("go")]
    public void A_keep_block_scalar_whose_first_line_holds_only_spaces_is_read()
    {
        string[] inputs = ["- rolearn: " + Dev + "\n  username: |+\n     \n  groups: [a]\n", "- rolearn: " + Dev + "\n  username: |-\n     \n      dev\n"];
        Assert.Equal("\n", Assert.Single(Roles(inputs[0]).MapRoles.Entries).Entry.Username);
        Assert.Equal("\ndev", Assert.Single(Roles(inputs[1]).MapRoles.Entries).Entry.Username);
        Agree(inputs);
    }

    [RequiresToolFact("go")]
    public void A_value_starting_with_a_document_end_marker_is_a_syntax_error_not_an_internal_one()
    {
        string[] inputs = ["...\n- rolearn: " + Dev + "\n", "... x\n", "...\n"];
        foreach (var input in inputs)
        {
            var document = Roles(input);
            Assert.True(document.MapRoles.Dropped, input);
            Assert.Contains(document.Diagnostics, d => d.Rule == "yaml-invalid");
        }

        Agree(inputs);
    }

    [RequiresToolFact("go")]
    public void Arns_are_compared_with_go_unicode_case_folding()
    {
        // 'ſ' folds to 's' and the Kelvin sign to 'k'; 'İ' lower-cases to 'i' but does not fold to it, so never matches.
        var data = new AwsAuthData(
            [new MapEntry("arn:aws:iam::111122223333:role/\u017Ftage", "long-s", []), new MapEntry("arn:aws:iam::111122223333:role/\u212Aey", "kelvin", []), new MapEntry("arn:aws:iam::111122223333:role/\u0130nfo", "dotted", [])],
            [],
            []);
        var resolver = new Resolver(data);
        Assert.Equal("long-s", resolver.Resolve("arn:aws:sts::111122223333:assumed-role/Stage/s").Mapping?.Username);
        Assert.Equal("kelvin", resolver.Resolve("arn:aws:iam::111122223333:role/KEY").Mapping?.Username);
        Assert.Null(resolver.Resolve("arn:aws:iam::111122223333:role/info").Mapping);
        Assert.Null(resolver.Resolve("arn:aws:iam::111122223333:role/\u0130nfo").Mapping);
        GoOracleDifferentialTests.AssertAgree([new GoOracle.Case(
            "- rolearn: arn:aws:iam::111122223333:role/\u017Ftage\n  username: long-s\n- rolearn: arn:aws:iam::111122223333:role/\u212Aey\n  username: kelvin\n- rolearn: arn:aws:iam::111122223333:role/\u0130nfo\n  username: dotted\n",
            null,
            null,
            ["arn:aws:sts::111122223333:assumed-role/Stage/s", "arn:aws:iam::111122223333:role/KEY", "arn:aws:iam::111122223333:role/info", "arn:aws:iam::111122223333:role/\u0130nfo", "arn:aws:iam::111122223333:role/\u0131nfo"])]);
    }
}

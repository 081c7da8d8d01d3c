using RoleMap.AwsAuth;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.AwsAuth;

/// <summary>
/// The shapes where rolemap's earlier reader (YamlDotNet, corrected) and go-yaml v2 disagreed, each with what the Go
/// oracle reads (transcribed from its output: the entries, or the problem go-yaml fails the key with). rolemap now
/// reads aws-auth with a transcription of go-yaml's own reader, scanner and parser (GoYamlScanner, GoYamlParser); these
/// rows pin it down without Go, and <see cref="The_oracle_still_reads_every_row_as_transcribed"/> checks the
/// transcription against the real libraries.
/// </summary>
public class GoOracleClassTests
{
    private const string Dev = "arn:aws:iam::111122223333:role/Dev";
    private const string Ops = "arn:aws:iam::111122223333:role/Ops";

    /// <summary>An entry as Go reads it; null groups when the key has none.</summary>
    public sealed record Expected(string Arn, string Username, string[]? Groups);

    public static TheoryData<string, string, string?, Expected[]> Rows() => new()
    {
        { "a tag followed by ',' (',' is a URI character: the tag is !!str, and unknown)", "- rolearn: " + Dev + "\n  username: !!str, x\n", null, [new(Dev, "x", null)] },
        { "'>' followed by '#' (a comment needs no space after the indicator)", "- rolearn: " + Dev + "\n  username: >#c\n    folded\n", null, [new(Dev, "folded\n", null)] },
        { "a tab after indentation spaces", "- rolearn: " + Dev + "\n  \tusername: x\n", "found a tab character that violates indentation", [] },
        { "a tab between indentation spaces", "- rolearn: " + Dev + "\n \t username: x\n", "found a tab character that violates indentation", [] },
        { "a tab after '-'", "-\trolearn: " + Dev + "\n", "found character that cannot start any token", [] },
        { "a tab at the start of a line", "- rolearn: " + Dev + "\n\t\n", "found a tab character that violates indentation", [] },
        { "a tab inside a flow collection", "[{rolearn: " + Dev + ",\tusername:\tx}]\n", null, [new(Dev, "x", null)] },
        { "two anchors on one node", "- rolearn: &a &b " + Dev + "\n", "did not find expected key", [] },
        { "two anchors around a tag", "- rolearn: " + Dev + "\n  username: &a !!str &b x\n", "did not find expected key", [] },
        { "'@' after the first node", "[{rolearn: " + Dev + "}]\n@x\n", "found character that cannot start any token", [] },
        { "'`' after the first node", "[{rolearn: " + Dev + "}] `x\n", "found character that cannot start any token", [] },
        { "'@' in a document go-yaml never reaches", "- rolearn: " + Dev + "\n---\n@\n", null, [new(Dev, "", null)] },
        { "a quoted scalar continued at a lower indentation", "- rolearn: " + Dev + "\n  username: \"a\nb\"\n", null, [new(Dev, "a b", null)] },
        { "a quoted scalar continued at a lower indentation in a flow mapping", "[{rolearn: " + Dev + ", username: \"a\nb\"}]\n", null, [new(Dev, "a b", null)] },
        { "a %YAML 1.1 directive", "%YAML 1.1\n---\n- rolearn: " + Dev + "\n", null, [new(Dev, "", null)] },
        { "a %YAML 1.2 directive (go-yaml accepts only 1.1)", "%YAML 1.2\n---\n- rolearn: " + Dev + "\n", "found incompatible YAML document", [] },
        { "an unknown directive", "%FOO bar\n---\n- rolearn: " + Dev + "\n", "found unknown directive name", [] },
        { "a %TAG directive and its handle", "%TAG !e! tag:example.com,2000:\n---\n- rolearn: !e!x " + Dev + "\n", null, [new(Dev, "", null)] },
        { "'%' starting a value in a flow collection", "[{rolearn: " + Dev + ", username: %x}]\n", "found character that cannot start any token", [] },
        { "NEL (U+0085) as a line break inside a flow collection", "[{rolearn: " + Dev + ",\u0085username: x}]\n", null, [new(Dev, "x", null)] },
        { "a flow collection continued on a less indented line", "- rolearn: " + Dev + "\n  groups: [a,\nb]\n", null, [new(Dev, "", ["a", "b"])] },
        { "an empty flow collection as a key", "- rolearn: " + Dev + "\n  []: x\n", "did not find expected key", [] },
        { "'?' inside a flow collection", "[{? rolearn : " + Dev + "}]\n", null, [new(Dev, "", null)] },
        { "the \\' escape in double quotes", "- rolearn: \"" + Dev + "\"\n  username: \"it\\'s\"\n", null, [new(Dev, "it's", null)] },
        { "a control character in the 512-byte read that reaches the next document marker", "- rolearn: " + Dev + "\n#" + new string('x', 600) + "\n---\n\u0001\n", "control characters are not allowed", [] },
        { "a control character in a 512-byte read go-yaml never makes", "- rolearn: " + Dev + "\n---\n#" + new string('x', 2000) + "\n\u0001\n", null, [new(Dev, "", null)] },
        { "a multi-line plain scalar after the first document", "- rolearn: " + Dev + "\n---\na\nb: c\n", null, [new(Dev, "", null)] },
        { "two byte-order marks: the buffer starts with one, so go-yaml skips the first character of each line", "\ufeff\ufeff- rolearn: " + Dev + "\n- rolearn: " + Ops + "\n", "did not find expected '-' indicator", [] },
        { "an alias of the sequence that holds it", "- &a [*a]\n", "anchor 'a' value contains itself", [] },
        { "an alias of the collection that holds it, as a value", "- rolearn: " + Dev + "\n  username: &a [*a]\n", "anchor 'a' value contains itself", [] },
        { "'?' inside a one-line flow list (go-yaml ends a plain scalar there: a key indicator)", "- rolearn: " + Dev + "\n  groups: [a?b]\n", "did not find expected ',' or ']'", [] },
        { "!!binary whose last character has unused bits set (Go's StdEncoding ignores them)", "- rolearn: " + Dev + "\n  username: !!binary ZG2=\n", null, [new(Dev, "dm", null)] },
        { "a later duplicate anchor inside the collection it names", "- rolearn: " + Dev + "\n  groups: &a [&a x, *a]\n", null, [new(Dev, "", ["x", "x"])] },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Reads_the_key_as_go_yaml_does(string shape, string mapRoles, string? goError, Expected[] goEntries)
    {
        var list = AwsAuthParser.ParseData([new("mapRoles", mapRoles)], null, "test").MapRoles;
        if (goError is not null)
        {
            Assert.True(list.Dropped, shape + ": Go drops the key (" + goError + "), rolemap reads it");
            Assert.Contains(goError, list.SyntaxError!.Message, StringComparison.Ordinal);
            return;
        }

        Assert.False(list.Dropped, shape + ": Go reads the key, rolemap drops it (" + list.SyntaxError?.Message + ")");
        Assert.Equal(goEntries.Select(e => (e.Arn, e.Username, string.Join(",", e.Groups ?? []))), list.Entries.Select(e => (e.Entry.Arn ?? string.Empty, e.Entry.Username ?? string.Empty, string.Join(",", e.Entry.Groups))));
    }

    [RequiresToolFact("go")]
    public void The_oracle_still_reads_every_row_as_transcribed()
    {
        var rows = Rows().Select(r => ((string)r[0], (string)r[1], (string?)r[2], (Expected[])r[3])).ToList();
        var results = GoOracle.Run([.. rows.Select(r => new GoOracle.Case(r.Item2, null, null, [Dev]))]);
        for (var i = 0; i < rows.Count; i++)
        {
            var (shape, _, goError, goEntries) = rows[i];
            var roles = results[i].GetProperty("mapRoles");
            var dropped = roles.TryGetProperty("convertError", out var error);
            Assert.True(dropped == goError is not null, shape);
            if (dropped)
            {
                Assert.EndsWith(goError!, error.GetString(), StringComparison.Ordinal);
                continue;
            }

            var entries = roles.GetProperty("entries").EnumerateArray().Select(e => new Expected(
                e.GetProperty("arn").GetString()!,
                e.GetProperty("username").GetString()!,
                e.GetProperty("groups").ValueKind == System.Text.Json.JsonValueKind.Null ? null : [.. e.GetProperty("groups").EnumerateArray().Select(g => g.GetString()!)]));
            Assert.Equal(goEntries.Select(Describe), entries.Select(Describe));
        }

        GoOracleDifferentialTests.AssertAgree([.. rows.Select(r => new GoOracle.Case(r.Item2, null, null, [Dev, Ops]))]);

        static string Describe(Expected e) => e.Arn + "|" + e.Username + "|" + (e.Groups is null ? "null" : string.Join(",", e.Groups));
    }

    [Fact]
    public void A_question_mark_in_a_one_line_flow_list_of_mapAccounts_fails_the_key_before_any_item_is_read()
    {
        // The oracle: {"error":"yaml: line 1: did not find expected ',' or ']'","items":[]}. The fast path used to read ["x?"].
        var accounts = AwsAuthParser.ParseData([new("mapAccounts", "- ~\n- [x? ]\n")], null, "test").MapAccounts;
        Assert.Contains("did not find expected ',' or ']'", accounts.SyntaxError?.Message, StringComparison.Ordinal);
        Assert.Empty(accounts.Accounts);
    }

    private const string DottedThenPlain = "- rolearn: arn:aws:iam::111122223333:role/\u0130nfo\n  username: dotted\n- rolearn: arn:aws:iam::111122223333:role/info\n  username: plain\n";

    [Fact]
    public void A_role_is_matched_by_the_arn_of_the_last_duplicate_its_key_holds()
    {
        // 'İ' lower-cases to 'i', so both entries share the key ".../info" and the last one stays; the caller is
        // lower-cased to ".../info" too, and EqualFold compares it with the stored entry's ARN, which matches.
        var document = AwsAuthParser.ParseData([new("mapRoles", DottedThenPlain)], null, "test");
        var resolved = new Resolver(document.Effective).Resolve("arn:aws:iam::111122223333:role/\u0130nfo");
        Assert.Equal("plain", resolved.Mapping?.Entry?.Username);
    }

    [RequiresToolFact("go")]
    public void The_last_duplicate_rule_agrees_with_the_authenticator() =>
        GoOracleDifferentialTests.AssertAgree([new GoOracle.Case(DottedThenPlain, null, null, ["arn:aws:iam::111122223333:role/\u0130nfo", "arn:aws:iam::111122223333:role/info", "arn:aws:iam::111122223333:role/INFO"])]);
}

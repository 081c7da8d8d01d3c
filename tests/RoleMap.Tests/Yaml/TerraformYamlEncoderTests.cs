using RoleMap.Yaml;

namespace RoleMap.Tests.Yaml;

/// <summary>
/// Terraform yamlencode output, observed with Terraform v1.11.4 (docs/research/yamlencode.md). Each case is an
/// input built with the helpers below and the exact bytes Terraform printed.
/// </summary>
public class TerraformYamlEncoderTests
{
    private static YamlValue S(string s) => YamlValue.Of(s);

    private static YamlValue L(params YamlValue[] items) => new YamlSequence(items);

    private static YamlValue L(params string[] items) => YamlValue.Of(items);

    private static YamlValue M(params (string Key, YamlValue Value)[] pairs) => new YamlMapping([.. pairs.Select(p => new KeyValuePair<string, YamlValue>(p.Key, p.Value))]);

    private static string Words(string separator, int count, string prefix = "word") =>
        string.Join(separator, Enumerable.Range(0, count).Select(i => prefix + i));

    public static TheoryData<string, YamlValue, string> Cases() => new()
    {
        { "node entry", L(M(("groups", L("system:bootstrappers", "system:nodes")), ("rolearn", S("arn:aws:iam::111122223333:role/node")), ("username", S("system:node:{{EC2PrivateDNSName}}")))),
            "- \"groups\":\n  - \"system:bootstrappers\"\n  - \"system:nodes\"\n  \"rolearn\": \"arn:aws:iam::111122223333:role/node\"\n  \"username\": \"system:node:{{EC2PrivateDNSName}}\"\n" },
        { "empty groups", L(M(("groups", L(Array.Empty<string>())), ("userarn", S("arn:aws:iam::111122223333:user/a")), ("username", S("a")))),
            "- \"groups\": []\n  \"userarn\": \"arn:aws:iam::111122223333:user/a\"\n  \"username\": \"a\"\n" },
        { "empty list", L(Array.Empty<string>()), "[]\n" },
        { "empty map", M(), "{}\n" },
        { "accounts", L("111122223333"), "- \"111122223333\"\n" },
        { "sorted keys and empties", M(("b", S("1")), ("a", L(Array.Empty<string>())), ("c", M())), "\"a\": []\n\"b\": \"1\"\n\"c\": {}\n" },
        { "indentless list", M(("a", L("x", "y"))), "\"a\":\n- \"x\"\n- \"y\"\n" },
        { "nested maps", M(("a", M(("b", M(("c", S("d"))))))), "\"a\":\n  \"b\":\n    \"c\": \"d\"\n" },
        { "map in list in map", M(("a", L(M(("b", S("c")), ("d", S("e")))))), "\"a\":\n- \"b\": \"c\"\n  \"d\": \"e\"\n" },
        { "nested lists", L(L("a", "b"), L("c")), "- - \"a\"\n  - \"b\"\n- - \"c\"\n" },
        { "list of empty list", L(L(Array.Empty<string>())), "- []\n" },
        { "list of empty map", L(M()), "- {}\n" },
        { "deep", M(("a", L(M(("b", L(M(("c", S("d"))))))))), "\"a\":\n- \"b\":\n  - \"c\": \"d\"\n" },
        { "map value in list item", L(M(("a", M(("b", S("c")))))), "- \"a\":\n    \"b\": \"c\"\n" },
        { "bytewise key order", M(("b", S("1")), ("B", S("2")), ("a", S("3")), ("_", S("4")), ("é", S("5")), ("Z", S("6")), ("10", S("7")), ("9", S("8")), ("a b", S("9")), (string.Empty, S("10")), ("~", S("11"))),
            "\"\": \"10\"\n\"10\": \"7\"\n\"9\": \"8\"\n\"B\": \"2\"\n\"Z\": \"6\"\n\"_\": \"4\"\n\"a\": \"3\"\n\"a b\": \"9\"\n\"b\": \"1\"\n\"~\": \"11\"\n\"é\": \"5\"\n" },
        { "literal in list", L("a\nb"), "- |-\n  a\n  b\n" },
        { "root literal", S("a\nb"), "|-\n  a\n  b\n" },
        { "clip", S("a\n"), "|\n  a\n" },
        { "keep", S("a\n\n"), "|+\n  a\n\n" },
        { "keep in map", M(("k", S("a\n\n")), ("z", S("q"))), "\"k\": |+\n  a\n\n\"z\": \"q\"\n" },
        { "only a newline", S("\n"), "|2+\n\n" },
        { "leading newline", S("\na"), "|2-\n\n  a\n" },
        { "leading space", S(" a\nb"), "|2-\n   a\n  b\n" },
        { "space before break", S("a \nb"), "\"a \\nb\"\n" },
        { "indented second line", S("a\n b"), "|-\n  a\n   b\n" },
        { "tab forces quotes", S("a\tb\nc"), "\"a\\tb\\nc\"\n" },
        { "trailing space forces quotes", S("a\nb "), "\"a\\nb \"\n" },
        { "CR", S("a\r\nb"), "\"a\\r\\nb\"\n" },
        { "LS in literal", S("a\u2028b\nc"), "|-\n  a\u2028  b\n  c\n" },
        { "blank line", S("a\n\nb"), "|-\n  a\n\n  b\n" },
        { "literal in list item map", L(M(("k", S("line1\nline2")))), "- \"k\": |-\n    line1\n    line2\n" },
        { "escapes", L("a\tb", "a\"b", "a\\b", "é", "\u0085", "a\u0085b", "\u2028", "\u2029", "\u00a0", "a\u00a0b", "\U0001F600", "\ufeff", "a\ufeffb", "\ufeffab", "\u0001", "\u007f", "\u0080", "\u009f", "\u00ad", "\ue000", "\ufffd", "\ufffe", "\uffff", "\r", "a\rb", "\u001b", "\u0007", "\u0008", "\u000b", "\u000c", "\u0000", "中文", "'", "a'b"),
            "- \"a\\tb\"\n- \"a\\\"b\"\n- \"a\\\\b\"\n- \"é\"\n- \"\\N\"\n- \"a\\Nb\"\n- \"\\L\"\n- \"\\P\"\n- \"\u00a0\"\n- \"a\u00a0b\"\n- \"\\U0001F600\"\n- \"\\uFEFF\"\n- \"a\\uFEFFb\"\n- \"\\uFEFF\\x61\\x62\"\n- \"\\x01\"\n- \"\\x7F\"\n- \"\\x80\"\n- \"\\x9F\"\n- \"\u00ad\"\n- \"\ue000\"\n- \"\ufffd\"\n- \"\\uFFFE\"\n- \"\\uFFFF\"\n- \"\\r\"\n- \"a\\rb\"\n- \"\\e\"\n- \"\\a\"\n- \"\\b\"\n- \"\\v\"\n- \"\\f\"\n- \"\\0\"\n- \"中文\"\n- \"'\"\n- \"a'b\"\n" },
        { "indicators", L(" a", "a ", "   ", string.Empty, " ", "#", "- x", "-", "yes", "no", "123", "null", "~", "true", "1.5", "0x1F", ":", "a: b", "a #b", "a#b", "---", "...", "@x", "`x", "%x", "!x", "&x", "*x", "|", "> x", "[a]", "{a}", "a,b", "?", "? x", "-a", "%"),
            "- \" a\"\n- \"a \"\n- \"   \"\n- \"\"\n- \" \"\n- \"#\"\n- \"- x\"\n- \"-\"\n- \"yes\"\n- \"no\"\n- \"123\"\n- \"null\"\n- \"~\"\n- \"true\"\n- \"1.5\"\n- \"0x1F\"\n- \":\"\n- \"a: b\"\n- \"a #b\"\n- \"a#b\"\n- \"---\"\n- \"...\"\n- \"@x\"\n- \"`x\"\n- \"%x\"\n- \"!x\"\n- \"&x\"\n- \"*x\"\n- \"|\"\n- \"> x\"\n- \"[a]\"\n- \"{a}\"\n- \"a,b\"\n- \"?\"\n- \"? x\"\n- \"-a\"\n- \"%\"\n" },
        { "fold at root", S(Words(" ", 40)),
            "\"word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12\n  word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24\n  word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36\n  word37 word38 word39\"\n" },
        { "fold in map", M(("k", S(Words(" ", 40)))),
            "\"k\": \"word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12\n  word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24\n  word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36\n  word37 word38 word39\"\n" },
        { "fold nested", L(M(("aaaa", L(M(("bbbb", S(Words(" ", 40)))))))),
            "- \"aaaa\":\n  - \"bbbb\": \"word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11\n      word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22\n      word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33\n      word34 word35 word36 word37 word38 word39\"\n" },
        { "no spaces no fold", S(Words(string.Empty, 40)), "\"" + Words(string.Empty, 40) + "\"\n" },
        { "double spaces", S(Words("  ", 30)),
            "\"word0  word1  word2  word3  word4  word5  word6  word7  word8  word9  word10  word11\n  \\ word12  word13  word14  word15  word16  word17  word18  word19  word20  word21\n  \\ word22  word23  word24  word25  word26  word27  word28  word29\"\n" },
        { "triple spaces", S(Words("   ", 30)),
            "\"word0   word1   word2   word3   word4   word5   word6   word7   word8   word9   word10\n  \\  word11   word12   word13   word14   word15   word16   word17   word18   word19\n  \\  word20   word21   word22   word23   word24   word25   word26   word27   word28\n  \\  word29\"\n" },
        { "79 then space", S(new string('a', 79) + " x"), "\"" + new string('a', 79) + " x\"\n" },
        { "80 then space", S(new string('a', 80) + " x"), "\"" + new string('a', 80) + "\n  x\"\n" },
        { "80 then trailing space", S(new string('a', 80) + " "), "\"" + new string('a', 80) + " \"\n" },
        { "80 then two spaces", S(new string('a', 80) + "  "), "\"" + new string('a', 80) + "\n  \\ \"\n" },
        { "escape then fold", S(new string('a', 78) + "\t b c"), "\"" + new string('a', 78) + "\\t\n  b c\"\n" },
        { "unicode counts once", S(new string('a', 78) + "é b c"), "\"" + new string('a', 78) + "é b\n  c\"\n" },
        { "leading space fold", S(" " + Words(" ", 30)),
            "\" word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12\n  word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24\n  word25 word26 word27 word28 word29\"\n" },
        { "long simple key not folded", M((new string('k', 128), S("v"))), "\"" + new string('k', 128) + "\": \"v\"\n" },
        { "BOM quirk", L("\ufeffé", "\ufeff\U0001F600", "\ufeff", "x\ufeff"), "- \"\\uFEFF\\xE9\"\n- \"\\uFEFF\\U0001F600\"\n- \"\\uFEFF\"\n- \"x\\uFEFF\"\n" },
        { "newline then item", L("\n", "a"), "- |2+\n\n- \"a\"\n" },
        { "deep lists", L(L(L("a"))), "- - - \"a\"\n" },
        { "string root", S("a"), "\"a\"\n" },
        { "empty string", S(string.Empty), "\"\"\n" },
        { "space", S(" "), "\" \"\n" },
        { "tab and newline", S("\ta\nb"), "\"\\ta\\nb\"\n" },
        { "blank spaced line", M(("a", S("x\n  \ny"))), "\"a\": \"x\\n  \\ny\"\n" },
        { "NEL and LF", L("a\u0085\nb"), "- \"a\\N\\nb\"\n" },
        { "LS alone quoted", S("a\u2028b"), "\"a\\Lb\"\n" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_terraform_yamlencode(string name, YamlValue input, string expected)
    {
        Assert.NotNull(name);
        Assert.Equal(expected, TerraformYamlEncoder.Encode(input));
    }
}

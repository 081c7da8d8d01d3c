using System.Globalization;
using System.Text;

namespace RoleMap.Tests.AwsAuth;

/// <summary>
/// Seeded generator of aws-auth data keys for the Go differential test: well-formed lists with hostile values, every
/// family of YAML the authenticator's libraries read differently from a naive reader (trailing documents, text after
/// a flow node, .inf/.nan, null and numeric keys, control characters, byte-order marks, merge keys, !!binary and other
/// tags, anchors and aliases, |+ block scalars, '...' markers, Unicode case variants of ARNs), and random damage.
/// </summary>
public sealed class HostileAwsAuth(int seed)
{
    private readonly Random random = new(seed);

    public static readonly string[] Arns =
    [
        "arn:aws:iam::111122223333:role/Dev", "arn:aws:iam::111122223333:role/team/Dev", "arn:aws:iam::111122223333:user/alice",
        "arn:aws:iam::444455556666:role/Admin", "arn:aws-cn:iam::111122223333:role/Dev", "arn:aws:iam::111122223333:role/ſtage",
        "arn:aws:iam::111122223333:role/Stage", "arn:aws:iam::111122223333:role/\u212Aey", "arn:aws:iam::111122223333:role/key",
        "arn:aws:iam::111122223333:role/\u0130nfo", "arn:aws:iam::111122223333:role/info", "arn:aws:iam::111122223333:role/\u0131nfo",
        "arn:aws:iam::111122223333:role/\u1E9Ee", "arn:aws:iam::111122223333:role/\u00DFe", "arn:aws:iam::111122223333:role/\u2126m",
        "arn:aws:iam::111122223333:role/\u03A3\u03C2", "arn:aws:iam::111122223333:role/\u00B5x", "arn:aws:iam::111122223333:role/\U00010570x",
        "arn:aws:iam::111122223333:role/\u2C2Fg", "arn:aws:iam::111122223333:role/\uA7C0q", "arn:aws:iam::111122223333:role/\u01C5dz",
        "arn:aws:iam::111122223333:user/BOB", "arn:aws:iam::111122223333:user/bob", "arn:aws:iam::111122223333:root",
        "arn:aws:sts::111122223333:federated-user/f", "arn:aws:iam::111122223333:role/\u0400x", "arn:aws:iam::111122223333:role/\u13A0c",
        "arn:aws:iam::111122223333:role/\uAB70c", "arn:aws:iam::111122223333:role/\u1C80v", "arn:aws:iam::111122223333:role/\u0345i",
    ];

    private static readonly string[] Words =
    [
        "a", "dev", "system:masters", "system:node:{{EC2PrivateDNSName}}", "{{SessionName}}", "x y", "yes", "no", "on", "Off", "~", "null", "Null",
        "123456789012", "0x1F", "0o17", "017", "0b101", "-1", "1_000", "1.5", "1e3", ".5", "1:20", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
        ".inf", "-.inf", "+.Inf", ".nan", ".NaN", "18446744073709551615", "9223372036854775808", "99999999999999999999999", "é", "中文",
        "\U0001F600", "a#b", "x[1]", "{y}", "/path", "a,b", "true", "..", "...", "---", "a'b", "a\"b", "x:y", "-", "<<", "=", "!x", "%x", "@x", "`x`",
    ];

    private static readonly string[] Fragments =
    [
        "\n", "\r\n", "\r", "\t", " ", "  ", "\"", "'", "\\", ": ", " #", "- ", "? ", "&a ", "*a", "&b ", "*b", "!!str ", "!!int ", "!!binary ",
        "!foo ", "!!float ", "!!bool ", "!!null ", "!!timestamp ", "!!merge ", "!!map ", "!!seq ", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n",
        "[", "]", "{", "}", ",", "|", "|+", "|-", ">", "|2", ">-", "---", "...", "<<: ", "\u0085", "\u2028", "\u00a0", "\ufeff", "\u0000", "\u0001",
        "\u001b", "\u007f", "\u0080", "\u009f", "\ufffe", "\uffff", "rolearn", "userarn", "username", "groups", "sso", "userid",
    ];

    private static readonly string[] ControlCharacters = ["\u0000", "\u0001", "\u0008", "\u000b", "\u000c", "\u001b", "\u007f", "\u0080", "\u0084", "\u0086", "\u009f", "\ufffe", "\uffff", "\ufeff", "\u0085", "\u00a0", "\ud7ff", "\ue000"];

    private static readonly string[] FieldNames =
    [
        "rolearn", "userarn", "username", "groups", "sso", "userid", "RoleARN", "ROLEARN", "UserName", "GROUPS", "groupſ", "userna\u212Ae", "Rolearn",
        "role_arn", "permissionSetName", "accountID", "partition", "<<", "? rolearn", "'rolearn'", "\"username\"", "!!str groups", "extra",
    ];

    public int Next(int max) => random.Next(max);

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private bool Chance(int percent) => random.Next(100) < percent;

    /// <summary>A whole case: up to three data keys and callers drawn from the ARNs used.</summary>
    public (string? Roles, string? Users, string? Accounts, List<string> Callers) Case()
    {
        var roles = Chance(85) ? Data("rolearn") : null;
        var users = Chance(50) ? Data("userarn") : null;
        var accounts = Chance(30) ? Accounts() : null;
        var callers = new List<string>();
        for (var i = random.Next(1, 5); i > 0; i--)
        {
            callers.Add(Caller());
        }

        return (roles, users, accounts, callers);
    }

    private string Caller()
    {
        var arn = Pick(Arns);
        switch (random.Next(5))
        {
            case 0:
                return arn.Replace(":iam::", ":sts::", StringComparison.Ordinal).Replace(":role/", ":assumed-role/", StringComparison.Ordinal) + "/session";
            case 1:
                return CaseVariant(arn);
            case 2:
                return Pick(["arn:aws:iam::111122223333", "arn:aws:s3:::bucket", "arn:aws:sts::111122223333:assumed-role/x", "arn:foo:iam::1:role/x", "not-an-arn", "arn:aws:iam::555566667777:role/other"]);
            default:
                return arn;
        }
    }

    private string CaseVariant(string text)
    {
        var sb = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            var s = rune.ToString();
            sb.Append(random.Next(3) switch
            {
                0 => s.ToUpperInvariant(),
                1 => s.ToLowerInvariant(),
                _ => s,
            });
        }

        return sb.ToString();
    }

    public string Accounts()
    {
        var items = new List<string>();
        for (var i = random.Next(0, 4); i > 0; i--)
        {
            items.Add(Pick(["111122223333", "\"111122223333\"", "'444455556666'", "0111", "~", "[x]", "{a: b}", "!!binary MTExMTIyMjIzMzMz", Word()]));
        }

        var text = random.Next(3) == 0 ? "[" + string.Join(", ", items) + "]\n" : string.Concat(items.Select(i => "- " + i + "\n"));
        return Mutate(text);
    }

    public string Data(string arnField)
    {
        var text = random.Next(10) switch
        {
            0 => Flow(arnField),
            1 => Soup(),
            _ => Block(arnField),
        };
        return Mutate(text);
    }

    private string Mutate(string text)
    {
        for (var n = random.Next(3); n > 0; n--)
        {
            text = random.Next(14) switch
            {
                0 => text + "---\n" + Pick(["", "- a\n", "[\n", "a: b\n", "\u0000", "- rolearn: arn:aws:iam::111122223333:role/Admin\n", "'x\n", "...\n"]),
                1 => text.TrimEnd('\n') + Pick([" x\n", " ]\n", " - a\n", "\n]\n", " # c\n", "\n...\n- b\n", " , x\n", " : y\n", "\n  x\n"]),
                2 => Insert(text, Pick(ControlCharacters)),
                3 => text.StartsWith('\ufeff') ? text : "\ufeff" + text, // two marks: see docs/yaml.md, not modelled
                4 => Insert(text, Pick(Fragments)),
                5 => Delete(text),
                6 => "..." + Pick(["", "\n", " x\n", "\n- a\n"]) + text,
                7 => text + "...\n" + Pick(["", "x: [\n", "- a\n", "\u0001"]),
                8 => Insert(text, Pick(["\n", " ", "  "])),
                9 => text.Replace("\n", "\r\n", StringComparison.Ordinal),
                10 => Insert(text, Pick(ControlCharacters)) + new string('#', random.Next(400, 1200)) + "\n",
                11 => text + new string(' ', random.Next(0, 700)) + "\n# " + new string('x', random.Next(0, 800)) + Pick(ControlCharacters) + "\n",
                _ => text,
            };
        }

        return text;
    }

    private string Insert(string text, string what)
    {
        var at = random.Next(text.Length + 1);
        if (at > 0 && at < text.Length && char.IsLowSurrogate(text[at]))
        {
            at--;
        }

        return text.Insert(at, what);
    }

    private string Delete(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var at = random.Next(text.Length);
        var length = char.IsHighSurrogate(text[at]) && at + 1 < text.Length ? 2 : char.IsLowSurrogate(text[at]) ? 0 : 1;
        return text.Remove(at, length);
    }

    private string Soup()
    {
        var sb = new StringBuilder();
        for (var n = random.Next(1, 20); n > 0; n--)
        {
            sb.Append(random.Next(3) == 0 ? Word() : Pick(Fragments));
        }

        return sb.ToString();
    }

    private string Word() => random.Next(4) == 0 ? Pick(Arns) : Pick(Words);

    private string Scalar(bool inFlow = false)
    {
        var word = Word();
        return random.Next(16) switch
        {
            0 or 1 or 2 or 3 or 4 => word,
            5 or 6 => "'" + word.Replace("'", "''", StringComparison.Ordinal) + "'",
            7 or 8 => "\"" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + Pick(["", "\\t", "\\0", "\\x01", "\\u00e9", "\\e", "\\N", "\\_", "\\L"]) + "\"",
            9 => Pick(["!!str ", "!!int ", "!!binary ", "!foo ", "!!float ", "!!bool ", "!!null ", "!!timestamp ", "!<tag:yaml.org,2002:str> ", "! "]) + Pick([word, "\"" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "'", StringComparison.Ordinal) + "\"", "12", "yes", "~", Base64(word), "ZGV2", "ZGV2=", "gICA", "/w==", "4oCo"]),
            10 => "&" + Pick(["a", "b", "c"]) + " " + Pick([word, "\"" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "'", StringComparison.Ordinal) + "\"", "'q'"]),
            11 => "*" + Pick(["a", "b", "c"]),
            12 => inFlow ? word : Pick(["|\n", "|+\n", "|-\n", ">\n", "|2\n", ">+\n"]) + Pick(["", "   \n", "  \n"]) + "    " + word + "\n" + Pick(["", "\n", "   \n", "    more\n"]),
            13 => Pick([".inf", "-.inf", ".nan", ".NaN", "+.inf", "~", "null", "", "[]", "{}", "[a, b]", "{a: b}", "18446744073709551615", "-9223372036854775809", "1e400"]),
            14 => "[" + string.Join(", ", Enumerable.Range(0, random.Next(3)).Select(_ => Scalar(inFlow: true))) + "]",
            _ => word,
        };
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private string Block(string arnField)
    {
        var sb = new StringBuilder();
        var entries = random.Next(0, 5);
        if (Chance(20))
        {
            sb.Append(Pick(["- &base\n  groups:\n  - system:masters\n  username: base\n", "- &base {username: base, groups: [g]}\n", "- &base\n  username: &u base\n"]));
        }

        for (var e = 0; e < entries; e++)
        {
            var fields = new List<string>();
            if (Chance(85))
            {
                fields.Add(arnField + ": " + (Chance(70) ? Pick(Arns) : Scalar()));
            }

            if (Chance(80))
            {
                fields.Add("username: " + Scalar());
            }

            if (Chance(70))
            {
                fields.Add(Chance(80) ? "groups:\n" + string.Concat(Enumerable.Range(0, random.Next(0, 3)).Select(_ => "  - " + Scalar() + "\n")).TrimEnd('\n') : "groups: " + Scalar());
            }

            if (Chance(25))
            {
                fields.Add(Pick(FieldNames) + ": " + Scalar());
            }

            if (Chance(10))
            {
                fields.Add(Pick(["<<: *base", "<<: [*base]", "<<: {username: merged}", "<<: x", "<<: ~", "'<<': *base", "!!merge <<: *base", "<<: [{groups: [m]}, *base]"]));
            }

            if (Chance(8))
            {
                fields.Add(Pick(["~: x", "? ~\n  : x", "null: x", ".inf: x", "1: x", "18446744073709551615: x", "yes: x", "? [a]\n  : x", "? {a: b}\n  : x", "1.5: x", "2001-12-14: x", "0x1F: x", "-1: x", "\"\": x", ": x"]));
            }

            if (Chance(5))
            {
                fields.Add("sso:\n    permissionSetName: " + Scalar() + "\n    accountID: " + Pick(["\"111122223333\"", "111122223333", "x"]));
            }

            Shuffle(fields);
            var indent = Chance(80) ? "  " : Pick(["   ", "    ", " "]);
            sb.Append("- ");
            for (var i = 0; i < fields.Count; i++)
            {
                var field = fields[i].Replace("\n", "\n" + indent, StringComparison.Ordinal);
                sb.Append(i == 0 ? string.Empty : indent).Append(field).Append('\n');
            }

            if (fields.Count == 0)
            {
                sb.Append(Scalar()).Append('\n');
            }
        }

        return sb.ToString();
    }

    private string Flow(string arnField)
    {
        var items = new List<string>();
        for (var e = random.Next(0, 4); e > 0; e--)
        {
            var fields = new List<string>();
            if (Chance(85))
            {
                fields.Add(arnField + ": " + (Chance(60) ? Pick(Arns) : Scalar(inFlow: true)));
            }

            if (Chance(70))
            {
                fields.Add("username: " + Pick([Scalar(inFlow: true), "&n \"quoted\"", "&n 'single'", "*n"]));
            }

            if (Chance(60))
            {
                fields.Add("groups: [" + string.Join(", ", Enumerable.Range(0, random.Next(0, 3)).Select(_ => Scalar(inFlow: true))) + "]");
            }

            Shuffle(fields);
            items.Add("{" + string.Join(", ", fields) + "}");
        }

        return "[" + string.Join(", ", items) + "]" + Pick(["\n", "", " # c\n"]);
    }

    private void Shuffle<T>(List<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    public static string Describe(string? text) => text is null ? "(absent)" : string.Concat(text.Select(c => c is '\n' ? "\\n\n" : char.IsControl(c) || c is '\ufeff' or '\ufffe' or '\uffff' ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString()));
}

using System.Globalization;
using System.Text;
using CsCheck;
using RoleMap.Text;

namespace RoleMap.Tests.Text;

/// <summary>Values shown to a person never carry a character that breaks or reorders a line, and quoting loses nothing.</summary>
public class PrintableTests
{
    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/dev", "arn:aws:iam::111122223333:role/dev")]
    [InlineData("système:ops ü", "système:ops ü")]
    [InlineData("emoji 🚀", "emoji 🚀")]
    [InlineData("a\n- rolearn: evil", "\"a\\n- rolearn: evil\"")]
    [InlineData("tab\there\r", "\"tab\\there\\r\"")]
    [InlineData("line\u2028sep\u2029par\u0085nel", "\"line\\u2028sep\\u2029par\\u0085nel\"")]
    [InlineData("rtl\u202eoverride\u200bzero", "\"rtl\\u202eoverride\\u200bzero\"")]
    [InlineData("bell\u0007del\u007f", "\"bell\\u0007del\\u007f\"")]
    [InlineData("quote\" and \\ with\n", "\"quote\\\" and \\\\ with\\n\"")]
    [InlineData("tag \U000E0041", "\"tag \\U000e0041\"")]
    public void Quote(string value, string expected) => Assert.Equal(expected, Printable.Quote(value));

    [Fact]
    public void A_lone_surrogate_is_escaped() => Assert.Equal("\"lone \\ud800 surrogate\"", Printable.Quote("lone \ud800 surrogate"));

    [Fact]
    public void Escape_leaves_printable_text_and_quotes_alone()
    {
        Assert.Equal("say \"hi\" \\o/", Printable.Escape("say \"hi\" \\o/"));
        Assert.Equal("the group 'a\\n- rolearn: evil'", Printable.Escape("the group 'a\n- rolearn: evil'"));
    }

    [Fact]
    public void Quoted_values_are_one_printable_line_that_decodes_back_to_the_value()
    {
        var chars = Gen.OneOf(Gen.Char, Gen.Char['\0', '\u00a0'], Gen.Const('\n'), Gen.Const('\u2028'), Gen.Const('\u202e'), Gen.Const('"'), Gen.Const('\\'), Gen.Const('\ud83d'), Gen.Const('\ude80'));
        Gen.String[chars, 0, 30].Sample(value =>
        {
            var quoted = Printable.Quoted(value);
            Assert.False(Printable.NeedsEscape(quoted));
            Assert.Equal(value, Decode(quoted));
            Assert.Equal(Printable.NeedsEscape(value) ? quoted : value, Printable.Quote(value));
        });
    }

    private static string Decode(string quoted)
    {
        Assert.True(quoted.Length >= 2 && quoted[0] == '"' && quoted[^1] == '"');
        var sb = new StringBuilder();
        for (var i = 1; i < quoted.Length - 1; i++)
        {
            if (quoted[i] != '\\')
            {
                sb.Append(quoted[i]);
                continue;
            }

            var next = quoted[++i];
            switch (next)
            {
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u': sb.Append((char)int.Parse(quoted.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)); i += 4; break;
                case 'U': sb.Append(char.ConvertFromUtf32(int.Parse(quoted.AsSpan(i + 1, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture))); i += 8; break;
                default: sb.Append(next); break;
            }
        }

        return sb.ToString();
    }
}

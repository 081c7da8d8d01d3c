using System.Text;
using CsCheck;
using RoleMap.AwsAuth;

namespace RoleMap.Tests.AwsAuth;

public class GoJsonFieldsTests
{
    private static readonly Gen<string> Text = Gen.OneOf(
            Gen.Char['a', 'e'],
            Gen.Char['\u00E0', '\u00E2'],
            Gen.Char['\uD800', '\uD801'],
            Gen.Char['\uDC00', '\uDC01'],
            Gen.Char['\uE000', '\uE001'],
            Gen.Const('\uFFFD'))
        .Array[0, 5]
        .Select(chars => new string(chars));

    [Fact]
    public void Utf8_order_is_the_order_of_the_utf8_bytes_lone_surrogates_included()
    {
        // json.Marshal sorts map keys by their bytes; the allocation-free comparison must agree with encoding both.
        Gen.Select(Text, Text).Sample((a, b) =>
            Math.Sign(GoJsonFields.CompareUtf8(a, b)) == Math.Sign(Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b))));
    }

    [Theory]
    [InlineData("groups", "rolearn", -1)]
    [InlineData("\uE000", "\uD800\uDC00", -1)]
    [InlineData("a", "ab", -1)]
    public void Known_orders(string a, string b, int sign) => Assert.Equal(sign, Math.Sign(GoJsonFields.CompareUtf8(a, b)));
}

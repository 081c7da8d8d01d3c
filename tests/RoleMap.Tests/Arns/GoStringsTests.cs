using RoleMap.Arns;

namespace RoleMap.Tests.Arns;

/// <summary>Go's strings.ToLower and strings.EqualFold, from the tables generated with Go (tests/go-oracle/casefold).</summary>
public class GoStringsTests
{
    [Theory]
    [InlineData("ROLE/Dev", "role/dev")]
    [InlineData("\u0130nfo", "info")] // İ lower-cases to i in Go (a simple mapping), unlike its full lower-case i̇
    [InlineData("\u212A", "k")] // Kelvin sign
    [InlineData("\u017F", "\u017F")] // ſ is already lower case
    [InlineData("\u1E9E", "\u00DF")] // capital sharp s
    [InlineData("\u01C5", "\u01C6")] // title-case dž
    public void ToLower_is_go_unicode_ToLower(string text, string lower) => Assert.Equal(lower, GoStrings.ToLower(text));

    [Theory]
    [InlineData("stage", "\u017Ftage", true)]
    [InlineData("key", "\u212Aey", true)]
    [InlineData("info", "\u0130nfo", false)]
    [InlineData("info", "\u0131nfo", false)]
    [InlineData("\u03C3", "\u03C2", true)] // σ and ς fold together
    [InlineData("\u00B5", "\u03BC", true)] // micro sign and mu
    [InlineData("DEV", "dev", true)]
    [InlineData("dev", "devs", false)]
    public void EqualFold_is_go_simple_folding(string a, string b, bool equal)
    {
        Assert.Equal(equal, GoStrings.EqualFold(a, b));
        Assert.Equal(equal, GoStrings.EqualFold(b, a));
    }

    [Fact]
    public void The_tables_come_from_unicode_13()
    {
        // Go 1.19's Unicode: Vithkuqi (Unicode 14) has no case mapping there, whatever .NET knows.
        Assert.Equal("13.0.0", GoStrings.UnicodeVersion);
        Assert.Equal("\U00010570", GoStrings.ToLower("\U00010570"));
    }
}

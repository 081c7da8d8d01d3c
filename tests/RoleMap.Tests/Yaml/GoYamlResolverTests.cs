using RoleMap.Yaml;

namespace RoleMap.Tests.Yaml;

/// <summary>go-yaml v2 resolve.go: which plain scalars are not strings (and so are dropped from a string field by the authenticator).</summary>
public class GoYamlResolverTests
{
    [Theory]
    [InlineData("", ScalarKind.Null)]
    [InlineData("~", ScalarKind.Null)]
    [InlineData("null", ScalarKind.Null)]
    [InlineData("NULL", ScalarKind.Null)]
    [InlineData("nULL", ScalarKind.String)]
    [InlineData("yes", ScalarKind.Bool)]
    [InlineData("Y", ScalarKind.Bool)]
    [InlineData("on", ScalarKind.Bool)]
    [InlineData("OFF", ScalarKind.Bool)]
    [InlineData("True", ScalarKind.Bool)]
    [InlineData("tRUE", ScalarKind.String)]
    [InlineData("123456789012", ScalarKind.Int)]
    [InlineData("012345678901", ScalarKind.Float)] // not octal (8, 9), but matches the float pattern
    [InlineData("0777", ScalarKind.Int)]
    [InlineData("0x1F", ScalarKind.Int)]
    [InlineData("0o17", ScalarKind.Int)]
    [InlineData("0b101", ScalarKind.Int)]
    [InlineData("-0b101", ScalarKind.Int)]
    [InlineData("1_000", ScalarKind.Int)]
    [InlineData("+12", ScalarKind.Int)]
    [InlineData("18446744073709551615", ScalarKind.Int)] // fits uint64
    [InlineData("18446744073709551616", ScalarKind.Float)]
    [InlineData("0xFFFFFFFFFFFFFFFFFF", ScalarKind.String)] // overflows and is not a float
    [InlineData("1.5", ScalarKind.Float)]
    [InlineData("1.", ScalarKind.Float)]
    [InlineData(".5", ScalarKind.Float)]
    [InlineData("1e3", ScalarKind.Float)]
    [InlineData("1e999", ScalarKind.String)] // ParseFloat fails with a range error
    [InlineData(".inf", ScalarKind.Float)]
    [InlineData("-.Inf", ScalarKind.Float)]
    [InlineData(".NaN", ScalarKind.Float)]
    [InlineData(".nAn", ScalarKind.String)]
    [InlineData("2001-12-14", ScalarKind.String)] // timestamps stay strings when decoded into interface{}
    [InlineData("1:20", ScalarKind.String)] // no base-60 in go-yaml
    [InlineData("-", ScalarKind.String)]
    [InlineData("system:masters", ScalarKind.String)]
    [InlineData("arn:aws:iam::111122223333:role/x", ScalarKind.String)]
    public void Resolves_like_go_yaml_v2(string text, ScalarKind kind) => Assert.Equal(kind, GoYamlResolver.ResolvePlain(text));
}

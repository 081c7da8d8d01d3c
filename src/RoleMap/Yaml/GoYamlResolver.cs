using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace RoleMap.Yaml;

/// <summary>
/// Resolves plain scalars the way go-yaml v2 (<c>resolve.go</c>) does, because that is the library behind the
/// authenticator's YAML-to-JSON step. A plain <c>yes</c>, <c>on</c>, <c>123456789012</c> or <c>0x1F</c> is not a
/// string there, and a non-string in a string field is silently dropped.
/// Timestamps resolve to strings here: go-yaml v2 keeps them as strings when decoding into interface{}.
/// </summary>
public static partial class GoYamlResolver
{
    public static ScalarKind Resolve(YScalar scalar)
    {
        ArgumentNullException.ThrowIfNull(scalar);
        if (!scalar.IsPlain)
        {
            return scalar.Tag switch
            {
                "tag:yaml.org,2002:int" => ScalarKind.Int,
                "tag:yaml.org,2002:float" => ScalarKind.Float,
                "tag:yaml.org,2002:bool" => ScalarKind.Bool,
                "tag:yaml.org,2002:null" => ScalarKind.Null,
                _ => ScalarKind.String,
            };
        }

        switch (scalar.Tag)
        {
            case null:
                return ResolvePlain(scalar.Value);
            case "tag:yaml.org,2002:int":
                return ScalarKind.Int;
            case "tag:yaml.org,2002:float":
                return ScalarKind.Float;
            case "tag:yaml.org,2002:bool":
                return ScalarKind.Bool;
            case "tag:yaml.org,2002:null":
                return ScalarKind.Null;
            default:
                // !!str, !!binary, '!' and application tags all decode as the text itself.
                return ScalarKind.String;
        }
    }

    /// <summary>The kind of an untagged plain scalar with this text.</summary>
    public static ScalarKind ResolvePlain(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return ScalarKind.Null;
            case "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON":
            case "n" or "N" or "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF":
                return ScalarKind.Bool;
            case ".nan" or ".NaN" or ".NAN" or ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF":
                return ScalarKind.Float;
        }

        var first = text[0];
        if (first == '.')
        {
            return DotFloat().IsMatch(text) ? ScalarKind.Float : ScalarKind.String;
        }

        if (first is not ('+' or '-') && !char.IsAsciiDigit(first))
        {
            return ScalarKind.String;
        }

        var plain = text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (FitsGoInteger(plain))
        {
            return ScalarKind.Int;
        }

        if (YamlStyleFloat().IsMatch(plain)
            && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && !double.IsInfinity(value))
        {
            return ScalarKind.Float;
        }

        return ScalarKind.String;
    }

    /// <summary>True when a plain scalar with this text would not be read as the same string.</summary>
    public static bool IsMisreadAsNonString(string text) => ResolvePlain(text) != ScalarKind.String;

    /// <summary>Go's strconv.ParseInt(s, 0, 64) or ParseUint(s, 0, 64) succeeding.</summary>
    private static bool FitsGoInteger(string s)
    {
        var negative = false;
        var body = s;
        var signed = false;
        if (body.Length > 0 && body[0] is '+' or '-')
        {
            negative = body[0] == '-';
            signed = true;
            body = body[1..];
        }

        if (body.Length == 0)
        {
            return false;
        }

        int radix;
        string digits;
        if (body.Length >= 2 && body[0] == '0' && (body[1] is 'x' or 'X'))
        {
            radix = 16;
            digits = body[2..];
        }
        else if (body.Length >= 2 && body[0] == '0' && (body[1] is 'b' or 'B'))
        {
            radix = 2;
            digits = body[2..];
        }
        else if (body.Length >= 2 && body[0] == '0' && (body[1] is 'o' or 'O'))
        {
            radix = 8;
            digits = body[2..];
        }
        else if (body.Length >= 2 && body[0] == '0')
        {
            radix = 8;
            digits = body[1..];
        }
        else
        {
            radix = 10;
            digits = body;
        }

        if (digits.Length == 0)
        {
            return false;
        }

        var magnitude = BigInteger.Zero;
        foreach (var c in digits)
        {
            var d = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => 99,
            };
            if (d >= radix)
            {
                return false;
            }

            magnitude = (magnitude * radix) + d;
        }

        var value = negative ? -magnitude : magnitude;
        if (value >= long.MinValue && value <= long.MaxValue)
        {
            return true;
        }

        // ParseUint accepts no sign at all.
        return !signed && value <= ulong.MaxValue;
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlStyleFloat();

    // Go's ParseFloat on text starting with '.', underscores allowed between digits.
    [GeneratedRegex(@"^\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DotFloat();
}

/// <summary>Extensions to read YAML nodes as the authenticator does.</summary>
public static class YNodeExtensions
{
    /// <summary>The node's string value when go-yaml v2 reads it as a string, otherwise null.</summary>
    public static string? AsString(this YNode? node) =>
        node is YScalar scalar && scalar.Kind == ScalarKind.String ? scalar.Value : null;

    public static bool IsNull(this YNode? node) => node is null || (node is YScalar scalar && scalar.Kind == ScalarKind.Null);

    public static bool IsQuoted(this YScalar scalar) =>
        scalar is { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted };
}

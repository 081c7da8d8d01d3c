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
    private const string TagPrefix = "tag:yaml.org,2002:";

    public static ScalarKind Resolve(YScalar scalar)
    {
        ArgumentNullException.ThrowIfNull(scalar);
        return ResolveTagged(scalar, out _);
    }

    /// <summary>
    /// go-yaml's error for a scalar whose explicit tag its text cannot have (<c>!!int abc</c>: "cannot decode !!str
    /// `abc` as a !!int"), which fails the whole document; null when the scalar decodes.
    /// </summary>
    public static string? TagError(YScalar scalar)
    {
        ArgumentNullException.ThrowIfNull(scalar);
        ResolveTagged(scalar, out var error);
        return error;
    }

    /// <summary>True for a scalar go-yaml decodes to an infinite or NaN float, which JSON cannot hold.</summary>
    public static bool IsInfiniteOrNaN(YScalar scalar)
    {
        ArgumentNullException.ThrowIfNull(scalar);
        return scalar.Kind == ScalarKind.Float && SpecialFloats.Contains(scalar.Value);
    }

    /// <summary>True for an integer go-yaml decodes as uint64 (above int64), which sigs.k8s.io/yaml cannot use as a key.</summary>
    public static bool IsUnsigned64(YScalar scalar)
    {
        ArgumentNullException.ThrowIfNull(scalar);
        return scalar.Kind == ScalarKind.Int && GoInteger(scalar.Value.Replace("_", string.Empty, StringComparison.Ordinal)) == IntegerFit.Unsigned64;
    }

    private static readonly HashSet<string> SpecialFloats = new(StringComparer.Ordinal)
    {
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
    };

    /// <summary>go-yaml v2's resolve(tag, text): tags it cannot resolve keep the text; a resolvable tag must fit the text.</summary>
    private static ScalarKind ResolveTagged(YScalar scalar, out string? error)
    {
        error = null;
        if (scalar.Tag is null)
        {
            return scalar.IsPlain ? ResolvePlain(scalar.Value) : ScalarKind.String;
        }

        var tag = scalar.Tag.StartsWith(TagPrefix, StringComparison.Ordinal) ? "!!" + scalar.Tag[TagPrefix.Length..] : scalar.Tag;
        if (tag is not ("!!bool" or "!!int" or "!!float" or "!!null" or "!!timestamp"))
        {
            return ScalarKind.String; // !!str, !!binary, '!' and application tags all decode as the text itself
        }

        var isTimestamp = IsTimestamp(scalar.Value);
        var kind = isTimestamp && tag == "!!timestamp" ? ScalarKind.String : ResolvePlain(scalar.Value);
        var fits = tag switch
        {
            "!!bool" => kind == ScalarKind.Bool,
            "!!int" => kind == ScalarKind.Int,
            // go-yaml turns an int or int64 into a float for !!float, but not a uint64 (above the int64 range).
            "!!float" => kind is ScalarKind.Float || (kind == ScalarKind.Int && GoInteger(scalar.Value.Replace("_", string.Empty, StringComparison.Ordinal)) != IntegerFit.Unsigned64),
            "!!null" => kind == ScalarKind.Null,
            _ => isTimestamp,
        };
        if (!fits)
        {
            var actual = kind switch
            {
                ScalarKind.Null => "!!null",
                ScalarKind.Bool => "!!bool",
                ScalarKind.Int => "!!int",
                ScalarKind.Float => "!!float",
                _ => "!!str",
            };
            error = "cannot decode " + actual + " `" + scalar.Value + "` as a " + tag;
            return ScalarKind.String;
        }

        return tag == "!!float" ? ScalarKind.Float : kind;
    }

    /// <summary>go-yaml's parseTimestamp: YYYY-M-D, optionally with a time, as Go's time.Parse accepts it.</summary>
    private static bool IsTimestamp(string text)
    {
        var match = Timestamp().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var year = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var month = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        var day = int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
        return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(Math.Max(year, 1), month);
    }

    [GeneratedRegex(@"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt ]([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Timestamp();

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

        if (IsTimestamp(text))
        {
            return ScalarKind.String; // go-yaml keeps timestamps as their text when decoding into interface{}
        }

        var plain = text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (GoInteger(plain) != IntegerFit.None)
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

    private enum IntegerFit
    {
        None,
        Signed64,
        Unsigned64,
    }

    /// <summary>Go's strconv.ParseInt(s, 0, 64) succeeding, else ParseUint(s, 0, 64).</summary>
    private static IntegerFit GoInteger(string s)
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
            return IntegerFit.None;
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
            return IntegerFit.None;
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
                return IntegerFit.None;
            }

            magnitude = (magnitude * radix) + d;
        }

        var value = negative ? -magnitude : magnitude;
        if (value >= long.MinValue && value <= long.MaxValue)
        {
            return IntegerFit.Signed64;
        }

        // ParseUint accepts no sign at all.
        return !signed && value <= ulong.MaxValue ? IntegerFit.Unsigned64 : IntegerFit.None;
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

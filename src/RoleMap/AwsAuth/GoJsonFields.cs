using System.Text;

namespace RoleMap.AwsAuth;

/// <summary>
/// Field-name matching of Go's encoding/json, which the authenticator decodes entries with: an exact match,
/// else a case-insensitive one under Unicode simple folding, where besides ASCII only 'ſ' (U+017F) folds to
/// 's' and 'K' (U+212A, Kelvin) to 'k'. So <c>RoleARN</c>, <c>USERNAME</c> and <c>groupſ</c> all count.
/// </summary>
public static class GoJsonFields
{
    public static bool Matches(string written, string field)
    {
        ArgumentNullException.ThrowIfNull(written);
        ArgumentNullException.ThrowIfNull(field);
        if (written.Length != field.Length)
        {
            return false;
        }

        for (var i = 0; i < written.Length; i++)
        {
            if (Fold(written[i]) != Fold(field[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first of <paramref name="fields"/> that <paramref name="written"/> decodes into, or null.</summary>
    public static string? Match(string written, IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var field in fields)
        {
            if (written == field)
            {
                return field;
            }
        }

        foreach (var field in fields)
        {
            if (Matches(written, field))
            {
                return field;
            }
        }

        return null;
    }

    /// <summary>Go's json.Marshal writes map keys sorted by their UTF-8 bytes; decoding then sees them in that order.</summary>
    /// <remarks>
    /// Compares code point by code point instead of encoding both strings: UTF-8 preserves code point order, and a lone
    /// surrogate decodes to U+FFFD exactly as the encoder would write it. Called for every field of every entry, so it
    /// must not allocate.
    /// </remarks>
    public static int CompareUtf8(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var i = 0;
        var j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] < 0xD800 && b[j] < 0xD800)
            {
                if (a[i] != b[j])
                {
                    return a[i] - b[j];
                }

                i++;
                j++;
                continue;
            }

            Rune.DecodeFromUtf16(a.AsSpan(i), out var x, out var used);
            Rune.DecodeFromUtf16(b.AsSpan(j), out var y, out var usedB);
            if (x != y)
            {
                return x.Value - y.Value;
            }

            i += used;
            j += usedB;
        }

        return (i < a.Length ? 1 : 0) - (j < b.Length ? 1 : 0); // the shorter one, a prefix of the other, sorts first
    }

    /// <summary><see cref="CompareUtf8"/> as a comparer.</summary>
    public static IComparer<string> Utf8Order { get; } = Comparer<string>.Create(CompareUtf8);

    private static char Fold(char c) => c switch
    {
        >= 'A' and <= 'Z' => (char)(c + 32),
        '\u017F' => 's',
        '\u212A' => 'k',
        _ => c,
    };
}

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
    public static int CompareUtf8(string a, string b) =>
        Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));

    private static char Fold(char c) => c switch
    {
        >= 'A' and <= 'Z' => (char)(c + 32),
        '\u017F' => 's',
        '\u212A' => 'k',
        _ => c,
    };
}

using System.Globalization;
using System.Text;

namespace RoleMap.AccessEntries;

/// <summary>Small helpers the exporters share: resource names.</summary>
internal static class Formatting
{
    /// <summary>Lower-case words of a name joined by '_' (for Terraform), or capitalised and joined (for CloudFormation).</summary>
    public static string Identifier(string text, bool pascal)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                word.Append(c);
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return pascal
            ? string.Concat(words.Select(w => char.ToUpperInvariant(w[0]) + w[1..]))
            : string.Join('_', words).ToLowerInvariant();
    }

    /// <summary>Returns <paramref name="name"/>, or it with a numeric suffix, so that it is not yet in <paramref name="taken"/>.</summary>
    public static string Unique(string name, HashSet<string> taken, string separator)
    {
        var candidate = name;
        for (var i = 2; !taken.Add(candidate); i++)
        {
            candidate = name + separator + i.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    /// <summary>"role" or "user" and the principal's name, for resource names.</summary>
    public static (string Kind, string Name) PrincipalWords(string principalArn)
    {
        var parsed = Arns.IamArn.Parse(principalArn, out _);
        return parsed is null ? ("principal", principalArn) : (parsed.Kind == Arns.IamArnKind.User ? "user" : "role", parsed.Name);
    }
}

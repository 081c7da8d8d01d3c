using System.Text.RegularExpressions;

namespace RoleMap.AwsAuth;

/// <summary>The identity values the authenticator substitutes into usernames and groups. Null means unknown offline.</summary>
public sealed record TemplateValues(string? AccountId, string? SessionName, string? AccessKeyId, string? Ec2PrivateDnsName);

/// <summary>The outcome of rendering one template.</summary>
public sealed record RenderedTemplate(string Text, IReadOnlyList<string> Unresolved, string? Failure);

/// <summary>
/// Username and group templates exactly as the authenticator's <c>renderTemplate</c>: plain literal replacement
/// of <c>{{EC2PrivateDNSName}}</c> (only for an EC2 instance session), <c>{{AccountID}}</c>, <c>{{SessionName}}</c>
/// (with '@' replaced by '-'), <c>{{SessionNameRaw}}</c> and <c>{{AccessKeyID}}</c>, in that order. Any other
/// <c>{{...}}</c> stays as written. A value unknown offline leaves its placeholder in place and is reported.
/// </summary>
public static partial class Templates
{
    public const string Ec2PrivateDnsName = "{{EC2PrivateDNSName}}";
    public const string AccountId = "{{AccountID}}";
    public const string SessionName = "{{SessionName}}";
    public const string SessionNameRaw = "{{SessionNameRaw}}";
    public const string AccessKeyId = "{{AccessKeyID}}";

    private static readonly string[] KnownPlaceholders = [Ec2PrivateDnsName, AccountId, SessionName, SessionNameRaw, AccessKeyId];

    public static IReadOnlyList<string> Known => KnownPlaceholders;

    /// <summary>Every <c>{{...}}</c> in a template that the authenticator does not know (left in the output literally).</summary>
    public static IReadOnlyList<string> UnknownPlaceholders(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (!template.Contains("{{", StringComparison.Ordinal))
        {
            return []; // the common case, checked for every username and group without scanning
        }

        // What the regular expression \{\{[^{}]*\}\} finds, leftmost first and without overlaps, scanned by hand: its first
        // use built the shared SearchValues of every generated regular expression in the library, at every start-up
        // (Startup4TemplateTests compares the two).
        List<string>? unknown = null;
        var rest = template.AsSpan();
        while (rest.IndexOf("{{", StringComparison.Ordinal) is var open and >= 0)
        {
            var inner = rest[(open + 2)..];
            var run = inner.IndexOfAny('{', '}');
            if (run >= 0 && inner[run..].StartsWith("}}", StringComparison.Ordinal))
            {
                var length = run + 4;
                var placeholder = rest.Slice(open, length);
                if (!IsKnown(placeholder) && !Holds(unknown, placeholder))
                {
                    (unknown ??= []).Add(placeholder.ToString());
                }

                rest = rest[(open + length)..];
            }
            else
            {
                // No placeholder starts at this brace; one may start at the next character.
                rest = rest[(open + 1)..];
            }
        }

        return unknown is null ? [] : unknown;
    }

    private static bool IsKnown(ReadOnlySpan<char> placeholder)
    {
        foreach (var known in KnownPlaceholders)
        {
            if (placeholder.SequenceEqual(known))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Holds(List<string>? found, ReadOnlySpan<char> placeholder)
    {
        for (var i = 0; i < found?.Count; i++)
        {
            if (placeholder.SequenceEqual(found[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when an EC2 session name looks like an instance ID, as the authenticator requires for {{EC2PrivateDNSName}}.</summary>
    public static bool IsInstanceId(string sessionName) => InstanceId().IsMatch(sessionName);

    public static RenderedTemplate Render(string template, TemplateValues values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        var unresolved = new List<string>();
        var text = template;
        if (text.Contains(Ec2PrivateDnsName, StringComparison.Ordinal))
        {
            if (values.SessionName is not null && !IsInstanceId(values.SessionName))
            {
                return new RenderedTemplate(template, [], "SessionName did not contain an instance id");
            }

            text = Replace(text, Ec2PrivateDnsName, values.Ec2PrivateDnsName, unresolved);
        }

        text = Replace(text, AccountId, values.AccountId, unresolved);
        text = Replace(text, SessionName, values.SessionName?.Replace('@', '-'), unresolved);
        text = Replace(text, SessionNameRaw, values.SessionName, unresolved);
        text = Replace(text, AccessKeyId, values.AccessKeyId, unresolved);
        return new RenderedTemplate(text, unresolved, null);
    }

    private static string Replace(string text, string placeholder, string? value, List<string> unresolved)
    {
        if (!text.Contains(placeholder, StringComparison.Ordinal))
        {
            return text;
        }

        if (value is null)
        {
            unresolved.Add(placeholder);
            return text;
        }

        return text.Replace(placeholder, value, StringComparison.Ordinal);
    }

    // Go's \w is ASCII only.
    [GeneratedRegex("^i-([0-9A-Za-z_]{8}|[0-9A-Za-z_]{17})$", RegexOptions.CultureInvariant)]
    private static partial Regex InstanceId();
}

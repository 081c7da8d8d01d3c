using System.Text;
using RoleMap.Yaml;

namespace RoleMap.AwsAuth;

/// <summary>How mapping lists are written.</summary>
public enum RenderStyle
{
    /// <summary>The authenticator's and kubectl's layout: <c>rolearn, username, groups</c>, quoting only what YAML could misread.</summary>
    Plain,

    /// <summary>Terraform's <c>yamlencode</c>, byte for byte: keys sorted, every string double-quoted.</summary>
    Terraform,
}

/// <summary>Renders aws-auth data keys (<c>mapRoles</c>, <c>mapUsers</c>, <c>mapAccounts</c>) as the YAML strings EKS reads.</summary>
public static class AwsAuthRenderer
{
    public const string MapRoles = "mapRoles";
    public const string MapUsers = "mapUsers";
    public const string MapAccounts = "mapAccounts";

    public static string RenderRoles(IReadOnlyList<MapEntry> roles, RenderStyle style) => RenderEntries(roles, "rolearn", style);

    public static string RenderUsers(IReadOnlyList<MapEntry> users, RenderStyle style) => RenderEntries(users, "userarn", style);

    public static string RenderAccounts(IReadOnlyList<string> accounts, RenderStyle style)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        return Encode(YamlValue.Of(accounts), style);
    }

    /// <summary>
    /// The data keys to write: <c>mapRoles</c> and <c>mapUsers</c> always (an empty list as <c>[]</c>, as the
    /// original module wrote them), <c>mapAccounts</c> when there are accounts or <paramref name="alwaysAccounts"/>.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> RenderData(AwsAuthData data, RenderStyle style, bool alwaysAccounts = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        var result = new List<KeyValuePair<string, string>>
        {
            new(MapRoles, RenderRoles(data.Roles, style)),
            new(MapUsers, RenderUsers(data.Users, style)),
        };
        if (alwaysAccounts || data.Accounts.Count > 0)
        {
            result.Add(new(MapAccounts, RenderAccounts(data.Accounts, style)));
        }

        return result;
    }

    /// <summary>One entry as a YAML mapping: ARN field, sso, username, groups, then any other kept fields.</summary>
    public static YamlValue ToYaml(MapEntry entry, string arnField)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var pairs = new List<KeyValuePair<string, YamlValue>>();
        if (entry.Arn is not null)
        {
            pairs.Add(new(arnField, YamlValue.Of(entry.Arn)));
        }

        pairs.AddRange(entry.ExtraFields.Where(f => f.Key == "sso"));
        if (entry.Username is not null)
        {
            pairs.Add(new("username", YamlValue.Of(entry.Username)));
        }

        pairs.Add(new("groups", YamlValue.Of(entry.Groups)));
        pairs.AddRange(entry.ExtraFields.Where(f => f.Key != "sso"));
        return new YamlMapping(pairs);
    }

    /// <summary>A list of already-built items (entries, or nodes kept from a live document) in the given style.</summary>
    public static string RenderItems(IReadOnlyList<YamlValue> items, RenderStyle style)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Encode(new YamlSequence(items), style);
    }

    private static string RenderEntries(IReadOnlyList<MapEntry> entries, string arnField, RenderStyle style)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (style == RenderStyle.Plain && entries.Count > 0 && AllSimple(entries))
        {
            return WritePlainEntries(entries, arnField);
        }

        var items = new YamlValue[entries.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = ToYaml(entries[i], arnField);
        }

        return Encode(new YamlSequence(items), style);
    }

    private static bool AllSimple(IReadOnlyList<MapEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (entry.ExtraFields.Count > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The plain layout of entries without extra fields, written straight into one buffer: the same bytes
    /// <see cref="PlainYamlWriter"/> writes for the <see cref="ToYaml"/> trees, without building a tree per entry
    /// (this runs for every entry of lists of 100,000 and more).
    /// </summary>
    private static string WritePlainEntries(IReadOnlyList<MapEntry> entries, string arnField)
    {
        var sb = new StringBuilder(entries.Count * 128);
        foreach (var entry in entries)
        {
            // A mapping item starts on the dash's line; each further key two spaces in, a non-empty list under its key not indented.
            sb.Append("- ");
            var first = true;
            if (entry.Arn is not null)
            {
                sb.Append(arnField).Append(": ");
                PlainYamlWriter.AppendScalar(sb, entry.Arn);
                first = false;
            }

            if (entry.Username is not null)
            {
                if (!first)
                {
                    sb.Append("\n  ");
                }

                sb.Append("username: ");
                PlainYamlWriter.AppendScalar(sb, entry.Username);
                first = false;
            }

            if (!first)
            {
                sb.Append("\n  ");
            }

            sb.Append("groups:");
            if (entry.Groups.Count == 0)
            {
                sb.Append(" []");
            }
            else
            {
                foreach (var group in entry.Groups)
                {
                    sb.Append("\n  - ");
                    PlainYamlWriter.AppendScalar(sb, group);
                }
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string Encode(YamlValue value, RenderStyle style) => style switch
    {
        RenderStyle.Terraform => TerraformYamlEncoder.Encode(value),
        _ => PlainYamlWriter.Write(value),
    };
}

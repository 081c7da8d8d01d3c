using System.Text;
using RoleMap.Text;
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

    public static string RenderRoles(IReadOnlyList<MapEntry> roles, RenderStyle style) => Decode(RenderEntries(roles, "rolearn", style));

    public static string RenderUsers(IReadOnlyList<MapEntry> users, RenderStyle style) => Decode(RenderEntries(users, "userarn", style));

    public static string RenderAccounts(IReadOnlyList<string> accounts, RenderStyle style)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        return Encode(YamlValue.Of(accounts), style);
    }

    /// <summary>
    /// The data keys to write: <c>mapRoles</c> and <c>mapUsers</c> always (an empty list as <c>[]</c>, as the
    /// original module wrote them), <c>mapAccounts</c> when there are accounts or <paramref name="alwaysAccounts"/>.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> RenderData(AwsAuthData data, RenderStyle style, bool alwaysAccounts = false) =>
        Decode(RenderDataUtf8(data, style, alwaysAccounts));

    /// <summary><see cref="RenderData"/> as UTF-8 bytes, the form the lists are rendered in (no string of megabytes).</summary>
    public static IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> RenderDataUtf8(AwsAuthData data, RenderStyle style, bool alwaysAccounts = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        var result = new List<KeyValuePair<string, ReadOnlyMemory<byte>>>
        {
            new(MapRoles, RenderEntries(data.Roles, "rolearn", style)),
            new(MapUsers, RenderEntries(data.Users, "userarn", style)),
        };
        if (alwaysAccounts || data.Accounts.Count > 0)
        {
            result.Add(new(MapAccounts, EncodeUtf8(YamlValue.Of(data.Accounts), style)));
        }

        return result;
    }

    /// <summary>Rendered data as strings.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Decode(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return [.. data.Select(d => new KeyValuePair<string, string>(d.Key, Decode(d.Value)))];
    }

    private static string Decode(ReadOnlyMemory<byte> utf8) => Encoding.UTF8.GetString(utf8.Span);

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

    private static ReadOnlyMemory<byte> RenderEntries(IReadOnlyList<MapEntry> entries, string arnField, RenderStyle style)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count > 0 && AllSimple(entries))
        {
            return style == RenderStyle.Terraform ? WriteTerraformEntries(entries, arnField) : WritePlainEntries(entries, arnField);
        }

        var items = new YamlValue[entries.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = ToYaml(entries[i], arnField);
        }

        return EncodeUtf8(new YamlSequence(items), style);
    }

    private static bool AllSimple(IReadOnlyList<MapEntry> entries)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].ExtraFields.Count > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The bytes entries take when no value needs quoting, plus <paramref name="perString"/> for each string and
    /// <paramref name="perEntry"/> for each entry: a buffer size that is rarely exceeded (the buffer grows if it is).
    /// </summary>
    private static long Estimate(IReadOnlyList<MapEntry> entries, int perString, int perEntry)
    {
        var size = 0L;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            size += perEntry + (entry.Arn?.Length ?? 0) + (entry.Username?.Length ?? 0) + (2 * perString);
            for (var g = 0; g < entry.Groups.Count; g++)
            {
                size += entry.Groups[g].Length + perString;
            }
        }

        return size;
    }

    /// <summary>
    /// The plain layout of entries without extra fields, written straight into one buffer: the same bytes
    /// <see cref="PlainYamlWriter"/> writes for the <see cref="ToYaml"/> trees, without building a tree per entry
    /// (this runs for every entry of lists of 100,000 and more). Loops index the lists: an enumerator per entry is an
    /// allocation per entry, and allocations here start collections of the whole compiled spec.
    /// </summary>
    private static ReadOnlyMemory<byte> WritePlainEntries(IReadOnlyList<MapEntry> entries, string arnField)
    {
        // "- rolearn: ", "\n  username: ", "\n  groups:", "\n  - " and two quotes a string.
        var output = new Utf8Builder(Estimate(entries, perString: 16, perEntry: 16));
        var arnKey = Encoding.ASCII.GetBytes(arnField + ": ");
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];

            // A mapping item starts on the dash's line; each further key two spaces in, a non-empty list under its key not indented.
            output.Append("- "u8);
            var first = true;
            if (entry.Arn is not null)
            {
                output.Append(arnKey);
                PlainYamlWriter.AppendScalar(output, entry.Arn);
                first = false;
            }

            if (entry.Username is not null)
            {
                output.Append(first ? "username: "u8 : "\n  username: "u8);
                PlainYamlWriter.AppendScalar(output, entry.Username);
                first = false;
            }

            output.Append(first ? "groups:"u8 : "\n  groups:"u8);
            if (entry.Groups.Count == 0)
            {
                output.Append(" []"u8);
            }
            else
            {
                for (var g = 0; g < entry.Groups.Count; g++)
                {
                    output.Append("\n  - "u8);
                    PlainYamlWriter.AppendScalar(output, entry.Groups[g]);
                }
            }

            output.Append((byte)'\n');
        }

        return output.Memory;
    }

    /// <summary>
    /// The Terraform layout of entries without extra fields, item by item: the same bytes <see cref="TerraformYamlEncoder"/>
    /// writes for the <see cref="ToYaml"/> trees (keys in UTF-8 order), without a tree per entry.
    /// </summary>
    private static ReadOnlyMemory<byte> WriteTerraformEntries(IReadOnlyList<MapEntry> entries, string arnField)
    {
        var order = new[] { arnField, "username", "groups" };
        Array.Sort(order, TerraformYamlEncoder.Utf8Order.Instance);
        var writer = new TerraformYamlEncoder.Writer(Estimate(entries, perString: 24, perEntry: 32));
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            writer.Item();
            var first = true;
            foreach (var key in order)
            {
                if (key == "groups")
                {
                    writer.Pair(key, entry.Groups, first);
                }
                else if ((key == arnField ? entry.Arn : entry.Username) is { } value)
                {
                    writer.Pair(key, value, first);
                }
                else
                {
                    continue;
                }

                first = false;
            }
        }

        return writer.Finish();
    }

    private static string Encode(YamlValue value, RenderStyle style) => style switch
    {
        RenderStyle.Terraform => TerraformYamlEncoder.Encode(value),
        _ => PlainYamlWriter.Write(value),
    };

    private static ReadOnlyMemory<byte> EncodeUtf8(YamlValue value, RenderStyle style) => style switch
    {
        RenderStyle.Terraform => TerraformYamlEncoder.EncodeUtf8(value),
        _ => Encoding.UTF8.GetBytes(PlainYamlWriter.Write(value)),
    };
}

using System.Text;
using RoleMap.AwsAuth;
using RoleMap.Yaml;

namespace RoleMap.Apply;

/// <summary>
/// Writes a changed <c>mapRoles</c> or <c>mapUsers</c> value. Entries rolemap does not change keep their original
/// text (comments, quoting, field order) by splicing the live block list line by line; new and changed entries are
/// rendered in the style the live list already uses. Every result is parsed back and must give exactly the intended
/// entries; when splicing cannot guarantee that (a JSON or flow list, odd layout), the whole list is rendered afresh.
/// </summary>
public static class ListRenderer
{
    /// <summary>The new value of the key, and whether the original text of unchanged entries could be kept.</summary>
    public static (string Text, bool Spliced) Render(string key, string? liveText, IReadOnlyList<PlannedItem> items, RenderStyle? preferredStyle)
    {
        ArgumentNullException.ThrowIfNull(items);
        var arnField = key == AwsAuthRenderer.MapRoles ? "rolearn" : "userarn";
        var style = preferredStyle ?? DetectStyle(liveText);
        if (liveText is not null && items.Count > 0 && Splice(liveText, items, arnField, style) is { } spliced && Matches(key, spliced, items))
        {
            return (spliced, true);
        }

        var values = items.Select(item => item switch
        {
            KeepItem { Live.IsValid: true } k => AwsAuthRenderer.ToYaml(k.Live.Entry, arnField),
            KeepItem k => YamlValue.From(k.Live.Node),
            ReplaceItem r => AwsAuthRenderer.ToYaml(r.Entry, arnField),
            AddItem a => AwsAuthRenderer.ToYaml(a.Entry, arnField),
            _ => throw new InvalidOperationException("unknown item"),
        }).ToList();
        return (AwsAuthRenderer.RenderItems(values, style), false);
    }

    /// <summary>Terraform's yamlencode layout (<c>- "groups":</c>) when the live list uses it, else plain.</summary>
    public static RenderStyle DetectStyle(string? liveText)
    {
        if (liveText is null)
        {
            return RenderStyle.Plain;
        }

        var first = liveText.Split('\n').Select(l => l.TrimStart()).FirstOrDefault(l => l.StartsWith('-'));
        return first is not null && first.StartsWith("- \"", StringComparison.Ordinal) ? RenderStyle.Terraform : RenderStyle.Plain;
    }

    /// <summary>True when <paramref name="text"/> reads back as exactly the planned items, position by position.</summary>
    public static bool Matches(string key, string text, IReadOnlyList<PlannedItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var parsed = AwsAuthParser.ParseData([new(key, text)], null, "rendered");
        var list = key == AwsAuthRenderer.MapRoles ? parsed.MapRoles : parsed.MapUsers;
        if (list.Dropped || list.TopLevelTypeError is not null || list.Entries.Count != items.Count)
        {
            return false;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var back = list.Entries[i];
            var ok = items[i] switch
            {
                KeepItem k => back.IsValid == k.Live.IsValid && back.Entry.SameAs(k.Live.Entry),
                ReplaceItem r => back.IsValid && back.Entry.SameAs(r.Entry),
                AddItem a => back.IsValid && back.Entry.SameAs(a.Entry),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static string? Splice(string liveText, IReadOnlyList<PlannedItem> items, string arnField, RenderStyle style)
    {
        if (!YamlLoader.TryLoadAll(liveText, out var documents, out _) || documents.Count != 1 || documents[0] is not YSequence sequence)
        {
            return null;
        }

        var lines = SplitLines(liveText);
        var column = sequence.Start.Column - 1;
        var firstLine = sequence.Start.Line - 1;
        if (firstLine < 0 || firstLine >= lines.Count || !IsDashLine(lines[firstLine], column))
        {
            return null; // a flow list ([...], e.g. JSON) has no lines to keep
        }

        // The line of each item's dash: the item's node starts on it ("- rolearn: ...") or below it ("-" alone).
        var count = sequence.Items.Count;
        var dashes = new int[count];
        for (var i = 0; i < count; i++)
        {
            var line = sequence.Items[i].Start.Line - 1;
            while (line >= 0 && !IsDashLine(lines[line], column))
            {
                line--;
            }

            if (line < 0 || (i > 0 && line <= dashes[i - 1]))
            {
                return null;
            }

            dashes[i] = line;
        }

        // Blank lines and comments (at the list's indentation) just above a dash belong to that item.
        var starts = new int[count];
        for (var i = 0; i < count; i++)
        {
            var floor = i == 0 ? 0 : dashes[i - 1] + 1;
            var start = dashes[i];
            while (start - 1 >= floor && IsLeading(lines[start - 1], column))
            {
                start--;
            }

            starts[i] = start;
        }

        var end = lines.Count;
        while (end - 1 > dashes[count - 1] && (IsLeading(lines[end - 1], column) || lines[end - 1].TrimEnd('\n', '\r') == "..."))
        {
            end--;
        }

        var live = items.OfType<KeepItem>().Select(k => k.Live).Concat(items.OfType<ReplaceItem>().Select(r => r.Live)).ToList();
        if (live.Any(e => e.Index >= count))
        {
            return null;
        }

        var sb = new StringBuilder();
        Append(sb, lines, 0, starts[0]);
        foreach (var item in items)
        {
            switch (item)
            {
                case KeepItem k:
                    Append(sb, lines, starts[k.Live.Index], Until(k.Live.Index));
                    break;
                case ReplaceItem r:
                    Append(sb, lines, starts[r.Live.Index], dashes[r.Live.Index]);
                    AppendRendered(sb, r.Entry);
                    break;
                case AddItem a:
                    AppendRendered(sb, a.Entry);
                    break;
            }
        }

        EndLine(sb);
        Append(sb, lines, end, lines.Count);
        return sb.ToString();

        int Until(int index) => index + 1 < count ? starts[index + 1] : end;

        void AppendRendered(StringBuilder target, MapEntry entry)
        {
            EndLine(target);
            var rendered = AwsAuthRenderer.RenderItems([AwsAuthRenderer.ToYaml(entry, arnField)], style);
            foreach (var line in SplitLines(rendered))
            {
                if (line.Trim().Length > 0)
                {
                    target.Append(' ', column);
                }

                target.Append(line);
            }
        }
    }

    private static void EndLine(StringBuilder sb)
    {
        if (sb.Length > 0 && sb[^1] != '\n')
        {
            sb.Append('\n');
        }
    }

    private static void Append(StringBuilder sb, List<string> lines, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (sb.Length > 0 && sb[^1] != '\n')
            {
                sb.Append('\n');
            }

            sb.Append(lines[i]);
        }
    }

    private static bool IsDashLine(string line, int column) =>
        line.Length > column && line[column] == '-' && line.AsSpan(0, column).Trim(' ').IsEmpty
        && (line.Length == column + 1 || line[column + 1] is ' ' or '\n' or '\r');

    private static bool IsLeading(string line, int column)
    {
        var trimmed = line.TrimStart(' ');
        return trimmed.TrimEnd('\n', '\r').Length == 0 || (trimmed.StartsWith('#') && line.Length - trimmed.Length <= column);
    }

    /// <summary>Lines with their terminators, so that joining them gives the text back exactly.</summary>
    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }

        return lines;
    }
}

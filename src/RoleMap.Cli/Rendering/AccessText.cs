using System.Text;
using RoleMap.Rbac;

namespace RoleMap.Cli.Rendering;

/// <summary>The labelled-line layout can-i, explain and the --list output share.</summary>
internal static class AccessText
{
    /// <summary><c>label:    value</c>, the value starting in column 11 (or after one space for longer labels).</summary>
    public static void Line(StringBuilder sb, string label, string value) =>
        sb.Append(label).Append(':').Append(' ', Math.Max(1, 10 - label.Length)).Append(value).Append('\n');

    /// <summary>Each note on a <c>note:</c> line, then what rolemap does not model.</summary>
    public static void Notes(StringBuilder sb, IEnumerable<string> notes)
    {
        foreach (var note in notes)
        {
            Line(sb, "note", note);
        }

        sb.Append(NotModelled.Summary).Append('\n');
    }
}

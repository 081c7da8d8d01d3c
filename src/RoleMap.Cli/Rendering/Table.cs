using System.Text;

namespace RoleMap.Cli.Rendering;

/// <summary>
/// The one text table writer: columns as wide as their widest cell (counted in runes) plus the padding, and at least
/// the minimum width; a row's last cell is written as it is and does not widen its column (Go's text/tabwriter with
/// flags 0, as kubectl prints). Cells that come from outside (cluster data) are escaped so none can break a line.
/// </summary>
internal static class Table
{
    /// <param name="rows">The rows, header included.</param>
    /// <param name="padding">Spaces after the widest cell of a column.</param>
    /// <param name="minWidth">The narrowest a column may be, padding included.</param>
    /// <param name="escapeCells">Escape line breaks and non-printing characters in every cell.</param>
    /// <param name="trimLines">Drop trailing spaces (a row whose last cells are empty).</param>
    public static string Format(IReadOnlyList<string[]> rows, int padding = 2, int minWidth = 0, bool escapeCells = false, bool trimLines = false)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (escapeCells)
        {
            rows = [.. rows.Select(r => r.Select(RoleMap.Text.Printable.Escape).ToArray())];
        }

        var columns = rows.Count == 0 ? 0 : rows.Max(r => r.Length);
        var widths = new int[columns];
        for (var c = 0; c < columns - 1; c++)
        {
            widths[c] = Math.Max(minWidth, rows.Where(r => c < r.Length - 1).Select(r => Width(r[c]) + padding).DefaultIfEmpty(0).Max());
        }

        var sb = new StringBuilder();
        var line = new StringBuilder();
        foreach (var row in rows)
        {
            line.Clear();
            for (var c = 0; c < row.Length; c++)
            {
                line.Append(row[c]);
                if (c < row.Length - 1)
                {
                    line.Append(' ', widths[c] - Width(row[c]));
                }
            }

            sb.Append(trimLines ? line.ToString().TrimEnd() : line.ToString()).Append('\n');
        }

        return sb.ToString();
    }

    private static int Width(string cell) => cell.EnumerateRunes().Count();
}

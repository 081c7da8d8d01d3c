using System.Text;

namespace RoleMap.Text;

/// <summary>Column alignment for text tables.</summary>
public static class TabWriter
{
    /// <summary>
    /// Go's text/tabwriter with flags 0 for rows whose cells but the last are tab-terminated: each such column is as
    /// wide as its widest cell plus the padding, and at least the minimum width; the last cell is written as it is.
    /// </summary>
    public static string Format(IReadOnlyList<string[]> rows, int minWidth, int padding)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var columns = rows.Count == 0 ? 0 : rows.Max(r => r.Length);
        var widths = new int[columns];
        for (var c = 0; c < columns - 1; c++)
        {
            widths[c] = Math.Max(minWidth, rows.Where(r => c < r.Length - 1).Select(r => r[c].EnumerateRunes().Count() + padding).DefaultIfEmpty(0).Max());
        }

        var sb = new StringBuilder();
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                sb.Append(row[c]);
                if (c < row.Length - 1)
                {
                    sb.Append(' ', widths[c] - row[c].EnumerateRunes().Count());
                }
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }
}

using System.Text;
using RoleMap.Cluster;

namespace RoleMap.Cli.Cluster;

/// <summary>What a command did on one cluster: its exit code, its output, and a one-line result for the fleet summary.</summary>
internal sealed record ClusterResult(string Cluster, int ExitCode, string Output, string Result, string Detail)
{
    /// <summary>A message for stderr (an error or a refusal), if any.</summary>
    public string? Error { get; init; }
}

/// <summary>
/// Runs a command on each selected cluster independently: one cluster failing does not stop the others. With one
/// cluster the output is the command's own; with several, each output gets a header and a summary table follows.
/// The exit code is the worst one.
/// </summary>
internal static class Fleet
{
    private static readonly string[] Header = ["CONTEXT", "RESULT", "DETAIL"];

    public static async Task<int> RunAsync(CliIO io, IReadOnlyList<IClusterClient> clients, Func<IClusterClient, CancellationToken, Task<ClusterResult>> run, CancellationToken cancellationToken)
    {
        var results = new List<ClusterResult>();
        foreach (var client in clients)
        {
            try
            {
                results.Add(await run(client, cancellationToken).ConfigureAwait(false));
            }
            catch (ClusterException ex)
            {
                results.Add(new ClusterResult(client.Name, ExitCodes.Failure, string.Empty, "failed", ex.Message) { Error = ex.Message });
            }
            finally
            {
                (client as IDisposable)?.Dispose();
            }
        }

        var sb = new StringBuilder();
        if (results.Count == 1)
        {
            sb.Append(results[0].Output);
        }
        else
        {
            foreach (var result in results.Where(r => r.Output.Length > 0))
            {
                sb.Append("== ").Append(result.Cluster).Append(" ==\n").Append(result.Output);
                if (!result.Output.EndsWith('\n'))
                {
                    sb.Append('\n');
                }
            }

            sb.Append(Summary(results));
        }

        Output.Result(io, sb.ToString());
        foreach (var result in results.Where(r => r.Error is not null))
        {
            await io.Error.WriteLineAsync("rolemap: " + result.Error).ConfigureAwait(false);
        }

        return results.Count == 0 ? ExitCodes.Ok : results.Max(r => r.ExitCode);
    }

    /// <summary>The fleet summary: one row per cluster.</summary>
    public static string Summary(IReadOnlyList<ClusterResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var rows = new List<string[]> { Header };
        rows.AddRange(results.Select(r => new[] { r.Cluster, r.Result, r.Detail }));
        return "\nsummary:\n" + Table(rows);
    }

    /// <summary>Left-aligned columns separated by two spaces; cells escaped, the last column not padded.</summary>
    public static string Table(IReadOnlyList<string[]> rows) => Rendering.Table.Format(rows, escapeCells: true, trimLines: true);
}

using System.Runtime.ExceptionServices;
using System.Text;
using RoleMap.Cluster;

namespace RoleMap.Cli.Cluster;

/// <summary>What a command did on one cluster: its exit code, its output, and a one-line result for the fleet summary.</summary>
internal sealed record ClusterResult(string Cluster, int ExitCode, string Output, string Result, string Detail)
{
    /// <summary>A message for stderr (an error or a refusal), if any.</summary>
    public string? Error { get; init; }

    /// <summary>The requests that were retried after transient failures, for a note on stderr.</summary>
    public IReadOnlyList<string> Retried { get; init; } = [];
}

/// <summary>
/// Runs a command on each selected cluster independently: one cluster failing does not stop the others. Clusters are
/// worked on concurrently, up to <c>--parallel</c> at once, started in the order of the contexts; with 1, one after
/// another as before. With one cluster the output is the command's own; with several, each output gets a header and a
/// summary table follows, always in the order of the contexts, so the bytes are those of a run one cluster at a time.
/// The exit code is the worst one. On a terminal, stderr shows a progress line meanwhile (not with --quiet).
/// </summary>
internal static class Fleet
{
    private static readonly string[] Header = ["CONTEXT", "RESULT", "DETAIL"];

    /// <summary>Runs <paramref name="run"/> on every client. <paramref name="progress"/> false: no progress line (e.g. while prompts may be shown).</summary>
    public static async Task<int> RunAsync(CliIO io, IReadOnlyList<IClusterClient> clients, Func<IClusterClient, CancellationToken, Task<ClusterResult>> run, CancellationToken cancellationToken, bool progress = true)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(run);
        var settings = clients as ConnectedClusters;
        var quiet = settings?.Quiet ?? false;
        var parallel = Math.Clamp(settings?.Parallel ?? ClusterOptions.DefaultParallel, 1, Math.Max(1, clients.Count));
        var results = new ClusterResult[clients.Count];
        using (var line = new ProgressLine(io, clients.Count, progress && !quiet && io.ErrorIsTerminal && clients.Count > 1))
        {
            if (parallel == 1)
            {
                for (var i = 0; i < clients.Count; i++)
                {
                    results[i] = await RunOneAsync(clients[i], run, cancellationToken).ConfigureAwait(false);
                    line.Done(results[i]);
                }
            }
            else
            {
                // Configuring a cluster runs its exec credential plugin synchronously (KubernetesClient waits for the
                // process), holding a pool thread for about a second: without enough threads at hand, the pool's slow
                // growth would run the plugins almost one after another.
                ThreadPool.GetMinThreads(out var workers, out var completionPorts);
                if (workers < parallel + 2)
                {
                    ThreadPool.SetMinThreads(parallel + 2, completionPorts);
                }

                await RunConcurrentlyAsync(clients, parallel, async (i, ct) =>
                {
                    results[i] = await RunOneAsync(clients[i], run, ct).ConfigureAwait(false);
                    line.Done(results[i]);
                }, cancellationToken).ConfigureAwait(false);
            }
        }

        var sb = new StringBuilder();
        if (results.Length == 1)
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
        foreach (var result in results)
        {
            if (!quiet && result.Retried.Count > 0)
            {
                await io.Error.WriteLineAsync("rolemap: note: " + result.Cluster + ": retried after transient failures: " + string.Join("; ", result.Retried)).ConfigureAwait(false);
            }

            if (result.Error is not null)
            {
                await io.Error.WriteLineAsync("rolemap: " + result.Error).ConfigureAwait(false);
            }
        }

        return results.Length == 0 ? ExitCodes.Ok : results.Max(r => r.ExitCode);
    }

    /// <summary>
    /// Runs <paramref name="work"/> for indexes 0..count-1 on <paramref name="parallel"/> workers that take the next
    /// index in order. An exception that is not the cluster's own failure (bad input, cancellation) is what a run one
    /// cluster at a time would have thrown: the clusters after it are stopped, those before it finish, and the
    /// exception of the first context that threw is rethrown.
    /// </summary>
    private static async Task RunConcurrentlyAsync(IReadOnlyList<IClusterClient> clients, int parallel, Func<int, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var stops = new CancellationTokenSource[clients.Count];
        var errors = new ExceptionDispatchInfo?[clients.Count];
        var firstError = clients.Count;
        var gate = new object();
        var next = -1;
        async Task WorkerAsync()
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                CancellationTokenSource stop;
                lock (gate)
                {
                    if (i >= clients.Count || i > firstError)
                    {
                        return;
                    }

                    stop = stops[i] = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                }

                try
                {
                    await work(i, stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not null)
                {
                    List<CancellationTokenSource> later;
                    lock (gate)
                    {
                        errors[i] = ExceptionDispatchInfo.Capture(ex);
                        firstError = Math.Min(firstError, i);
                        later = [.. stops.Skip(firstError + 1).OfType<CancellationTokenSource>()];
                    }

                    foreach (var source in later)
                    {
                        await source.CancelAsync().ConfigureAwait(false);
                    }
                }
            }
        }

        try
        {
            await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => Task.Run(WorkerAsync, CancellationToken.None))).ConfigureAwait(false);
        }
        finally
        {
            foreach (var stop in stops.OfType<CancellationTokenSource>())
            {
                stop.Dispose();
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        errors.FirstOrDefault(e => e is not null)?.Throw();
    }

    private static async Task<ClusterResult> RunOneAsync(IClusterClient client, Func<IClusterClient, CancellationToken, Task<ClusterResult>> run, CancellationToken cancellationToken)
    {
        ClusterResult result;
        try
        {
            result = await run(client, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException ex)
        {
            result = new ClusterResult(client.Name, ExitCodes.Failure, string.Empty, "failed", ex.Message) { Error = ex.Message };
        }
        finally
        {
            (client as IDisposable)?.Dispose();
        }

        return result with { Retried = (client as IRetryReport)?.Retries ?? [] };
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

/// <summary>"rolemap: 3/24 clusters done, 1 failed" on stderr, rewritten in place, erased at the end.</summary>
internal sealed class ProgressLine : IDisposable
{
    private readonly CliIO io;
    private readonly int total;
    private readonly bool enabled;
    private readonly object gate = new();
    private int done;
    private int failed;

    public ProgressLine(CliIO io, int total, bool enabled)
    {
        this.io = io;
        this.total = total;
        this.enabled = enabled;
        Show();
    }

    public void Done(ClusterResult result)
    {
        lock (gate)
        {
            done++;
            failed += result.ExitCode == ExitCodes.Failure ? 1 : 0;
            Show();
        }
    }

    public void Dispose()
    {
        if (enabled)
        {
            lock (gate)
            {
                io.Error.Write("\r\u001b[K");
            }
        }
    }

    private void Show()
    {
        if (enabled)
        {
            io.Error.Write("\rrolemap: " + done + "/" + total + " clusters done" + (failed > 0 ? ", " + failed + " failed" : string.Empty) + "\u001b[K");
        }
    }
}

/// <summary>
/// Values a fleet command collects per cluster, listed in the order of the contexts whatever order the clusters
/// finished in. Safe to add to from concurrent clusters.
/// </summary>
internal sealed class PerCluster<T>(IReadOnlyList<IClusterClient> clients) : IReadOnlyList<T>
{
    private readonly List<(int Index, int Sequence, T Value)> values = [];

    public int Count
    {
        get
        {
            lock (values)
            {
                return values.Count;
            }
        }
    }

    public T this[int index] => Ordered()[index];

    public void Add(IClusterClient client, T value)
    {
        var index = -1;
        for (var i = 0; i < clients.Count; i++)
        {
            if (ReferenceEquals(clients[i], client))
            {
                index = i;
                break;
            }
        }

        lock (values)
        {
            values.Add((index, values.Count, value));
        }
    }

    public IEnumerator<T> GetEnumerator() => Ordered().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private List<T> Ordered()
    {
        lock (values)
        {
            return [.. values.OrderBy(v => v.Index).ThenBy(v => v.Sequence).Select(v => v.Value)];
        }
    }
}

/// <summary>
/// Turns in the order of the contexts, for what must not interleave between concurrent clusters (confirmation
/// prompts and the plans shown with them): a cluster's turn comes once every earlier cluster has finished, so what
/// is shown and asked is what a run one cluster at a time would show and ask, in the same order.
/// </summary>
internal sealed class ContextTurns(IReadOnlyList<IClusterClient> clients)
{
    private readonly TaskCompletionSource[] finished = [.. clients.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];

    /// <summary>Waits until every cluster before <paramref name="client"/> has finished.</summary>
    public Task WaitAsync(IClusterClient client, CancellationToken cancellationToken) =>
        Task.WhenAll(finished.Take(Math.Max(0, IndexOf(client))).Select(f => f.Task)).WaitAsync(cancellationToken);

    /// <summary>Marks <paramref name="client"/> finished (call it however its run ended).</summary>
    public void Finish(IClusterClient client)
    {
        if (IndexOf(client) is var i && i >= 0)
        {
            finished[i].TrySetResult();
        }
    }

    private int IndexOf(IClusterClient client)
    {
        for (var i = 0; i < clients.Count; i++)
        {
            if (ReferenceEquals(clients[i], client))
            {
                return i;
            }
        }

        return -1;
    }
}

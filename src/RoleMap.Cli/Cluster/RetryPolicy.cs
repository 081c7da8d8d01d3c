using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace RoleMap.Cli.Cluster;

/// <summary>
/// When an API call is tried again, for every call the cluster client makes. Like client-go (and so kubectl), a 429
/// or a 5xx that carries <c>Retry-After</c> is retried after the time the server asks for (capped); beyond client-go,
/// a 500, 502, 503 or 504 without it, a refused or reset connection and an answer that ended early are retried after
/// an exponential backoff with jitter. Attempts are bounded, and so is the time: no retry starts after the deadline
/// (counted from the client's first call), while each attempt keeps the per-request timeout (--request-timeout). A
/// request that times out is not retried: a server that hangs once tends to hang again.
/// Time, delays and randomness are injected so that tests run the policy without waiting.
/// </summary>
internal sealed class RetryPolicy
{
    public static RetryPolicy Default { get; } = new();

    /// <summary>Attempts per call in all, the first included.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>
    /// Attempts when the connection is refused: nothing listens, which is a server down more often than a server
    /// busy, so a fleet with a cluster gone is not held up for long.
    /// </summary>
    public int MaxRefusedAttempts { get; init; } = 3;

    /// <summary>No retry starts later than this after the client's first call.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(90);

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>The longest <c>Retry-After</c> honoured; a server asking for more waits this long.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>A number in [0, 1) for jitter.</summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;

    /// <summary>
    /// Whether another attempt may follow attempt <paramref name="attempt"/> after waiting <paramref name="wait"/>: within
    /// the attempts allowed (fewer for a refused connection) and not past <see cref="Deadline"/> once the wait is over.
    /// </summary>
    public bool MayRetry(int attempt, bool refused, TimeSpan elapsed, TimeSpan wait) =>
        attempt < (refused ? MaxRefusedAttempts : MaxAttempts) && elapsed + wait <= Deadline;

    /// <summary>The backoff before attempt <paramref name="attempt"/> + 1: exponential from <see cref="BaseDelay"/>, capped, with jitter in [50%, 100%].</summary>
    public TimeSpan Backoff(int attempt)
    {
        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 20));
        var capped = Math.Min(exponential, MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random() / 2)));
    }

    /// <summary>The server's <c>Retry-After</c> (seconds or an HTTP date) as a wait, capped; null without one.</summary>
    public TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header is null)
        {
            return null;
        }

        var wait = header.Delta ?? (header.Date is { } date ? date - Time.GetUtcNow() : TimeSpan.Zero);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxRetryAfter ? MaxRetryAfter : wait;
    }

    /// <summary>Whether a status is worth trying again: 429, any 5xx the server asked to retry, and the 5xx of an overloaded or restarting server.</summary>
    public static bool IsTransient(HttpStatusCode status, bool hasRetryAfter) =>
        (int)status == 429 || ((int)status >= 500 && hasRetryAfter) || status is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>
    /// Whether a failure to get an answer is worth trying again: a refused or reset connection, an answer that ended
    /// early or a broken HTTP/2 stream. Not: TLS and certificate failures, names that do not resolve, proxies that
    /// refuse the tunnel: those do not heal by waiting.
    /// </summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError or HttpRequestError.ConfigurationLimitExceeded or HttpRequestError.VersionNegotiationError or HttpRequestError.UserAuthenticationError } => false,
        HttpRequestException { InnerException: System.Security.Authentication.AuthenticationException } => false,
        HttpRequestException or IOException => true,
        _ => false,
    };

    /// <summary>Whether a failure happened before the request could reach the server (a refused connection), so a write was certainly not applied.</summary>
    public static bool NeverSent(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return true;
            }
        }

        return false;
    }

    public static string Seconds(TimeSpan wait) => wait.TotalSeconds.ToString(wait.TotalSeconds < 10 ? "0.0#" : "0", CultureInfo.InvariantCulture) + " s";
}

using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using RoleMap.AwsApi;
using RetryPolicy = RoleMap.Cli.Cluster.RetryPolicy;

namespace RoleMap.Cli.Aws;

/// <summary>An error answer of an AWS API, as the protocol's parser read it.</summary>
internal sealed record AwsServiceError(int Status, string? Code, string Message);

/// <summary>What a call is about, for messages: the cluster and the principal, when there are.</summary>
internal sealed record AwsCallContext(string Service, string Operation, string? ClusterName = null, string? PrincipalArn = null);

/// <summary>
/// One AWS service reached over HTTP: each request signed with SigV4 by AWSSDK.Core's public signer, sent, and tried
/// again (the cluster client's <see cref="RetryPolicy"/>: exponential backoff with jitter, Retry-After honoured,
/// bounded attempts) on throttling (429, ThrottlingException, Throttling), 5xx and dropped connections. Errors become
/// <see cref="AwsApiException"/>s whose message says what to do (<see cref="AwsErrors"/>).
/// </summary>
internal sealed class AwsTransport(HttpClient http, AwsCredentialSource credentials, string signingName, AwsEndpoint endpoint, string region, RetryPolicy retry)
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException", "SlowDown", "PriorRequestNotComplete", "ServiceUnavailable", "ServiceUnavailableException", "InternalFailure",
    };

    public string Region => region;

    /// <summary>
    /// Sends a request and returns the body of a 2xx answer. <paramref name="pathAndQuery"/> starts with '/' and is
    /// already percent-encoded. <paramref name="retriedNotFoundIsDone"/>: a delete whose first attempt may have been
    /// applied (dropped connection) counts a 404 on a later attempt as done.
    /// </summary>
    public async Task<byte[]> SendAsync(AwsCallContext call, HttpMethod method, string pathAndQuery, byte[]? body, string? contentType, Func<int, HttpResponseHeaders, byte[], AwsServiceError> parseError, CancellationToken cancellationToken, bool retriedNotFoundIsDone = false)
    {
        ArgumentNullException.ThrowIfNull(call);
        var uri = new Uri(endpoint.Url.AbsoluteUri.TrimEnd('/') + pathAndQuery);
        var signingCredentials = await ResolveCredentialsAsync(call).ConfigureAwait(false);
        var started = retry.Time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            using var request = Sign(method, uri, body, contentType, signingCredentials);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw AwsErrors.Unreachable(call, endpoint, region, "no answer within " + RetryPolicy.Seconds(http.Timeout), null);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                var wait = retry.Backoff(attempt);
                if (RetryPolicy.IsTransient(ex) && retry.MayRetry(attempt, RetryPolicy.NeverSent(ex), retry.Time.GetElapsedTime(started), wait))
                {
                    await retry.Delay(wait, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw AwsErrors.Unreachable(call, endpoint, region, Innermost(ex), ex);
            }

            using (response)
            {
                var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status is >= 200 and < 300)
                {
                    return bytes;
                }

                var error = parseError(status, response.Headers, bytes);
                if (retriedNotFoundIsDone && attempt > 1 && status == 404)
                {
                    return [];
                }

                var retryAfter = retry.RetryAfter(response.Headers.RetryAfter);
                var transient = RetryPolicy.IsTransient(response.StatusCode, retryAfter is not null) || (error.Code is { } code && ThrottlingCodes.Contains(code));
                var wait = retryAfter ?? retry.Backoff(attempt);
                if (transient && retry.MayRetry(attempt, refused: false, retry.Time.GetElapsedTime(started), wait))
                {
                    await retry.Delay(wait, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw AwsErrors.FromService(call, error, credentials, region, transient ? attempt : 1);
            }
        }
    }

    private async Task<AWSCredentials> ResolveCredentialsAsync(AwsCallContext call)
    {
        if (credentials.Credentials is null)
        {
            throw new AwsApiException(credentials.Missing ?? "no AWS credentials found", call.Service, call.Operation, "NoCredentials");
        }

        ImmutableCredentials resolved;
        try
        {
            resolved = await credentials.Credentials.GetCredentialsAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // every way the SDK fails to produce credentials becomes one message saying what to do
        catch (Exception ex)
#pragma warning restore CA1031
        {
            throw credentials.Explain(ex, call.Service, call.Operation);
        }

        if (resolved is null || string.IsNullOrEmpty(resolved.AccessKey))
        {
            throw new AwsApiException(credentials.Missing ?? "no AWS credentials found in " + credentials.Description, call.Service, call.Operation, "NoCredentials");
        }

        return resolved.UseToken ? new SessionAWSCredentials(resolved.AccessKey, resolved.SecretKey, resolved.Token) : new BasicAWSCredentials(resolved.AccessKey, resolved.SecretKey);
    }

    private HttpRequestMessage Sign(HttpMethod method, Uri uri, byte[]? body, string? contentType, AWSCredentials signingCredentials)
    {
        var signingRequest = new AWSSigningRequest { HttpMethod = method, RequestUri = uri, Content = body ?? [] };
        if (contentType is not null)
        {
            signingRequest.Headers["Content-Type"] = contentType;
        }

        var signed = AWSSigV4Signer.Sign(
            signingRequest,
            new AWSSigV4Parameters { Credentials = signingCredentials, Region = RegionEndpoint.GetBySystemName(endpoint.SigningRegion), Service = signingName, SignPayload = true });
        var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        foreach (var (name, value) in signed.Headers)
        {
            if (!name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && !name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    private static string Innermost(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner.Message;
    }

    /// <summary>The HTTP client every AWS API uses: no overall timeout beyond the per-request one.</summary>
    public static HttpClient NewHttpClient(TimeSpan timeout) => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.None }) { Timeout = timeout };
}

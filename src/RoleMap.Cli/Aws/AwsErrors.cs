using System.Net.Http;
using RoleMap.AwsApi;

namespace RoleMap.Cli.Aws;

/// <summary>
/// The message for each AWS failure, saying what to do (docs/aws.md lists them): access denied names the IAM action,
/// an unknown cluster names the cluster and region, a bad or expired credential says how to refresh it, an endpoint
/// that cannot be reached names the URL and the region.
/// </summary>
internal static class AwsErrors
{
    public static AwsApiException FromService(AwsCallContext call, AwsServiceError error, AwsCredentialSource credentials, string region, int attempts)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(credentials);
        var code = error.Code ?? "HTTP " + error.Status;
        var said = string.IsNullOrWhiteSpace(error.Message) ? code : code + ": " + AwsCredentialSource.FirstLine(error.Message);
        var action = call.Service + ":" + call.Operation;
        var cluster = call.ClusterName is null ? string.Empty : " on EKS cluster '" + call.ClusterName + "' (" + region + ")";
        switch (error.Code)
        {
            case "AccessDenied" or "AccessDeniedException" or "UnauthorizedOperation" or "UnauthorizedException" or "NotAuthorized":
                return new AwsApiException("access denied: the credentials from " + credentials.Description + " may not call " + action + cluster + "; grant the IAM action " + action + " to that principal (AWS said: " + said + ")", call.Service, call.Operation, error.Code, error.Status);
            case "UnrecognizedClientException" or "InvalidClientTokenId" or "InvalidAccessKeyId" or "AuthFailure":
                return new AwsApiException("AWS does not recognise the access key from " + credentials.Description + ": check AWS_ACCESS_KEY_ID or the profile, and that the key belongs to the partition of region " + region + " (AWS said: " + said + ")", call.Service, call.Operation, error.Code, error.Status);
            case "InvalidSignatureException" or "SignatureDoesNotMatch" or "IncompleteSignature" or "IncompleteSignatureException":
                return new AwsApiException("AWS rejected the request signature: the secret access key from " + credentials.Description + " does not match its access key ID, or this machine's clock is wrong; check AWS_SECRET_ACCESS_KEY or the profile (AWS said: " + said + ")", call.Service, call.Operation, error.Code, error.Status);
            case "ExpiredToken" or "ExpiredTokenException" or "RequestExpired" or "TokenRefreshRequired":
                var refresh = credentials.SsoProfile is { } sso ? "run 'aws sso login --profile " + sso + "'" : "get new session credentials (AWS_SESSION_TOKEN or the profile's) and try again";
                return new AwsApiException("the AWS session credentials from " + credentials.Description + " have expired: " + refresh + " (AWS said: " + said + ")", call.Service, call.Operation, error.Code, error.Status);
            case "ResourceNotFoundException" or "NoSuchEntity" or "NoSuchEntityException":
                return NotFound(call, error, region, said);
            case "ResourceInUseException" or "EntityAlreadyExists" or "ConflictException":
                return new AwsConflictException(action + " failed" + cluster + ": " + said, call.Service, call.Operation, error.Code);
        }

        if (attempts > 1)
        {
            return new AwsApiException(action + " failed" + cluster + " after " + attempts + " attempts (" + said + "): AWS is throttling or failing; try again later", call.Service, call.Operation, error.Code, error.Status);
        }

        return new AwsApiException(action + " failed" + cluster + ": " + said, call.Service, call.Operation, error.Code, error.Status);
    }

    private static AwsNotFoundException NotFound(AwsCallContext call, AwsServiceError error, string region, string said)
    {
        var message = error.Message ?? string.Empty;
        var aboutCluster = call.ClusterName is not null && (call.PrincipalArn is null || message.Contains("cluster", StringComparison.OrdinalIgnoreCase) && !message.Contains("access entry", StringComparison.OrdinalIgnoreCase) && !message.Contains("principal", StringComparison.OrdinalIgnoreCase));
        if (aboutCluster)
        {
            return new AwsNotFoundException("EKS cluster '" + call.ClusterName + "' not found in region " + region + ": check --cluster-name and --region (a cluster exists in one region only; 'aws eks list-clusters --region REGION' lists them) (AWS said: " + said + ")", call.Service, call.Operation, error.Code);
        }

        if (call.PrincipalArn is not null)
        {
            return new AwsNotFoundException("no access entry for " + call.PrincipalArn + " on EKS cluster '" + call.ClusterName + "' (" + region + ") (AWS said: " + said + ")", call.Service, call.Operation, error.Code);
        }

        return new AwsNotFoundException(call.Service + ":" + call.Operation + ": not found (" + said + ")", call.Service, call.Operation, error.Code);
    }

    public static AwsApiException Unreachable(AwsCallContext call, AwsEndpoint endpoint, string region, string detail, Exception? inner)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(endpoint);
        var dns = inner is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError };
        var hint = endpoint.Overridden
            ? "check AWS_ENDPOINT_URL_" + call.Service.ToUpperInvariant() + " / AWS_ENDPOINT_URL"
            : dns ? "check the region ('" + region + "' may not exist) and your DNS or proxy settings" : "check your network or proxy (HTTPS_PROXY) and the region (" + region + ")";
        return new AwsApiException("cannot reach " + call.Service.ToUpperInvariant() + " at " + endpoint.Url.AbsoluteUri + " (" + detail + "): " + hint, call.Service, call.Operation, "EndpointUnreachable", inner: inner);
    }

    /// <summary>An SDK client's failure (STS), in the same words.</summary>
    public static AwsApiException FromSdk(AwsCallContext call, Exception ex, AwsCredentialSource credentials, AwsEndpoint endpoint, string region)
    {
        ArgumentNullException.ThrowIfNull(ex);
        ArgumentNullException.ThrowIfNull(credentials);
        return ex switch
        {
            AwsApiException known => known,
            Amazon.Runtime.AmazonServiceException { StatusCode: not 0 } service when service.ErrorCode is { Length: > 0 } =>
                FromService(call, new AwsServiceError((int)service.StatusCode, service.ErrorCode, service.Message), credentials, region, 1),
            HttpRequestException or IOException or Amazon.Runtime.AmazonServiceException => Unreachable(call, endpoint, region, AwsCredentialSource.FirstLine(ex.InnerException?.Message ?? ex.Message), ex as HttpRequestException ?? ex.InnerException),
            _ => credentials.Explain(ex, call.Service, call.Operation),
        };
    }
}

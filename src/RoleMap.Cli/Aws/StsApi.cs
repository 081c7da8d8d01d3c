using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using RoleMap.AwsApi;

namespace RoleMap.Cli.Aws;

/// <summary>STS GetCallerIdentity through AWSSDK.SecurityToken's client, at the resolved endpoint (standard or AWS_ENDPOINT_URL_STS).</summary>
internal sealed class StsApi(AwsCredentialSource credentials, AwsEndpoint endpoint, string region) : IStsApi
{
    public async Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken)
    {
        var call = new AwsCallContext("sts", "GetCallerIdentity");
        if (credentials.Credentials is null)
        {
            throw new AwsApiException(credentials.Missing ?? "no AWS credentials found", call.Service, call.Operation, "NoCredentials");
        }

        try
        {
            using var client = new AmazonSecurityTokenServiceClient(credentials.Credentials, AwsCredentialSource.StsConfig(endpoint, region));
            var response = await client.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken).ConfigureAwait(false);
            return new CallerIdentity(response.Account ?? string.Empty, response.Arn ?? string.Empty, response.UserId ?? string.Empty);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // whatever the SDK throws becomes one message that says what to do
        catch (Exception ex)
#pragma warning restore CA1031
        {
            throw AwsErrors.FromSdk(call, ex, credentials, endpoint, region);
        }
    }
}

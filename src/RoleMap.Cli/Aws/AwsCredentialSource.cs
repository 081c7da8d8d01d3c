using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.RuntimeDependencies;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using RoleMap.AwsApi;

namespace RoleMap.Cli.Aws;

/// <summary>
/// Where the AWS credentials come from, found the way the AWS SDKs find them, with the environment read through
/// <see cref="CliIO"/>: --profile (or the kubeconfig exec plugin's profile), else AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
/// (AWS_SESSION_TOKEN), else web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN), else the AWS_PROFILE or default
/// profile of the shared files, else the SDK's own chain (container and instance metadata). The credential objects and
/// the SSO, web-identity and assume-role flows are the SDK's; rolemap only chooses among them, and assumes roles
/// (a profile's role_arn, the exec plugin's --role-arn) with the STS client at the endpoint it resolved.
/// </summary>
internal sealed class AwsCredentialSource
{
    private const int MaxSourceProfileDepth = 5;

    private AwsCredentialSource(AWSCredentials? credentials, string description, string? ssoProfile, string? missing)
    {
        Credentials = credentials;
        Description = description;
        SsoProfile = ssoProfile;
        Missing = missing;
    }

    /// <summary>The credentials, or null when none were found (<see cref="Missing"/> says why).</summary>
    public AWSCredentials? Credentials { get; }

    /// <summary>Where they come from, for messages: "environment variables", "profile 'dev'", ….</summary>
    public string Description { get; }

    /// <summary>The profile whose SSO session the credentials need, for "run aws sso login --profile X".</summary>
    public string? SsoProfile { get; }

    public string? Missing { get; }

    /// <summary>Credentials as given, for tests and callers that have them already.</summary>
    public static AwsCredentialSource FromCredentials(AWSCredentials credentials, string description) => new(credentials, description, null, null);

    public static AwsCredentialSource Resolve(CliIO io, AwsTarget target, AwsEndpoint sts)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(target);
        RegisterSdkClients(sts);
        var baseSource = BaseSource(io, target, sts);
        if (target.RoleArn is not { Length: > 0 } roleArn || baseSource.Credentials is null)
        {
            return baseSource;
        }

        // The exec plugin's --role-arn: 'aws eks get-token' assumes it on top of the base credentials.
        var assumed = new AssumedRoleCredentials(baseSource.Credentials, roleArn, "rolemap-" + DateTimeOffset.UtcNow.ToUnixTimeSeconds(), null, sts, target.Region);
        return new AwsCredentialSource(assumed, "role " + roleArn + " assumed with " + baseSource.Description, baseSource.SsoProfile, null);
    }

    /// <summary>
    /// The SDK finds the STS, SSO and SSO OIDC clients for web-identity and SSO credentials by reflection, which
    /// NativeAOT cannot do: give it factories instead (docs/aws.md). STS goes to the resolved endpoint.
    /// </summary>
    private static void RegisterSdkClients(AwsEndpoint sts)
    {
        var registry = GlobalRuntimeDependencyRegistry.Instance;
        registry.RegisterSecurityTokenServiceClient(context => new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), StsConfig(sts, context.SecurityTokenServiceClientContextData?.Region?.SystemName ?? sts.SigningRegion)));
        registry.RegisterSSOClient(context => new Amazon.SSO.AmazonSSOClient(new AnonymousAWSCredentials(), new Amazon.SSO.AmazonSSOConfig { RegionEndpoint = context.SSOClientContextData?.Region ?? RegionEndpoint.USEast1 }));
        registry.RegisterSSOOIDCClient(context => new Amazon.SSOOIDC.AmazonSSOOIDCClient(new AnonymousAWSCredentials(), new Amazon.SSOOIDC.AmazonSSOOIDCConfig { RegionEndpoint = context.SSOOIDCClientContextData?.Region ?? RegionEndpoint.USEast1 }));
    }

    /// <summary>The STS client configuration: the standard endpoint for the region, or the override, signed for the region.</summary>
    public static AmazonSecurityTokenServiceConfig StsConfig(AwsEndpoint sts, string region)
    {
        ArgumentNullException.ThrowIfNull(sts);
        var config = new AmazonSecurityTokenServiceConfig();
        if (sts.Overridden)
        {
            config.ServiceURL = sts.Url.AbsoluteUri;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return config;
    }

    private static AwsCredentialSource BaseSource(CliIO io, AwsTarget target, AwsEndpoint sts)
    {
        if (target.Profile is { Length: > 0 } named)
        {
            return FromProfile(io, named, target.Region, sts, required: true, depth: 0);
        }

        if (FromEnvironment(io) is { } environment)
        {
            return new AwsCredentialSource(environment, "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY", null, null);
        }

        if (io.Environment("AWS_WEB_IDENTITY_TOKEN_FILE") is { Length: > 0 } tokenFile && io.Environment("AWS_ROLE_ARN") is { Length: > 0 } webRole)
        {
            var session = io.Environment("AWS_ROLE_SESSION_NAME") is { Length: > 0 } name ? name : "rolemap-" + DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            return new AwsCredentialSource(new AssumeRoleWithWebIdentityCredentials(tokenFile, webRole, session), "web identity token " + tokenFile + " for " + webRole, null, null);
        }

        var envProfile = io.Environment("AWS_PROFILE");
        var profile = FromProfile(io, envProfile is { Length: > 0 } ? envProfile : SharedCredentialsFile.DefaultProfileName, target.Region, sts, required: envProfile is { Length: > 0 }, depth: 0);
        if (profile.Credentials is not null || envProfile is { Length: > 0 })
        {
            return profile;
        }

        return FromSdkChain(io);
    }

    private static AWSCredentials? FromEnvironment(CliIO io)
    {
        var accessKey = io.Environment("AWS_ACCESS_KEY_ID");
        var secretKey = io.Environment("AWS_SECRET_ACCESS_KEY") ?? io.Environment("AWS_SECRET_KEY");
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
        {
            return null;
        }

        var token = io.Environment("AWS_SESSION_TOKEN");
        return string.IsNullOrEmpty(token) ? new BasicAWSCredentials(accessKey, secretKey) : new SessionAWSCredentials(accessKey, secretKey, token);
    }

    /// <summary>Container (ECS, EKS Pod Identity) and instance-profile credentials, through the SDK's default chain; none when AWS_EC2_METADATA_DISABLED=true and no container endpoint is set.</summary>
    private static AwsCredentialSource FromSdkChain(CliIO io)
    {
        var hasContainer = io.Environment("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") is { Length: > 0 } || io.Environment("AWS_CONTAINER_CREDENTIALS_FULL_URI") is { Length: > 0 };
        var metadataDisabled = string.Equals(io.Environment("AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase);
        if (!hasContainer && metadataDisabled)
        {
            return new AwsCredentialSource(null, "nothing", null, NoCredentials);
        }

        try
        {
            return new AwsCredentialSource(DefaultAWSCredentialsIdentityResolver.GetCredentials(null), hasContainer ? "the container credentials endpoint" : "the instance metadata service", null, null);
        }
#pragma warning disable CA1031 // whatever the SDK's chain throws means the same thing to the user: no credentials
        catch (Exception)
#pragma warning restore CA1031
        {
            return new AwsCredentialSource(null, "nothing", null, NoCredentials);
        }
    }

    private const string NoCredentials = "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --profile NAME (or set AWS_PROFILE) for a profile in ~/.aws/config or ~/.aws/credentials, or run 'aws sso login --profile NAME' for an IAM Identity Center profile (docs/aws.md)";

    /// <summary>The shared credentials file (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials) and the SDK's config file.</summary>
    public static SharedCredentialsFile SharedFiles(CliIO io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var path = io.Environment("AWS_SHARED_CREDENTIALS_FILE") is { Length: > 0 } configured
            ? io.FullPath(configured)
            : io.Environment("HOME") is { Length: > 0 } home ? Path.Combine(home, ".aws", "credentials") : null;
        return path is null ? new SharedCredentialsFile() : new SharedCredentialsFile(path);
    }

    private static AwsCredentialSource FromProfile(CliIO io, string name, string region, AwsEndpoint sts, bool required, int depth)
    {
        var files = SharedFiles(io);
        if (!files.TryGetProfile(name, out var profile))
        {
            return new AwsCredentialSource(null, "profile '" + name + "'", null, required
                ? "AWS profile '" + name + "' not found in " + files.FilePath + " or " + files.ConfigFilePath + " (set AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE if they live elsewhere)"
                : NoCredentials);
        }

        var options = profile.Options;
        var description = "profile '" + name + "'";
        if (!string.IsNullOrEmpty(options.RoleArn))
        {
            if (!string.IsNullOrEmpty(options.MfaSerial))
            {
                return new AwsCredentialSource(null, description, null, "AWS profile '" + name + "' needs an MFA code (mfa_serial), which rolemap cannot ask for: get session credentials first (e.g. 'aws configure export-credentials --profile " + name + " --format env') and export them");
            }

            AwsCredentialSource source;
            if (!string.IsNullOrEmpty(options.SourceProfile))
            {
                if (depth >= MaxSourceProfileDepth || options.SourceProfile == name)
                {
                    return new AwsCredentialSource(null, description, null, "AWS profile '" + name + "': its source_profile chain is too long or loops");
                }

                source = FromProfile(io, options.SourceProfile, region, sts, required: true, depth + 1);
            }
            else if (string.Equals(options.CredentialSource, "Environment", StringComparison.OrdinalIgnoreCase))
            {
                source = FromEnvironment(io) is { } environment
                    ? new AwsCredentialSource(environment, "environment variables", null, null)
                    : new AwsCredentialSource(null, description, null, "AWS profile '" + name + "' takes its source credentials from the environment (credential_source = Environment), but AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set");
            }
            else
            {
                source = FromSdkChain(io);
            }

            if (source.Credentials is null)
            {
                return source;
            }

            var stsRegion = profile.Region?.SystemName ?? region;
            var session = string.IsNullOrEmpty(options.RoleSessionName) ? "rolemap-" + DateTimeOffset.UtcNow.ToUnixTimeSeconds() : options.RoleSessionName;
            var assumed = new AssumedRoleCredentials(source.Credentials, options.RoleArn, session, options.ExternalID, sts, stsRegion);
            return new AwsCredentialSource(assumed, description + " (role " + options.RoleArn + ")", source.SsoProfile, null);
        }

        if (!string.IsNullOrEmpty(options.SsoAccountId) && !string.IsNullOrEmpty(options.SsoRoleName))
        {
            // Built here rather than by the SDK so that it never starts a browser login: 'aws sso login' does that.
            var ssoOptions = new SSOAWSCredentialsOptions { SessionName = string.IsNullOrEmpty(options.SsoSession) ? null : options.SsoSession, SupportsGettingNewToken = false };
            var sso = new SSOAWSCredentials(options.SsoAccountId, options.SsoRegion, options.SsoRoleName, options.SsoStartUrl, ssoOptions);
            return new AwsCredentialSource(sso, description + " (IAM Identity Center)", name, null);
        }

        try
        {
            return new AwsCredentialSource(profile.GetAWSCredentials(files), description, null, null);
        }
        catch (Exception ex) when (ex is AmazonClientException or InvalidOperationException or ArgumentException)
        {
            return new AwsCredentialSource(null, description, null, "AWS profile '" + name + "' cannot be used: " + FirstLine(ex.Message));
        }
    }

    /// <summary>Turns a failure to get credentials into the one message that says what to do.</summary>
    public AwsApiException Explain(Exception ex, string service, string operation)
    {
        ArgumentNullException.ThrowIfNull(ex);
        if (ex is AwsApiException known)
        {
            return known;
        }

        var detail = FirstLine(ex.Message);
        if (SsoProfile is { } sso)
        {
            return new AwsApiException("the IAM Identity Center (SSO) session for AWS profile '" + sso + "' has expired or was never started: run 'aws sso login --profile " + sso + "' (" + detail + ")", service, operation, "SsoSessionExpired", inner: ex);
        }

        if (ex is AmazonServiceException service2 && service2.ErrorCode is { Length: > 0 } code)
        {
            return new AwsApiException("cannot get AWS credentials from " + Description + ": " + code + ": " + detail, service, operation, code, (int)service2.StatusCode, ex);
        }

        return new AwsApiException("cannot get AWS credentials from " + Description + ": " + detail, service, operation, inner: ex);
    }

    public static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}

/// <summary>
/// Credentials of an assumed role (a profile's role_arn, the exec plugin's --role-arn): AssumeRole through the STS
/// client of AWSSDK.SecurityToken with the source credentials, at the resolved STS endpoint, refreshed before expiry.
/// </summary>
internal sealed class AssumedRoleCredentials(AWSCredentials source, string roleArn, string sessionName, string? externalId, AwsEndpoint sts, string region) : AWSCredentials
{
    private static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);
    private ImmutableCredentials? current;
    private DateTime expiresUtc;

    public override ImmutableCredentials GetCredentials() => GetCredentialsAsync().GetAwaiter().GetResult();

    public override async Task<ImmutableCredentials> GetCredentialsAsync()
    {
        // Two calls racing to refresh both assume the role; harmless, and simpler than a lock across an await.
        {
            if (current is null || DateTime.UtcNow >= expiresUtc - RefreshBefore)
            {
                using var client = new AmazonSecurityTokenServiceClient(source, AwsCredentialSource.StsConfig(sts, region));
                var request = new AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = sessionName };
                if (!string.IsNullOrEmpty(externalId))
                {
                    request.ExternalId = externalId;
                }

                var response = await client.AssumeRoleAsync(request).ConfigureAwait(false);
                var issued = response.Credentials;
                current = new ImmutableCredentials(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken);
                expiresUtc = issued.Expiration?.ToUniversalTime() ?? DateTime.UtcNow.AddMinutes(15);
            }

            return current;
        }
    }
}

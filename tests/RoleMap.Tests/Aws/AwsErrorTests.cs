using System.Net.Http;
using RoleMap.AwsApi;
using RoleMap.Cli.Aws;

namespace RoleMap.Tests.Aws;

/// <summary>Error documents of both protocols read into code and message, and the messages that say what to do.</summary>
public sealed class AwsErrorTests
{
    private static readonly AwsCredentialSource Profile = AwsCredentialSource.FromCredentials(new Amazon.Runtime.BasicAWSCredentials("a", "b"), "profile 'x'");

    [Fact]
    public void IAM_Query_errors_are_read_from_the_ErrorResponse_document()
    {
        using var response = new HttpResponseMessage();
        var error = IamQueryApi.ParseError(403, response.Headers, "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: x is not authorized to perform: iam:ListRoles</Message></Error><RequestId>r</RequestId></ErrorResponse>"u8.ToArray());

        var ex = AwsErrors.FromService(new AwsCallContext("iam", "ListRoles"), error, Profile, "us-east-1", 1);

        Assert.Equal(new AwsServiceError(403, "AccessDenied", "User: x is not authorized to perform: iam:ListRoles"), error);
        Assert.Equal("access denied: the credentials from profile 'x' may not call iam:ListRoles; grant the IAM action iam:ListRoles to that principal (AWS said: AccessDenied: User: x is not authorized to perform: iam:ListRoles)", ex.Message);
    }

    [Fact]
    public void EKS_errors_take_the_code_from_the_header_else_from_the_body()
    {
        using var withHeader = new HttpResponseMessage();
        withHeader.Headers.TryAddWithoutValidation("x-amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.eks/");
        using var without = new HttpResponseMessage();

        Assert.Equal(new AwsServiceError(404, "ResourceNotFoundException", "No cluster found for name: c."), EksHttpApi.ParseError(404, withHeader.Headers, "{\"message\":\"No cluster found for name: c.\"}"u8.ToArray()));
        Assert.Equal(new AwsServiceError(400, "InvalidParameterException", "bad"), EksHttpApi.ParseError(400, without.Headers, "{\"__type\":\"com.amazonaws.eks#InvalidParameterException\",\"Message\":\"bad\"}"u8.ToArray()));
        Assert.Equal(new AwsServiceError(502, null, "<html>Bad Gateway</html>"), EksHttpApi.ParseError(502, without.Headers, "<html>Bad Gateway</html>"u8.ToArray()));
    }

    [Fact]
    public void An_expired_token_of_an_SSO_profile_says_to_log_in_again()
    {
        var error = new AwsServiceError(403, "ExpiredTokenException", "The security token included in the request is expired");

        var ex = AwsErrors.FromService(new AwsCallContext("eks", "ListAccessEntries", "prod"), error, Profile, "us-east-1", 1);

        Assert.StartsWith("the AWS session credentials from profile 'x' have expired: get new session credentials", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_to_get_SSO_credentials_says_aws_sso_login()
    {
        var io = new RoleMap.Cli.CliIO { In = TextReader.Null, Out = TextWriter.Null, Error = TextWriter.Null, Environment = _ => null };
        var directory = Directory.CreateTempSubdirectory("rolemap-sso-").FullName;
        try
        {
            var credentials = Path.Combine(directory, "credentials");
            File.WriteAllText(credentials, "[sso-dev]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = us-east-1\n");
            var withFile = new RoleMap.Cli.CliIO { In = TextReader.Null, Out = TextWriter.Null, Error = TextWriter.Null, Environment = name => name == "AWS_SHARED_CREDENTIALS_FILE" ? credentials : name == "HOME" ? directory : null };
            var source = AwsCredentialSource.Resolve(withFile, new AwsTarget("c", "us-east-1", "sso-dev", null), AwsEndpoints.Sts("us-east-1", io.Environment));

            var ex = source.Explain(new InvalidOperationException("No valid SSO token found"), "eks", "ListAccessEntries");

            Assert.Equal("sso-dev", source.SsoProfile);
            Assert.StartsWith("the IAM Identity Center (SSO) session for AWS profile 'sso-dev' has expired or was never started: run 'aws sso login --profile sso-dev'", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

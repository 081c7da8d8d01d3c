using RoleMap.AwsApi;
using RoleMap.Cli;
using RoleMap.Cli.Aws;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Aws;

/// <summary>
/// The CLI's IAM client (Query protocol, XML, Marker pages) and STS (AWSSDK.SecurityToken), with credentials from the
/// environment, a profile file and a profile that assumes a role, against moto in server mode.
/// </summary>
[Collection("moto")]
public sealed class IamStsMotoTests(MotoServer moto) : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("rolemap-moto-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private CliIO Io(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var environment = moto.Environment.ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal);
        environment["HOME"] = directory;
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        return new CliIO { In = TextReader.Null, Out = TextWriter.Null, Error = TextWriter.Null, WorkingDirectory = directory, Environment = name => environment.GetValueOrDefault(name) };
    }

    private static AwsSession Session(CliIO io, string? profile = null, string? roleArn = null) =>
        AwsConnector.Connect(io, new AwsTarget("c", "us-east-1", profile, roleArn), FakeEksEndpoint.NoWaitRetry());

    private IamQueryApi Iam(int pageSize)
    {
        var io = Io();
        var iam = AwsEndpoints.Iam("us-east-1", io.Environment);
        var transport = new AwsTransport(AwsTransport.NewHttpClient(TimeSpan.FromSeconds(30)), AwsCredentialSource.Resolve(io, new AwsTarget("c", "us-east-1", null, null), AwsEndpoints.Sts("us-east-1", io.Environment)), "iam", iam, "us-east-1", FakeEksEndpoint.NoWaitRetry());
        return new IamQueryApi(transport) { PageSize = pageSize };
    }

    [RequiresToolFact("python3:moto")]
    public async Task ListRoles_follows_Marker_pages_and_keeps_paths()
    {
        var prefix = "/rolemap-" + Guid.NewGuid().ToString("N")[..8] + "/";
        moto.Boto3($$"""
            doc = '{"Version":"2012-10-17","Statement":[]}'
            for i in range(5):
                iam.create_role(RoleName='r%d' % i, Path='{{prefix}}team/' if i % 2 else '{{prefix}}', AssumeRolePolicyDocument=doc)
            iam.create_role(RoleName='outside', AssumeRolePolicyDocument=doc)
            """);

        var roles = await Iam(pageSize: 2).ListRolesAsync(prefix, default);

        Assert.Equal(["r0", "r1", "r2", "r3", "r4"], roles.Select(r => r.Name).Order(StringComparer.Ordinal));
        var r1 = Assert.Single(roles, r => r.Name == "r1");
        Assert.Equal(prefix + "team/", r1.Path);
        Assert.Equal("arn:aws:iam::" + MotoServer.Account + ":role" + prefix + "team/r1", r1.Arn);
        Assert.StartsWith("AROA", r1.UniqueId, StringComparison.Ordinal);
        Assert.NotNull(r1.CreateDate);
        Assert.Contains(await Iam(pageSize: 100).ListRolesAsync(null, default), r => r.Name == "outside");
    }

    [RequiresToolFact("python3:moto")]
    public async Task ListUsers_follows_Marker_pages()
    {
        var prefix = "/users-" + Guid.NewGuid().ToString("N")[..8] + "/";
        moto.Boto3($$"""
            for i in range(3):
                iam.create_user(UserName='u%d-{{prefix.Trim('/')}}' % i, Path='{{prefix}}')
            """);

        var users = await Iam(pageSize: 1).ListUsersAsync(prefix, default);

        Assert.Equal(3, users.Count);
        Assert.All(users, u => Assert.Equal(prefix, u.Path));
        Assert.All(users, u => Assert.False(string.IsNullOrEmpty(u.UniqueId)));
        Assert.Equal(["u0", "u1", "u2"], users.Select(u => u.Name.Split('-')[0]).Order(StringComparer.Ordinal));
    }

    [RequiresToolFact("python3:moto")]
    public async Task GetCallerIdentity_with_environment_credentials()
    {
        var identity = await Session(Io()).Sts.GetCallerIdentityAsync(default);

        Assert.Equal(MotoServer.Account, identity.Account);
        Assert.StartsWith("arn:aws:", identity.Arn, StringComparison.Ordinal);
    }

    [RequiresToolFact("python3:moto")]
    public async Task A_profile_in_the_credentials_file_and_a_profile_that_assumes_a_role()
    {
        var role = "Deployer-" + Guid.NewGuid().ToString("N")[..6];
        moto.Boto3("iam.create_role(RoleName='" + role + "', AssumeRolePolicyDocument='{}')");
        var credentials = Path.Combine(directory, "credentials");
        await File.WriteAllTextAsync(credentials, $"""
            [base]
            aws_access_key_id = AKIAPROFILE000000001
            aws_secret_access_key = profile-secret

            [deployer]
            role_arn = arn:aws:iam::{MotoServer.Account}:role/{role}
            source_profile = base
            role_session_name = rolemap-test
            region = us-east-1
            """);
        var io = Io(new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = null, ["AWS_SECRET_ACCESS_KEY"] = null, ["AWS_SHARED_CREDENTIALS_FILE"] = credentials });

        var fromBase = await Session(io, profile: "base").Sts.GetCallerIdentityAsync(default);
        var assumed = await Session(io, profile: "deployer").Sts.GetCallerIdentityAsync(default);
        var viaExec = await Session(io, profile: "base", roleArn: "arn:aws:iam::" + MotoServer.Account + ":role/" + role).Sts.GetCallerIdentityAsync(default);

        Assert.Equal(MotoServer.Account, fromBase.Account);
        Assert.Equal("arn:aws:sts::" + MotoServer.Account + ":assumed-role/" + role + "/rolemap-test", assumed.Arn);
        Assert.StartsWith("arn:aws:sts::" + MotoServer.Account + ":assumed-role/" + role + "/rolemap-", viaExec.Arn, StringComparison.Ordinal);
    }

    [RequiresToolFact("python3:moto")]
    public async Task An_assume_role_that_fails_is_one_message_naming_the_profile()
    {
        var credentials = Path.Combine(directory, "credentials");
        await File.WriteAllTextAsync(credentials, "[broken]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = missing\n");
        var io = Io(new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = null, ["AWS_SECRET_ACCESS_KEY"] = null, ["AWS_SHARED_CREDENTIALS_FILE"] = credentials });

        var ex = await Assert.ThrowsAsync<AwsApiException>(() => Session(io, profile: "broken").Sts.GetCallerIdentityAsync(default));

        Assert.StartsWith("AWS profile 'missing' not found in " + credentials, ex.Message, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Net.Sockets;
using RoleMap.AccessEntries;
using RoleMap.AwsApi;
using RoleMap.Cli.Aws;
using RoleMap.FakeEks;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Aws;

/// <summary>The CLI's EKS client (REST-JSON over HttpClient, SigV4 from AWSSDK.Core) against the fake EKS endpoint: every operation, pages, retries, errors.</summary>
public sealed class EksTransportTests : IAsyncLifetime
{
    private const string Admin = "arn:aws:iam::111122223333:role/team/platform/Admin";
    private const string Dev = "arn:aws:iam::111122223333:role/dev";
    private FakeEksEndpoint eks = null!;

    public async Task InitializeAsync() => eks = await FakeEksEndpoint.StartAsync();

    public async Task DisposeAsync() => await eks.DisposeAsync();

    [Fact]
    public async Task ListAccessEntries_follows_nextToken_across_pages()
    {
        var entries = await eks.Session().Eks.ListAccessEntriesAsync("prod", default);

        Assert.Equal(5, entries.Count);
        Assert.Equal(Admin, entries[0]);
        Assert.Contains("arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_ReadOnly_0123456789abcdef", entries);
        var lists = eks.Server.Requests.Where(r => r.Operation == "ListAccessEntries").ToList();
        Assert.Equal(3, lists.Count);
        Assert.DoesNotContain("nextToken", lists[0].RawTarget, StringComparison.Ordinal);
        Assert.Contains("nextToken=", lists[1].RawTarget, StringComparison.Ordinal);
        Assert.All(lists, r => Assert.Equal(200, r.Status));
    }

    [Fact]
    public async Task DescribeAccessEntry_percent_encodes_the_principal_label_and_reads_every_field()
    {
        var entry = await eks.Session().Eks.DescribeAccessEntryAsync("prod", Admin, default);

        Assert.Equal(Admin, entry.PrincipalArn);
        Assert.Equal("STANDARD", entry.Type);
        Assert.Equal(AccessEntryType.Standard, entry.KnownType);
        Assert.Equal(["platform-admins"], entry.KubernetesGroups);
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/Admin/{{SessionName}}", entry.Username);
        Assert.NotNull(entry.CreatedAt);
        Assert.NotNull(entry.AccessEntryArn);
        var request = Assert.Single(eks.Server.Requests, r => r.Operation == "DescribeAccessEntry");
        Assert.Equal("/clusters/prod/access-entries/arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fteam%2Fplatform%2FAdmin", request.RawTarget);
        Assert.Equal(FakeEksServer.AccessKey, request.AccessKey);
    }

    [Fact]
    public async Task ListAssociatedAccessPolicies_reads_scopes_and_epoch_timestamps()
    {
        var policies = await eks.Session().Eks.ListAssociatedAccessPoliciesAsync("prod", Dev, default);

        Assert.Equal(2, policies.Count);
        var edit = Assert.Single(policies, p => p.PolicyArn.EndsWith("/AmazonEKSEditPolicy", StringComparison.Ordinal));
        Assert.Equal(["dev", "staging"], edit.Scope.Namespaces);
        var view = Assert.Single(policies, p => p.PolicyArn.EndsWith("/AmazonEKSViewPolicy", StringComparison.Ordinal));
        Assert.True(view.Scope.IsCluster);
        Assert.True(view.AssociatedAt > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Access_entry_round_trip_create_update_associate_disassociate_delete()
    {
        var api = eks.Session().Eks;
        const string principal = "arn:aws:iam::111122223333:role/path/to/New";
        var created = await api.CreateAccessEntryAsync("prod", new NewAccessEntry(principal, AccessEntryType.Standard, ["viewers"], "new-user", new Dictionary<string, string> { ["owner"] = "me" }), default);
        Assert.Equal("new-user", created.Username);
        Assert.Equal("me", created.Tags["owner"]);
        Assert.Contains("\"clientRequestToken\":", Assert.Single(eks.Server.Requests, r => r.Operation == "CreateAccessEntry").Body, StringComparison.Ordinal);

        var updated = await api.UpdateAccessEntryAsync("prod", principal, ["viewers", "editors"], null, default);
        Assert.Equal(["viewers", "editors"], updated.KubernetesGroups);
        Assert.Equal("new-user", updated.Username);

        await api.AssociateAccessPolicyAsync("prod", principal, FakeEksServer.PolicyArn("AmazonEKSEditPolicy"), new AccessScope(["team-a", "team-b"]), default);
        await api.AssociateAccessPolicyAsync("prod", principal, FakeEksServer.PolicyArn("AmazonEKSViewPolicy"), AccessScope.Cluster, default);
        var policies = await api.ListAssociatedAccessPoliciesAsync("prod", principal, default);
        Assert.Equal(["team-a", "team-b"], policies.Single(p => p.PolicyArn.EndsWith("Edit" + "Policy", StringComparison.Ordinal)).Scope.Namespaces);

        await api.DisassociateAccessPolicyAsync("prod", principal, FakeEksServer.PolicyArn("AmazonEKSEditPolicy"), default);
        Assert.Contains(eks.Server.Requests, r => r.Operation == "DisassociateAccessPolicy" && r.RawTarget.EndsWith("/access-policies/arn%3Aaws%3Aeks%3A%3Aaws%3Acluster-access-policy%2FAmazonEKSEditPolicy", StringComparison.Ordinal));
        Assert.Single(await api.ListAssociatedAccessPoliciesAsync("prod", principal, default));

        await api.DeleteAccessEntryAsync("prod", principal, default);
        Assert.DoesNotContain(principal, await api.ListAccessEntriesAsync("prod", default));
    }

    [Fact]
    public async Task Node_entry_keeps_its_type_and_generated_username()
    {
        var created = await eks.Session().Eks.CreateAccessEntryAsync("prod", new NewAccessEntry("arn:aws:iam::111122223333:role/nodes", AccessEntryType.Ec2Linux, [], null, new Dictionary<string, string>()), default);

        Assert.Equal("EC2_LINUX", created.Type);
        Assert.Equal("system:node:{{EC2PrivateDNSName}}", created.Username);
        Assert.DoesNotContain("kubernetesGroups", eks.Server.Requests.Single(r => r.Operation == "CreateAccessEntry").Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeCluster_reads_the_mode_and_the_Auto_Mode_node_role()
    {
        eks.Server.Cluster("prod")!.AutoModeNodeRoleArn = "arn:aws:iam::111122223333:role/AutoNodes";
        var api = eks.Session().Eks;

        var prod = await api.DescribeClusterAsync("prod", default);
        var legacy = await api.DescribeClusterAsync("legacy", default);

        Assert.Equal(AuthenticationMode.ApiAndConfigMap, prod.AuthenticationMode);
        Assert.Equal("arn:aws:iam::111122223333:role/AutoNodes", prod.AutoModeNodeRoleArn);
        Assert.Equal("ACTIVE", prod.Status);
        Assert.Equal("arn:aws:eks:us-east-1:111122223333:cluster/prod", prod.Arn);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1714430631181), prod.CreatedAt);
        Assert.Equal(AuthenticationMode.ConfigMap, legacy.AuthenticationMode);
        Assert.Null(legacy.AutoModeNodeRoleArn);
        Assert.Equal("us-east-1", api.Region);
    }

    [Fact]
    public async Task Mode_update_is_polled_to_success_and_cannot_go_back()
    {
        var api = eks.Session().Eks;
        var update = await api.UpdateAuthenticationModeAsync("legacy", AuthenticationMode.ApiAndConfigMap, default);
        Assert.Equal("InProgress", update.Status);
        Assert.Equal("AccessConfigUpdate", update.Type);

        var done = await api.DescribeUpdateAsync("legacy", update.Id, default);
        Assert.Equal("Successful", done.Status);
        Assert.Equal(AuthenticationMode.ApiAndConfigMap, (await api.DescribeClusterAsync("legacy", default)).AuthenticationMode);

        var back = await Assert.ThrowsAsync<AwsApiException>(() => api.UpdateAuthenticationModeAsync("legacy", AuthenticationMode.ConfigMap, default));
        Assert.Equal("InvalidParameterException", back.ErrorCode);
        Assert.Contains("eks:UpdateClusterConfig failed on EKS cluster 'legacy' (us-east-1)", back.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Access_entries_on_a_CONFIG_MAP_cluster_are_refused_with_the_reason()
    {
        var ex = await Assert.ThrowsAsync<AwsApiException>(() => eks.Session().Eks.ListAccessEntriesAsync("legacy", default));

        Assert.Equal("InvalidRequestException", ex.ErrorCode);
        Assert.Contains("authentication mode must be set to one of [API, API_AND_CONFIG_MAP]", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EksFaultKind.Throttle, 429)]
    [InlineData(EksFaultKind.ServerError, 500)]
    [InlineData(EksFaultKind.Unavailable, 503)]
    [InlineData(EksFaultKind.Drop, 0)]
    public async Task Transient_failures_are_retried_with_growing_backoff(EksFaultKind kind, int status)
    {
        eks.Server.Inject(new EksFault(kind), new EksFault(kind), new EksFault(kind));
        var delays = new List<TimeSpan>();

        var entries = await eks.Session(retry: FakeEksEndpoint.NoWaitRetry(delays)).Eks.ListAccessEntriesAsync("prod", default);

        Assert.Equal(5, entries.Count);
        Assert.Equal(0, eks.Server.PendingFaults);
        Assert.Equal(3, eks.Server.Requests.Count(r => r.Fault == kind && r.Status == status));
        Assert.Equal(3, delays.Count);
        Assert.True(delays[0] < delays[1] && delays[1] < delays[2], string.Join(", ", delays));
    }

    [Fact]
    public async Task Retry_After_is_honoured()
    {
        eks.Server.Inject(new EksFault(EksFaultKind.Throttle, RetryAfterSeconds: 7));
        var delays = new List<TimeSpan>();

        await eks.Session(retry: FakeEksEndpoint.NoWaitRetry(delays)).Eks.DescribeClusterAsync("prod", default);

        Assert.Equal([TimeSpan.FromSeconds(7)], delays);
    }

    [Fact]
    public async Task Throttling_that_never_stops_ends_in_one_message()
    {
        eks.Server.Inject([.. Enumerable.Repeat(new EksFault(EksFaultKind.Throttle), 20)]);
        var retry = FakeEksEndpoint.NoWaitRetry();

        var ex = await Assert.ThrowsAsync<AwsApiException>(() => eks.Session(retry: retry).Eks.ListAccessEntriesAsync("prod", default));

        Assert.Equal("ThrottlingException", ex.ErrorCode);
        Assert.Contains("after " + retry.MaxAttempts + " attempts", ex.Message, StringComparison.Ordinal);
        Assert.Contains("try again later", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_create_whose_answer_was_lost_is_retried_with_the_same_token_and_succeeds()
    {
        eks.Server.Inject(new EksFault(EksFaultKind.DropAfterWrite, "CreateAccessEntry"));
        const string principal = "arn:aws:iam::111122223333:role/lost-answer";

        var created = await eks.Session().Eks.CreateAccessEntryAsync("prod", new NewAccessEntry(principal, AccessEntryType.Standard, ["g"], null, new Dictionary<string, string>()), default);

        Assert.Equal(principal, created.PrincipalArn);
        var creates = eks.Server.Requests.Where(r => r.Operation == "CreateAccessEntry").ToList();
        Assert.Equal(2, creates.Count);
        Assert.Equal(creates[0].Body, creates[1].Body);
        Assert.Single(eks.Server.Cluster("prod")!.Entries, e => e.PrincipalArn == principal);
    }

    [Fact]
    public async Task A_delete_whose_answer_was_lost_counts_as_done()
    {
        eks.Server.Inject(new EksFault(EksFaultKind.DropAfterWrite, "DeleteAccessEntry"));

        await eks.Session().Eks.DeleteAccessEntryAsync("prod", Dev, default);

        Assert.Equal([200, 404], eks.Server.Requests.Where(r => r.Operation == "DeleteAccessEntry").Select(r => r.Status));
    }

    [Fact]
    public async Task Creating_an_entry_that_exists_is_a_conflict()
    {
        var ex = await Assert.ThrowsAsync<AwsConflictException>(() => eks.Session().Eks.CreateAccessEntryAsync("prod", new NewAccessEntry(Dev, AccessEntryType.Standard, [], null, new Dictionary<string, string>()), default));

        Assert.Equal("ResourceInUseException", ex.ErrorCode);
    }

    [Fact]
    public async Task Access_denied_names_the_IAM_action_and_the_cluster()
    {
        eks.Server.Denied.Add("eks:ListAccessEntries");

        var ex = await Assert.ThrowsAsync<AwsApiException>(() => eks.Session().Eks.ListAccessEntriesAsync("prod", default));

        Assert.Equal("eks:ListAccessEntries", ex.Action);
        Assert.Equal(403, ex.StatusCode);
        Assert.StartsWith("access denied: the credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY may not call eks:ListAccessEntries on EKS cluster 'prod' (us-east-1); grant the IAM action eks:ListAccessEntries", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_cluster_names_the_cluster_and_region()
    {
        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() => eks.Session("nope").Eks.DescribeClusterAsync("nope", default));

        Assert.StartsWith("EKS cluster 'nope' not found in region us-east-1: check --cluster-name and --region", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_entry_is_not_found_naming_the_principal()
    {
        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() => eks.Session().Eks.DescribeAccessEntryAsync("prod", "arn:aws:iam::111122223333:role/none", default));

        Assert.StartsWith("no access entry for arn:aws:iam::111122223333:role/none on EKS cluster 'prod'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_as_a_bad_signature()
    {
        var ex = await Assert.ThrowsAsync<AwsApiException>(() => eks.Session(extra: new Dictionary<string, string?> { ["AWS_SECRET_ACCESS_KEY"] = "not-the-secret" }).Eks.ListAccessEntriesAsync("prod", default));

        Assert.Equal("InvalidSignatureException", ex.ErrorCode);
        Assert.StartsWith("AWS rejected the request signature: the secret access key from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY does not match", ex.Message, StringComparison.Ordinal);
        Assert.Single(eks.Server.Requests);
    }

    [Fact]
    public async Task An_unknown_access_key_and_an_expired_session_token_say_what_to_do()
    {
        var unknown = await Assert.ThrowsAsync<AwsApiException>(() => eks.Session(extra: new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "AKIAUNKNOWN000000000" }).Eks.ListAccessEntriesAsync("prod", default));
        var expired = await Assert.ThrowsAsync<AwsApiException>(() => eks.Session(extra: new Dictionary<string, string?> { ["AWS_SESSION_TOKEN"] = FakeEksServer.ExpiredSessionToken }).Eks.ListAccessEntriesAsync("prod", default));

        Assert.Equal("UnrecognizedClientException", unknown.ErrorCode);
        Assert.Contains("AWS does not recognise the access key", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("ExpiredTokenException", expired.ErrorCode);
        Assert.StartsWith("the AWS session credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY have expired", expired.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_nobody_listens_on_is_one_message()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var ex = await Assert.ThrowsAsync<AwsApiException>(() => eks.Session(extra: new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_EKS"] = "http://127.0.0.1:" + port }).Eks.ListAccessEntriesAsync("prod", default));

        Assert.Equal("EndpointUnreachable", ex.ErrorCode);
        Assert.StartsWith("cannot reach EKS at http://127.0.0.1:" + port + "/ (", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("check AWS_ENDPOINT_URL_EKS / AWS_ENDPOINT_URL", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_credentials_anywhere_is_one_message_before_any_request()
    {
        var none = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = null, ["AWS_SECRET_ACCESS_KEY"] = null };

        var ex = await Assert.ThrowsAsync<AwsApiException>(() => eks.Session(extra: none).Eks.ListAccessEntriesAsync("prod", default));

        Assert.Equal("NoCredentials", ex.ErrorCode);
        Assert.StartsWith("no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --profile NAME", ex.Message, StringComparison.Ordinal);
        Assert.Empty(eks.Server.Requests);
    }

    [Fact]
    public async Task A_profile_in_the_credentials_file_signs_requests()
    {
        var file = Path.Combine(Path.GetTempPath(), "rolemap-creds-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(file, "[eks-test]\naws_access_key_id = " + FakeEksServer.AccessKey + "\naws_secret_access_key = " + FakeEksServer.SecretKey + "\n");
        try
        {
            var io = eks.Io(new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = null, ["AWS_SECRET_ACCESS_KEY"] = null, ["AWS_SHARED_CREDENTIALS_FILE"] = file });
            var session = AwsConnector.Connect(io, new AwsTarget("prod", "us-east-1", "eks-test", null), FakeEksEndpoint.NoWaitRetry());

            Assert.Equal(5, (await session.Eks.ListAccessEntriesAsync("prod", default)).Count);
            var missing = AwsConnector.Connect(io, new AwsTarget("prod", "us-east-1", "nope", null), FakeEksEndpoint.NoWaitRetry());
            var ex = await Assert.ThrowsAsync<AwsApiException>(() => missing.Eks.ListAccessEntriesAsync("prod", default));
            Assert.StartsWith("AWS profile 'nope' not found in " + file, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

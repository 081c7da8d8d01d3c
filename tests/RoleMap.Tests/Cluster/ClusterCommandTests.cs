using RoleMap.Apply;
using RoleMap.AwsAuth;
using RoleMap.Cluster;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Cluster;

/// <summary>
/// The cluster commands end to end: the real CLI and KubernetesClient talking HTTPS to the Kubernetes API test server
/// (or to a real cluster when ROLEMAP_TEST_KUBECONFIG is set).
/// </summary>
[Collection("cluster")]
public sealed class ClusterCommandTests(ClusterFixture cluster) : IAsyncLifetime
{
    private const string Node = "arn:aws:iam::111122223333:role/eks-node";
    private const string Admin = "arn:aws:iam::111122223333:role/Admin";
    private const string EksRoles =
        "- groups:\n  - system:bootstrappers\n  - system:nodes\n  rolearn: " + Node + "\n  username: system:node:{{EC2PrivateDNSName}}\n"
        + "- rolearn: " + Admin + "\n  username: admin\n  groups:\n  - system:masters\n";

    private static readonly string[] AsAdmin = ["--as-arn", "arn:aws:sts::111122223333:assumed-role/Admin/me"];

    public Task InitializeAsync() => cluster.SeedAsync(EksRoles);

    public Task DisposeAsync() => Task.CompletedTask;

    private string Spec(string name, string yaml)
    {
        var path = cluster.Path(name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private async Task<IReadOnlyList<ConfigMapObject>> BackupsAsync()
    {
        var client = cluster.Client();
        var backups = await client.ListConfigMapsAsync("kube-system", Backups.Selector, default);
        (client as IDisposable)?.Dispose();
        return backups;
    }

    private static AwsAuthDocument Parse(ConfigMapObject configMap) => AwsAuthParser.ParseData(configMap.Data, null, "live");

    [Fact]
    public void Get_shows_entries_and_who_manages_them()
    {
        var run = cluster.Run("get");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("role  " + Node, run.Stdout, StringComparison.Ordinal);
        Assert.Contains("(node entry)", run.Stdout, StringComparison.Ordinal);

        var json = JsonNodes.Parse(cluster.Run("get", "-o", "json").Stdout);
        Assert.Equal(Admin, json["mapRoles"]![1]!["rolearn"]!.GetValue<string>());
        Assert.False(json["mapRoles"]![1]!["managedByRolemap"]!.GetValue<bool>());
        Assert.Contains("rolearn: " + Node, cluster.Run("get", "-o", "yaml").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_reports_findings_and_a_missing_aws_auth()
    {
        await cluster.SeedAsync("- rolearn: " + Admin + "\n  username: {{SessionName}}\n");
        var run = cluster.Run("get");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error[yaml-invalid]", run.Stdout, StringComparison.Ordinal);

        await cluster.ResetAsync();
        var missing = cluster.Run("get");
        Assert.Equal((1, "kube-system/aws-auth does not exist in " + cluster.Context + "\n"), (missing.ExitCode, missing.Stdout));
    }

    [Fact]
    public async Task Apply_diff_and_ownership_across_two_applies()
    {
        var first = Spec("first.yaml", "roles:\n- arn: arn:aws:iam::111122223333:role/dev\n  groups: [developers]\n- arn: arn:aws:iam::111122223333:role/qa\n  groups: [qa]\n");
        var second = Spec("second.yaml", "roles:\n- arn: arn:aws:iam::111122223333:role/qa\n  groups: [qa, viewers]\n");

        var diff = cluster.Run(["diff", first, .. AsAdmin]);
        Assert.Equal(1, diff.ExitCode);
        Assert.Contains("+ mapRoles  arn:aws:iam::111122223333:role/dev  username: dev  groups: [developers]", diff.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 entries in aws-auth are not in the spec and are kept", diff.Stdout, StringComparison.Ordinal);

        var applied = cluster.Run(["apply", first, "--yes", .. AsAdmin]);
        Assert.Equal(0, applied.ExitCode);
        Assert.Contains("applied: 2 added, 0 changed, 0 removed; backup aws-auth-backup-", applied.Stdout, StringComparison.Ordinal);

        var again = cluster.Run(["apply", first, "--yes", .. AsAdmin]);
        Assert.Equal((0, "kube-system/aws-auth in " + cluster.Context + " already matches: no changes, nothing written\n"), (again.ExitCode, again.Stdout));
        Assert.Equal(0, cluster.Run(["diff", first, .. AsAdmin]).ExitCode);

        var secondRun = cluster.Run(["apply", second, "--yes", .. AsAdmin]);
        Assert.Equal(0, secondRun.ExitCode);
        Assert.Contains("- mapRoles  arn:aws:iam::111122223333:role/dev", secondRun.Stdout, StringComparison.Ordinal);
        Assert.Contains("~ mapRoles  arn:aws:iam::111122223333:role/qa  groups: [qa] -> [qa, viewers]", secondRun.Stdout, StringComparison.Ordinal);

        var live = (await cluster.AwsAuthAsync())!;
        Assert.Equal([Node, Admin, "arn:aws:iam::111122223333:role/qa"], Parse(live).Effective.Roles.Select(r => r.Arn));
        Assert.StartsWith(EksRoles, live.Data.Single(d => d.Key == "mapRoles").Value, StringComparison.Ordinal);
        Assert.Equal("{\"mapRoles\":[\"arn:aws:iam::111122223333:role/qa\"]}", live.Annotations.Single(a => a.Key == Ownership.Annotation).Value);
    }

    [Fact]
    public async Task Apply_creates_aws_auth_when_missing()
    {
        await cluster.ResetAsync();
        var spec = Spec("nodes.yaml", "nodeRoles: [\"" + Node + "\"]\n");

        var run = cluster.Run(["apply", spec, "--yes", .. AsAdmin]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("does not exist; it will be created", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("created: 1 added", run.Stdout, StringComparison.Ordinal);
        Assert.Equal([Node], Parse((await cluster.AwsAuthAsync())!).Effective.Roles.Select(r => r.Arn));
    }

    [Fact]
    public async Task Dry_runs_write_nothing()
    {
        var before = (await cluster.AwsAuthAsync())!;
        var spec = Spec("dev.yaml", "roles:\n- arn: arn:aws:iam::111122223333:role/dev\n  groups: [developers]\n");

        var client = cluster.Run(["apply", spec, "--dry-run", .. AsAdmin]);
        var server = cluster.Run(["apply", spec, "--dry-run=server", .. AsAdmin]);

        Assert.Equal(0, client.ExitCode);
        Assert.Contains("dry run: 1 added, 0 changed, 0 removed; nothing written\n", client.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, server.ExitCode);
        Assert.Contains("accepted by the API server with dryRun=All", server.Stdout, StringComparison.Ordinal);
        var after = (await cluster.AwsAuthAsync())!;
        Assert.Equal(before.ResourceVersion, after.ResourceVersion);
        Assert.Equal(before.Data, after.Data);
        Assert.Empty(JsonNodes.Parse("{\"b\":" + cluster.Run("backups", "-o", "json").Stdout + "}")["b"]!.AsArray());
        if (cluster.Server is { } server2)
        {
            Assert.Contains(server2.Requests, r => r.Method == "PUT" && r.Query.Contains("dryRun=All", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Prune_removes_what_the_spec_does_not_list_but_not_the_node_role_unless_forced()
    {
        var spec = Spec("admin-only.yaml", "roles:\n- arn: " + Admin + "\n  username: admin\n  groups: [system:masters]\n");

        var refused = cluster.Run(["apply", spec, "--prune", "--yes", .. AsAdmin]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("[node-role-removed]", refused.Stdout, StringComparison.Ordinal);
        Assert.Contains("refused by the lockout guards (node-role-removed); nothing was written", refused.Stderr, StringComparison.Ordinal);

        var withNodes = Spec("with-nodes.yaml", "nodeRoles: [\"" + Node + "\"]\nroles:\n- arn: " + Admin + "\n  username: admin\n  groups: [system:masters]\n");
        cluster.Run(["upsert", "role", "arn:aws:iam::111122223333:role/stray", "--group", "x", "--yes", .. AsAdmin]);
        var pruned = cluster.Run(["apply", withNodes, "--prune", "--yes", .. AsAdmin]);
        Assert.Equal(0, pruned.ExitCode);
        Assert.Contains("- mapRoles  arn:aws:iam::111122223333:role/stray", pruned.Stdout, StringComparison.Ordinal);
        Assert.Equal([Node, Admin], Parse((await cluster.AwsAuthAsync())!).Effective.Roles.Select(r => r.Arn));
    }

    [Fact]
    public void Every_lockout_guard_refuses_through_the_cli()
    {
        var ownAccess = cluster.Run(["remove", "role", Admin, "--yes", .. AsAdmin]);
        Assert.Equal(2, ownAccess.ExitCode);
        Assert.Contains("[caller-lockout]", ownAccess.Stdout, StringComparison.Ordinal);

        var nodeGroup = cluster.Run(["remove", "role", Node, "--group", "system:nodes", "--yes", .. AsAdmin]);
        Assert.Contains("[node-role-removed]", nodeGroup.Stdout, StringComparison.Ordinal);

        var empty = cluster.Run("remove", "role", "--username", "admin", "--yes", "--as-arn", "arn:aws:iam::111122223333:user/breakglass", "--force");
        Assert.Equal(0, empty.ExitCode); // forced: written, with the objection shown
        var last = cluster.Run("remove", "role", Node, "--yes", "--as-arn", "arn:aws:iam::111122223333:user/breakglass");
        Assert.Equal(2, last.ExitCode);
        Assert.Contains("[maproles-empty]", last.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unexpected_shape_is_refused_with_a_clear_reason()
    {
        await cluster.SeedAsync("- rolearn: " + Admin + "\n username: broken\n  - x\n");

        var run = cluster.Run(["upsert", "role", "arn:aws:iam::111122223333:role/dev", "--group", "d", "--yes", .. AsAdmin]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("[unexpected-shape] the live mapRoles is not valid YAML", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_that_does_not_parse_is_kept_byte_for_byte_by_writes_to_other_lists()
    {
        var broken = "- rolearn: " + Node + "\n  username: system:node:{{EC2PrivateDNSName}}\n groups: [system:nodes]\n- rolearn: " + Admin + "\n";
        await cluster.SeedAsync(broken, "- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n  groups: [devs]\n");

        var user = cluster.Run(["upsert", "user", "arn:aws:iam::111122223333:user/v", "--group", "g", "--yes", "--force", .. AsAdmin]);
        Assert.Equal(0, user.ExitCode);
        Assert.Contains("note: the live mapRoles cannot be read as written", user.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected-shape", user.Stdout, StringComparison.Ordinal);
        Assert.Equal(broken, (await cluster.AwsAuthAsync())!.Data.Single(d => d.Key == "mapRoles").Value);

        var role = cluster.Run(["upsert", "role", "arn:aws:iam::111122223333:role/dev", "--group", "d", "--yes", .. AsAdmin]);
        Assert.Equal(2, role.ExitCode);
        Assert.Contains("[unexpected-shape] the live mapRoles is not valid YAML", role.Stdout, StringComparison.Ordinal);
        Assert.Contains("    the live mapRoles text a forced write would replace:\n    | - rolearn: " + Node + "\n    |   username: system:node:{{EC2PrivateDNSName}}\n    |  groups: [system:nodes]\n    | - rolearn: " + Admin + "\n", role.Stdout, StringComparison.Ordinal);
        Assert.Equal(broken, (await cluster.AwsAuthAsync())!.Data.Single(d => d.Key == "mapRoles").Value);

        var forced = cluster.Run(["upsert", "role", "arn:aws:iam::111122223333:role/dev", "--group", "d", "--yes", "--force", .. AsAdmin]);
        Assert.Equal(0, forced.ExitCode);
        Assert.Contains("    the live mapRoles text being replaced:\n", forced.Stdout, StringComparison.Ordinal);
        var backup = Backups.Describe(await BackupsAsync())[0];
        Assert.Equal(broken, backup.Object.Data.Single(d => d.Key == "mapRoles").Value);
    }

    [Fact]
    public async Task Line_breaks_in_values_cannot_forge_lines_of_the_confirmation_or_of_get()
    {
        var run = cluster.Run(["upsert", "role", "arn:aws:iam::111122223333:role/dev", "--group", "a\n- rolearn: evil]", "--username", "dev\u2028x", "--dry-run", .. AsAdmin]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("+ mapRoles  arn:aws:iam::111122223333:role/dev  username: \"dev\\u2028x\"  groups: [\"a\\n- rolearn: evil]\"]\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("note: warning[control-characters]: ", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Stdout.Split('\n'), l => l.StartsWith("- rolearn", StringComparison.Ordinal) || l.Contains('\u2028', StringComparison.Ordinal));

        Assert.Equal(0, cluster.Run(["upsert", "role", "arn:aws:iam::111122223333:role/dev", "--group", "a\n- rolearn: evil]", "--yes", .. AsAdmin]).ExitCode);
        var get = cluster.Run("get");
        Assert.Contains("role  arn:aws:iam::111122223333:role/dev", get.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"a\\n- rolearn: evil]\"", get.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(get.Stdout.Split('\n'), l => l.StartsWith("- rolearn", StringComparison.Ordinal));
    }

    [TestServerFact]
    public void An_unidentified_caller_may_add_entries_but_not_change_or_remove_them()
    {
        // The certadmin user has no IAM ARN in its SelfSubjectReview, like a kind cluster's certificate user.
        string[] asCertAdmin = ["--yes", "--kubeconfig", cluster.Kubeconfig, "--context", "certadmin"];

        var add = TestSupport.Cli.Run(["upsert", "role", "arn:aws:iam::111122223333:role/dev", "--group", "d", .. asCertAdmin]);
        Assert.Equal(0, add.ExitCode);
        Assert.Contains("note: caller identity unknown (the cluster's SelfSubjectReview reports the user 'kubernetes-admin' but no IAM ARN)", add.Stdout, StringComparison.Ordinal);

        var remove = TestSupport.Cli.Run(["remove", "role", "arn:aws:iam::111122223333:role/dev", .. asCertAdmin]);
        Assert.Equal(2, remove.ExitCode);
        Assert.Contains("[caller-unknown] caller identity unknown", remove.Stdout, StringComparison.Ordinal);
        Assert.Contains("aws sts get-caller-identity", remove.Stdout, StringComparison.Ordinal);
        Assert.Contains("refused by the lockout guards (caller-unknown)", remove.Stderr, StringComparison.Ordinal);

        Assert.Equal(0, TestSupport.Cli.Run(["remove", "role", "arn:aws:iam::111122223333:role/dev", .. asCertAdmin, .. AsAdmin]).ExitCode);
    }

    [Fact]
    public async Task Restore_of_a_backup_the_authenticator_would_misread_is_refused_unless_forced()
    {
        var users = "- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n  groups: [devs]\n";
        await cluster.SeedAsync(string.Empty, users);
        var file = cluster.Path("broken-backup.yaml");
        File.WriteAllText(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/x\n     username: bad\n  mapUsers: |\n" + string.Concat(users.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "    " + l + "\n")));
        string[] asAlice = ["--as-arn", "arn:aws:iam::111122223333:user/alice"];

        var refused = cluster.Run(["restore", file, "--yes", .. asAlice]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("[roundtrip] the backup's mapRoles would not be read as written", refused.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, (await cluster.AwsAuthAsync())!.Data.Single(d => d.Key == "mapRoles").Value);

        Assert.Equal(0, cluster.Run(["restore", file, "--yes", "--force", .. asAlice]).ExitCode);
    }

    [Fact]
    public void Upsert_of_an_arn_in_the_wrong_list_suggests_the_other_subcommand()
    {
        var run = cluster.Run(["upsert", "role", "arn:aws:iam::111122223333:user/q", "--group", "g", "--yes", .. AsAdmin]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("(fix: rolemap upsert user arn:aws:iam::111122223333:user/q --group g)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upsert_and_remove_touch_only_what_was_asked()
    {
        var users = "- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n  groups: [devs]\n";
        await cluster.SeedAsync(EksRoles, users);

        Assert.Equal(0, cluster.Run(["upsert", "user", "arn:aws:iam::111122223333:user/bob", "-g", "devs", "-g", "ops", "--yes", .. AsAdmin]).ExitCode);
        Assert.Equal(0, cluster.Run(["upsert", "role", "arn:aws:iam::111122223333:role/teams/dev", "--group", "developers", "--yes", .. AsAdmin]).ExitCode);
        Assert.Equal(0, cluster.Run(["remove", "user", "arn:aws:iam::111122223333:user/bob", "--group", "ops", "--yes", .. AsAdmin]).ExitCode);
        var missing = cluster.Run(["remove", "user", "arn:aws:iam::111122223333:user/carol", "--yes", .. AsAdmin]);
        Assert.Equal(0, missing.ExitCode);
        Assert.Contains("note: mapUsers has no entry for arn:aws:iam::111122223333:user/carol; nothing to remove", missing.Stdout, StringComparison.Ordinal);

        var live = (await cluster.AwsAuthAsync())!;
        var document = Parse(live);
        Assert.Equal(users + "- userarn: arn:aws:iam::111122223333:user/bob\n  username: bob\n  groups:\n  - devs\n", live.Data.Single(d => d.Key == "mapUsers").Value);
        Assert.Equal("arn:aws:iam::111122223333:role/dev", document.Effective.Roles[^1].Arn); // the role path was removed, as the authenticator needs
        Assert.DoesNotContain(live.Annotations, a => a.Key == Ownership.Annotation);
    }

    [Fact]
    public async Task Backup_and_restore_round_trip()
    {
        var original = (await cluster.AwsAuthAsync())!;
        Assert.Equal(0, cluster.Run(["upsert", "role", "arn:aws:iam::111122223333:role/dev", "--group", "developers", "--yes", "--backup-dir", cluster.Path("backups"), .. AsAdmin]).ExitCode);
        Assert.Equal(0, cluster.Run(["upsert", "role", "arn:aws:iam::111122223333:role/qa", "--group", "qa", "--yes", .. AsAdmin]).ExitCode);

        var list = cluster.Run("backups");
        Assert.Equal(0, list.ExitCode);
        Assert.Equal(3, list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("upsert role arn:aws:iam::111122223333:role/qa", list.Stdout, StringComparison.Ordinal);

        var oldest = JsonNodes.Parse("{\"b\":" + cluster.Run("backups", "-o", "json").Stdout + "}")["b"]!.AsArray()[^1]!["name"]!.GetValue<string>();
        var restore = cluster.Run(["restore", oldest, "--yes", .. AsAdmin]);
        Assert.Equal(0, restore.ExitCode);
        Assert.Contains("- mapRoles  arn:aws:iam::111122223333:role/dev", restore.Stdout, StringComparison.Ordinal);
        Assert.Equal(original.Data, (await cluster.AwsAuthAsync())!.Data);

        // The restore itself was backed up, so it can be undone; and a local file restores too.
        var undo = cluster.Run(["restore", "--yes", .. AsAdmin]);
        Assert.Equal(0, undo.ExitCode);
        Assert.Equal(4, Parse((await cluster.AwsAuthAsync())!).Effective.Roles.Count);
        var file = Directory.GetFiles(cluster.Path("backups")).Single();
        Assert.Equal(0, cluster.Run(["restore", file, "--yes", .. AsAdmin]).ExitCode);
        Assert.Equal(original.Data, (await cluster.AwsAuthAsync())!.Data);
    }

    [Fact]
    public void Restore_of_an_unknown_backup_names_the_close_one()
    {
        Assert.Equal(0, cluster.Run(["upsert", "role", "arn:aws:iam::111122223333:role/dev", "--group", "developers", "--yes", .. AsAdmin]).ExitCode);
        var name = JsonNodes.Parse("{\"b\":" + cluster.Run("backups", "-o", "json").Stdout + "}")["b"]!.AsArray()[0]!["name"]!.GetValue<string>();

        var run = cluster.Run(["restore", name + "x", "--yes", .. AsAdmin]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("did you mean " + name, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_terminal_nothing_is_written_without_yes()
    {
        var run = cluster.Run(["upsert", "role", "arn:aws:iam::111122223333:role/dev", "--group", "developers", .. AsAdmin]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("+ mapRoles  arn:aws:iam::111122223333:role/dev", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("not written: the changes were not confirmed; in scripts and CI pass --yes", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conflict_retry_through_the_real_api()
    {
        // Another writer stores its entry between rolemap's read and its write: the API server answers 409 and
        // rolemap re-reads, re-merges and writes both.
        using var inner = (IDisposable)cluster.Client();
        var client = new InterferingClient((IClusterClient)inner);
        var options = new ApplyOptions { CallerArn = Admin, Delay = (_, _) => Task.CompletedTask };

        var outcome = await new Applier(client, options).RunAsync(new UpsertEdit("mapRoles", new MapEntry("arn:aws:iam::111122223333:role/dev", "dev", ["developers"]), true, true), default);

        Assert.Equal((ApplyStatus.Applied, 2), (outcome.Status, outcome.Attempts));
        Assert.Equal([Node, Admin, "arn:aws:iam::111122223333:role/other", "arn:aws:iam::111122223333:role/dev"], Parse((await cluster.AwsAuthAsync())!).Effective.Roles.Select(r => r.Arn));
    }

    [Fact]
    public void Fleet_summary_with_one_unreachable_cluster()
    {
        var down = cluster.Path("down.kubeconfig");
        File.WriteAllText(down, "apiVersion: v1\nkind: Config\nclusters:\n- name: down\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: down\n  context:\n    cluster: down\n    user: down\nusers:\n- name: down\n  user:\n    token: x\n");
        var environment = new Dictionary<string, string> { ["KUBECONFIG"] = cluster.Kubeconfig + Path.PathSeparator + down };

        var run = TestSupport.Cli.RunIn(Repo.Root, string.Empty, environment, ["upsert", "role", "arn:aws:iam::111122223333:role/dev", "--group", "developers", "--yes", "--context", cluster.Context, "--context", "down", .. AsAdmin]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("== " + cluster.Context + " ==", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\nCONTEXT +RESULT +DETAIL\n", run.Stdout);
        Assert.Matches(cluster.Context + @" +applied +1 added, 0 changed, 0 removed; backup aws-auth-backup-", run.Stdout);
        Assert.Matches(@"down +failed +down: cannot reach the API server at https://127.0.0.1:1/", run.Stdout);
        Assert.Contains("rolemap: down: cannot reach the API server", run.Stderr, StringComparison.Ordinal);
    }

    [TestServerFact]
    public void Unauthorized_and_forbidden_say_which_identity_and_what_is_missing()
    {
        var kubeconfig = File.ReadAllText(cluster.Kubeconfig).Replace("token: reader-token", "token: wrong-token", StringComparison.Ordinal);
        var wrong = cluster.Path("wrong.kubeconfig");
        File.WriteAllText(wrong, kubeconfig);
        var unauthorized = TestSupport.Cli.Run("get", "--kubeconfig", wrong, "--context", "reader");
        Assert.Equal(2, unauthorized.ExitCode);
        Assert.Contains("reader: 401 Unauthorized: the API server did not accept the credentials of kubeconfig user 'reader' of context 'reader' (a bearer token)", unauthorized.Stderr, StringComparison.Ordinal);

        var forbidden = TestSupport.Cli.Run(["upsert", "role", "arn:aws:iam::111122223333:role/dev", "--group", "d", "--yes", "--kubeconfig", cluster.Kubeconfig, "--context", "reader", .. AsAdmin]);
        Assert.Equal(2, forbidden.ExitCode);
        Assert.Contains("cannot store the backup ConfigMap kube-system/aws-auth-backup-", forbidden.Stderr, StringComparison.Ordinal);
        Assert.Contains("User \"reader\" cannot create resource \"configmaps\"", forbidden.Stderr, StringComparison.Ordinal);
        Assert.Contains("missing RBAC permission: create configmaps in namespace kube-system", forbidden.Stderr, StringComparison.Ordinal);

        var noBackups = TestSupport.Cli.Run(["upsert", "role", "arn:aws:iam::111122223333:role/dev", "--group", "d", "--yes", "--keep-backups", "0", "--kubeconfig", cluster.Kubeconfig, "--context", "reader", .. AsAdmin]);
        Assert.Contains("403 Forbidden: configmaps \"aws-auth\" is forbidden: User \"reader\" cannot update resource \"configmaps\" in API group \"\" in the namespace \"kube-system\" (identity: kubeconfig user 'reader' of context 'reader' (a bearer token); missing RBAC permission: update configmaps/aws-auth in namespace kube-system", noBackups.Stderr, StringComparison.Ordinal);
    }

    [TestServerFact]
    public void Exec_credential_plugins_are_run_and_their_failures_reported()
    {
        var server = cluster.Server!.Url.ToString().TrimEnd('/');
        var ca = File.ReadAllLines(cluster.Kubeconfig).Single(l => l.Contains("certificate-authority-data", StringComparison.Ordinal)).Trim();
        string Config(string name, string script)
        {
            // The plugin runs as 'sh FILE' rather than as a freshly written executable: exec'ing a file that a
            // concurrent fork may still hold open for writing fails now and then with ETXTBSY.
            var plugin = cluster.Path(name + ".sh");
            File.WriteAllText(plugin, script + "\n");
            var path = cluster.Path(name + ".kubeconfig");
            File.WriteAllText(path, "apiVersion: v1\nkind: Config\ncurrent-context: eks\nclusters:\n- name: eks\n  cluster:\n    server: " + server + "\n    " + ca + "\n"
                + "contexts:\n- name: eks\n  context:\n    cluster: eks\n    user: eks\nusers:\n- name: eks\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: /bin/sh\n      args:\n      - " + plugin + "\n");
            return path;
        }

        var good = Config("exec-good", "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"admin-token\"}}'");
        var bad = Config("exec-bad", "echo 'no AWS credentials' >&2; exit 3");

        var ok = TestSupport.Cli.Run("get", "--kubeconfig", good);
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        var failed = TestSupport.Cli.Run("get", "--kubeconfig", bad);
        Assert.Equal(2, failed.ExitCode);
        Assert.StartsWith("rolemap: eks: cannot get credentials for kubeconfig user 'eks' of context 'eks' (exec credential plugin '/bin/sh " + cluster.Path("exec-bad.sh") + "'): ", failed.Stderr, StringComparison.Ordinal);
        Assert.Single(failed.Stderr.Trim().Split('\n'));
    }

    [TestServerFact]
    public void Client_certificates_from_data_or_files_authenticate_and_insecure_skip_tls_verify_is_honoured()
    {
        var server = cluster.Server!;
        var url = server.Url.ToString().TrimEnd('/');
        var ca = "certificate-authority-data: " + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(server.CertificateAuthorityPem));
        var (certificate, key) = server.IssueClientCertificate(KubeApiServerAdminToken);
        File.WriteAllText(cluster.Path("client.crt"), certificate);
        File.WriteAllText(cluster.Path("client.key"), key);
        string Config(string name, string clusterFields, string user)
        {
            var path = cluster.Path(name + ".kubeconfig");
            File.WriteAllText(path, "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: c\n  cluster:\n    server: " + url + "\n    " + clusterFields + "\n"
                + "contexts:\n- name: c\n  context:\n    cluster: c\n    user: u\nusers:\n- name: u\n  user:\n" + user);
            return path;
        }

        static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(text));
        var inline = Config("cert-data", ca, "    client-certificate-data: " + Base64(certificate) + "\n    client-key-data: " + Base64(key) + "\n");
        var files = Config("cert-files", ca, "    client-certificate: " + cluster.Path("client.crt") + "\n    client-key: " + cluster.Path("client.key") + "\n");
        var insecure = Config("insecure", "insecure-skip-tls-verify: true", "    token: " + KubeApiServerAdminToken + "\n");
        var untrusted = Config("untrusted", "certificate-authority-data: " + Base64(UnrelatedCaPem()), "    token: " + KubeApiServerAdminToken + "\n");
        var anonymous = Config("anonymous", ca, "    {}\n");

        foreach (var config in new[] { inline, files, insecure })
        {
            var ok = TestSupport.Cli.Run("get", "--kubeconfig", config);
            Assert.True(ok.ExitCode == 0, config + ": " + ok.Stderr);
        }

        // The certificate is the cluster CA's but for other names: refused, as kubectl refuses it; for a name it holds, fine.
        var otherName = Config("other-name", ca + "\n    tls-server-name: kubelet.example", "    token: " + KubeApiServerAdminToken + "\n");
        var wrongName = TestSupport.Cli.Run("get", "--kubeconfig", otherName);
        Assert.Equal(2, wrongName.ExitCode);
        Assert.StartsWith("rolemap: c: cannot reach the API server at " + url + "/: ", wrongName.Stderr, StringComparison.Ordinal);
        var localhost = TestSupport.Cli.Run("get", "--kubeconfig", Config("localhost-name", ca + "\n    tls-server-name: localhost", "    token: " + KubeApiServerAdminToken + "\n"));
        Assert.True(localhost.ExitCode == 0, localhost.Stderr);

        var refused = TestSupport.Cli.Run("get", "--kubeconfig", untrusted);
        Assert.Equal(2, refused.ExitCode);
        Assert.StartsWith("rolemap: c: cannot reach the API server at " + url + "/: ", refused.Stderr, StringComparison.Ordinal);
        var noCredentials = TestSupport.Cli.Run("get", "--kubeconfig", anonymous);
        Assert.Equal(2, noCredentials.ExitCode);
        Assert.StartsWith("rolemap: c: the kubeconfig entry for kubeconfig user 'u' of context 'c' (no credentials) cannot be used: ", noCredentials.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_API_server_that_never_answers_is_reported_after_the_request_timeout()
    {
        // A listener that accepts connections and then says nothing, not even the TLS handshake.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var held = new List<System.Net.Sockets.TcpClient>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    held.Add(await listener.AcceptTcpClientAsync(stop.Token).ConfigureAwait(false));
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var path = cluster.Path("silent.kubeconfig");
        File.WriteAllText(path, "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:" + port
            + "\n    insecure-skip-tls-verify: true\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\nusers:\n- name: u\n  user:\n    token: t\n");

        var run = TestSupport.Cli.Run("get", "--kubeconfig", path, "--request-timeout", "1");

        await stop.CancelAsync();
        await accepting;
        held.ForEach(c => c.Dispose());
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("rolemap: c: the API server at https://127.0.0.1:" + port + "/ did not answer in time: no answer within 1 s (while trying to get configmaps/aws-auth in namespace kube-system)", run.Stderr, StringComparison.Ordinal);
    }

    [TestServerFact]
    public void A_server_url_with_a_path_keeps_it_and_answers_that_are_not_the_API_are_errors()
    {
        var server = cluster.Server!;
        var url = server.Url.ToString().TrimEnd('/');
        var ca = "certificate-authority-data: " + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(server.CertificateAuthorityPem));
        string Config(string name, string serverUrl)
        {
            var path = cluster.Path(name + ".kubeconfig");
            File.WriteAllText(path, "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: c\n  cluster:\n    server: " + serverUrl + "\n    " + ca + "\n"
                + "contexts:\n- name: c\n  context:\n    cluster: c\n    user: u\nusers:\n- name: u\n  user:\n    token: " + KubeApiServerAdminToken + "\n");
            return path;
        }

        // Behind a proxy path (Rancher's /k8s/clusters/ID), with and without a trailing slash.
        foreach (var proxied in new[] { url + RoleMap.TestApiServer.KubeApiServer.ProxyPrefix, url + RoleMap.TestApiServer.KubeApiServer.ProxyPrefix + "/" })
        {
            var ok = TestSupport.Cli.Run("get", "--kubeconfig", Config("proxied", proxied));
            Assert.True(ok.ExitCode == 0, proxied + ": " + ok.Stderr);
            Assert.StartsWith("kube-system/aws-auth in c (resourceVersion", ok.Stdout, StringComparison.Ordinal);
        }

        // A path the API server does not serve: its 404 is not "aws-auth does not exist".
        var wrongPath = TestSupport.Cli.Run("get", "--kubeconfig", Config("wrong-path", url + "/k8s/clusters/gone"));
        Assert.Equal(2, wrongPath.ExitCode);
        Assert.Contains("404 NotFound: the server could not find the requested resource (while trying to get configmaps/aws-auth in namespace kube-system)", wrongPath.Stderr, StringComparison.Ordinal);

        // A proxy's login page answers 200 with HTML: neither an empty aws-auth nor a cluster without RBAC objects.
        var login = Config("login", url + RoleMap.TestApiServer.KubeApiServer.LoginPagePrefix);
        var get = TestSupport.Cli.Run("get", "--kubeconfig", login);
        Assert.Equal(2, get.ExitCode);
        Assert.Contains("c: the API server's answer is not JSON: ", get.Stderr, StringComparison.Ordinal);
        var whoCan = TestSupport.Cli.Run("who-can", "get", "secrets", "--rbac", "cluster", "--kubeconfig", login);
        Assert.Equal(2, whoCan.ExitCode);
        Assert.Contains("c: the API server's answer is not JSON: ", whoCan.Stderr, StringComparison.Ordinal);
        Assert.Empty(whoCan.Stdout);
    }

    private const string KubeApiServerAdminToken = RoleMap.TestApiServer.KubeApiServer.AdminToken;

    private static string UnrelatedCaPem()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=unrelated-ca", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return ca.ExportCertificatePem() + "\n";
    }

    [TestServerFact]
    public void The_caller_comes_from_a_SelfSubjectReview_when_not_given()
    {
        // The test server's admin token presents arn:aws:iam::111122223333:role/Admin, as aws-iam-authenticator would.
        var run = cluster.Run("remove", "role", Admin, "--yes");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("[caller-lockout] you (" + Admin + ", from SelfSubjectReview)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_context_is_bad_input()
    {
        var run = TestSupport.Cli.Run("get", "--kubeconfig", cluster.Kubeconfig, "--context", cluster.Context + "x");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no context '" + cluster.Context + "x' in the kubeconfig (did you mean '" + cluster.Context + "'?)", run.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Makes one competing write through the API just before rolemap's first write of aws-auth.</summary>
    private sealed class InterferingClient(IClusterClient inner) : IClusterClient
    {
        private bool done;

        public string Name => inner.Name;

        public Task<ConfigMapObject?> GetConfigMapAsync(string ns, string name, CancellationToken cancellationToken) => inner.GetConfigMapAsync(ns, name, cancellationToken);

        public Task<IReadOnlyList<ConfigMapObject>> ListConfigMapsAsync(string ns, string? labelSelector, CancellationToken cancellationToken) => inner.ListConfigMapsAsync(ns, labelSelector, cancellationToken);

        public Task<ConfigMapObject> CreateConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken) => inner.CreateConfigMapAsync(configMap, mode, cancellationToken);

        public async Task<ConfigMapObject> ReplaceConfigMapAsync(ConfigMapObject configMap, WriteMode mode, CancellationToken cancellationToken)
        {
            if (!done && configMap.Name == "aws-auth")
            {
                done = true;
                var current = (await inner.GetConfigMapAsync("kube-system", "aws-auth", cancellationToken))!;
                var roles = current.Data.Single(d => d.Key == "mapRoles").Value + "- rolearn: arn:aws:iam::111122223333:role/other\n  username: other\n  groups: [x]\n";
                await inner.ReplaceConfigMapAsync(current with { Data = [new("mapRoles", roles)] }, WriteMode.Commit, cancellationToken);
            }

            return await inner.ReplaceConfigMapAsync(configMap, mode, cancellationToken);
        }

        public Task DeleteConfigMapAsync(string ns, string name, string? uid, CancellationToken cancellationToken) => inner.DeleteConfigMapAsync(ns, name, uid, cancellationToken);

        public Task<string> ListRbacJsonAsync(RbacKind kind, CancellationToken cancellationToken) => inner.ListRbacJsonAsync(kind, cancellationToken);

        public Task<ClusterIdentity?> WhoAmIAsync(CancellationToken cancellationToken) => inner.WhoAmIAsync(cancellationToken);
    }
}

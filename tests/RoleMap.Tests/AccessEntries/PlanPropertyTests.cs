using CsCheck;
using RoleMap.AccessEntries;
using RoleMap.AwsAuth;

namespace RoleMap.Tests.AccessEntries;

/// <summary>
/// Any aws-auth the authenticator accepts can be planned and exported: hostile usernames and groups never break the
/// planner or a writer, nothing with a reserved prefix or a rejected template is ever exported, and every exported
/// entry reads back from the JSON export unchanged.
/// </summary>
public class PlanPropertyTests
{
    private static readonly string[] Fragments =
    [
        "system:", "eks:", "aws:", "amazon:", "iam:", "system:masters", "system:authenticated", "{{SessionName}}", "{{SessionNameRaw}}",
        "{{AccountID}}", "{{EC2PrivateDNSName}}", "{{x}}", ":", "-", "\n", "'", "\"", "\\", "${", "%{", " ", "#", ",", "é", "\U0001F600", "a", "dev",
    ];

    private static readonly Gen<string> Name = Gen.OneOf(Gen.Int[0, Fragments.Length - 1].Select(i => Fragments[i]), Gen.Char['a', 'z'].Select(c => c.ToString()))
        .Array[1, 4]
        .Select(parts => string.Concat(parts));

    private static readonly Gen<MapEntry> Role = Gen.Select(
        Gen.Int[0, 5],
        Gen.Bool,
        Name,
        Name.Array[0, 3],
        (n, hasUsername, username, groups) => new MapEntry("arn:aws:iam::111122223333:role/r" + n, hasUsername ? username : null, groups));

    private static readonly Gen<AwsAuthData> Data = Gen.Select(Role.List[0, 6], Gen.Bool, (roles, account) => new AwsAuthData(roles, [], account ? ["444455556666"] : []));

    [Fact]
    public void Every_aws_auth_plans_and_exports_what_access_entries_accept() => Data.Sample(
        data =>
        {
            var document = AwsAuthParser.ParseData(AwsAuthRenderer.RenderData(data, RenderStyle.Plain), null, "aws-auth");
            var iam = IamDirectory.Parse("[" + string.Join(",", Enumerable.Range(0, 6).Select(i => "\"arn:aws:iam::111122223333:role/r" + i + "\"")) + "]", "iam.json");
            var plan = MigrationPlanner.Plan(PlanInput.FromAwsAuth(document, "aws-auth"), new PlanOptions("prod", iam));
            Assert.Equal(data.Roles.Count + data.Accounts.Count, plan.Entries.Count);
            // One decision per role as the authenticator keys them; every other entry for it is a shadowed duplicate.
            Assert.Equal(plan.Entries.Count(e => (e.Findings.Count > 0 ? e.Findings[0].Rule : null) is not ("duplicate-shadowed" or "map-accounts")), data.Roles.Select(r => r.Arn!.ToLowerInvariant()).Distinct().Count());
            _ = RoleMap.Cli.Rendering.AccessEntriesRendering.Text(plan) + RoleMap.Cli.Rendering.AccessEntriesRendering.Json(plan);
            foreach (var format in Enum.GetValues<ExportFormat>())
            {
                Assert.NotEmpty(AccessEntryExport.Render(plan, format));
            }

            foreach (var target in plan.ToCreate.Select(e => e.Target!))
            {
                Assert.DoesNotContain(target.KubernetesGroups, g => g.StartsWith("system:", StringComparison.Ordinal) || g.Contains("{{", StringComparison.Ordinal));
                if (target.Username is { } username)
                {
                    Assert.Null(AccessEntryRules.ReservedPrefix(username));
                    Assert.False(AccessEntryRules.LacksColonBeforeSessionName(username));
                }
            }

            var readBack = ExistingAccessEntries.Parse(AccessEntryExport.Render(plan, ExportFormat.Json), "export.json");
            Assert.Equal(plan.ToCreate.Count(), readBack.Entries.Count);
            Assert.All(plan.ToCreate, e => Assert.Equal(e.Target!.Username, readBack.Find(e.Target.PrincipalArn)!.Username));
        },
        iter: 500);
}

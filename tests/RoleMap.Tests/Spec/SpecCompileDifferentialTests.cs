using System.Text.RegularExpressions;
using RoleMap.Arns;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Lint;
using RoleMap.Spec;

namespace RoleMap.Tests.Spec;

/// <summary>
/// The spec compiler orders entries with one index sort and finds duplicates by index with ASCII-case-insensitive keys;
/// these compare it, on seeded generated specs (duplicates, case variants, Unicode folding, paths, assumed-role and
/// malformed ARNs, every kind, permission sets, system:masters), with the LINQ ordering and the duplicate check it
/// replaced, kept here as the reference.
/// </summary>
public class SpecCompileDifferentialTests
{
    private static readonly string[] Accounts = ["111122223333", "444455556666", "12345678901", "123456789012\n"];

    private static readonly string[] Names = ["ops", "Ops", "OPS", "dev", "node", "fargate", "a", "ſops", "\u212Aube", "kube", "İx", "ix", "AWSReservedSSO_Admin_0123abcd"];

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 60; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Orders_and_finds_duplicates_as_the_linq_chain_and_the_old_check_did(int seed)
    {
        var random = new Random(seed);
        var (spec, iam) = Generate(random);
        var compiled = SpecCompiler.Compile(spec, iam);

        // The order: the LINQ chain it replaced, less the principals that do not compile.
        var roles = spec.Roles.Concat(compiled.Roles.Where(r => r.Location.Path!.StartsWith("sets", StringComparison.Ordinal)).Select(r => new SpecPrincipal(r.OriginalArn, r.Kind, null, r.Entry.Groups, r.Location))).ToList();
        var expectedRoles = roles.Where(r => r.Kind == EntryKind.LinuxNode)
            .Concat(roles.Where(r => r.Kind == EntryKind.WindowsNode))
            .Concat(roles.Where(r => r.Kind == EntryKind.HybridNode))
            .Concat(roles.Where(r => r.Kind == EntryKind.Fargate))
            .Concat(roles.Where(r => r.Kind == EntryKind.Custom).OrderBy(r => r.Arn, StringComparer.Ordinal))
            .Where(r => IamArn.Parse(r.Arn, out var problems) is { Kind: IamArnKind.Role or IamArnKind.AssumedRole } && problems.Count == 0)
            .Select(r => r.Location);
        Assert.Equal(expectedRoles, compiled.Roles.Select(r => r.Location));
        var expectedUsers = spec.Users.OrderBy(u => u.Arn, StringComparer.Ordinal)
            .Where(u => IamArn.Parse(u.Arn, out var problems) is { Kind: not (IamArnKind.Role or IamArnKind.AssumedRole) } && problems.Count == 0)
            .Select(u => u.Location);
        Assert.Equal(expectedUsers, compiled.Users.Select(u => u.Location));
        Assert.Equal(compiled.Roles.Select(r => IamArn.Parse(r.OriginalArn, out _)), compiled.Roles.Select(r => r.Parsed));
        Assert.Equal(compiled.Roles.Select(r => r.Entry), compiled.Data.Roles);
        Assert.Equal(compiled.Users.Select(u => u.Entry), compiled.Data.Users);

        // The duplicates: the old check over the compiled entries.
        var entries = compiled.Roles.Select(r => new ArnEntry(r.Entry, false, r.Kind, r.Location))
            .Concat(compiled.Users.Select(u => new ArnEntry(u.Entry, true, u.Kind, u.Location)))
            .ToList();
        var expected = ReferenceCheck(entries, FindingContext.Spec);
        Assert.Equal(expected, compiled.Diagnostics.Where(d => d.Rule is "duplicate-arn" or "node-fargate-shared-role"));
        Assert.Equal(expected, DuplicateArns.Check(entries, FindingContext.Spec));
        Assert.Equal(ReferenceCheck(entries, FindingContext.AwsAuth), DuplicateArns.Check(entries, FindingContext.AwsAuth));

        // system:masters: the effective entries (the last of each ARN) as the GroupBy it replaced found them.
        var masters = entries.GroupBy(e => (e.IsUser, e.IsUser ? e.Entry.Arn! : GoStrings.ToLower(e.Entry.Arn!)))
            .Select(g => g.Last())
            .Where(e => e.Entry.Groups.Contains(StandardEntries.Masters))
            .ToList();
        var broad = Linter.LintSpec(compiled, new LintOptions(MastersThreshold: 1)).Findings.SingleOrDefault(f => f.Rule == "masters-broad");
        if (masters.Count > 1)
        {
            Assert.NotNull(broad);
            Assert.StartsWith(masters.Count + " principals are in system:masters (" + string.Join(", ", masters.Select(m => m.Entry.Arn)) + ")", broad.Message, StringComparison.Ordinal);
            Assert.Equal(masters[^1].Location, broad.Location);
        }
        else
        {
            Assert.Null(broad);
        }
    }

    [Fact]
    public void The_generated_specs_hold_what_the_comparisons_are_about()
    {
        var rules = new Dictionary<string, int>(StringComparer.Ordinal);
        var unsorted = 0;
        for (var seed = 1; seed <= 60; seed++)
        {
            var (spec, iam) = Generate(new Random(seed));
            var compiled = SpecCompiler.Compile(spec, iam);
            foreach (var finding in Linter.LintSpec(compiled, new LintOptions(MastersThreshold: 1)).Findings)
            {
                rules[finding.Rule] = rules.GetValueOrDefault(finding.Rule) + 1;
            }

            var custom = spec.Roles.Where(r => r.Kind == EntryKind.Custom).Select(r => r.Arn).ToList();
            unsorted += custom.SequenceEqual(custom.Order(StringComparer.Ordinal)) ? 0 : 1;
        }

        foreach (var rule in new[] { "duplicate-arn", "node-fargate-shared-role", "masters-broad", "arn-malformed", "arn-role-path", "arn-assumed-role", "arn-region", "arn-account", "arn-wrong-list", "arn-resource", "arn-service", "arn-unicode-case" })
        {
            Assert.True(rules.GetValueOrDefault(rule) > 0, rule);
        }

        Assert.True(unsorted > 10);
    }

    /// <summary>The plain form the compiler takes without parsing is what Parse takes as a path-less role or user without a problem.</summary>
    [Fact]
    public void Plain_arns_are_those_parse_takes_without_a_problem()
    {
        var texts = new List<string>();
        string[] partitions = ["aws", "aws-cn", "aws-eusc", "awsx", "", "aws:x"];
        string[] services = ["iam", "sts", "IAM", "iam:"];
        string[] regions = ["", "eu-west-1"];
        string[] accounts = [.. Accounts, "", "1111222233334", "١١١١٢٢٢٢٣٣٣٣", "111122223333:x"];
        string[] resources = ["role/a", "role/A:b", "role/", "role", "role//a", "role/p/a", "role/a/", "user/u", "user/", "user/p/u", "root", "group/g", "assumed-role/r/s", "Role/a", "role/ſ", "rolex/a"];
        foreach (var partition in partitions)
        {
            foreach (var service in services)
            {
                foreach (var region in regions)
                {
                    foreach (var account in accounts)
                    {
                        foreach (var resource in resources)
                        {
                            texts.Add("arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource);
                        }
                    }
                }
            }
        }

        texts.AddRange(["arn:", "arn:aws", "arn:aws:iam::111122223333:role/a\n", "ARN:aws:iam::111122223333:role/a", "xarn:aws:iam::111122223333:role/a", "arn:aws:iam::111122223333:"]);
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            texts.Add(Arn(random, random.Next(2) == 0 ? "role" : "user"));
        }

        var plain = 0;
        foreach (var text in texts)
        {
            var parsed = IamArn.Parse(text, out var problems);
            var expected = parsed is { Kind: IamArnKind.Role or IamArnKind.User, HasPath: false } && problems.Count == 0 && parsed.Arn.Region.Length == 0;
            // Parse also takes an account with a final line feed (the regular expression's '$'); the plain form leaves it to Parse.
            var isPlain = IamArn.IsPlain(text, out var kind, out var nameStart);
            Assert.True(isPlain ? expected : !expected || parsed!.Account.EndsWith('\n'), text);
            if (isPlain)
            {
                plain++;
                Assert.Equal(parsed!.Kind, kind);
                Assert.Equal(parsed.Name, text[nameStart..]);
            }
        }

        Assert.True(plain > 100);
    }

    [Fact]
    public void The_account_check_is_the_regular_expression()
    {
        var pattern = new Regex("^[0-9]{12}$", RegexOptions.CultureInvariant);
        string[] accounts = ["111122223333", "11112222333", "1111222233334", "111122223333\n", "111122223333\n\n", "111122223333\r", "11112222333\n", "\n111122223333", "11112222333a", "١١١١٢٢٢٢٣٣٣٣", "", "111122223333 "];
        foreach (var account in accounts)
        {
            IamArn.Parse("arn:aws:iam::" + account + ":role/x", out var problems);
            Assert.Equal(!pattern.IsMatch(account), problems.Any(p => p.Rule == "arn-account"));
        }
    }

    [Fact]
    public void The_duplicate_keys_are_go_lower_and_fold_keys()
    {
        string[] arns = ["arn:aws:iam::1:role/ops", "arn:aws:iam::1:role/OPS", "arn:aws:iam::1:role/\u212Aube", "arn:aws:iam::1:role/kube", "arn:aws:iam::1:role/KUBE", "arn:aws:iam::1:role/ſops", "arn:aws:iam::1:role/sops", "arn:aws:iam::1:role/İx", "arn:aws:iam::1:role/ix", "arn:aws:iam::1:role/i\u0307x"];
        foreach (var a in arns)
        {
            foreach (var b in arns)
            {
                Assert.Equal(GoStrings.ToLower(a) == GoStrings.ToLower(b), SameKey(a, b, isUser: false));
                Assert.Equal(GoStrings.FoldKey(a) == GoStrings.FoldKey(b), SameKey(a, b, isUser: true));
            }
        }

        static bool SameKey(string a, string b, bool isUser)
        {
            var entries = new[] { a, b }.Select((arn, i) => new ArnEntry(new MapEntry(arn, "u", []), isUser, EntryKind.Custom, new SourceLocation("f", i + 1))).ToList();
            return DuplicateArns.Check(entries, FindingContext.Spec).Count > 0;
        }
    }

    /// <summary>A spec of random principals drawn from a small pool, so that ARNs repeat exactly, in case and folded.</summary>
    private static (MappingSpec Spec, List<string> Iam) Generate(Random random)
    {
        var roles = new List<SpecPrincipal>();
        var users = new List<SpecPrincipal>();
        var kinds = Enum.GetValues<EntryKind>();
        var line = 0;
        for (var i = random.Next(0, 60); i > 0; i--)
        {
            var kind = random.Next(3) == 0 ? kinds[random.Next(kinds.Length)] : EntryKind.Custom;
            roles.Add(new SpecPrincipal(Arn(random, "role"), kind, random.Next(4) == 0 ? "name-" + random.Next(3) : null, Groups(random), new SourceLocation("spec.yaml", ++line, Path: "roles[" + roles.Count + "]")));
        }

        for (var i = random.Next(0, 30); i > 0; i--)
        {
            users.Add(new SpecPrincipal(Arn(random, "user"), EntryKind.Custom, random.Next(3) == 0 ? null : "user-" + random.Next(3), Groups(random), new SourceLocation("spec.yaml", ++line, Path: "users[" + users.Count + "]")));
        }

        var sets = new List<SpecPermissionSet>();
        if (random.Next(3) == 0)
        {
            sets.Add(new SpecPermissionSet("Admin", ["system:masters"], null, random.Next(2) == 0 ? [] : [Accounts[0]], new SourceLocation("spec.yaml", ++line, Path: "sets[0]")));
        }

        List<string> iam = ["arn:aws:iam::" + Accounts[0] + ":role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123abcd", "arn:aws:iam::" + Accounts[1] + ":role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_admin_ffff0000"];
        return (new MappingSpec(roles, users, [], [], "spec.yaml") { PermissionSets = sets }, iam);
    }

    private static string Arn(Random random, string list)
    {
        var account = Accounts[random.Next(Accounts.Length)];
        var name = Names[random.Next(Names.Length)];
        var type = random.Next(8) == 0 ? (list == "role" ? "user" : "role") : list;
        var text = random.Next(12) switch
        {
            0 => "arn:aws:iam::" + account + ":" + type + "/team/x/" + name,
            1 => "arn:aws:sts::" + account + ":assumed-role/" + name + "/session-" + random.Next(3),
            2 => "arn:aws:iam:eu-west-1:" + account + ":" + type + "/" + name,
            3 => random.Next(4) switch { 0 => "not-an-arn", 1 => "arn:aws:iam", 2 => "arn:aws:s3:::bucket", _ => "arn:aws:iam::" + account + ":group/g" },
            4 => "arn:aws-cn:iam::" + account + ":" + type + "/" + name,
            5 => "arn:aws:iam::" + account + ":root",
            _ => "arn:aws:iam::" + account + ":" + type + "/" + name,
        };

        // Case variants of the same ARN.
        return random.Next(5) == 0 ? new string([.. text.Select(c => random.Next(2) == 0 ? char.ToUpperInvariant(c) : c)]) : text;
    }

    private static List<string> Groups(Random random)
    {
        string[] pool = ["dev", "system:masters", "ops", "", "system:nodes", "system:bootstrappers", "{{SessionName}}"];
        return [.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => pool[random.Next(pool.Length)])];
    }

    /// <summary>
    /// The duplicate check's grouping and order as they were before it worked by index (keys lower-cased or folded,
    /// compared ordinally; groups by first appearance, roles first; in a spec, findings by the entry they are about),
    /// the reference. What it finds in one group alone is the check's own: each repeat in a spec has one finding.
    /// </summary>
    private static List<Diagnostic> ReferenceCheck(IReadOnlyList<ArnEntry> entries, FindingContext context)
    {
        var roles = new Dictionary<string, int>(StringComparer.Ordinal);
        var users = new Dictionary<string, int>(StringComparer.Ordinal);
        var repeated = new SortedDictionary<int, List<ArnEntry>>();
        for (var i = 0; i < entries.Count; i++)
        {
            var seen = entries[i].IsUser ? users : roles;
            var key = entries[i].IsUser ? GoStrings.FoldKey(entries[i].Entry.Arn!) : GoStrings.ToLower(entries[i].Entry.Arn!);
            if (!seen.TryAdd(key, i))
            {
                var first = seen[key];
                if (!repeated.TryGetValue(first, out var group))
                {
                    repeated[first] = group = [entries[first]];
                }

                group.Add(entries[i]);
            }
        }

        var findings = new List<(ArnEntry At, Diagnostic Finding)>();
        foreach (var group in repeated.Values.OrderBy(g => g[0].IsUser))
        {
            var found = DuplicateArns.Check(group, context);
            if (context == FindingContext.Spec)
            {
                Assert.Equal(group.Count - 1, found.Count);
            }

            findings.AddRange(found.Select((f, i) => (context == FindingContext.Spec ? group[i + 1] : group[^1], f)));
        }

        if (context == FindingContext.Spec && findings.Count > 1)
        {
            var position = new Dictionary<ArnEntry, int>(ReferenceEqualityComparer.Instance);
            for (var i = 0; i < entries.Count; i++)
            {
                position[entries[i]] = i;
            }

            return [.. findings.OrderBy(f => position[f.At]).Select(f => f.Finding)];
        }

        return [.. findings.Select(f => f.Finding)];
    }
}

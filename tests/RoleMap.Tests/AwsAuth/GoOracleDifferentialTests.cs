using System.Text;
using System.Text.Json;
using RoleMap.AwsAuth;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.AwsAuth;

/// <summary>
/// Differential test against the authenticator's real libraries (tests/go-oracle: gopkg.in/yaml.v2,
/// sigs.k8s.io/yaml, encoding/json, aws-sdk-go's arn.Parse, strings.ToLower and EqualFold): thousands of seeded
/// hostile aws-auth data keys, read by both, must agree on what each key holds (dropped or not, decode errors,
/// every entry and its validity, mapAccounts) and on how each caller resolves. Two seeds run by default;
/// ROLEMAP_ORACLE_CASES, ROLEMAP_ORACLE_SEED and ROLEMAP_ORACLE_SEED2 change the count and the seeds. Nothing is
/// tolerated: any disagreement fails.
/// </summary>
public partial class GoOracleDifferentialTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static int CaseCount => int.TryParse(Environment.GetEnvironmentVariable("ROLEMAP_ORACLE_CASES"), out var n) ? n : 10_000;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("ROLEMAP_ORACLE_SEED"), out var n) ? n : 15;

    /// <summary>A second seed, run by default too (CI included): <c>ROLEMAP_ORACLE_SEED2</c> changes it.</summary>
    private static int SecondSeed => int.TryParse(Environment.GetEnvironmentVariable("ROLEMAP_ORACLE_SEED2"), out var n) ? n : 1;

    [RequiresToolFact("go")]
    public void Seeded_hostile_configmaps_read_exactly_as_the_authenticator_reads_them() => RunSeed(Seed);

    [RequiresToolFact("go")]
    public void A_second_seed_reads_exactly_as_the_authenticator_reads_it() => RunSeed(SecondSeed);

    private void RunSeed(int seed)
    {
        var generator = new HostileAwsAuth(seed);
        var cases = new List<GoOracle.Case>(CaseCount);
        for (var i = 0; i < CaseCount; i++)
        {
            var (roles, users, accounts, callers) = generator.Case();
            cases.Add(new GoOracle.Case(roles, users, accounts, callers));
        }

        AssertAgree(cases);
        output.WriteLine(cases.Count + " cases agree (seed " + seed + ")");
    }

    /// <summary>Runs the cases through both sides; fails listing the first disagreements with the inputs.</summary>
    public static void AssertAgree(IReadOnlyList<GoOracle.Case> cases)
    {
        var expected = GoOracle.Run(cases);
        var failures = new StringBuilder();
        var count = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            var difference = Difference(cases[i], expected[i]);
            if (difference is null)
            {
                continue;
            }

            count++;
            if (count <= (int.TryParse(Environment.GetEnvironmentVariable("ROLEMAP_ORACLE_SHOW"), out var show) ? show : 12))
            {
                failures.Append("case ").Append(i).Append(": ").Append(difference).Append('\n')
                    .Append("  mapRoles: ").Append(HostileAwsAuth.Describe(cases[i].MapRoles)).Append('\n')
                    .Append("  mapUsers: ").Append(HostileAwsAuth.Describe(cases[i].MapUsers)).Append('\n')
                    .Append("  mapAccounts: ").Append(HostileAwsAuth.Describe(cases[i].MapAccounts)).Append('\n')
                    .Append("  go: ").Append(expected[i].GetRawText()).Append("\n\n");
            }
        }

        Assert.True(count == 0, count + " of " + cases.Count + " cases disagree with Go:\n" + failures);
    }

    /// <summary>The first way rolemap's reading of a case differs from Go's, or null.</summary>
    public static string? Difference(GoOracle.Case c, JsonElement go)
    {
        if (go.TryGetProperty("panic", out var panic))
        {
            return "the Go oracle panicked: " + panic.GetString();
        }

        var data = new List<KeyValuePair<string, string>>();
        Add("mapRoles", c.MapRoles);
        Add("mapUsers", c.MapUsers);
        Add("mapAccounts", c.MapAccounts);
        AwsAuthDocument document;
        try
        {
            document = AwsAuthParser.ParseData(data, null, "oracle");
        }
        catch (Exception ex)
        {
            return "rolemap threw " + ex.GetType().Name + ": " + ex.Message;
        }

        foreach (var (key, value) in data)
        {
            if (FastAndExactDiffer(value, key == "mapAccounts" ? RoleMap.Yaml.UnmarshalTarget.StringList : RoleMap.Yaml.UnmarshalTarget.Json) is { } paths)
            {
                return key + ": " + paths;
            }
        }

        var difference = CompareList("mapRoles", document.MapRoles, go.GetProperty("mapRoles"))
            ?? CompareList("mapUsers", document.MapUsers, go.GetProperty("mapUsers"))
            ?? CompareAccounts(document.MapAccounts, go.GetProperty("mapAccounts"));
        if (difference is not null)
        {
            return difference;
        }

        var resolver = new Resolver(document.Effective);
        var callers = go.GetProperty("callers").EnumerateArray().ToList();
        for (var i = 0; i < c.Callers.Count; i++)
        {
            if (CompareCaller(resolver.Resolve(c.Callers[i]), callers[i]) is { } callerDifference)
            {
                return "caller " + c.Callers[i] + ": " + callerDifference;
            }
        }

        return null;

        void Add(string key, string? value)
        {
            if (value is not null)
            {
                data.Add(new(key, value));
            }
        }
    }

    /// <summary>The fast path (BlockYamlReader) and the exact path (the go-yaml transcription) must read a key alike, mapAccounts included.</summary>
    private static string? FastAndExactDiffer(string value, RoleMap.Yaml.UnmarshalTarget target)
    {
        var fast = RoleMap.Yaml.YamlLoader.TryUnmarshal(value, target, fastPath: true, out var fastRoot, out _, out var fastNotes);
        var exact = RoleMap.Yaml.YamlLoader.TryUnmarshal(value, target, fastPath: false, out var exactRoot, out _, out var exactNotes);
        if (fast != exact)
        {
            return "the fast path " + (fast ? "reads" : "refuses") + " it, the exact path " + (exact ? "reads" : "refuses") + " it";
        }

        var (a, b) = (Dump(fastRoot), Dump(exactRoot));
        return a != b ? "the fast path reads " + a + ", the exact path " + b
            : fastNotes.IgnoredFromLine.HasValue != exactNotes.IgnoredFromLine.HasValue ? "the paths disagree on content after the first document" : null;
    }

    private static string Dump(RoleMap.Yaml.YNode? node) => node switch
    {
        null => "~",
        RoleMap.Yaml.YScalar s => s.Kind + ":" + Quote(s.Value),
        RoleMap.Yaml.YSequence q => "[" + string.Join(",", q.Items.Select(Dump)) + "]",
        RoleMap.Yaml.YMapping m => "{" + string.Join(",", m.Pairs.Select(p => Dump(p.Key) + "=" + Dump(p.Value))) + "}",
        _ => "?",
    };

    private static string? CompareList(string key, ParsedList list, JsonElement go)
    {
        if (list.Present != go.GetProperty("present").GetBoolean() || list.Skippable != go.GetProperty("skipped").GetBoolean())
        {
            return key + ": presence differs";
        }

        var goDropped = go.TryGetProperty("convertError", out var convertError);
        if (list.Dropped != goDropped)
        {
            return key + ": Go " + (goDropped ? "drops the key (" + convertError.GetString() + ")" : "reads the key") + ", rolemap " + (list.Dropped ? "drops it (" + list.SyntaxError!.Message + ")" : "reads it");
        }

        var goEntries = go.GetProperty("entries").EnumerateArray().ToList();
        if (goEntries.Count != list.Entries.Count)
        {
            return key + ": Go reads " + goEntries.Count + " entries, rolemap " + list.Entries.Count;
        }

        var goDecodeError = go.TryGetProperty("decodeError", out var decodeError);
        var decodeErrors = list.TopLevelTypeError is not null || list.Entries.Any(e => e.TypeErrors.Count > 0 || e.Node is not (RoleMap.Yaml.YMapping or RoleMap.Yaml.YScalar { Kind: RoleMap.Yaml.ScalarKind.Null }));
        if (goDecodeError != decodeErrors)
        {
            return key + ": Go " + (goDecodeError ? "reports a decode error (" + decodeError.GetString() + ")" : "decodes without error") + ", rolemap " + (decodeErrors ? "reports type errors" : "does not");
        }

        for (var i = 0; i < goEntries.Count; i++)
        {
            var g = goEntries[i];
            var mine = list.Entries[i];
            var goInvalid = g.TryGetProperty("invalid", out var invalid) ? invalid.GetString() : null;
            var same = (mine.Entry.Arn ?? string.Empty) == g.GetProperty("arn").GetString()
                && (mine.Entry.Username ?? string.Empty) == g.GetProperty("username").GetString()
                && mine.Entry.Groups.SequenceEqual(Strings(g.GetProperty("groups")), StringComparer.Ordinal)
                && (key == "mapUsers" || mine.HasSso == g.GetProperty("hasSso").GetBoolean())
                && (mine.InvalidReason is null) == (goInvalid is null);
            if (!same)
            {
                return key + "[" + i + "]: Go reads " + g.GetRawText() + ", rolemap arn=" + Quote(mine.Entry.Arn) + " username=" + Quote(mine.Entry.Username)
                    + " groups=[" + string.Join(", ", mine.Entry.Groups.Select(Quote)) + "] sso=" + mine.HasSso + " invalid=" + Quote(mine.InvalidReason);
            }
        }

        return null;
    }

    private static string? CompareAccounts(ParsedAccounts accounts, JsonElement go)
    {
        if (accounts.Present != go.GetProperty("present").GetBoolean() || accounts.Skippable != go.GetProperty("skipped").GetBoolean())
        {
            return "mapAccounts: presence differs";
        }

        var goError = go.TryGetProperty("error", out var error);
        var mineError = accounts.SyntaxError is not null || accounts.TypeErrors.Count > 0;
        if (goError != mineError)
        {
            return "mapAccounts: Go " + (goError ? "reports " + error.GetString() : "reads it without error") + ", rolemap " + (mineError ? "reports " + (accounts.SyntaxError?.Message ?? accounts.TypeErrors[0]) : "does not");
        }

        var items = Strings(go.GetProperty("items"));
        var mine = accounts.Accounts.Select(a => a.Account).ToList();
        return items.SequenceEqual(mine, StringComparer.Ordinal) ? null : "mapAccounts: Go reads [" + string.Join(", ", items.Select(Quote)) + "], rolemap [" + string.Join(", ", mine.Select(Quote)) + "]";
    }

    private static string? CompareCaller(ResolveResult mine, JsonElement go)
    {
        var goFailure = go.TryGetProperty("failure", out var failure) ? failure.GetString() : null;
        if (goFailure is not null || !mine.Canonical.IsValid)
        {
            return goFailure == mine.Canonical.Error ? null : "Go fails with " + Quote(goFailure) + ", rolemap with " + Quote(mine.Canonical.Error);
        }

        var source = go.GetProperty("source").GetString();
        if (mine.Mapping is null && mine.Failure is not null && source is "mapRoles" or "mapUsers")
        {
            return null; // the entry matched, and its {{EC2PrivateDNSName}} rejects this caller: templates are outside the oracle
        }

        var mineSource = mine.Mapping is null ? string.Empty : mine.Mapping.MatchedBy switch
        {
            MatchSource.MapRoles => "mapRoles",
            MatchSource.MapUsers => "mapUsers",
            _ => "mapAccounts",
        };
        if (source != mineSource)
        {
            return "Go maps it through " + Quote(source) + ", rolemap through " + Quote(mineSource);
        }

        if (mine.Mapping is null || go.GetProperty("candidates").GetInt32() > 1)
        {
            return null; // more than one candidate: Go picks one at random
        }

        var username = mine.Mapping.Entry?.Username ?? mine.Mapping.Username;
        var groups = mine.Mapping.Entry?.Groups ?? mine.Mapping.Groups;
        var same = username == go.GetProperty("username").GetString() && groups.SequenceEqual(Strings(go.GetProperty("groups")), StringComparer.Ordinal);
        return same ? null : "Go resolves to " + go.GetRawText() + ", rolemap to username=" + Quote(username) + " groups=[" + string.Join(", ", groups.Select(Quote)) + "]";
    }

    private static List<string> Strings(JsonElement array) =>
        array.ValueKind == JsonValueKind.Array ? [.. array.EnumerateArray().Select(e => e.GetString()!)] : [];

    private static string Quote(string? text) => text is null ? "null" : JsonSerializer.Serialize(text, RoleMap.Tests.Yaml.StringJsonContext.Default.String);
}

using RoleMap.Rbac;

namespace RoleMap.Tests.Rbac;

/// <summary>Rule matching, transcribed from the upstream tests named on each test (rbac-semantics.md section 8, groups A, B, C).</summary>
public class RuleMatcherTests
{
    private static PolicyRule Resources(params string[] resources) => PolicyRule.ForResources(["*"], ["*"], resources);

    // Group A: pkg/apis/rbac/helpers_test.go TestResourceMatches.
    [Theory]
    [InlineData("A1 all matches 01", new[] { "*" }, "foo", "", true)]
    [InlineData("A2 checks all rules", new[] { "doesn't match", "*" }, "foo", "", true)]
    [InlineData("A3 matches exact rule", new[] { "foo/bar" }, "foo/bar", "bar", true)]
    [InlineData("A4 matches exact rule 02", new[] { "foo/bar" }, "foo", "", false)]
    [InlineData("A5 matches subresource", new[] { "*/scale" }, "foo/scale", "scale", true)]
    [InlineData("A6 checks all rules 02", new[] { "foo/bar", "*/other" }, "foo/other/segment", "other/segment", false)]
    [InlineData("A7 matches multi-part subresource", new[] { "*/other/segment" }, "foo/other/segment", "other/segment", true)]
    [InlineData("A8 doesn't fail on empty", new[] { "" }, "foo/other/segment", "other/segment", false)]
    [InlineData("A9 doesn't fail on slash", new[] { "/" }, "foo/other/segment", "other/segment", false)]
    [InlineData("A10 doesn't fail on missing subresource", new[] { "*/" }, "foo/other/segment", "other/segment", false)]
    [InlineData("A11 doesn't match on not star", new[] { "*something/other/segment" }, "foo/other/segment", "other/segment", false)]
    [InlineData("A12 doesn't match on something else", new[] { "something/other/segment" }, "foo/other/segment", "other/segment", false)]
    public void ResourceMatches_upstream_vectors(string id, string[] ruleResources, string combined, string subresource, bool expected)
    {
        Assert.True(expected == RuleMatcher.ResourceMatches(Resources(ruleResources), combined, subresource), id);
    }

    // Group B: pkg/registry/rbac/validation/policy_comparator_test.go TestNonResourceURLCovers (same algorithm as NonResourceURLMatches).
    [Theory]
    [InlineData("B1", "*", "", true)]
    [InlineData("B2", "*", "/", true)]
    [InlineData("B3", "*", "/api", true)]
    [InlineData("B4", "/*", "", false)]
    [InlineData("B5", "/*", "/", true)]
    [InlineData("B6", "/*", "/foo", true)]
    [InlineData("B7", "/api", "/api", true)]
    [InlineData("B8", "/apis", "/api", false)]
    [InlineData("B9", "/api/v1", "/api", false)]
    [InlineData("B10", "/api/v1", "/api/v1", true)]
    [InlineData("B11", "/api/*", "/api/v1", true)]
    [InlineData("B12", "/api/*", "/api", false)]
    [InlineData("B13", "/api/*/*", "/api/v1", false)]
    [InlineData("B14", "/*/v1/*", "/api/v1", false)]
    public void NonResourceUrlMatches_upstream_vectors(string id, string ruleUrl, string path, bool expected)
    {
        Assert.True(expected == RuleMatcher.NonResourceUrlMatches(PolicyRule.ForUrls(["get"], [ruleUrl]), path), id);
    }

    public static TheoryData<string, PolicyRule, Attributes, bool> RuleMatchesVectors()
    {
        // Group C: plugin/pkg/auth/authorizer/rbac/rbac_test.go TestRuleMatches.
        var data = new TheoryData<string, PolicyRule, Attributes, bool>();
        var c1 = PolicyRule.ForResources(["*"], ["group1"], ["resource1"]);
        var c2 = PolicyRule.ForResources(["verb1"], ["*"], ["resource1"]);
        var c3 = PolicyRule.ForResources(["verb1"], ["group1"], ["*"]);
        var c4 = PolicyRule.ForResources(["verb1", "verb2"], ["group1", "group2"], ["resource1", "resource2"]);
        string[] requests = ["verb1 group1 resource1", "verb1 group2 resource1", "verb1 group1 resource2", "verb1 group2 resource2", "verb2 group1 resource1", "verb2 group2 resource1", "verb2 group1 resource2", "verb2 group2 resource2"];
        bool[][] expected =
        [
            [true, true, true, true],
            [false, true, false, true],
            [false, false, true, true],
            [false, false, false, true],
            [true, false, false, true],
            [false, false, false, true],
            [false, false, false, true],
            [false, false, false, true],
        ];
        PolicyRule[] rules = [c1, c2, c3, c4];
        for (var r = 0; r < requests.Length; r++)
        {
            var parts = requests[r].Split(' ');
            for (var c = 0; c < rules.Length; c++)
            {
                data.Add("C" + (c + 1) + " " + requests[r], rules[c], Attributes.ForResource(parts[0], parts[1], parts[2]), expected[r][c]);
            }
        }

        var c5 = PolicyRule.ForResources(["*"], ["*"], ["resource1/subresource1"]);
        foreach (var (request, allowed) in new[]
        {
            ("verb1 group1 resource1 subresource1", true), ("verb1 group2 resource1 subresource2", false),
            ("verb1 group1 resource2 subresource1", false), ("verb1 group2 resource2 subresource1", false),
            ("verb2 group1 resource1 subresource1", true), ("verb2 group2 resource1 subresource2", false),
            ("verb2 group1 resource2 subresource1", false), ("verb2 group2 resource2 subresource1", false),
        })
        {
            var p = request.Split(' ');
            data.Add("C5 " + request, c5, Attributes.ForResource(p[0], p[1], p[2], p[3]), allowed);
        }

        var c6 = PolicyRule.ForUrls(["verb1"], ["*"]);
        var c7 = PolicyRule.ForUrls(["verb1"], ["/foo/*"]);
        var c8 = PolicyRule.ForUrls(["*"], ["/foo", "/foo/bar/one"]);
        foreach (var (path, c6v1, c7v1, c8v1) in new[]
        {
            ("/foo", true, false, true), ("/foo/bar", true, true, false), ("/foo/baz", true, true, false),
            ("/foo/bar/one", true, true, true), ("/foo/baz/one", true, true, false),
        })
        {
            data.Add("C6 verb1 " + path, c6, Attributes.ForUrl("verb1", path), c6v1);
            data.Add("C6 verb2 " + path, c6, Attributes.ForUrl("verb2", path), false);
            data.Add("C7 verb1 " + path, c7, Attributes.ForUrl("verb1", path), c7v1);
            data.Add("C8 verb1 " + path, c8, Attributes.ForUrl("verb1", path), c8v1);
            data.Add("C8 verb2 " + path, c8, Attributes.ForUrl("verb2", path), c8v1);
        }

        foreach (var path in new[] { "/notfoo", "/notfoo/bar", "/notfoo/baz", "/notfoo/bar/one", "/notfoo/baz/one" })
        {
            data.Add("C7 verb1 " + path, c7, Attributes.ForUrl("verb1", path), false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RuleMatchesVectors))]
    public void RuleAllows_upstream_vectors(string id, PolicyRule rule, Attributes request, bool expected)
    {
        Assert.True(expected == RuleMatcher.RuleAllows(request, rule), id);
    }

    [Fact]
    public void Upstream_vector_count_is_complete()
    {
        Assert.Equal(70, RuleMatchesVectors().Count);
    }

    // Derived from evaluation_helpers.go: the wildcard table of rbac-semantics.md 2.2 for "get pods/log".
    [Theory]
    [InlineData("*", true, true)]
    [InlineData("pods", false, true)]
    [InlineData("pods/log", true, false)]
    [InlineData("*/log", true, false)]
    [InlineData("pods/*", false, false)]
    [InlineData("*/*", false, false)]
    [InlineData("pod*", false, false)]
    public void Only_whole_star_and_star_slash_sub_are_wildcards(string ruleResource, bool matchesLog, bool matchesPods)
    {
        var rule = PolicyRule.ForResources(["get"], [""], [ruleResource]);
        Assert.Equal(matchesLog, RuleMatcher.RuleAllows(Attributes.ForResource("get", "", "pods", "log"), rule));
        Assert.Equal(matchesPods, RuleMatcher.RuleAllows(Attributes.ForResource("get", "", "pods"), rule));
    }

    [Fact]
    public void Verb_group_and_names_are_exact_case_sensitive_strings()
    {
        var rule = PolicyRule.ForResources(["get"], [""], ["pods"], ["web"]);
        Assert.True(RuleMatcher.RuleAllows(Attributes.ForResource("get", "", "pods", name: "web"), rule));
        Assert.False(RuleMatcher.RuleAllows(Attributes.ForResource("Get", "", "pods", name: "web"), rule));
        Assert.False(RuleMatcher.RuleAllows(Attributes.ForResource("get", "core", "pods", name: "web"), rule));
        Assert.False(RuleMatcher.RuleAllows(Attributes.ForResource("get", "", "pods", name: "Web"), rule));
        Assert.False(RuleMatcher.RuleAllows(Attributes.ForResource("get", "", "pods"), rule)); // no name: a named rule never matches
        Assert.False(RuleMatcher.RuleAllows(Attributes.ForResource("*", "", "pods", name: "web"), rule)); // a requested * only matches a rule *
        Assert.True(RuleMatcher.RuleAllows(Attributes.ForResource("get", "", "pods", name: ""), PolicyRule.ForResources(["get"], [""], ["pods"], [""])));
    }

    [Fact]
    public void Empty_lists_match_nothing()
    {
        Assert.False(RuleMatcher.RuleAllows(Attributes.ForResource("get", "", "pods"), PolicyRule.ForResources(["get"], [], ["pods"])));
        Assert.False(RuleMatcher.RuleAllows(Attributes.ForResource("get", "", "pods"), PolicyRule.ForResources([], [""], ["pods"])));
        Assert.False(RuleMatcher.RuleAllows(Attributes.ForUrl("get", "/healthz"), PolicyRule.ForUrls(["get"], [])));
    }

    [Fact]
    public void A_rule_with_resources_and_urls_is_judged_per_request_kind()
    {
        var rule = new PolicyRule(["get"], [""], ["pods"], [], ["/healthz"]);
        Assert.True(RuleMatcher.RuleAllows(Attributes.ForResource("get", "", "pods"), rule));
        Assert.True(RuleMatcher.RuleAllows(Attributes.ForUrl("get", "/healthz"), rule));
        Assert.False(RuleMatcher.RuleAllows(Attributes.ForUrl("get", "/pods"), rule));
    }
}

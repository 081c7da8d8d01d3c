using RoleMap.Rbac;

namespace RoleMap.Tests.Rbac;

/// <summary>Aggregated ClusterRoles, transcribed from the controller's tests and checked on the defaults.</summary>
public class AggregationTests
{
    private static readonly PolicyRule HammerNails = PolicyRule.ForResources(["hammer"], [""], ["nails"]);
    private static readonly PolicyRule HammerWedges = PolicyRule.ForResources(["hammer"], [""], ["wedges"]);
    private static readonly PolicyRule Chisel = PolicyRule.ForResources(["chisel"], [""], ["mortises"]);
    private static readonly PolicyRule Saw = PolicyRule.ForResources(["saw"], [""], ["boards"]);
    private static readonly ObjectSource Test = new("test");

    private static ClusterRole Role(string name, string foo, params PolicyRule[] rules) =>
        new(name, new Dictionary<string, string> { ["foo"] = foo }, rules, null, Test);

    private static ClusterRole Combined(string[] selectorValues, params PolicyRule[] rules) =>
        new("combined", new Dictionary<string, string>(), rules, [.. selectorValues.Select(v => new LabelSelector([new("foo", v)], []))], Test);

    public static TheoryData<string, ClusterRole[], PolicyRule[]> SyncVectors() => new()
    {
        // pkg/controller/clusterroleaggregation/clusterroleaggregation_controller_test.go TestSyncClusterRole.
        { "H1 remove dead rules", [Role("hammer", "bar", HammerNails, HammerWedges), Combined(["bar"], Saw)], [HammerNails, HammerWedges] },
        // H2: upstream asserts that the controller applies an empty rule list; with server-side apply (Kubernetes 1.21+)
        // that claims no rules, so the API server keeps the author's rules. What is stored is what is modelled.
        { "H2 strip rules", [Role("hammer", "not-bar", HammerNails, HammerWedges), Combined(["bar"], HammerNails, HammerWedges)], [HammerNails, HammerWedges] },
        { "H3 select properly and put in order", [Role("hammer", "bar", HammerNails, HammerWedges), Role("chisel", "bar", Chisel), Role("saw", "not-bar", Saw), Combined(["bar"])], [Chisel, HammerNails, HammerWedges] },
        { "H4 select properly with multiple selectors", [Role("hammer", "bar", HammerNails, HammerWedges), Role("chisel", "bar", Chisel), Role("saw", "not-bar", Saw), Combined(["bar", "not-bar"])], [Chisel, HammerNails, HammerWedges, Saw] },
        { "H5 select properly remove duplicates", [Role("hammer", "bar", HammerNails, HammerWedges), Role("chisel", "bar", Chisel), Role("saw", "bar", Saw), Role("other-saw", "not-bar", Saw), Combined(["bar", "not-bar"])], [Chisel, HammerNails, HammerWedges, Saw] },
        { "H6 no diff skip", [Role("hammer", "bar", HammerNails, HammerWedges), Combined(["bar"], HammerNails, HammerWedges)], [HammerNails, HammerWedges] },
    };

    [Theory]
    [MemberData(nameof(SyncVectors))]
    public void SyncClusterRole_upstream_vectors(string id, ClusterRole[] roles, PolicyRule[] expected)
    {
        var result = Aggregation.Compute(roles);
        var combined = result.ClusterRoles.Single(r => r.Name == "combined");
        Assert.True(expected.SequenceEqual(combined.Rules), id + ": got " + string.Join(" | ", combined.Rules));
    }

    [Fact]
    public void Selectors_that_match_nothing_leave_the_written_rules_granting_with_a_warning()
    {
        var result = Aggregation.Compute([Role("saw", "not-bar", Saw), Combined(["bar"], Chisel)]);
        Assert.Equal([Chisel], result.ClusterRoles.Single(r => r.Name == "combined").Rules);
        var warning = Assert.Single(result.Diagnostics, d => d.Rule == "rbac-aggregation-kept-rules");
        Assert.Contains("1.21", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Diagnostics, d => d.Rule == "rbac-aggregation-replaced-rules");

        // Once a selector matches a role with rules, those replace the written ones.
        var matched = Aggregation.Compute([Role("saw", "bar", Saw), Combined(["bar"], Chisel)]);
        Assert.Equal([Saw], matched.ClusterRoles.Single(r => r.Name == "combined").Rules);
        Assert.Contains(matched.Diagnostics, d => d.Rule == "rbac-aggregation-replaced-rules");
    }

    [Fact]
    public void Aggregation_is_transitive_to_a_fixed_point_whatever_the_order()
    {
        var leaf = new ClusterRole("a-leaf", new Dictionary<string, string> { ["to-mid"] = "true" }, [Saw], null, Test);
        var mid = new ClusterRole("b-mid", new Dictionary<string, string> { ["to-top"] = "true" }, [], [new LabelSelector([new("to-mid", "true")], [])], Test);
        var top = new ClusterRole("0-top", new Dictionary<string, string>(), [], [new LabelSelector([new("to-top", "true")], [])], Test);
        var result = Aggregation.Compute([top, mid, leaf]);
        Assert.Equal([Saw], result.ClusterRoles.Single(r => r.Name == "0-top").Rules);
    }

    [Fact]
    public void A_role_never_aggregates_itself_and_cycles_settle()
    {
        var a = new ClusterRole("a", new Dictionary<string, string> { ["x"] = "1" }, [Saw], [new LabelSelector([new("x", "1")], [])], Test);
        var b = new ClusterRole("b", new Dictionary<string, string> { ["x"] = "1" }, [Chisel], [new LabelSelector([new("x", "1")], [])], Test);
        var c = new ClusterRole("c", new Dictionary<string, string> { ["x"] = "1" }, [HammerNails], null, Test);
        var result = Aggregation.Compute([a, b, c]);
        Assert.DoesNotContain(result.Diagnostics, d => d.Rule == "rbac-aggregation-unstable");
        Assert.Equal([HammerNails], result.ClusterRoles.Single(r => r.Name == "a").Rules.Intersect([HammerNails]));
    }

    [Fact]
    public void Empty_selector_selects_every_other_cluster_role()
    {
        var all = new ClusterRole("all", new Dictionary<string, string>(), [], [new LabelSelector([], [])], Test);
        var result = Aggregation.Compute([all, Role("hammer", "x", HammerNails), Role("saw", "y", Saw)]);
        Assert.Equal([HammerNails, Saw], result.ClusterRoles.Single(r => r.Name == "all").Rules);
    }

    [Theory]
    [InlineData("In", new[] { "bar", "baz" }, true)]
    [InlineData("In", new[] { "baz" }, false)]
    [InlineData("NotIn", new[] { "baz" }, true)]
    [InlineData("NotIn", new[] { "bar" }, false)]
    [InlineData("Exists", new string[0], true)]
    [InlineData("DoesNotExist", new string[0], false)]
    public void Match_expressions(string op, string[] values, bool selected)
    {
        var selector = new LabelSelector([], [new LabelRequirement("foo", op, values)]);
        Assert.Equal(selected, selector.Matches(new Dictionary<string, string> { ["foo"] = "bar" }));
    }

    [Fact]
    public void Default_admin_contains_edit_contains_view()
    {
        var policy = RbacPolicy.Build(RbacObjects.Empty);
        var view = policy.FindClusterRole("view")!.Rules;
        var edit = policy.FindClusterRole("edit")!.Rules;
        var admin = policy.FindClusterRole("admin")!.Rules;
        Assert.NotEmpty(view);
        Assert.Empty(view.Except(edit));
        Assert.Empty(edit.Except(admin));
        Assert.Equal(policy.FindClusterRole("system:aggregate-to-view")!.Rules, view);
        Assert.Contains(admin, r => r.Resources.Contains("rolebindings"));
        Assert.DoesNotContain(edit, r => r.Resources.Contains("rolebindings"));
    }

    [Fact]
    public void A_custom_role_with_the_label_joins_the_defaults()
    {
        var crd = new ClusterRole("widgets-view", new Dictionary<string, string> { ["rbac.authorization.k8s.io/aggregate-to-view"] = "true" }, [PolicyRule.ForResources(["get"], ["example.com"], ["widgets"])], null, Test);
        var policy = RbacPolicy.Build(new RbacObjects([], [crd], [], [], []));
        foreach (var name in new[] { "view", "edit", "admin" })
        {
            Assert.Contains(policy.FindClusterRole(name)!.Rules, r => r.Resources.Contains("widgets"));
        }
    }
}

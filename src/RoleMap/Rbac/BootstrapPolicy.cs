namespace RoleMap.Rbac;

/// <summary>
/// The default RBAC objects a Kubernetes API server creates (plugin/pkg/auth/authorizer/rbac/bootstrappolicy),
/// shipped as data (BootstrapPolicy.yaml, embedded). The <c>system:controller:NAME</c> roles are bound to the
/// ServiceAccount <c>kube-system/NAME</c> as controller_policy.go does.
/// </summary>
public static class BootstrapPolicy
{
    /// <summary>The Kubernetes release the defaults describe.</summary>
    public const string KubernetesVersion = "1.34";

    private const string ResourceName = "RoleMap.Rbac.BootstrapPolicy.yaml";
    private const string ControllerPrefix = "system:controller:";

    private static readonly Lazy<RbacObjects> Defaults = new(Load);

    /// <summary>The default objects (ClusterRoles before aggregation).</summary>
    public static RbacObjects Objects => Defaults.Value;

    /// <summary>
    /// The input plus every default the input does not replace: an input object of the same kind, namespace and
    /// name wins (a live cluster's copy, or an edited default).
    /// </summary>
    public static RbacObjects AddTo(RbacObjects input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var defaults = Objects;
        var taken = new HashSet<(string, string, string)>(
            input.Roles.Cast<RbacObject>().Concat(input.ClusterRoles).Concat(input.RoleBindings).Concat(input.ClusterRoleBindings)
                .Select(o => (o.Kind, o.Namespace, o.Name)));
        bool Free(RbacObject o) => !taken.Contains((o.Kind, o.Namespace, o.Name));
        return new RbacObjects(
            [.. defaults.Roles.Where(Free), .. input.Roles],
            [.. defaults.ClusterRoles.Where(Free), .. input.ClusterRoles],
            [.. defaults.RoleBindings.Where(Free), .. input.RoleBindings],
            [.. defaults.ClusterRoleBindings.Where(Free), .. input.ClusterRoleBindings],
            input.Diagnostics);
    }

    private static RbacObjects Load()
    {
        using var stream = typeof(BootstrapPolicy).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("the bootstrap policy resource " + ResourceName + " is missing from the assembly");
        using var reader = new StreamReader(stream);
        var loaded = RbacLoader.Load(reader.ReadToEnd(), "bootstrap");
        var source = ObjectSource.Default(KubernetesVersion);
        var controllerBindings = loaded.ClusterRoles
            .Where(r => r.Name.StartsWith(ControllerPrefix, StringComparison.Ordinal))
            .Select(r => new ClusterRoleBinding(r.Name, new RoleRef("ClusterRole", r.Name), [Subject.ServiceAccount("kube-system", r.Name[ControllerPrefix.Length..])], source));
        return new RbacObjects(
            [.. loaded.Roles.Select(r => r with { Source = source })],
            [.. loaded.ClusterRoles.Select(r => r with { Source = source })],
            [.. loaded.RoleBindings.Select(r => r with { Source = source })],
            [.. loaded.ClusterRoleBindings.Select(r => r with { Source = source }), .. controllerBindings],
            loaded.Diagnostics);
    }

    /// <summary>Whether an object is one of the shipped defaults (not from the input).</summary>
    public static bool IsDefault(RbacObject item) => item?.Source.IsDefault ?? false;
}

using System.Text.RegularExpressions;

namespace RoleMap.Rbac;

/// <summary>Whether objects of a resource live in a namespace.</summary>
public enum ResourceScope
{
    Namespaced,
    Cluster,

    /// <summary>Not a built-in resource: rolemap cannot know (a CRD or an aggregated API).</summary>
    Unknown,
}

/// <summary>A built-in resource: plural name, API group, scope, kind and kubectl's short names.</summary>
/// <param name="IsPseudo">Not a real API resource but a name authorization checks use (impersonate users, approve signers).</param>
public sealed record ResourceInfo(string Resource, string Group, bool Namespaced, string Kind, IReadOnlyList<string> ShortNames, bool IsPseudo = false)
{
    public ResourceScope Scope => Namespaced ? ResourceScope.Namespaced : ResourceScope.Cluster;

    /// <summary><c>pods</c> or <c>deployments.apps</c>.</summary>
    public string Display => RuleText.Resource(Group, Resource);
}

/// <summary>The result of reading a TYPE argument: what RBAC will be asked about, and how sure rolemap is.</summary>
public sealed record ResolvedResource(string Group, string Resource, ResourceScope Scope, ResourceInfo? Info, string? Note)
{
    public string Display => RuleText.Resource(Group, Resource);
}

/// <summary>
/// The resources a current Kubernetes (1.34) API server serves without add-ons, as <c>kubectl api-resources</c> lists
/// them, so that <c>deploy</c>, <c>deployment</c> and <c>Deployment</c> all mean <c>deployments.apps</c> without a
/// cluster to ask. Anything else is <c>TYPE.GROUP</c> (a CRD) or the core group.
/// </summary>
public static partial class BuiltinResources
{
    private static readonly ResourceInfo[] Table =
    [
        // Core group first: kubectl prefers it when a name is served by several groups (events).
        N("bindings", "", "Binding"),
        C("componentstatuses", "", "ComponentStatus", "cs"),
        N("configmaps", "", "ConfigMap", "cm"),
        N("endpoints", "", "Endpoints", "ep"),
        N("events", "", "Event", "ev"),
        N("limitranges", "", "LimitRange", "limits"),
        C("namespaces", "", "Namespace", "ns"),
        C("nodes", "", "Node", "no"),
        N("persistentvolumeclaims", "", "PersistentVolumeClaim", "pvc"),
        C("persistentvolumes", "", "PersistentVolume", "pv"),
        N("pods", "", "Pod", "po"),
        N("podtemplates", "", "PodTemplate"),
        N("replicationcontrollers", "", "ReplicationController", "rc"),
        N("resourcequotas", "", "ResourceQuota", "quota"),
        N("secrets", "", "Secret"),
        N("serviceaccounts", "", "ServiceAccount", "sa"),
        N("services", "", "Service", "svc"),
        C("mutatingwebhookconfigurations", "admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
        C("validatingadmissionpolicies", "admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
        C("validatingadmissionpolicybindings", "admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
        C("validatingwebhookconfigurations", "admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        C("customresourcedefinitions", "apiextensions.k8s.io", "CustomResourceDefinition", "crd", "crds"),
        C("apiservices", "apiregistration.k8s.io", "APIService"),
        N("controllerrevisions", "apps", "ControllerRevision"),
        N("daemonsets", "apps", "DaemonSet", "ds"),
        N("deployments", "apps", "Deployment", "deploy"),
        N("replicasets", "apps", "ReplicaSet", "rs"),
        N("statefulsets", "apps", "StatefulSet", "sts"),
        C("selfsubjectreviews", "authentication.k8s.io", "SelfSubjectReview"),
        C("tokenreviews", "authentication.k8s.io", "TokenReview"),
        N("localsubjectaccessreviews", "authorization.k8s.io", "LocalSubjectAccessReview"),
        C("selfsubjectaccessreviews", "authorization.k8s.io", "SelfSubjectAccessReview"),
        C("selfsubjectrulesreviews", "authorization.k8s.io", "SelfSubjectRulesReview"),
        C("subjectaccessreviews", "authorization.k8s.io", "SubjectAccessReview"),
        N("horizontalpodautoscalers", "autoscaling", "HorizontalPodAutoscaler", "hpa"),
        N("cronjobs", "batch", "CronJob", "cj"),
        N("jobs", "batch", "Job"),
        C("certificatesigningrequests", "certificates.k8s.io", "CertificateSigningRequest", "csr"),
        N("leases", "coordination.k8s.io", "Lease"),
        N("endpointslices", "discovery.k8s.io", "EndpointSlice"),
        N("events", "events.k8s.io", "Event", "ev"),
        C("flowschemas", "flowcontrol.apiserver.k8s.io", "FlowSchema"),

        // metrics-server's aggregated API: not built in, but on nearly every EKS cluster ('kubectl top').
        C("nodes", "metrics.k8s.io", "NodeMetrics"),
        N("pods", "metrics.k8s.io", "PodMetrics"),
        C("prioritylevelconfigurations", "flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
        C("ingressclasses", "networking.k8s.io", "IngressClass"),
        N("ingresses", "networking.k8s.io", "Ingress", "ing"),
        C("ipaddresses", "networking.k8s.io", "IPAddress", "ip"),
        N("networkpolicies", "networking.k8s.io", "NetworkPolicy", "netpol"),
        C("servicecidrs", "networking.k8s.io", "ServiceCIDR"),
        C("runtimeclasses", "node.k8s.io", "RuntimeClass"),
        N("poddisruptionbudgets", "policy", "PodDisruptionBudget", "pdb"),
        C("clusterrolebindings", "rbac.authorization.k8s.io", "ClusterRoleBinding"),
        C("clusterroles", "rbac.authorization.k8s.io", "ClusterRole"),
        N("rolebindings", "rbac.authorization.k8s.io", "RoleBinding"),
        N("roles", "rbac.authorization.k8s.io", "Role"),
        C("deviceclasses", "resource.k8s.io", "DeviceClass"),
        N("resourceclaims", "resource.k8s.io", "ResourceClaim"),
        N("resourceclaimtemplates", "resource.k8s.io", "ResourceClaimTemplate"),
        C("resourceslices", "resource.k8s.io", "ResourceSlice"),
        C("priorityclasses", "scheduling.k8s.io", "PriorityClass", "pc"),
        C("csidrivers", "storage.k8s.io", "CSIDriver"),
        C("csinodes", "storage.k8s.io", "CSINode"),
        N("csistoragecapacities", "storage.k8s.io", "CSIStorageCapacity"),
        C("storageclasses", "storage.k8s.io", "StorageClass", "sc"),
        C("volumeattachments", "storage.k8s.io", "VolumeAttachment"),
        C("volumeattributesclasses", "storage.k8s.io", "VolumeAttributesClass", "vac"),

        // Names only authorization checks use: impersonation, CSR signers.
        new("users", "", false, "User", [], IsPseudo: true),
        new("groups", "", false, "Group", [], IsPseudo: true),
        new("uids", "authentication.k8s.io", false, "UID", [], IsPseudo: true),
        new("userextras", "authentication.k8s.io", false, "UserExtra", [], IsPseudo: true),
        new("signers", "certificates.k8s.io", false, "Signer", [], IsPseudo: true),
    ];

    /// <summary>Every built-in resource, core group first.</summary>
    public static IReadOnlyList<ResourceInfo> All => Table;

    /// <summary>The real API resources (no pseudo-resources), for access matrices.</summary>
    public static IEnumerable<ResourceInfo> ApiResources => Table.Where(r => !r.IsPseudo);

    /// <summary>The entry for an exact plural name and group.</summary>
    public static ResourceInfo? Find(string group, string resource) =>
        Table.FirstOrDefault(r => r.Group == group && r.Resource == resource);

    /// <summary>
    /// Reads kubectl's <c>TYPE[.GROUP]</c> (also <c>TYPE.VERSION.GROUP</c>): plural, singular, kind or short name,
    /// case-insensitive as kubectl lower-cases it. <c>*</c> stays the literal resource <c>*</c> in the core group, as
    /// kubectl sends it; <c>*.*</c> means every resource in every group.
    /// </summary>
    public static ResolvedResource Resolve(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type == "*")
        {
            return new ResolvedResource(string.Empty, "*", ResourceScope.Namespaced, null, "'*' is resource * in the core group, as kubectl sends it; write *.* for every group");
        }

        if (type == "*.*")
        {
            return new ResolvedResource("*", "*", ResourceScope.Namespaced, null, null);
        }

        var lower = type.ToLowerInvariant();
        var dot = lower.IndexOf('.', StringComparison.Ordinal);
        var name = dot < 0 ? lower : lower[..dot];
        string? group = dot < 0 ? null : lower[(dot + 1)..];
        if (group is not null && VersionPrefix().Match(group) is { Success: true } versioned)
        {
            group = versioned.Groups["group"].Value;
        }

        if (group == "core")
        {
            group = string.Empty; // no API group is named "core"; pods.core can only mean the core group
        }

        foreach (var info in Table)
        {
            if ((group is null || info.Group == group) && Names(info).Contains(name, StringComparer.Ordinal))
            {
                return new ResolvedResource(info.Group, info.Resource, info.Scope, info, null);
            }
        }

        if (group is null)
        {
            return new ResolvedResource(string.Empty, name, ResourceScope.Unknown, null,
                "'" + type + "' is not a built-in resource; asked as '" + name + "' in the core group (write TYPE.GROUP for a custom resource)");
        }

        return new ResolvedResource(group, name, ResourceScope.Unknown, null,
            "'" + RuleText.Resource(group, name) + "' is not a built-in resource; its scope is unknown, so it is treated as namespaced");
    }

    private static IEnumerable<string> Names(ResourceInfo info)
    {
        yield return info.Resource;
        yield return info.Kind.ToLowerInvariant();
        foreach (var shortName in info.ShortNames)
        {
            yield return shortName;
        }
    }

    private static ResourceInfo N(string resource, string group, string kind, params string[] shortNames) => new(resource, group, true, kind, shortNames);

    private static ResourceInfo C(string resource, string group, string kind, params string[] shortNames) => new(resource, group, false, kind, shortNames);

    [GeneratedRegex(@"^v\d+((alpha|beta)\d+)?\.(?<group>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPrefix();
}

using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Report;

/// <summary>The bundled examples as report inputs, and a hostile input, run through the real command line.</summary>
public static class ReportScenarios
{
    /// <summary>Example directory and the arguments, relative to it, that report on it.</summary>
    public static IReadOnlyDictionary<string, string[]> Examples { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["ops-dev"] = ["spec.yaml", "--rbac", "rbac"],
        ["api-backend"] = ["spec.yaml", "--rbac", "rbac", "--expect-nodes", "--migration"],
        ["eks-access"] = ["--aws-auth", "aws-auth.yaml", "--access-entries", "access-entries.json", "--rbac", "rbac"],
    };

    /// <summary>
    /// aws-auth and RBAC whose names try to break out of HTML text, attributes, the SVG and the embedded script.
    /// Usernames and groups may hold any character; ARNs are checked, so the role name carries what an ARN allows.
    /// </summary>
    public const string HostileAwsAuth =
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: aws-auth
          namespace: kube-system
        data:
          mapRoles: |
            - rolearn: arn:aws:iam::111122223333:role/a&b+c=d@e,f
              username: "<img src=x onerror=alert(1)>&amp;\"'"
              groups:
                - "</script><script>alert(2)</script>"
                - "<b onmouseover=alert(3)>"
        """;

    public const string HostileRbac =
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: "x\"><svg onload=alert(4)>"
        rules:
          - apiGroups: [""]
            resources: [secrets]
            verbs: [get]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: "</title><script>alert(5)</script>"
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: "x\"><svg onload=alert(4)>"
        subjects:
          - kind: Group
            name: "</script><script>alert(2)</script>"
        """;

    public static CliRun Run(string example, params string[] extra) =>
        TestSupport.Cli.RunIn(Repo.Path("examples", example), string.Empty, null, ["report", .. Examples[example], .. extra]);

    /// <summary>Writes the hostile inputs into <paramref name="dir"/> and reports on them.</summary>
    public static CliRun RunHostile(string dir, params string[] extra)
    {
        File.WriteAllText(Path.Combine(dir, "aws-auth.yaml"), HostileAwsAuth);
        File.WriteAllText(Path.Combine(dir, "rbac.yaml"), HostileRbac);
        return TestSupport.Cli.RunIn(dir, string.Empty, null, ["report", "--aws-auth", "aws-auth.yaml", "--rbac", "rbac.yaml", .. extra]);
    }
}

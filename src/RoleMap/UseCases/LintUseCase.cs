using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Lint;
using RoleMap.Rbac;
using RoleMap.Spec;
using RoleMap.Text;

namespace RoleMap.UseCases;

/// <summary>What to lint: a mapping spec or an aws-auth ConfigMap, with the name messages give it.</summary>
/// <param name="Source">The spec or the ConfigMap (manifest or kubectl output), as text or as a file's UTF-8 bytes.</param>
/// <param name="SourceName">The input's name in findings.</param>
/// <param name="IsAwsAuth">True for an aws-auth ConfigMap, read as the authenticator reads it; false for a spec.</param>
public sealed record LintInput(SourceText Source, string SourceName, bool IsAwsAuth)
{
    public LintInput(string text, string sourceName, bool isAwsAuth)
        : this(new SourceText(text), sourceName, isAwsAuth)
    {
    }
}

/// <summary>How to lint and judge the findings.</summary>
/// <param name="Rbac">The RBAC policy whose bindings the mapped groups and users should meet; null to leave that check out.</param>
/// <param name="ExpectNodes">The cluster has EC2 node groups: a missing node role is a lockout.</param>
/// <param name="Strict">Warnings fail the lint as errors do.</param>
/// <param name="AccessEntries">The cluster's access entries (with its mode and IAM data) to lint beside the input, or alone; null leaves them out.</param>
/// <param name="Iam">IAM listings for the permission sets a spec maps by name (ssoPermissionSets); null when none were given.</param>
public sealed record LintRequest(RbacPolicy? Rbac = null, bool ExpectNodes = false, bool Strict = false, AccessEntryLintInput? AccessEntries = null, IamDirectory? Iam = null);

/// <summary>The findings of one lint and whether they fail it.</summary>
/// <param name="Result">Every finding, in the linter's order.</param>
/// <param name="Strict">Warnings count as errors.</param>
public sealed record LintReport(LintResult Result, bool Strict)
{
    /// <summary>The findings that fail the lint: errors, and with <see cref="Strict"/> warnings.</summary>
    public int Failing => Result.Errors + (Strict ? Result.Warnings : 0);

    public bool Failed => Failing > 0;
}

/// <summary>
/// <c>lint</c>: a spec or an aws-auth ConfigMap checked for the mistakes that lock people out or silently grant
/// nothing, and the policy of when findings fail (errors; with strict, warnings too).
/// </summary>
public static class LintUseCase
{
    /// <param name="input">The spec or aws-auth; null to lint only the request's access entries.</param>
    public static LintReport Run(LintInput? input, LintRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = Options(request);
        var result = input is null
            ? Linter.LintAccessEntries(options)
            : input.IsAwsAuth
            ? Linter.LintAwsAuth(AwsAuthParser.Parse(input.Source.Text, input.SourceName), options)
            : Linter.LintSpec(SpecCompiler.Compile(SpecLoader.Load(input.Source, input.SourceName), request.Iam?.RoleArns), options);
        return new LintReport(result, request.Strict);
    }

    /// <summary>An aws-auth already read (e.g. from the cluster), linted as <see cref="Run(LintInput?, LintRequest)"/> lints a file.</summary>
    public static LintReport Run(AwsAuthDocument awsAuth, LintRequest request)
    {
        ArgumentNullException.ThrowIfNull(awsAuth);
        ArgumentNullException.ThrowIfNull(request);
        return new LintReport(Linter.LintAwsAuth(awsAuth, Options(request)), request.Strict);
    }

    /// <summary>A spec already compiled, linted as <see cref="Run(LintInput?, LintRequest)"/> lints its file.</summary>
    public static LintReport Run(CompiledSpec spec, LintRequest request)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(request);
        return new LintReport(Linter.LintSpec(spec, Options(request)), request.Strict);
    }

    private static LintOptions Options(LintRequest request) =>
        new(request.Rbac is null ? null : References(request.Rbac), ExpectNodes: request.ExpectNodes) { AccessEntries = request.AccessEntries };

    /// <summary>Every binding subject of the policy (its bootstrap defaults included, without a location).</summary>
    public static RbacReferences References(RbacPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var subjects = new List<SubjectReference>();
        foreach (var binding in policy.ClusterRoleBindings)
        {
            subjects.AddRange(binding.Subjects.Select(s => new SubjectReference(s.Kind, s.Name, "ClusterRoleBinding/" + binding.Name, binding.Source.IsDefault ? null : binding.Source.Location())));
        }

        foreach (var ns in policy.BindingNamespaces)
        {
            foreach (var binding in policy.RoleBindingsIn(ns))
            {
                subjects.AddRange(binding.Subjects.Select(s => new SubjectReference(s.Kind, s.Name, "RoleBinding " + ns + "/" + binding.Name, binding.Source.IsDefault ? null : binding.Source.Location())));
            }
        }

        return new RbacReferences(subjects);
    }
}

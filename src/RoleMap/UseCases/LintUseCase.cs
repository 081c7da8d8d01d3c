using System.Text;
using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Lint;
using RoleMap.Rbac;
using RoleMap.Spec;

namespace RoleMap.UseCases;

/// <summary>What to lint: a mapping spec or an aws-auth ConfigMap, as text or as a file's UTF-8 bytes, with the name messages give it.</summary>
public sealed class LintInput
{
    private readonly byte[]? utf8;
    private string? text;

    /// <param name="text">The spec or the ConfigMap (manifest or kubectl output).</param>
    /// <param name="sourceName">The input's name in findings.</param>
    /// <param name="isAwsAuth">True for an aws-auth ConfigMap, read as the authenticator reads it; false for a spec.</param>
    public LintInput(string text, string sourceName, bool isAwsAuth)
        : this(sourceName, isAwsAuth)
    {
        ArgumentNullException.ThrowIfNull(text);
        this.text = text;
    }

    private LintInput(string sourceName, bool isAwsAuth, byte[]? utf8 = null)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        SourceName = sourceName;
        IsAwsAuth = isAwsAuth;
        this.utf8 = utf8;
    }

    /// <summary>
    /// A file's UTF-8 bytes (a byte-order mark removed): the text is what <see cref="Encoding.UTF8"/> decodes, and a spec
    /// that is ASCII is read from the bytes, with no string of the whole file.
    /// </summary>
    public static LintInput FromUtf8(byte[] utf8, string sourceName, bool isAwsAuth)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        return new(sourceName, isAwsAuth, utf8);
    }

    /// <summary>The text; from <see cref="FromUtf8"/>, decoded when first asked for.</summary>
    public string Text => text ??= Encoding.UTF8.GetString(utf8!);

    public string SourceName { get; }

    public bool IsAwsAuth { get; }

    /// <summary>The bytes, when the input came as UTF-8 (<see cref="FromUtf8"/>).</summary>
    internal byte[]? Utf8 => utf8;
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
            ? Linter.LintAwsAuth(AwsAuthParser.Parse(input.Text, input.SourceName), options)
            : Linter.LintSpec(SpecCompiler.Compile(input.Utf8 is { } utf8 ? SpecLoader.Load(utf8, input.SourceName) : SpecLoader.Load(input.Text, input.SourceName), request.Iam?.RoleArns), options);
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

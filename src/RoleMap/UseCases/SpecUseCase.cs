using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Lint;
using RoleMap.Spec;
using RoleMap.Text;

namespace RoleMap.UseCases;

/// <summary>A spec compiled for a command: the entries, and its findings split by what a command does with them.</summary>
/// <param name="Spec">The compiled spec.</param>
/// <param name="Warnings">Findings to show; the command still runs.</param>
/// <param name="Errors">Findings that refuse the command: nothing is written or rendered.</param>
/// <param name="SourceName">The spec's name in messages.</param>
public sealed record SpecCompilation(CompiledSpec Spec, IReadOnlyList<Diagnostic> Warnings, IReadOnlyList<Diagnostic> Errors, string SourceName)
{
    public bool Refused => Errors.Count > 0;

    /// <summary>The one message of a refusal, after the errors themselves were shown.</summary>
    public InputException Refusal() =>
        new(Errors.Count + " error" + (Errors.Count == 1 ? string.Empty : "s") + " in the spec; nothing was written", new SourceLocation(SourceName));
}

/// <summary>The rendered aws-auth data of a spec, already read back with the authenticator's rules.</summary>
/// <param name="RenderedUtf8">The data keys' values as UTF-8, as they were rendered and read back.</param>
public sealed record GeneratedAwsAuth(AwsAuthData Data, IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> RenderedUtf8, IReadOnlyList<KeyValuePair<string, string>> Labels)
{
    private IReadOnlyList<KeyValuePair<string, string>>? renderedData;

    /// <summary>The data keys' values as strings, decoded on first use (the Terraform protocol writes the bytes and never needs them).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> RenderedData => renderedData ??= AwsAuthRenderer.Decode(RenderedUtf8);
}

/// <summary>
/// The spec use cases every command shares: load and compile a spec (with the linter's checks for the commands that
/// write aws-auth), and render it as EKS will read it. The policy "errors refuse, warnings are shown" lives here.
/// </summary>
public static class SpecUseCase
{
    /// <summary>Loads and compiles <paramref name="text"/>; with <paramref name="lint"/>, the linter's findings count too.</summary>
    /// <param name="iam">IAM listings (<c>--iam-arns</c>), where the spec maps IAM Identity Center permission sets by name.</param>
    public static SpecCompilation Compile(string text, string sourceName, bool lint, IamDirectory? iam = null) =>
        Compile(new SourceText(text), sourceName, lint, iam);

    /// <summary>The same for a source's text, read from a file's bytes where it can be (see <see cref="SpecLoader.Load(SourceText, string?)"/>).</summary>
    public static SpecCompilation Compile(SourceText source, string sourceName, bool lint, IamDirectory? iam = null) =>
        Compile(SpecLoader.Load(source, sourceName), sourceName, lint, iam);

    /// <summary>Compiles a spec already read (e.g. from a Terraform query).</summary>
    public static SpecCompilation Compile(MappingSpec spec, string sourceName, bool lint, IamDirectory? iam = null)
    {
        var compiled = SpecCompiler.Compile(spec, iam?.RoleArns);
        var findings = lint ? Linter.LintSpec(compiled).Findings : compiled.Diagnostics;
        return new SpecCompilation(compiled, WithSeverity(findings, Severity.Warning), WithSeverity(findings, Severity.Error), sourceName);
    }

    /// <summary>The findings of one severity, in order (a loop: LINQ's first use is start-up time in every command).</summary>
    private static List<Diagnostic> WithSeverity(IReadOnlyList<Diagnostic> findings, Severity severity)
    {
        var found = new List<Diagnostic>();
        for (var i = 0; i < findings.Count; i++)
        {
            if (findings[i].Severity == severity)
            {
                found.Add(findings[i]);
            }
        }

        return found;
    }

    /// <summary>Renders a compiled spec in <paramref name="style"/> and proves the text reads back as the intended entries.</summary>
    /// <param name="alwaysAccounts">Write mapAccounts even when empty (the Terraform protocol's fixed keys).</param>
    public static GeneratedAwsAuth Generate(CompiledSpec spec, RenderStyle style, bool alwaysAccounts = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var data = AwsAuthRenderer.RenderDataUtf8(spec.Data, style, alwaysAccounts);
        RoundTrip.Verify(spec.Data, data);
        return new GeneratedAwsAuth(spec.Data, data, spec.Labels);
    }
}

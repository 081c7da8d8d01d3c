using System.Text;
using System.Text.Json.Serialization;
using RoleMap.AccessPolicies;
using RoleMap.AwsAuth;
using RoleMap.Rbac;
using RoleMap.UseCases;

namespace RoleMap.Cli.Rendering;

/// <summary>who-can's answer as text (tables of subjects and IAM principals) and as JSON.</summary>
internal static class WhoCanRendering
{
    private static readonly string[] SubjectHeader = ["SUBJECT", "ALLOWED BY"];
    private static readonly string[] PrincipalHeader = ["IAM PRINCIPAL", "USERNAME", "VIA"];
    private static readonly string[] MaybeHeader = ["IAM PRINCIPAL", "USERNAME", "WHY"];
    private static readonly AccessJsonContext Json = new(JsonOutput.NewOptions());

    public static string Text(WhoCanReport report)
    {
        var sb = new StringBuilder();
        sb.Append("who can ").Append(AccessQueries.Describe(report.Request)).Append("\n\n");
        var rows = new List<string[]> { SubjectHeader };
        foreach (var allowed in report.Result.Allowed.Subjects)
        {
            if (allowed.PrivilegedGroup)
            {
                rows.Add([allowed.Subject.ToString(), "privileged group: allowed everything before RBAC is asked"]);
                continue;
            }

            rows.AddRange(allowed.Via.Select((via, i) => new[] { i == 0 ? allowed.Subject.ToString() : string.Empty, via.Binding.Display + " -> " + via.Role.Display }));
        }

        sb.Append(Table.Format(rows));
        if (report.WithAwsAuth)
        {
            sb.Append('\n');
            if (report.Result.Principals.Count == 0 && report.ByPolicy.Count == 0)
            {
                sb.Append(report.WithAccessEntries ? "no IAM principal of aws-auth or the access entries is among them\n" : "no IAM principal in aws-auth is among them\n");
            }
            else
            {
                var principals = new List<string[]> { PrincipalHeader };
                principals.AddRange(report.Result.Principals.Select(g => new[] { g.Principal.Arn, g.Principal.Username, (g.Certain ? string.Empty : "may: ") + string.Join(", ", g.Via) }));
                principals.AddRange(report.ByPolicy.Select(p => new[] { p.Principal.Principal.Arn, Username(p.Principal), p.Via }));
                sb.Append(Table.Format(principals));
            }

            if (report.MayBeAllowed.Count > 0)
            {
                sb.Append("\nmay be allowed (not known from the input):\n");
                var maybe = new List<string[]> { MaybeHeader };
                maybe.AddRange(report.MayBeAllowed.Select(p => new[] { p.Principal.Principal.Arn, Username(p.Principal), p.Via }));
                sb.Append(Table.Format(maybe));
            }
        }

        sb.Append('\n');
        foreach (var note in report.Notes)
        {
            sb.Append("note: ").Append(note).Append('\n');
        }

        sb.Append(NotModelled.Summary).Append('\n');
        return sb.ToString();
    }

    public static string JsonText(WhoCanReport report) => JsonOutput.Render(
        new WhoCanJson(
            report.Request.Mode == EvaluationMode.Sar ? "sar" : "request",
            AttributesJson.From(report.Request.Attributes),
            [.. report.Result.Allowed.Subjects.Select(s => new AllowedSubjectJson(s.Subject.Kind, s.Subject.Name, s.Subject.Namespace, s.PrivilegedGroup ? true : null, [.. s.Via.Select(v => new ViaJson(v.Binding.Display, v.Role.Display))]))],
            [
                .. report.Result.Principals.Select(g => new PrincipalGrantJson(
                    g.Principal.Arn, g.Principal.MatchedBy.Wire(), g.Principal.Username, g.Principal.Groups, g.Certain,
                    [.. g.Via.Select(SubjectJson.From)], g.Principal.Notes)),
                .. report.ByPolicy.Select(p => new PrincipalGrantJson(
                    p.Principal.Principal.Arn, p.Principal.Principal.MatchedBy.Wire(), p.Principal.Principal.Username, p.Principal.Principal.Groups, true, [], p.Principal.Principal.Notes)
                {
                    AccessPolicy = p.Grant is { } grant ? AccessPolicyJson.From(grant.Association) : null,
                }),
            ],
            report.Notes,
            NotModelled.Items)
        {
            MayBeAllowed = report.WithAccessEntries
                ? [.. report.MayBeAllowed.Select(p => new MaybeAllowedJson(p.Principal.Principal.Arn, p.Principal.Principal.MatchedBy.Wire(), Username(p.Principal), p.Via))]
                : null,
        },
        Json.WhoCanJson);

    /// <summary>The username, or what stands for it when the input does not give it.</summary>
    private static string Username(EksPrincipal principal) => principal.Principal.Username.Length > 0 || principal.AccessEntry?.Described != false ? principal.Principal.Username : "(not known)";
}

internal sealed record WhoCanJson(string Mode, AttributesJson Attributes, IReadOnlyList<AllowedSubjectJson> Subjects, IReadOnlyList<PrincipalGrantJson> IamPrincipals, IReadOnlyList<string> Notes, IReadOnlyList<string> NotModelled)
{
    /// <summary>With access entries only: principals that may be allowed, and why that is not known.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<MaybeAllowedJson>? MayBeAllowed { get; init; }
}

internal sealed record MaybeAllowedJson(string Arn, string MatchedBy, string Username, string Why);

/// <summary>A request's attributes: the resource fields for a resource request, the path for a non-resource one.</summary>
internal sealed record AttributesJson(
    string Verb,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ApiGroup,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Resource,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Subresource,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Namespace,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Path)
{
    public static AttributesJson From(Attributes a) => a.IsResourceRequest
        ? new(a.Verb, a.ApiGroup, a.Resource, a.Subresource, a.Name, a.Namespace, null)
        : new(a.Verb, null, null, null, null, null, a.Path);
}

internal sealed record AllowedSubjectJson(
    string Kind,
    string Name,
    string? Namespace,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? PrivilegedGroup,
    IReadOnlyList<ViaJson> Via);

internal sealed record ViaJson(string Binding, string Role);

internal sealed record SubjectJson(string Kind, string Name, string? Namespace)
{
    public static SubjectJson From(Subject subject) => new(subject.Kind, subject.Name, subject.Namespace);
}

internal sealed record PrincipalGrantJson(string Arn, string MatchedBy, string Username, IReadOnlyList<string> Groups, bool Certain, IReadOnlyList<SubjectJson> Via, IReadOnlyList<string> Notes)
{
    /// <summary>The access policy association that allows the principal, when one does (RBAC did not).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AccessPolicyJson? AccessPolicy { get; init; }
}

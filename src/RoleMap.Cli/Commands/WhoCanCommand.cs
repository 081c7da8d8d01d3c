using System.CommandLine;
using System.Text;
using System.Text.Json;
using RoleMap.AwsAuth;
using RoleMap.Rbac;
using RoleMap.Text;

namespace RoleMap.Cli.Commands;

/// <summary>
/// <c>rolemap who-can VERB TARGET</c>: every subject RBAC allows (system:masters first), with the bindings that
/// allow it, and with aws-auth, the IAM principals that are those users and groups.
/// </summary>
internal static class WhoCanCommand
{
    private static readonly string[] SubjectHeader = ["SUBJECT", "ALLOWED BY"];
    private static readonly string[] PrincipalHeader = ["IAM PRINCIPAL", "USERNAME", "VIA"];

    public static Command Create(CliIO io)
    {
        var verb = new Argument<string>("VERB") { Description = "A verb: get, list, create, delete, bind, impersonate, ..." };
        var target = new Argument<string>("TARGET") { Description = "TYPE[.GROUP][/NAME] or a non-resource URL starting with '/'." };
        var scope = QueryOptions.Create();
        var rbac = RbacInput.Create();
        var mappings = MappingSource.Create(required: false);
        var format = Output.Format("text", "text", "json");

        var command = new Command("who-can", "List every subject allowed to do VERB on TARGET, with the binding and role that allow it; with --aws-auth or --spec, also the IAM principals mapped to them.")
        {
            verb, target, format,
        };
        scope.AddTo(command);
        rbac.AddTo(command);
        mappings.AddTo(command);
        command.SetAction(parse =>
        {
            rbac.EnsureOneStdin(parse, mappings);
            var query = QueryParser.Parse(scope.Query(parse, parse.GetValue(verb)!, parse.GetValue(target)!));
            var prepared = query.In(scope.Mode(parse));
            IReadOnlyList<IamPrincipal> principals = mappings.IsGiven(parse) ? IamPrincipal.FromAwsAuth(mappings.Load(io, parse).Data) : [];
            var policy = rbac.Load(io, parse);
            var result = WhoCan.Evaluate(policy, prepared.Attributes, principals);
            var notes = Notes(policy, query, prepared, result, mappings.IsGiven(parse));
            Output.Result(io, parse.GetValue(format) == "json" ? Json(prepared, result, notes) : Text(prepared, result, notes, mappings.IsGiven(parse)));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static List<string> Notes(RbacPolicy policy, ParsedQuery query, PreparedRequest prepared, WhoCanResult result, bool withAwsAuth)
    {
        var notes = new List<string>(query.Notes);
        notes.AddRange(prepared.Adjustments);
        var other = prepared.Mode == EvaluationMode.Request ? query.Sar() : query.Request();
        if (other.Attributes != prepared.Attributes)
        {
            var mine = result.Allowed.Subjects.Select(s => s.Subject).ToHashSet();
            var theirs = policy.AllowedSubjects(other.Attributes).Subjects.Select(s => s.Subject).ToList();
            var more = theirs.Where(s => !mine.Contains(s)).ToList();
            var fewer = mine.Where(s => !theirs.Contains(s)).ToList();
            var name = other.Mode == EvaluationMode.Sar ? "SAR mode (what 'kubectl auth can-i' asks: " : "request mode (a real request: ";
            var answer = more.Count == 0 && fewer.Count == 0
                ? "allows the same subjects"
                : string.Join("; ", new[] { more.Count > 0 ? "also allows " + string.Join(", ", more) : null, fewer.Count > 0 ? "does not allow " + string.Join(", ", fewer) : null }.OfType<string>());
            notes.Add(name + other.Attributes + ") " + answer + (more.Count + fewer.Count > 0 ? "; run with" + (other.Mode == EvaluationMode.Sar ? " --sar" : "out --sar") + " for details" : string.Empty));
        }

        foreach (var (subject, binding) in result.Allowed.Unmatchable)
        {
            notes.Add(binding.Display + " names " + subject + ", which matches no one" + (subject.Kind == SubjectKinds.ServiceAccount ? " (a ServiceAccount in a ClusterRoleBinding needs a namespace)" : " (unknown subject kind)"));
        }

        foreach (var dangling in result.Allowed.Dangling)
        {
            notes.Add(dangling + "; the binding grants nothing");
        }

        foreach (var never in result.NeverMatching)
        {
            notes.Add(never.Arn + ": " + never.NeverMatches);
        }

        if (withAwsAuth && result.Principals.Any(p => !p.Certain))
        {
            notes.Add("'may' marks a principal whose username or group holds a value EKS fills in at login ({{SessionName}}, ...): it is allowed only when that value produces the subject's name");
        }

        notes.Add("groups come only from authentication: who is in a group other than system:masters or system:authenticated is not known offline, except for IAM principals mapped by aws-auth");
        return notes;
    }

    private static string Text(PreparedRequest prepared, WhoCanResult result, IReadOnlyList<string> notes, bool withAwsAuth)
    {
        var sb = new StringBuilder();
        sb.Append("who can ").Append(CanICommand.Describe(prepared)).Append("\n\n");
        var rows = new List<string[]> { SubjectHeader };
        foreach (var allowed in result.Allowed.Subjects)
        {
            if (allowed.PrivilegedGroup)
            {
                rows.Add([allowed.Subject.ToString(), "privileged group: allowed everything before RBAC is asked"]);
                continue;
            }

            for (var i = 0; i < allowed.Via.Count; i++)
            {
                rows.Add([i == 0 ? allowed.Subject.ToString() : string.Empty, allowed.Via[i].Binding.Display + " -> " + allowed.Via[i].Role.Display]);
            }
        }

        sb.Append(Rendering.Table.Format(rows));
        if (withAwsAuth)
        {
            sb.Append('\n');
            if (result.Principals.Count == 0)
            {
                sb.Append("no IAM principal in aws-auth is among them\n");
            }
            else
            {
                var principals = new List<string[]> { PrincipalHeader };
                foreach (var grant in result.Principals)
                {
                    principals.Add([grant.Principal.Arn, grant.Principal.Username, (grant.Certain ? string.Empty : "may: ") + string.Join(", ", grant.Via)]);
                }

                sb.Append(Rendering.Table.Format(principals));
            }
        }

        sb.Append('\n');
        foreach (var note in notes)
        {
            sb.Append("note: ").Append(note).Append('\n');
        }

        sb.Append(NotModelled.Summary).Append('\n');
        return sb.ToString();
    }

    private static string Json(PreparedRequest prepared, WhoCanResult result, IReadOnlyList<string> notes) => JsonOut.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("mode", prepared.Mode == EvaluationMode.Sar ? "sar" : "request");
        w.WritePropertyName("attributes");
        WriteAttributes(w, prepared.Attributes);
        w.WriteStartArray("subjects");
        foreach (var allowed in result.Allowed.Subjects)
        {
            w.WriteStartObject();
            WriteSubjectFields(w, allowed.Subject);
            if (allowed.PrivilegedGroup)
            {
                w.WriteBoolean("privilegedGroup", true);
            }

            w.WriteStartArray("via");
            foreach (var via in allowed.Via)
            {
                w.WriteStartObject();
                w.WriteString("binding", via.Binding.Display);
                w.WriteString("role", via.Role.Display);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("iamPrincipals");
        foreach (var grant in result.Principals)
        {
            w.WriteStartObject();
            w.WriteString("arn", grant.Principal.Arn);
            w.WriteString("matchedBy", grant.Principal.MatchedBy.Wire());
            w.WriteString("username", grant.Principal.Username);
            WriteStrings(w, "groups", grant.Principal.Groups);
            w.WriteBoolean("certain", grant.Certain);
            w.WriteStartArray("via");
            foreach (var subject in grant.Via)
            {
                w.WriteStartObject();
                WriteSubjectFields(w, subject);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteStrings(w, "notes", grant.Principal.Notes);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteStrings(w, "notes", notes);
        WriteStrings(w, "notModelled", NotModelled.Items);
        w.WriteEndObject();
    });

    public static void WriteAttributes(Utf8JsonWriter w, Attributes a)
    {
        w.WriteStartObject();
        w.WriteString("verb", a.Verb);
        if (a.IsResourceRequest)
        {
            w.WriteString("apiGroup", a.ApiGroup);
            w.WriteString("resource", a.Resource);
            w.WriteString("subresource", a.Subresource);
            w.WriteString("name", a.Name);
            w.WriteString("namespace", a.Namespace);
        }
        else
        {
            w.WriteString("path", a.Path);
        }

        w.WriteEndObject();
    }

    private static void WriteSubjectFields(Utf8JsonWriter w, Subject subject)
    {
        w.WriteString("kind", subject.Kind);
        w.WriteString("name", subject.Name);
        if (subject.Namespace is null)
        {
            w.WriteNull("namespace");
        }
        else
        {
            w.WriteString("namespace", subject.Namespace);
        }
    }

    public static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}

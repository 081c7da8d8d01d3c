using System.CommandLine;
using System.Text;
using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Rbac;

namespace RoleMap.Cli.Commands;

/// <summary>
/// <c>rolemap explain ARN</c>: the whole chain from an IAM caller to what Kubernetes allows it, and with a question,
/// why it is allowed or denied and which rule decided.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create(CliIO io)
    {
        var arn = new Argument<string>("ARN") { Description = "The caller's ARN (an assumed-role ARN carries the session name)." };
        var verb = new Argument<string?>("VERB") { Description = "Optional question: a verb.", Arity = ArgumentArity.ZeroOrOne };
        var target = new Argument<string?>("TARGET") { Description = "Optional question: TYPE[.GROUP][/NAME] or /URL.", Arity = ArgumentArity.ZeroOrOne };
        var scope = QueryOptions.Create();
        var rbac = RbacInput.Create();
        var mappings = MappingSource.Create();
        var session = new Option<string?>("--session-name") { Description = "Role session name for {{SessionName}} when ARN is a role ARN without a session.", HelpName = "NAME" };
        var accessEntries = new Option<string[]>("--access-entries") { Description = "Access entries (JSON of 'aws eks describe-access-entry', 'list-associated-access-policies', 'list-access-entries', or 'rolemap access-entries export -o json'): an access entry replaces the principal's aws-auth entry. Repeatable.", HelpName = "FILE" };
        var authenticationMode = new Option<string?>("--authentication-mode") { Description = "API_AND_CONFIG_MAP (the default with --access-entries), API or CONFIG_MAP.", HelpName = "MODE" };

        var command = new Command("explain", "Explain an IAM caller: ARN -> canonical ARN -> aws-auth entry -> username and groups -> bindings -> roles -> rules; with VERB TARGET, why it is allowed or denied. Exit 0 allowed (or mapped), 1 denied (or not mapped).")
        {
            arn, verb, target, session, accessEntries, authenticationMode,
        };
        scope.AddTo(command);
        rbac.AddTo(command);
        mappings.AddTo(command);
        command.SetAction(parse =>
        {
            rbac.EnsureOneStdin(parse, mappings);
            var (verbValue, targetValue) = (parse.GetValue(verb), parse.GetValue(target));
            if (verbValue is not null && targetValue is null)
            {
                throw new InputException("a question needs VERB and TARGET, e.g. 'get pods'", new SourceLocation("TARGET"));
            }

            var query = verbValue is null ? null : QueryParser.Parse(scope.Query(parse, verbValue, targetValue!));
            var ns = query is null && (parse.GetValue(scope.NamespaceOption) is not null || parse.GetValue(scope.AllNamespaces)) ? scope.Namespace(parse) : null;
            var facts = new CallerFacts(SessionName: parse.GetValue(session));
            var entryFiles = parse.GetValue(accessEntries) ?? [];
            var mixedMode = entryFiles.Length > 0 || parse.GetValue(authenticationMode) is not null;
            var data = !mixedMode || mappings.IsGiven(parse) ? mappings.Load(io, parse).Data : null;
            var policy = rbac.Load(io, parse);
            Explanation explanation;
            MixedResolution? mixed = null;
            if (mixedMode)
            {
                var entries = ExistingAccessEntries.Combine(entryFiles.Select(p => ExistingAccessEntries.Parse(io.ReadText(p), CliIO.DisplayName(p))));
                var modeValue = AccessEntryNames.ParseMode(parse.GetValue(authenticationMode) ?? AuthenticationMode.ApiAndConfigMap.Wire())!.Value;
                mixed = new MixedResolver(data, entries, modeValue).Resolve(parse.GetValue(arn)!, facts);
                if (!mixed.Canonical.IsValid)
                {
                    throw new InputException(mixed.Failure!, new SourceLocation("ARN"));
                }

                var resolution = mixed.AwsAuth ?? new ResolveResult(mixed.Arn, mixed.Canonical, null, mixed.Failure, mixed.Notes);
                var user = mixed.AccessEntry is { } entry
                    ? Identities.Authenticated(entry.Username ?? string.Empty, entry.Groups ?? [])
                    : resolution.Mapping is { } m ? Identities.Authenticated(m.Username, m.Groups) : null;
                explanation = Explainer.Explain(policy, resolution with { Notes = mixed.Notes }, user, query, scope.Mode(parse), ns);
            }
            else
            {
                explanation = Explainer.Explain(policy, data!, parse.GetValue(arn)!, facts, query, scope.Mode(parse), ns);
                if (explanation.Resolution.Failure is not null && !explanation.Resolution.Canonical.IsValid)
                {
                    throw new InputException(explanation.Resolution.Failure, new SourceLocation("ARN"));
                }
            }

            Output.Result(io, Text(explanation, mixed?.AccessEntry));
            var ok = explanation.User is not null && (explanation.Check?.Allowed ?? true);
            return ok ? ExitCodes.Ok : ExitCodes.No;
        });
        return command;
    }

    private static string Text(Explanation e, AccessEntryIdentity? accessEntry)
    {
        var sb = new StringBuilder();
        var r = e.Resolution;
        CanICommand.Line(sb, "caller", r.Arn);
        CanICommand.Line(sb, "canonical", r.Canonical.Canonical + (r.Canonical.Canonical == r.Arn ? string.Empty : " (an assumed-role session is matched as its role)"));
        if (accessEntry is not null && e.User is not null)
        {
            CanICommand.Line(sb, "access entry", accessEntry.Entry.PrincipalArn + (accessEntry.Entry.Type is { } type ? " (" + type.Wire() + ")" : string.Empty) + ": it replaces any aws-auth entry for this principal");
            CanICommand.Line(sb, "username", "\"" + e.User.Name + "\"" + (accessEntry.Username is null ? " (not known from the input)" : string.Empty));
            CanICommand.Line(sb, "groups", e.User.Groups.Count == 0 ? "(none)" : string.Join(", ", e.User.Groups));
            CanICommand.Line(sb, "policies", accessEntry.Policies is null ? "(not known from the input)" : accessEntry.Policies.Count == 0 ? "(none)" : string.Join(", ", accessEntry.Policies.Select(p => p.ToString())));
            foreach (var note in r.Notes.Append(MixedResolver.PoliciesOutsideRbac))
            {
                CanICommand.Line(sb, "note", note);
            }

            AppendBindings(sb, e);
            return sb.ToString();
        }

        if (e.User is null || r.Mapping is not { } mapping)
        {
            CanICommand.Line(sb, "aws-auth", r.Failure is not null ? "rejected: " + r.Failure : "no mapRoles or mapUsers entry matches and the account is not in mapAccounts");
            sb.Append("\nEKS rejects this caller with 401 Unauthorized: it can do nothing, not even discovery.\n");
            foreach (var note in r.Notes)
            {
                CanICommand.Line(sb, "note", note);
            }

            sb.Append(NotModelled.Summary).Append('\n');
            return sb.ToString();
        }

        var entry = mapping.Entry is { } matched
            ? mapping.MatchedBy.Wire() + " entry " + matched.Arn + (matched.Location is { } at ? " (" + at.Position() + ")" : string.Empty)
            : "mapAccounts (account " + r.Canonical.Canonical.Split(':')[4] + "): username is the canonical ARN, no groups";
        CanICommand.Line(sb, "aws-auth", entry);
        CanICommand.Line(sb, "username", "\"" + e.User.Name + "\"");
        var added = e.User.Groups.Skip(mapping.Groups.Count).ToList();
        CanICommand.Line(sb, "groups", (e.User.Groups.Count == 0 ? "(none)" : string.Join(", ", e.User.Groups)) + (added.Count > 0 ? " (" + string.Join(", ", added) + " added by the API server)" : string.Empty));
        foreach (var note in r.Notes.Append(NotModelled.For(e.User)).OfType<string>())
        {
            CanICommand.Line(sb, "note", note);
        }

        AppendBindings(sb, e);
        return sb.ToString();
    }

    private static void AppendBindings(StringBuilder sb, Explanation e)
    {
        if (e.User!.InGroup(Identities.Masters))
        {
            sb.Append("\nsystem:masters: the API server allows every request of this identity before RBAC is asked; the bindings below do not limit it.\n");
        }

        sb.Append('\n').Append("bindings that apply ").Append(e.Scope switch
        {
            null => "(cluster-wide, and in every namespace)",
            "" => "(cluster-wide only: no namespace)",
            var ns => "(cluster-wide, and in namespace " + ns + ")",
        }).Append(":\n");
        if (e.Bindings.Count == 0)
        {
            sb.Append("  none\n");
        }

        var decidingBinding = e.Check?.Chosen.Decision.AllowedBy;
        foreach (var applied in e.Bindings)
        {
            sb.Append("  ").Append(applied.Binding.Display).Append(" [").Append(applied.Binding.Source).Append("] via ").Append(applied.MatchedSubject).Append('\n');
            if (applied.Role is null)
            {
                sb.Append("    -> ").Append(applied.Binding.RoleRef).Append(": ").Append(applied.Error).Append("; grants nothing\n");
                continue;
            }

            sb.Append("    -> ").Append(applied.Role.Display).Append(" [").Append(applied.Role.Source).Append(']').Append(applied.Role is ClusterRole { IsAggregated: true } ? " (aggregated)" : string.Empty).Append('\n');
            if (applied.Rules.Count == 0)
            {
                sb.Append("       (no rules)\n");
            }

            for (var i = 0; i < applied.Rules.Count; i++)
            {
                var decides = decidingBinding is not null && ReferenceEquals(decidingBinding.Binding, applied.Binding) && decidingBinding.Index == i;
                sb.Append(decides ? "     > " : "       ").Append(i).Append(": ").Append(applied.Rules[i]).Append('\n');
            }
        }

        if (e.Check is { } check)
        {
            sb.Append('\n');
            CanICommand.Line(sb, "request", CanICommand.Describe(check.Chosen.Request));
            CanICommand.Line(sb, "decision", (check.Allowed ? "yes, " : "no, ") + check.Chosen.Decision.Reason + (check.Chosen.Decision.AllowedBy is not null ? " (marked > above)" : string.Empty));
            foreach (var hint in e.Hints)
            {
                CanICommand.Line(sb, "close", hint);
            }

            CanICommand.AppendNotes(sb, check, []);
        }
        else
        {
            sb.Append(NotModelled.Summary).Append('\n');
        }
    }
}

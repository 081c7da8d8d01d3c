using System.CommandLine;
using System.Text;
using System.Text.Json;
using RoleMap.AccessEntries;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;

namespace RoleMap.Cli.Commands;

/// <summary><c>rolemap resolve ARN --aws-auth FILE</c>: the username and groups EKS gives a caller.</summary>
internal static class ResolveCommand
{
    public static Command Create(CliIO io)
    {
        var arn = new Argument<string>("ARN") { Description = "The caller's ARN, e.g. from 'aws sts get-caller-identity' (assumed-role ARNs are canonicalised)." };
        var source = MappingSource.Create();
        var format = Output.Format("text", "text", "json");
        var accessKey = new Option<string?>("--access-key-id") { Description = "Value for {{AccessKeyID}}." };
        var dns = new Option<string?>("--ec2-private-dns-name") { Description = "Value for {{EC2PrivateDNSName}} (the node's private DNS name)." };
        var session = new Option<string?>("--session-name") { Description = "Role session name, when ARN is a role ARN without a session." };
        var accessEntries = new Option<string[]>("--access-entries")
        {
            Description = "Access entries: the JSON of 'aws eks describe-access-entry', 'list-associated-access-policies' or 'list-access-entries', or of 'rolemap access-entries export -o json'. An access entry replaces the principal's aws-auth entry. Repeatable.",
            HelpName = "FILE",
        };
        var mode = new Option<string?>("--authentication-mode")
        {
            Description = "The cluster's authentication mode: API_AND_CONFIG_MAP (the default with --access-entries), API (access entries only) or CONFIG_MAP (aws-auth only).",
            HelpName = "MODE",
        };
        mode.AcceptOnlyFromAmong([.. AccessEntryNames.ModeNames]);

        var command = new Command("resolve", "Show the Kubernetes username and groups EKS maps an IAM caller to, with the authenticator's rules, and with --access-entries the precedence of access entries. Exit 0 when mapped, 1 when not.")
        {
            arn, format, accessKey, dns, session, accessEntries, mode,
        };
        source.AddTo(command);
        command.SetAction(parse =>
        {
            var facts = new CallerFacts(parse.GetValue(accessKey), parse.GetValue(dns), parse.GetValue(session));
            var entryFiles = parse.GetValue(accessEntries) ?? [];
            var json = parse.GetValue(format) == "json";
            if (entryFiles.Length > 0 || parse.GetValue(mode) is not null)
            {
                var data = source.IsGiven(parse) || entryFiles.Length == 0 ? source.Load(io, parse).Data : null;
                var entries = ExistingAccessEntries.Combine(entryFiles.Select(p => ExistingAccessEntries.Parse(io.ReadText(p), CliIO.DisplayName(p))));
                var authenticationMode = AccessEntryNames.ParseMode(parse.GetValue(mode) ?? AuthenticationMode.ApiAndConfigMap.Wire())!.Value;
                var mixed = new MixedResolver(data, entries, authenticationMode).Resolve(parse.GetValue(arn)!, facts);
                if (!mixed.Canonical.IsValid)
                {
                    throw new InputException(mixed.Failure!, new SourceLocation("ARN"));
                }

                Output.Result(io, json ? Json(mixed) : Text(mixed));
                return mixed.IsMapped ? ExitCodes.Ok : ExitCodes.No;
            }

            var (loaded, _) = source.Load(io, parse);
            var result = new Resolver(loaded).Resolve(parse.GetValue(arn)!, facts);
            if (result.Failure is not null && !result.Canonical.IsValid)
            {
                throw new InputException(result.Failure, new SourceLocation("ARN"));
            }

            Output.Result(io, json ? Json(result) : Text(result));
            return result.IsMapped ? ExitCodes.Ok : ExitCodes.No;
        });
        return command;
    }

    private static string Text(MixedResolution mixed)
    {
        if (mixed.AwsAuth is { } awsAuth)
        {
            return Text(awsAuth with { Notes = mixed.Notes });
        }

        var identity = mixed.AccessEntry;
        return Text(mixed.Arn, mixed.Canonical.Canonical, identity is null ? null : sb =>
        {
            sb.Append("matched by:    access entry (").Append(identity.Entry.PrincipalArn);
            if (identity.Entry.Type is { } type)
            {
                sb.Append(", ").Append(type.Wire());
            }

            sb.Append(")\n");
            sb.Append("username:      ").Append(identity.Username ?? "(not known)").Append('\n');
            sb.Append("groups:        ").Append(List(identity.Groups)).Append('\n');
            sb.Append("policies:      ").Append(List(identity.Policies?.Select(p => p.ToString()).ToList())).Append('\n');
        }, mixed.Failure, "EKS rejects this caller (401 Unauthorized)", mixed.Notes);

        static string List(IReadOnlyList<string>? items) => items is null ? "(not known)" : items.Count == 0 ? "(none)" : string.Join(", ", items);
    }

    private static string Json(MixedResolution mixed)
    {
        var identity = mixed.AccessEntry;
        var mapping = mixed.AwsAuth?.Mapping;
        return Json(
            mixed.Arn,
            mixed.Canonical.Canonical,
            identity is not null ? identity.Username : mapping?.Username,
            identity is not null ? identity.Groups : mapping?.Groups ?? [],
            identity is not null ? "accessEntry" : mapping is null ? null : mapping.MatchedBy.Wire(),
            mixed.Failure,
            mixed.Notes,
            w =>
            {
                w.WriteString("authenticationMode", mixed.Mode.Wire());
                if (identity is null)
                {
                    w.WriteNull("accessEntry");
                    w.WriteNull("accessPolicies");
                    return;
                }

                w.WriteStartObject("accessEntry");
                w.WriteString("principalArn", identity.Entry.PrincipalArn);
                if (identity.Entry.Type is { } type)
                {
                    w.WriteString("type", type.Wire());
                }
                else
                {
                    w.WriteNull("type");
                }

                w.WriteEndObject();
                if (identity.Policies is null)
                {
                    w.WriteNull("accessPolicies");
                    return;
                }

                AccessEntryJson.WritePolicies(w, "accessPolicies", identity.Policies);
            });
    }

    private static string Text(ResolveResult result) =>
        Text(result.Arn, result.Canonical.Canonical, result.Mapping is not { } m ? null : sb =>
        {
            sb.Append("matched by:    ").Append(m.MatchedBy.Wire());
            if (m.Entry?.Arn is { } entryArn)
            {
                sb.Append(" (").Append(entryArn).Append(')');
            }

            sb.Append('\n');
            sb.Append("username:      ").Append(m.Username).Append('\n');
            sb.Append("groups:        ").Append(m.Groups.Count == 0 ? "(none)" : string.Join(", ", m.Groups)).Append('\n');
        }, result.Failure, "no mapRoles or mapUsers entry matches, and the account is not in mapAccounts; EKS rejects this caller (401 Unauthorized)", result.Notes);

    private static string Text(string arn, string canonical, Action<StringBuilder>? mapped, string? failure, string notMapped, IReadOnlyList<string> notes)
    {
        var sb = new StringBuilder();
        sb.Append("arn:           ").Append(arn).Append('\n');
        sb.Append("canonical arn: ").Append(canonical).Append('\n');
        if (mapped is not null)
        {
            mapped(sb);
        }
        else if (failure is not null)
        {
            sb.Append("rejected:      ").Append(failure).Append('\n');
        }
        else
        {
            sb.Append("not mapped:    ").Append(notMapped).Append('\n');
        }

        foreach (var note in notes)
        {
            sb.Append("note: ").Append(note).Append('\n');
        }

        return sb.ToString();
    }

    private static string Json(ResolveResult result) => Json(
        result.Arn,
        result.Canonical.Canonical,
        result.Mapping?.Username,
        result.Mapping?.Groups ?? [],
        result.Mapping is { } m ? m.MatchedBy.Wire() : null,
        result.Failure,
        result.Notes,
        null);

    private static string Json(string arn, string canonical, string? username, IReadOnlyList<string>? groups, string? matchedBy, string? rejected, IReadOnlyList<string> notes, Action<Utf8JsonWriter>? extra) => JsonOut.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("arn", arn);
        w.WriteString("canonicalArn", canonical);
        if (username is null)
        {
            w.WriteNull("username");
        }
        else
        {
            w.WriteString("username", username);
        }

        if (groups is null)
        {
            w.WriteNull("groups");
        }
        else
        {
            w.WriteStartArray("groups");
            foreach (var group in groups)
            {
                w.WriteStringValue(group);
            }

            w.WriteEndArray();
        }

        if (matchedBy is null)
        {
            w.WriteNull("matchedBy");
        }
        else
        {
            w.WriteString("matchedBy", matchedBy);
        }

        if (rejected is not null)
        {
            w.WriteString("rejected", rejected);
        }

        extra?.Invoke(w);
        w.WriteStartArray("notes");
        foreach (var note in notes)
        {
            w.WriteStringValue(note);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });
}

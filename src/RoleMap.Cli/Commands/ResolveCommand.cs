using System.CommandLine;
using System.Text;
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

        var command = new Command("resolve", "Show the Kubernetes username and groups EKS maps an IAM caller to, with the authenticator's rules. Exit 0 when mapped, 1 when not.")
        {
            arn, format, accessKey, dns, session,
        };
        source.AddTo(command);
        command.SetAction(parse =>
        {
            var (data, _) = source.Load(io, parse);
            var facts = new CallerFacts(parse.GetValue(accessKey), parse.GetValue(dns), parse.GetValue(session));
            var result = new Resolver(data).Resolve(parse.GetValue(arn)!, facts);
            if (result.Failure is not null && !result.Canonical.IsValid)
            {
                throw new InputException(result.Failure, new SourceLocation("ARN"));
            }

            Output.Result(io, parse.GetValue(format) == "json" ? Json(result) : Text(result));
            return result.IsMapped ? ExitCodes.Ok : ExitCodes.No;
        });
        return command;
    }

    private static string Text(ResolveResult result)
    {
        var sb = new StringBuilder();
        sb.Append("arn:           ").Append(result.Arn).Append('\n');
        sb.Append("canonical arn: ").Append(result.Canonical.Canonical).Append('\n');
        if (result.Mapping is { } m)
        {
            sb.Append("matched by:    ").Append(Source(m.MatchedBy));
            if (m.Entry?.Arn is { } entryArn)
            {
                sb.Append(" (").Append(entryArn).Append(')');
            }

            sb.Append('\n');
            sb.Append("username:      ").Append(m.Username).Append('\n');
            sb.Append("groups:        ").Append(m.Groups.Count == 0 ? "(none)" : string.Join(", ", m.Groups)).Append('\n');
        }
        else if (result.Failure is not null)
        {
            sb.Append("rejected:      ").Append(result.Failure).Append('\n');
        }
        else
        {
            sb.Append("not mapped:    no mapRoles or mapUsers entry matches, and the account is not in mapAccounts; EKS rejects this caller (401 Unauthorized)\n");
        }

        foreach (var note in result.Notes)
        {
            sb.Append("note: ").Append(note).Append('\n');
        }

        return sb.ToString();
    }

    private static string Json(ResolveResult result) => JsonOut.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("arn", result.Arn);
        w.WriteString("canonicalArn", result.Canonical.Canonical);
        if (result.Mapping is { } m)
        {
            w.WriteString("username", m.Username);
            w.WriteStartArray("groups");
            foreach (var group in m.Groups)
            {
                w.WriteStringValue(group);
            }

            w.WriteEndArray();
            w.WriteString("matchedBy", Source(m.MatchedBy));
        }
        else
        {
            w.WriteNull("username");
            w.WriteStartArray("groups");
            w.WriteEndArray();
            w.WriteNull("matchedBy");
        }

        if (result.Failure is not null)
        {
            w.WriteString("rejected", result.Failure);
        }

        w.WriteStartArray("notes");
        foreach (var note in result.Notes)
        {
            w.WriteStringValue(note);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static string Source(MatchSource source) => source switch
    {
        MatchSource.MapRoles => "mapRoles",
        MatchSource.MapUsers => "mapUsers",
        _ => "mapAccounts",
    };
}

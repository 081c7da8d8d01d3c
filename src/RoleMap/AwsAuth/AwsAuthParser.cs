using System.Text.RegularExpressions;
using RoleMap.Arns;
using RoleMap.Diagnostics;
using RoleMap.Yaml;

namespace RoleMap.AwsAuth;

/// <summary>
/// Reads aws-auth with aws-iam-authenticator's rules (pkg/mapper/configmap <c>ParseMap</c>):
/// top-level keys are case-sensitive; blank, <c>``</c>, <c>""</c> and <c>''</c> values count as absent;
/// a YAML error drops the whole key; entries are decoded like Go's encoding/json (case-insensitive field names,
/// a value of the wrong type leaves the field empty and decoding goes on); invalid entries are dropped one by one;
/// mapAccounts is decoded by go-yaml v2 into strings. Accepts a ConfigMap manifest, <c>kubectl get -o yaml|json</c>
/// output, a <c>List</c> holding it, a multi-document stream, or just the data mapping.
/// </summary>
public static partial class AwsAuthParser
{
    private const string GroupsNotList = ", not a list; the authenticator keeps the entry with no groups";

    private static readonly string[] RoleFields = ["rolearn", "sso", "username", "groups", "userid"];
    private static readonly string[] UserFields = ["userarn", "username", "groups", "userid"];
    private static readonly string[] SsoFields = ["permissionSetName", "accountID", "partition"];

    /// <summary>Parses a file's text. Throws <see cref="InputException"/> when it is not YAML or holds no aws-auth.</summary>
    public static AwsAuthDocument Parse(string text, string? file)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Read as kubectl reads a manifest: what it cannot convert to JSON (.inf, .nan, a null key) is refused here too.
        var documents = YamlLoader.LoadManifests(text, file);
        var (configMap, dataNode) = Locate(documents, file);
        var diagnostics = new List<Diagnostic>();
        var metadata = configMap is null ? null : ReadMetadata(configMap);
        if (metadata is not null && (metadata.Name != ConfigMapDocument.AwsAuthName || metadata.Namespace is not (null or ConfigMapDocument.KubeSystem)))
        {
            diagnostics.Add(new Diagnostic(
                "configmap-identity",
                Severity.Warning,
                "the ConfigMap is " + (metadata.Namespace ?? "(no namespace)") + "/" + (metadata.Name ?? "(no name)") + "; EKS reads only kube-system/aws-auth",
                new SourceLocation(file, configMap!.Start.Line, configMap.Start.Column, "metadata")));
        }

        var data = new List<DataItem>();
        if (dataNode is YMapping map)
        {
            foreach (var pair in map.Pairs)
            {
                var keyText = pair.Key is YScalar k ? k.Value : "?";
                var location = new SourceLocation(file, pair.Key.Start.Line, pair.Key.Start.Column, "data." + keyText);
                string? value = null;
                if (pair.Value is YScalar s && s.Kind != ScalarKind.Null)
                {
                    value = s.Value;
                }
                else if (pair.Value.IsNull())
                {
                    value = string.Empty;
                }
                else
                {
                    diagnostics.Add(new Diagnostic(
                        "data-not-string",
                        Severity.Error,
                        "data." + keyText + " is " + pair.Value.Describe() + ", not a string; the API server rejects this ConfigMap (ConfigMap data values must be strings)",
                        location,
                        "write the value as a block string: '" + keyText + ": |' followed by the indented YAML"));
                }

                data.Add(new DataItem(keyText, value, pair.Value, location));
            }
        }
        else if (dataNode is not null && !dataNode.IsNull())
        {
            throw new InputException("expected 'data' to be a mapping of keys to strings, found " + dataNode.Describe(), new SourceLocation(file, dataNode.Start.Line, dataNode.Start.Column, "data"));
        }

        return Build(file, metadata, data, diagnostics);
    }

    /// <summary>Parses data already read as strings, e.g. from the Kubernetes API.</summary>
    public static AwsAuthDocument ParseData(IReadOnlyList<KeyValuePair<string, string>> data, ConfigMapMetadata? metadata, string? source)
    {
        ArgumentNullException.ThrowIfNull(data);
        var items = data.Select(d => new DataItem(d.Key, d.Value, new YScalar(d.Value, YamlDotNet.Core.ScalarStyle.DoubleQuoted, new YPosition(0, 0)), new SourceLocation(source, Path: "data." + d.Key))).ToList();
        return Build(source, metadata, items, []);
    }

    private static AwsAuthDocument Build(string? file, ConfigMapMetadata? metadata, List<DataItem> data, List<Diagnostic> diagnostics)
    {
        // Like a Go map[string]string: the last duplicate key wins.
        DataItem? Find(string key) => data.LastOrDefault(d => d.Key == key && d.Value is not null);

        var users = ParseList(AwsAuthRenderer.MapUsers, Find(AwsAuthRenderer.MapUsers), UserFields, file, diagnostics);
        var roles = ParseList(AwsAuthRenderer.MapRoles, Find(AwsAuthRenderer.MapRoles), RoleFields, file, diagnostics);
        var accounts = ParseAccounts(Find(AwsAuthRenderer.MapAccounts), file, diagnostics);
        return new AwsAuthDocument(file, metadata, data, roles, users, accounts, diagnostics);
    }

    /// <summary>The authenticator's isSkippable.</summary>
    public static bool IsSkippable(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.AsSpan().Trim(); // a span: a rendered list of megabytes ends with a newline, and Trim() would copy it
        return trimmed is "" or "``" or "\"\"" or "''";
    }

    private static ParsedList ParseList(string key, DataItem? item, string[] fields, string? file, List<Diagnostic> diagnostics)
    {
        if (item is null)
        {
            return ParsedList.Absent(key);
        }

        var valueNode = item.ValueNode as YScalar;
        var location = item.Location;
        if (IsSkippable(item.Value!))
        {
            return new ParsedList(key, true, true, null, [], null, location, valueNode);
        }

        if (StartsAsJson(item.Value!))
        {
            // k8s.io/apimachinery's ToJSON hands text that starts with '{' to encoding/json unchanged: never a list.
            var message = key + " starts with '{', so the authenticator reads it as JSON, and a JSON object is not a list; it reads no entries from it";
            diagnostics.Add(new Diagnostic("list-not-sequence", Severity.Error, message, location, "write " + key + " as a YAML list of entries ('- " + fields[0] + ": ...')"));
            return new ParsedList(key, true, false, null, [], message, location, valueNode);
        }

        if (!YamlLoader.TryUnmarshal(item.Value!, UnmarshalTarget.Json, out var root, out var syntax, out var notes))
        {
            var list = new ParsedList(key, true, false, syntax, [], null, location, valueNode);
            var line = list.FileLine(syntax!.Line);
            diagnostics.Add(YamlDiagnostic(key, syntax, location with { Line = line ?? location.Line, Column = null }));
            return list;
        }

        AddNotes(key, notes, location, line => new ParsedList(key, true, false, null, [], null, location, valueNode).FileLine(line), diagnostics);

        if (root.IsNull())
        {
            return new ParsedList(key, true, false, null, [], null, location, valueNode);
        }

        if (root is not YSequence seq)
        {
            var message = key + " is " + root!.Describe() + ", not a list; the authenticator reads no entries from it";
            diagnostics.Add(new Diagnostic("list-not-sequence", Severity.Error, message, location, "write " + key + " as a YAML list of entries ('- " + fields[0] + ": ...')"));
            return new ParsedList(key, true, false, null, [], message, location, valueNode);
        }

        var entries = new List<ParsedEntry>(seq.Items.Count);
        var listParse = new ParsedList(key, true, false, null, entries, null, location, valueNode);
        for (var i = 0; i < seq.Items.Count; i++)
        {
            entries.Add(ParseEntry(key, i, seq.Items[i], fields, file, listParse, diagnostics));
        }

        return listParse;
    }

    private static ParsedEntry ParseEntry(string key, int index, YNode node, string[] fields, string? file, ParsedList list, List<Diagnostic> diagnostics)
    {
        var path = key + "[" + index + "]";
        var location = new SourceLocation(file, list.FileLine(node.Start.Line) ?? list.Location?.Line, null, path);
        var arnField = fields[0];
        if (node is not YMapping map)
        {
            var reason = "entry is " + node.Describe() + ", not a mapping";
            diagnostics.Add(new Diagnostic("entry-invalid", Severity.Error, reason + "; the authenticator drops it", location));
            return new ParsedEntry(index, new MapEntry(null, null, []), [], [], reason, location, node);
        }

        // sigs.k8s.io/yaml turns the mapping into a Go map (last duplicate wins) and json.Marshal writes it with keys
        // sorted by bytes; encoding/json then decodes the fields in that order, so a later case variant wins.
        // A small array sorted in place rather than a dictionary and OrderBy: this runs for every entry of every list.
        var byKey = new List<(string Name, KeyValuePair<YNode, YNode> Pair)>(map.Pairs.Count);
        foreach (var pair in map.Pairs)
        {
            var name = KeyText(pair.Key);
            var at = 0;
            while (at < byKey.Count && byKey[at].Name != name)
            {
                at++;
            }

            if (at < byKey.Count)
            {
                byKey[at] = (name, pair); // the last duplicate wins, as in a Go map
            }
            else
            {
                byKey.Add((name, pair));
            }
        }

        byKey.Sort((x, y) => GoJsonFields.CompareUtf8(x.Name, y.Name));

        string? arn = null;
        string? username = null;
        List<string>? groups = null;
        YNode? sso = null;
        var typeErrors = new List<string>();
        var written = new List<EntryField>();
        var extras = new List<KeyValuePair<string, YamlValue>>();
        foreach (var (name, (keyNode, value)) in byKey)
        {
            var field = GoJsonFields.Match(name, fields);
            var fieldLocation = new SourceLocation(file, list.FileLine(keyNode.Start.Line) ?? list.Location?.Line, null, path + "." + name);
            written.Add(new EntryField(name, field, value, fieldLocation));
            switch (field)
            {
                case "rolearn" or "userarn":
                    arn = DecodeString(value, arn, name, typeErrors);
                    break;
                case "username":
                    username = DecodeString(value, username, name, typeErrors);
                    break;
                case "groups":
                    groups = DecodeStrings(value, groups, name, typeErrors);
                    break;
                case "sso":
                    sso = value.IsNull() ? null : value;
                    extras.RemoveAll(e => e.Key == "sso");
                    if (sso is not null)
                    {
                        extras.Add(new("sso", YamlValue.From(value)));
                    }

                    break;
                case "userid":
                    extras.RemoveAll(e => e.Key == "userid");
                    extras.Add(new("userid", YamlValue.From(value)));
                    DecodeString(value, null, name, typeErrors); // a Go string: anything else is a type error
                    break;
                default:
                    extras.Add(new(name, YamlValue.From(value)));
                    break;
            }
        }

        var entry = new MapEntry(arn is { Length: > 0 } ? arn : null, username, groups ?? [], extras) { Location = location };
        var invalid = arnField == "rolearn" ? ValidateRole(entry.Arn, sso, typeErrors) : (entry.Arn is null ? "value for userarn must be supplied" : null);
        foreach (var error in typeErrors)
        {
            var rule = error.EndsWith(GroupsNotList, StringComparison.Ordinal) ? "groups-not-list" : "field-type";
            var fix = rule == "groups-not-list" && written.FirstOrDefault(f => f.Field == "groups")?.Value is YScalar g
                ? "groups:\n  - " + g.Value
                : null;

            // Point at the field the message names (its key text starts the message).
            var field = written.FirstOrDefault(f => error.StartsWith(f.WrittenName + " ", StringComparison.Ordinal) || error.StartsWith(f.WrittenName + "[", StringComparison.Ordinal));
            diagnostics.Add(new Diagnostic(rule, Severity.Error, error, field is null ? location : location with { Line = field.Location.Line ?? location.Line }, fix));
        }

        if (invalid is not null)
        {
            diagnostics.Add(new Diagnostic("entry-invalid", Severity.Error, invalid + "; the authenticator drops this entry", location, FixFor(invalid, written, arnField)));
        }

        return new ParsedEntry(index, entry, written, typeErrors, invalid, location, node);
    }

    private static string? FixFor(string invalid, List<EntryField> written, string arnField)
    {
        var typo = written.FirstOrDefault(f => f.Field is null && Text.Suggest.Closest(f.WrittenName, [arnField], 3) is not null);
        return typo is not null ? "rename '" + typo.WrittenName + "' to '" + arnField + "'" : invalid.Contains("must be supplied", StringComparison.Ordinal) ? "add " + arnField : null;
    }

    private static string? ValidateRole(string? arn, YNode? sso, List<string> typeErrors)
    {
        if (sso is not null and not YMapping)
        {
            typeErrors.Add("sso is " + sso.Describe() + ", not a mapping; the authenticator keeps an empty sso block");
        }

        // encoding/json decodes the whole entry (type errors included) before Validate runs, and allocates the
        // *SSOARNMatcher before it finds a value of the wrong type, so any non-null sso counts as given.
        var ssoPairs = sso is YMapping ssoMap ? ssoMap.Pairs : [];
        string? permissionSet = null, account = null, partition = null;
        foreach (var pair in ssoPairs.OrderBy(p => KeyText(p.Key), GoJsonFields.Utf8Order))
        {
            switch (GoJsonFields.Match(KeyText(pair.Key), SsoFields))
            {
                case "permissionSetName":
                    permissionSet = DecodeString(pair.Value, permissionSet, "sso.permissionSetName", typeErrors);
                    break;
                case "accountID":
                    account = DecodeString(pair.Value, account, "sso.accountID", typeErrors);
                    break;
                case "partition":
                    partition = DecodeString(pair.Value, partition, "sso.partition", typeErrors);
                    break;
            }
        }

        if (arn is null && sso is null)
        {
            return "one of rolearn or SSO must be supplied";
        }

        if (arn is not null && sso is not null)
        {
            return "only one of rolearn or SSO can be supplied";
        }

        if (sso is null)
        {
            return null;
        }

        account ??= string.Empty;
        permissionSet ??= string.Empty;
        if (!AccountId().IsMatch(account))
        {
            return "AccountID '" + account + "' is not a valid AWS Account ID";
        }

        if (!PermissionSetName().IsMatch(permissionSet))
        {
            return "PermissionSetName '" + permissionSet + "' is not a valid AWS SSO PermissionSet Name";
        }

        if (!string.IsNullOrEmpty(partition) && !Partitions.IsKnown(partition))
        {
            return "partition '" + partition + "' is not a valid AWS partition";
        }

        return null;
    }

    private static string? DecodeString(YNode value, string? current, string path, List<string> typeErrors)
    {
        if (value.IsNull())
        {
            return current; // JSON null leaves a Go string unchanged
        }

        if (value.AsString() is { } text)
        {
            return text;
        }

        typeErrors.Add(path + " is " + value.Describe() + ", not a string; the authenticator leaves it empty" + QuoteHint(value));
        return current;
    }

    private static List<string>? DecodeStrings(YNode value, List<string>? current, string path, List<string> typeErrors)
    {
        if (value.IsNull())
        {
            return null;
        }

        if (value is not YSequence seq)
        {
            typeErrors.Add(path + " is " + value.Describe() + GroupsNotList);
            return current;
        }

        // encoding/json decodes into the slice a previous case variant of the key left (json.Marshal sorts keys, so
        // "GROUPS" comes before "groups"): an element that is null or of the wrong type keeps the value already there.
        var result = new List<string>(seq.Items.Count);
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            var previous = current is not null && i < current.Count ? current[i] : string.Empty;
            if (item.IsNull())
            {
                result.Add(previous);
            }
            else if (item.AsString() is { } text)
            {
                result.Add(text);
            }
            else
            {
                typeErrors.Add(path + "[" + i + "] is " + item.Describe() + ", not a string; the authenticator reads it as " + (previous.Length == 0 ? "an empty group name" : "'" + previous + "'") + QuoteHint(item));
                result.Add(previous);
            }
        }

        return result;
    }

    private static string QuoteHint(YNode value) =>
        value is YScalar { Kind: not ScalarKind.String } s ? " (quote it: \"" + s.Value + "\")" : string.Empty;

    private static ParsedAccounts ParseAccounts(DataItem? item, string? file, List<Diagnostic> diagnostics)
    {
        if (item is null)
        {
            return ParsedAccounts.Absent;
        }

        if (IsSkippable(item.Value!))
        {
            return new ParsedAccounts(true, true, null, [], [], item.Location);
        }

        if (!YamlLoader.TryUnmarshal(item.Value!, UnmarshalTarget.StringList, out var root, out var syntax, out var notes)
            || (root is YScalar rootScalar && GoYaml.DecodeScalar(rootScalar, out syntax) is not null && syntax is not null))
        {
            diagnostics.Add(YamlDiagnostic(AwsAuthRenderer.MapAccounts, syntax!, item.Location));
            return new ParsedAccounts(true, false, syntax, [], [], item.Location);
        }

        // Decoding into []string looks only at the list's scalars, so a !!binary one among them is the note to give.
        var binary = (root as YSequence)?.Items.OfType<YScalar>().FirstOrDefault(s => s.Tag == "tag:yaml.org,2002:binary");
        AddNotes(AwsAuthRenderer.MapAccounts, notes with { BinaryLine = binary?.Start.Line }, item.Location, _ => null, diagnostics);
        if (root is YSequence decoding && FirstDecodingError(decoding) is { } failure)
        {
            // go-yaml sizes the []string first and fails on the way: the accounts decoded before the failure stay in
            // it, followed by empty strings, and the authenticator keeps that list along with the error.
            var kept = new List<ParsedAccount>();
            foreach (var account in decoding.Items)
            {
                if (account is YScalar s)
                {
                    var decoded = GoYaml.DecodeScalar(s, out var error);
                    if (error is not null)
                    {
                        break;
                    }

                    kept.Add(new ParsedAccount(decoded.Kind == ScalarKind.Null ? string.Empty : decoded.Value, s.IsQuoted(), item.Location));
                }
            }

            while (kept.Count < decoding.Items.Count)
            {
                kept.Add(new ParsedAccount(string.Empty, false, item.Location));
            }

            diagnostics.Add(YamlDiagnostic(AwsAuthRenderer.MapAccounts, failure, item.Location));
            return new ParsedAccounts(true, false, failure, kept, [], item.Location);
        }

        if (root.IsNull())
        {
            return new ParsedAccounts(true, false, null, [], [], item.Location);
        }

        if (root is not YSequence seq)
        {
            var error = "mapAccounts is " + root!.Describe() + ", not a list; the authenticator maps no accounts";
            diagnostics.Add(new Diagnostic("list-not-sequence", Severity.Error, error, item.Location, "write mapAccounts as a list: - \"111122223333\""));
            return new ParsedAccounts(true, false, null, [], [error], item.Location);
        }

        var accounts = new List<ParsedAccount>();
        var errors = new List<string>();
        var valueNode = item.ValueNode as YScalar;
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var line = valueNode is { IsBlock: true } ? valueNode.Start.Line + valueNode.ContentLineOffset + seq.Items[i].Start.Line - 1 : item.Location.Line;
            var location = new SourceLocation(file, line, null, "mapAccounts[" + i + "]");
            switch (seq.Items[i])
            {
                // go-yaml v2 decodes any scalar into a string as written (unquoted numbers keep their text).
                case YScalar s:
                    var decoded = GoYaml.DecodeScalar(s, out _);
                    accounts.Add(new ParsedAccount(decoded.Kind == ScalarKind.Null ? string.Empty : decoded.Value, s.IsQuoted(), location));
                    break;
                default:
                    var error = "item is " + seq.Items[i].Describe() + ", not an account ID; the authenticator skips it";
                    errors.Add(error);
                    diagnostics.Add(new Diagnostic("field-type", Severity.Error, error, location));
                    break;
            }
        }

        return new ParsedAccounts(true, false, null, accounts, errors, item.Location);
    }

    /// <summary>k8s.io/apimachinery's hasJSONPrefix: the first character after Unicode white space is '{'.</summary>
    private static bool StartsAsJson(string value) => value.AsSpan().TrimStart().StartsWith("{", StringComparison.Ordinal);

    /// <summary>Findings for what go-yaml did silently with a key it read: what follows the first document, a
    /// byte-order mark, a merge key, a !!binary value.</summary>
    private static void AddNotes(string key, GoYamlNotes notes, SourceLocation location, Func<int, int?> fileLine, List<Diagnostic> diagnostics)
    {
        if (notes.IgnoredFromLine is { } ignored)
        {
            diagnostics.Add(LintRules.Finding("yaml-after-document", key + " goes on after its first YAML document or value (from line " + ignored + " of " + key + "); the authenticator reads only the first and never sees the rest, so nothing there is mapped",
                location with { Line = fileLine(ignored) ?? location.Line, Column = null },
                "remove the '---' (or the text after the list) and put every entry in one list"));
        }

        if (notes.ByteOrderMark)
        {
            diagnostics.Add(LintRules.Finding("yaml-byte-order-mark", key + " starts with a byte-order mark (U+FEFF); the authenticator's YAML library skips it", location, "remove the byte-order mark"));
        }

        if (notes.MergeLine is { } merge)
        {
            diagnostics.Add(LintRules.Finding("yaml-merge-key", key + " uses a merge key ('<<') at line " + merge + " of " + key + "; the authenticator's YAML library copies the anchored fields into the entry (keys written in the entry win), which is what rolemap shows",
                location with { Line = fileLine(merge) ?? location.Line, Column = null },
                "write the fields out in each entry; 'rolemap generate' does"));
        }

        if (notes.BinaryLine is { } binary)
        {
            diagnostics.Add(LintRules.Finding("yaml-binary", key + " has a !!binary value at line " + binary + " of " + key + "; the authenticator decodes the base64 and uses the decoded text, which is what rolemap shows",
                location with { Line = fileLine(binary) ?? location.Line, Column = null },
                "write the decoded text as a plain string"));
        }
    }

    /// <summary>The finding for a key go-yaml or the JSON conversion refuses as a whole, saying in words why.</summary>
    private static Diagnostic YamlDiagnostic(string key, YamlSyntaxError syntax, SourceLocation location)
    {
        var (why, fix) = GoYamlFindings.Explain(syntax);
        var consequence = key == AwsAuthRenderer.MapAccounts ? "the authenticator maps no accounts" : "the authenticator ignores the whole key, so every entry in " + key + " is dropped";
        return new Diagnostic(syntax.Rule, Severity.Error, key + " " + why + " (" + syntax.Message + " at line " + syntax.Line + " of " + key + "); " + consequence, location, fix);
    }

    private static string KeyText(YNode key) => key is YScalar s ? (s.Kind == ScalarKind.Null ? "null" : s.Value) : "?";

    private static (YMapping? ConfigMap, YNode? Data) Locate(IReadOnlyList<YNode?> documents, string? file)
    {
        var candidates = new List<YMapping>();
        foreach (var document in documents)
        {
            if (document is not YMapping map)
            {
                continue;
            }

            var kind = map.Get("kind").AsString();
            if (kind is "List" or "ConfigMapList" && map.Get("items") is YSequence items)
            {
                candidates.AddRange(items.Items.OfType<YMapping>().Where(i => i.Get("kind").AsString() == "ConfigMap"));
            }
            else if (kind == "ConfigMap")
            {
                candidates.Add(map);
            }
            else if (kind is null && map.Get("apiVersion") is null && map.Get("metadata") is null)
            {
                // A bare data mapping, e.g. the output of 'rolemap generate --data-only'.
                return (null, map);
            }
        }

        if (candidates.Count == 0)
        {
            var first = documents.FirstOrDefault(d => d is not null);
            throw new InputException(
                "expected an aws-auth ConfigMap (a manifest, 'kubectl get configmap aws-auth -n kube-system -o yaml|json' output, or its data mapping), found "
                + (first is YMapping m && m.Get("kind").AsString() is { } k ? "kind '" + k + "'" : first?.Describe() ?? "an empty document"),
                new SourceLocation(file, first?.Start.Line, first?.Start.Column));
        }

        var chosen = candidates.LastOrDefault(c => Name(c) == ConfigMapDocument.AwsAuthName) ?? (candidates.Count == 1 ? candidates[0] : null)
            ?? throw new InputException("found " + candidates.Count + " ConfigMaps and none is named aws-auth", new SourceLocation(file));
        return (chosen, chosen.Get("data"));

        static string? Name(YMapping configMap) => (configMap.Get("metadata") as YMapping)?.Get("name").AsString();
    }

    private static ConfigMapMetadata ReadMetadata(YMapping configMap)
    {
        var metadata = configMap.Get("metadata") as YMapping;
        return new ConfigMapMetadata(
            metadata?.Get("name").AsString(),
            metadata?.Get("namespace").AsString(),
            metadata?.Get("resourceVersion").AsString(),
            metadata?.Get("uid").AsString(),
            StringPairs(metadata?.Get("labels")),
            StringPairs(metadata?.Get("annotations")));
    }

    private static List<KeyValuePair<string, string>> StringPairs(YNode? node) =>
        node is YMapping map
            ? [.. map.Pairs.Where(p => p.Key is YScalar && p.Value is YScalar).Select(p => new KeyValuePair<string, string>(((YScalar)p.Key).Value, ((YScalar)p.Value).Value))]
            : [];

    [GeneratedRegex("^[0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountId();

    [GeneratedRegex(@"^[0-9A-Za-z_+=,.@-]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex PermissionSetName();

    /// <summary>The first scalar of the list go-yaml fails to decode, or null (a loop: LINQ over LINQ here costs start-up in the native image).</summary>
    private static YamlSyntaxError? FirstDecodingError(YSequence list)
    {
        foreach (var item in list.Items)
        {
            if (item is YScalar scalar)
            {
                GoYaml.DecodeScalar(scalar, out var error);
                if (error is not null)
                {
                    return error;
                }
            }
        }

        return null;
    }
}

using System.Text.Json;
using System.Text.Unicode;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Spec;

namespace RoleMap.Terraform;

/// <summary>
/// A fast path for the query Terraform sends: the module's inputs as strings, lists and maps <c>jsonencode</c>d, read
/// with Utf8JsonReader from the bytes straight into the <see cref="MappingSpec"/>, without a JSON document, the decoded
/// strings or a node tree per input. It reads only the shapes it knows to give exactly the spec that
/// <see cref="ExternalDataSource.ParseQuery"/> gives (lists of strings, maps of string lists, label maps, every key once);
/// anything else, valid or not, makes it decline (null), and the caller reads the query the exact way, so every
/// message stays the same.
/// </summary>
internal static class Utf8QueryReader
{
    private const string Source = "<terraform query>";

    // Group names repeat across entries (a team's groups on many roles): one string each, up to this many distinct names.
    private const int MaxInternedGroups = 4096;

    public static (MappingSpec Spec, RenderStyle Style, IReadOnlyList<string> Keys)? TryRead(ReadOnlySpan<byte> query)
    {
        // Invalid UTF-8 is decoded with replacement characters on the exact path; the reader would refuse it.
        if (!Utf8.IsValid(query))
        {
            return null;
        }

        return TryReadSlices(query) ?? TryReadJson(query);
    }

    /// <summary>
    /// The query in the one spelling Terraform writes, its outer object included (no whitespace, every key once, only
    /// the keys and values the slice readers know), read without Utf8JsonReader, whose first use was a visible part of
    /// the small query's start-up; null (nothing read) for anything else, which <see cref="TryReadJson"/> reads from
    /// the start. The bytes are valid UTF-8.
    /// </summary>
    internal static (MappingSpec Spec, RenderStyle Style, IReadOnlyList<string> Keys)? TryReadSlices(ReadOnlySpan<byte> query) =>
        new Reader().ReadSlices(query);

    /// <summary>The query read with Utf8JsonReader (valid UTF-8), or null for the exact path.</summary>
    internal static (MappingSpec Spec, RenderStyle Style, IReadOnlyList<string> Keys)? TryReadJson(ReadOnlySpan<byte> query)
    {
        try
        {
            return new Reader().Read(query);
        }
        catch (JsonException)
        {
            return null; // not JSON, or not the expected shape: the exact path says what is wrong
        }
        catch (InvalidOperationException)
        {
            return null; // a string escape that decodes to a lone surrogate
        }
    }

    private sealed class Reader
    {
        private readonly List<SpecPrincipal> roles = [];
        private readonly List<SpecPrincipal> users = [];
        private readonly List<SpecAccount> accounts = [];
        private readonly List<KeyValuePair<string, string>> labels = [];
        // Only the Utf8JsonReader way reads groups through these; the common spelling is read from slices, so they are
        // made when first needed (building them was a visible part of the small query's start-up).
        private Dictionary<string, string>? groupNames;
        private GroupLists? groupLists;
        private byte[] buffer = [];

        public (MappingSpec Spec, RenderStyle Style, IReadOnlyList<string> Keys)? Read(ReadOnlySpan<byte> query)
        {
            var reader = new Utf8JsonReader(query);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var style = RenderStyle.Plain;
            var keys = new List<string>();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                if (keys.Contains(key, StringComparer.Ordinal) || !reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return null; // a key given twice, or a raw JSON value instead of a string
                }

                keys.Add(key);
                var location = new SourceLocation(Source, 0, 0, key);
                switch (key)
                {
                    case "style":
                        try
                        {
                            style = ExternalDataSource.ParseStyle(reader.GetString()!);
                        }
                        catch (InputException)
                        {
                            return null; // the exact path gives the message, with its location
                        }

                        break;
                    case "eks_worker_iam_role_arn":
                        var arn = reader.GetString()!;
                        if (arn.Length > 0)
                        {
                            roles.Add(new SpecPrincipal(arn, EntryKind.LinuxNode, null, [], location));
                        }

                        break;
                    case "eks_worker_iam_role_arns":
                        ReadArnList(ref reader, EntryKind.LinuxNode, location);
                        break;
                    case "windows_worker_iam_role_arns":
                        ReadArnList(ref reader, EntryKind.WindowsNode, location);
                        break;
                    case "eks_fargate_profile_executor_iam_role_arns":
                        ReadArnList(ref reader, EntryKind.Fargate, location);
                        break;
                    case "iam_role_to_rbac_group_mappings":
                        ReadGroupMap(ref reader, key, roles);
                        break;
                    case "iam_user_to_rbac_group_mappings":
                        ReadGroupMap(ref reader, key, users);
                        break;
                    case "map_accounts":
                        ReadAccounts(ref reader, location);
                        break;
                    case "config_map_labels":
                        ReadLabels(ref reader);
                        break;
                    default:
                        return null; // rolemap's own vocabulary, or an unknown key: the exact path
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return null;
            }

            return (new MappingSpec(roles, users, accounts, labels, Source), style, keys);
        }

        public (MappingSpec Spec, RenderStyle Style, IReadOnlyList<string> Keys)? ReadSlices(ReadOnlySpan<byte> query)
        {
            var style = RenderStyle.Plain;
            var keys = new List<string>();
            var at = 0;
            if (query.Length < 2 || query[at++] != (byte)'{')
            {
                return null;
            }

            while (query[at] != (byte)'}')
            {
                if (!OuterString(query, ref at, out var keyBytes, out var keyEscaped) || keyEscaped || at >= query.Length || query[at++] != (byte)':'
                    || !OuterString(query, ref at, out var value, out var escaped) || at >= query.Length)
                {
                    return null;
                }

                var key = System.Text.Encoding.UTF8.GetString(keyBytes);
                foreach (var seen in keys)
                {
                    if (string.Equals(seen, key, StringComparison.Ordinal))
                    {
                        return null; // a key given twice
                    }
                }

                keys.Add(key);
                var location = new SourceLocation(Source, 0, 0, key);
                var read = key switch
                {
                    "style" => !escaped && TryStyle(value, ref style),
                    "eks_worker_iam_role_arn" => !escaped && AddWorker(value, location),
                    "eks_worker_iam_role_arns" => TryReadArnListSlices(value, EntryKind.LinuxNode, location),
                    "windows_worker_iam_role_arns" => TryReadArnListSlices(value, EntryKind.WindowsNode, location),
                    "eks_fargate_profile_executor_iam_role_arns" => TryReadArnListSlices(value, EntryKind.Fargate, location),
                    "iam_role_to_rbac_group_mappings" => TryReadGroupMapSlices(value, key, roles),
                    "iam_user_to_rbac_group_mappings" => TryReadGroupMapSlices(value, key, users),
                    "map_accounts" => value.SequenceEqual("[]"u8),
                    "config_map_labels" => value.SequenceEqual("{}"u8),
                    _ => false, // rolemap's own vocabulary, or an unknown key
                };
                if (!read)
                {
                    return null;
                }

                if (query[at] == (byte)',' && at + 1 < query.Length)
                {
                    at++;
                    if (query[at] == (byte)'}')
                    {
                        return null; // a trailing comma
                    }
                }
                else if (query[at] != (byte)'}')
                {
                    return null;
                }
            }

            // After the object, only what JSON counts as whitespace.
            if (query[(at + 1)..].IndexOfAnyExcept(" \t\r\n"u8) >= 0)
            {
                return null;
            }

            return (new MappingSpec(roles, users, accounts, labels, Source), style, keys);
        }

        private static bool TryStyle(ReadOnlySpan<byte> value, ref RenderStyle style)
        {
            // What ParseStyle accepts; anything else is left to the exact path's message.
            if (value.SequenceEqual("plain"u8) || value.SequenceEqual("terraform"u8))
            {
                style = value[0] == (byte)'p' ? RenderStyle.Plain : RenderStyle.Terraform;
                return true;
            }

            return false;
        }

        private bool AddWorker(ReadOnlySpan<byte> arn, SourceLocation location)
        {
            if (arn.Length > 0)
            {
                roles.Add(new SpecPrincipal(System.Text.Encoding.UTF8.GetString(arn), EntryKind.LinuxNode, null, [], location));
            }

            return true;
        }

        /// <summary>
        /// A string of the query's outer object as it sits in the bytes (escapes left as written, <paramref name="escaped"/>
        /// when there is one), <paramref name="at"/> moved past its closing quote; false for anything but a string, or a
        /// control character that JSON does not allow in one.
        /// </summary>
        private static bool OuterString(ReadOnlySpan<byte> query, ref int at, out ReadOnlySpan<byte> content, out bool escaped)
        {
            content = default;
            escaped = false;
            if (at >= query.Length || query[at] != (byte)'"')
            {
                return false;
            }

            for (var i = at + 1; i < query.Length; i++)
            {
                var b = query[i];
                if (b == (byte)'"')
                {
                    content = query[(at + 1)..i];
                    at = i + 1;
                    return true;
                }

                if (b < 0x20)
                {
                    return false;
                }

                if (b == (byte)'\\')
                {
                    escaped = true;
                    i++; // the escaped byte: a quote there does not end the string
                }
            }

            return false;
        }

        /// <summary>The jsonencode()d value of the current string; false when it is blank (read as no value).</summary>
        private bool Inner(ref Utf8JsonReader outer, out Utf8JsonReader inner)
        {
            ReadOnlySpan<byte> value;
            if (outer.ValueIsEscaped)
            {
                if (buffer.Length < outer.ValueSpan.Length)
                {
                    // Not cleared: CopyString writes every byte that is read (the map of 100,000 roles is 10 MB).
                    buffer = GC.AllocateUninitializedArray<byte>(Math.Max(outer.ValueSpan.Length, buffer.Length * 2));
                }

                value = buffer.AsSpan(0, outer.CopyString(buffer));
            }
            else
            {
                value = outer.ValueSpan;
            }

            inner = new Utf8JsonReader(value);
            // Blank text is no value on the exact path (any Unicode blank; JSON's four are the ones the reader skips).
            return value.IndexOfAnyExcept(" \t\r\n"u8) >= 0;
        }

        private void ReadArnList(ref Utf8JsonReader outer, EntryKind kind, SourceLocation location)
        {
            if (TryReadArnListSlices(outer.ValueSpan, kind, location))
            {
                return;
            }

            if (!Inner(ref outer, out var inner))
            {
                return;
            }

            Expect(ref inner, JsonTokenType.StartArray);
            while (Next(ref inner) == JsonTokenType.String)
            {
                roles.Add(new SpecPrincipal(inner.GetString()!, kind, null, [], location));
            }

            End(ref inner, JsonTokenType.EndArray);
        }

        private void ReadAccounts(ref Utf8JsonReader outer, SourceLocation location)
        {
            if (!Inner(ref outer, out var inner))
            {
                return;
            }

            Expect(ref inner, JsonTokenType.StartArray);
            while (Next(ref inner) == JsonTokenType.String)
            {
                accounts.Add(new SpecAccount(inner.GetString()!, location));
            }

            End(ref inner, JsonTokenType.EndArray);
        }

        private void ReadGroupMap(ref Utf8JsonReader outer, string key, List<SpecPrincipal> into)
        {
            if (TryReadGroupMapSlices(outer.ValueSpan, key, into))
            {
                return;
            }

            if (!Inner(ref outer, out var inner))
            {
                return;
            }

            Expect(ref inner, JsonTokenType.StartObject);
            var groupLists = this.groupLists ??= new();
            var start = into.Count;
            var pathHead = key + ".";
            // Terraform sends map keys sorted, so no key can repeat while each is greater than the one before; a set
            // of every key is built only for a map out of order.
            HashSet<string>? seen = null;
            string? previous = null;
            while (Next(ref inner) == JsonTokenType.PropertyName)
            {
                var arn = inner.GetString()!;
                if (seen is null && previous is not null && string.CompareOrdinal(previous, arn) >= 0)
                {
                    seen = [.. into.Skip(start).Select(p => p.Arn)];
                }

                if (seen is not null && !seen.Add(arn))
                {
                    throw new JsonException("an ARN given twice"); // the exact path names it
                }

                previous = arn;

                Expect(ref inner, JsonTokenType.StartArray);
                groupLists.Clear();
                while (Next(ref inner) == JsonTokenType.String)
                {
                    groupLists.Add(inner.ValueIsEscaped ? inner.GetString()! : GroupName(inner.ValueSpan));
                }

                if (inner.TokenType != JsonTokenType.EndArray)
                {
                    throw new JsonException("not a list of strings");
                }

                // The same location the exact path gives: the key's path (joined only if a finding reads it), line 0
                // (unpositioned).
                into.Add(new SpecPrincipal(arn, EntryKind.Custom, null, groupLists.Take(), new SourceLocation(Source, 0, 0, pathHead, arn)));
            }

            End(ref inner, JsonTokenType.EndObject);
        }

        private void ReadLabels(ref Utf8JsonReader outer)
        {
            if (!Inner(ref outer, out var inner))
            {
                return;
            }

            Expect(ref inner, JsonTokenType.StartObject);
            var start = labels.Count;
            while (Next(ref inner) == JsonTokenType.PropertyName)
            {
                var name = inner.GetString()!;
                for (var i = start; i < labels.Count; i++)
                {
                    if (labels[i].Key == name)
                    {
                        throw new JsonException("a label given twice");
                    }
                }

                Expect(ref inner, JsonTokenType.String);
                labels.Add(new(name, inner.GetString()!));
            }

            End(ref inner, JsonTokenType.EndObject);
        }

        /// <summary>A group name from its UTF-8 bytes (unescaped), one string per distinct name.</summary>
        private string GroupName(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length > 128)
            {
                return System.Text.Encoding.UTF8.GetString(bytes);
            }

            Span<char> chars = stackalloc char[128];
            var length = System.Text.Encoding.UTF8.GetChars(bytes, chars);
            var groupNames = this.groupNames ??= new(StringComparer.Ordinal);
            var lookup = groupNames.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(chars[..length], out var known))
            {
                return known;
            }

            var name = new string(chars[..length]);
            if (groupNames.Count < MaxInternedGroups)
            {
                groupNames.Add(name, name);
            }

            return name;
        }

        /// <summary>
        /// A jsonencode()d list of ARNs read from the query's own bytes, without unescaping it: only the one spelling
        /// Terraform's jsonencode writes (no whitespace, <c>\"</c> around each string, no escape inside one). Anything else
        /// is false with nothing added, and the value is read the general way.
        /// </summary>
        private bool TryReadArnListSlices(ReadOnlySpan<byte> text, EntryKind kind, SourceLocation location)
        {
            var start = roles.Count;
            var at = 0;
            if (text.Length < 2 || text[at++] != (byte)'[')
            {
                return false;
            }

            if (text[at] != (byte)']')
            {
                while (true)
                {
                    if (!Quoted(text, ref at, out var arn))
                    {
                        roles.RemoveRange(start, roles.Count - start);
                        return false;
                    }

                    roles.Add(new SpecPrincipal(System.Text.Encoding.UTF8.GetString(arn), kind, null, [], location));
                    if (at < text.Length && text[at] == (byte)',')
                    {
                        at++;
                        continue;
                    }

                    break;
                }
            }

            if (at + 1 == text.Length && text[at] == (byte)']')
            {
                return true;
            }

            roles.RemoveRange(start, roles.Count - start);
            return false;
        }

        /// <summary>
        /// A jsonencode()d map of ARNs to lists of groups read from the query's own bytes, in the one spelling of
        /// <see cref="TryReadArnListSlices"/>, with its keys in ascending order as Terraform sends them (a key out of order,
        /// or repeated, is left to the general way, which names it). Each ARN is one string made from its bytes, each group
        /// list one array; nothing of the value is unescaped or copied first.
        /// </summary>
        private bool TryReadGroupMapSlices(ReadOnlySpan<byte> text, string key, List<SpecPrincipal> into)
        {
            var start = into.Count;
            if (!TryReadEntrySlices(text, key + ".", into))
            {
                into.RemoveRange(start, into.Count - start);
                return false;
            }

            return true;
        }

        private bool TryReadEntrySlices(ReadOnlySpan<byte> text, string pathHead, List<SpecPrincipal> into)
        {
            var at = 0;
            if (text.Length < 2 || text[at++] != (byte)'{')
            {
                return false;
            }

            if (text[at] == (byte)'}')
            {
                return at + 1 == text.Length;
            }

            string? previous = null;
            while (true)
            {
                if (!Quoted(text, ref at, out var arnBytes) || at + 1 >= text.Length || text[at] != (byte)':' || text[at + 1] != (byte)'[')
                {
                    return false;
                }

                var arn = System.Text.Encoding.UTF8.GetString(arnBytes);
                if (previous is not null && string.CompareOrdinal(previous, arn) >= 0)
                {
                    return false;
                }

                previous = arn;
                var listAt = ++at;
                var count = 0;
                if (++at < text.Length && text[at] != (byte)']')
                {
                    while (Quoted(text, ref at, out _))
                    {
                        count++;
                        if (at < text.Length && text[at] == (byte)',')
                        {
                            at++;
                            continue;
                        }

                        break;
                    }
                }

                if (at >= text.Length || text[at] != (byte)']')
                {
                    return false;
                }

                var groups = List(text[listAt..++at], count);

                // The same location the exact path gives: the key's path (joined only if a finding reads it), line 0
                // (unpositioned).
                into.Add(new SpecPrincipal(arn, EntryKind.Custom, null, groups, new SourceLocation(Source, 0, 0, pathHead, arn)));
                if (at < text.Length && text[at] == (byte)',')
                {
                    at++;
                    continue;
                }

                return at + 1 == text.Length && text[at] == (byte)'}';
            }
        }

        /// <summary>
        /// The groups of a list already checked (<c>[</c> onwards, <paramref name="count"/> strings). Not shared between
        /// equal lists: most lists of a large map differ, and looking each up cost more than the arrays it saved.
        /// </summary>
        private string[] List(ReadOnlySpan<byte> list, int count)
        {
            if (count == 0)
            {
                return [];
            }

            var groups = new string[count];
            var at = 1;
            for (var i = 0; i < count; i++)
            {
                Quoted(list, ref at, out var name);
                groups[i] = GroupName(name);
                at++; // the comma, or the closing bracket
            }

            return groups;
        }

        /// <summary>
        /// A string of a jsonencode()d value as it sits in the query: <c>\"</c>, bytes without a backslash (so without an
        /// escape, and without a quote, which the query's own string cannot hold unescaped), <c>\"</c>.
        /// </summary>
        private static bool Quoted(ReadOnlySpan<byte> text, ref int at, out ReadOnlySpan<byte> content)
        {
            content = default;
            if (at + 1 >= text.Length || text[at] != (byte)'\\' || text[at + 1] != (byte)'"')
            {
                return false;
            }

            var length = text[(at + 2)..].IndexOf((byte)'\\');
            if (length < 0 || at + 3 + length >= text.Length || text[at + 3 + length] != (byte)'"')
            {
                return false;
            }

            content = text.Slice(at + 2, length);
            at += length + 4;
            return true;
        }

        private static JsonTokenType Next(ref Utf8JsonReader reader) =>
            reader.Read() ? reader.TokenType : throw new JsonException("unexpected end");

        private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
        {
            if (Next(ref reader) != type)
            {
                throw new JsonException("unexpected " + reader.TokenType);
            }
        }

        /// <summary>The current token closes the value, and nothing follows it.</summary>
        private static void End(ref Utf8JsonReader reader, JsonTokenType type)
        {
            if (reader.TokenType != type || reader.Read())
            {
                throw new JsonException("unexpected " + reader.TokenType);
            }
        }
    }
}

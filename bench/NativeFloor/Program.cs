// The native floor of `rolemap terraform-external`: what bench/baseline/aws_auth_generator.py does, done the cheapest
// way native code can: the query read once, values kept as slices of its bytes (no strings, no objects per entry but
// one slice each), the ARNs sorted as bytes, and the result JSON written straight, with the YAML text already escaped
// for JSON, into one buffer. No validation, no lint, no read-back of the output. bench/run.py times it beside rolemap
// and checks that both print the same bytes; any input outside the plain shapes the benchmark generates (an escaped
// string, a value YAML would quote, mapped accounts, labels) exits 3 rather than print something else.
using System.Buffers;
using System.Text.Json;

var query = ReadAll();
var fields = new Dictionary<string, Range>(StringComparer.Ordinal);
var reader = new Utf8JsonReader(query);
reader.Read();
while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
{
    var key = reader.GetString()!;
    reader.Read();
    fields[key] = reader.TokenType == JsonTokenType.String ? Raw(ref reader) : Decline("a query value that is not a string");
}

// The jsonencode()d values hold escaped quotes; unescaped in place, each into its own part of one buffer.
var decoded = new byte[query.Length];
var used = 0;
Range Decoded(string key)
{
    if (!fields.TryGetValue(key, out var range))
    {
        return default;
    }

    var value = new Utf8JsonReader(query.AsSpan(range));
    value.Read();
    var length = value.CopyString(decoded.AsSpan(used));
    used += length;
    return (used - length)..used;
}

var output = new byte[(query.Length * 2) + 4096];
var at = 0;
Write("{\"mapRoles\":\""u8);
var rolesStart = at;
var single = Decoded("eks_worker_iam_role_arn");
foreach (var arn in Strings(Decoded("eks_worker_iam_role_arns")).Concat(single.Start.Value == single.End.Value ? [] : [single]))
{
    Entry("rolearn"u8, arn, "\\\"system:node:{{EC2PrivateDNSName}}\\\""u8, []);
}

if (Strings(Decoded("windows_worker_iam_role_arns")).Count + Strings(Decoded("eks_fargate_profile_executor_iam_role_arns")).Count > 0)
{
    Decline("Windows and Fargate roles are outside the benchmark's shapes");
}

var roles = Map(Decoded("iam_role_to_rbac_group_mappings"));
foreach (var (arn, groups) in roles)
{
    Entry("rolearn"u8, arn, default, groups);
}

if (at == rolesStart)
{
    Write("[]\\n"u8);
}

Write("\",\"mapUsers\":\""u8);
var usersStart = at;
foreach (var (arn, groups) in Map(Decoded("iam_user_to_rbac_group_mappings")))
{
    Entry("userarn"u8, arn, default, groups);
}

if (at == usersStart)
{
    Write("[]\\n"u8);
}

if (Strings(Decoded("map_accounts")).Count > 0 || decoded.AsSpan(Decoded("config_map_labels")).Length > 2)
{
    Decline("mapped accounts and labels are outside the benchmark's shapes");
}

Write("\",\"mapAccounts\":\"[]\\n\",\"warnings\":\"[]\"}\n"u8);
using (var stdout = Console.OpenStandardOutput())
{
    stdout.Write(output.AsSpan(0, at));
}

return 0;

void Write(ReadOnlySpan<byte> bytes)
{
    bytes.CopyTo(output.AsSpan(at));
    at += bytes.Length;
}

// One entry of mapRoles or mapUsers as YAML, escaped for the JSON string it sits in: the node username is the given
// (already escaped) double-quoted text, any other the ARN's last segment; role paths and sessions removed.
void Entry(ReadOnlySpan<byte> key, Range arn, ReadOnlySpan<byte> nodeUsername, List<Range> groups)
{
    var text = decoded.AsSpan(arn);
    Write("- "u8);
    Write(key);
    Write(": "u8);
    if (key[0] == (byte)'r')
    {
        text = RoleWithoutPath(text);
    }

    Plain(text);
    Write("\\n  username: "u8);
    if (nodeUsername.IsEmpty)
    {
        Plain(text[(text.LastIndexOf((byte)'/') + 1)..]);
    }
    else
    {
        Write(nodeUsername);
    }

    if (nodeUsername.IsEmpty && groups.Count == 0)
    {
        Write("\\n  groups: []\\n"u8);
        return;
    }

    Write("\\n  groups:\\n"u8);
    if (!nodeUsername.IsEmpty)
    {
        Write("  - system:bootstrappers\\n  - system:nodes\\n"u8);
    }

    foreach (var group in groups)
    {
        Write("  - "u8);
        Plain(decoded.AsSpan(group));
        Write("\\n"u8);
    }
}

// Only scalars every YAML writer leaves plain and JSON leaves unescaped: a letter first, then letters, digits and ARN
// punctuation, no trailing colon, no YAML 1.1 boolean or null word.
void Plain(ReadOnlySpan<byte> value)
{
    if (value.IsEmpty || !char.IsAsciiLetter((char)value[0]) || value[^1] == (byte)':' || value.ContainsAnyExcept(Program.PlainBytes) || Program.IsResolvable(value))
    {
        Decline("a value YAML would quote");
    }

    Write(value);
}

List<(Range Arn, List<Range> Groups)> Map(Range json)
{
    var entries = new List<(Range, List<Range>)>();
    if (json.Equals(default(Range)))
    {
        return entries;
    }

    var reader = new Utf8JsonReader(decoded.AsSpan(json));
    var offset = json.Start.Value;
    reader.Read();
    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
    {
        var arn = Shifted(Slice(decoded.AsSpan(json), ref reader), offset);
        var groups = new List<Range>(3);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            groups.Add(Shifted(Slice(decoded.AsSpan(json), ref reader), offset));
        }

        entries.Add((arn, groups));
    }

    // Ordinal order of UTF-16 and of UTF-8 bytes agree outside the astral planes; the benchmark's ARNs are ASCII.
    entries.Sort((a, b) => decoded.AsSpan(a.Item1).SequenceCompareTo(decoded.AsSpan(b.Item1)));
    return entries;
}

List<Range> Strings(Range json)
{
    var items = new List<Range>();
    if (!json.Equals(default(Range)))
    {
        var reader = new Utf8JsonReader(decoded.AsSpan(json));
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            items.Add(Shifted(Slice(decoded.AsSpan(json), ref reader), json.Start.Value));
        }
    }

    return items;
}

static Range Shifted(Range range, int offset) => (range.Start.Value + offset)..(range.End.Value + offset);

// The string token's bytes, as a range of the text the reader reads (escaped strings are outside the floor's shapes).
static Range Slice(ReadOnlySpan<byte> text, ref Utf8JsonReader reader)
{
    if (reader.ValueIsEscaped)
    {
        Decline("a string with escapes");
    }

    var start = (int)reader.TokenStartIndex + 1;
    return start..(start + reader.ValueSpan.Length);
}

// A string token with its quotes, as written, for a reader that unescapes it later.
static Range Raw(ref Utf8JsonReader reader)
{
    var start = (int)reader.TokenStartIndex;
    return start..(start + reader.ValueSpan.Length + 2);
}

// arn:P:iam::A:role/path/name becomes arn:P:iam::A:role/name (the benchmark has no assumed-role ARNs; the Python
// baseline handles those too). The result is written where the path began, so no copy is made when there is none.
static Span<byte> RoleWithoutPath(Span<byte> arn)
{
    var kind = arn.IndexOf(":role/"u8);
    var last = arn.LastIndexOf((byte)'/');
    if (kind < 0)
    {
        Decline("a role ARN outside the benchmark's shapes");
    }

    var prefix = kind + ":role/".Length;
    if (last + 1 == prefix)
    {
        return arn;
    }

    arn[(last + 1)..].CopyTo(arn[prefix..]);
    return arn[..(prefix + arn.Length - last - 1)];
}

// stdin into one array that doubles when full (the floor's program stands alone: nothing shared with the CLI's reader).
static byte[] ReadAll()
{
    using var stdin = Console.OpenStandardInput();
    var buffer = new byte[1 << 16];
    var length = 0;
    for (int read; (read = stdin.Read(buffer.AsSpan(length))) > 0;)
    {
        length += read;
        if (length == buffer.Length) Array.Resize(ref buffer, length * 2);
    }

    return buffer[..length];
}

static Range Decline(string why)
{
    Console.Error.WriteLine("native-floor: " + why + "; outside what the floor covers");
    Environment.Exit(3);
    return default;
}

internal static partial class Program
{
    internal static readonly SearchValues<byte> PlainBytes = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:/._@+=,-"u8);

    private static readonly string[] Resolvable = ["y", "yes", "n", "no", "true", "false", "on", "off", "null"];

    // YAML 1.1's words in the three spellings resolvers accept; conservative: any casing declines.
    internal static bool IsResolvable(ReadOnlySpan<byte> value)
    {
        foreach (var word in Resolvable)
        {
            if (value.Length == word.Length && System.Text.Ascii.EqualsIgnoreCase(value, word))
            {
                return true;
            }
        }

        return false;
    }
}

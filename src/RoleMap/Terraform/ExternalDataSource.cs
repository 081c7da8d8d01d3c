using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RoleMap.AwsAuth;
using RoleMap.Diagnostics;
using RoleMap.Lint;
using RoleMap.Spec;
using RoleMap.Text;
using RoleMap.UseCases;
using RoleMap.Yaml;
using YamlDotNet.Core;

namespace RoleMap.Terraform;

/// <summary>
/// The Terraform <c>external</c> data source protocol: one JSON object of strings in (lists and maps arrive
/// <c>jsonencode</c>d, as Terraform sends them), one flat JSON object of strings out.
/// Input keys are the original module's (<see cref="SpecLoader.Keys"/>) plus <c>style</c> (plain or terraform).
/// Output keys: <c>mapRoles</c>, <c>mapUsers</c>, <c>mapAccounts</c> and <c>warnings</c> (the lint warnings, a JSON list, encoded).
/// </summary>
public static class ExternalDataSource
{
    private const string Source = "<terraform query>";

    // Lines and columns inside a jsonencode()d string mean nothing to the user, who wrote HCL; line 0 leaves them out
    // of every message, which then names the input and the key instead.
    private static readonly YPosition Unpositioned = new(0, 0);

    // The encoder's first use builds its table of every allowed code point (about a million instructions, a tenth of
    // the bundled example's start): only text that is not all ASCII, and values past the writer's limit, need it.
    private static JsonWriterOptions Compact => new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly (string Own, string Input)[] InputNames = [("labels", "config_map_labels"), ("accounts", "map_accounts")];

    public static (MappingSpec Spec, RenderStyle Style, IReadOnlyList<string> Keys) ParseQuery(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InputException("the query on stdin is not JSON: " + ex.Message, new SourceLocation(Source, (int?)(ex.LineNumber + 1)));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InputException("expected a JSON object of strings on stdin, found " + document.RootElement.ValueKind.ToString().ToLowerInvariant(), new SourceLocation(Source));
            }

            var style = RenderStyle.Plain;
            var pairs = new List<KeyValuePair<YNode, YNode>>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                string name;
                try
                {
                    name = property.Name;
                }
                catch (InvalidOperationException)
                {
                    throw LoneSurrogate(new SourceLocation(Source));
                }

                var location = new SourceLocation(Source, Path: name);
                try
                {
                    if (name == "style")
                    {
                        style = property.Value.ValueKind == JsonValueKind.String ? ParseStyle(property.Value.GetString()!, location) : throw new InputException("expected \"plain\" or \"terraform\"", location);
                        continue;
                    }

                    var key = new YScalar(name, ScalarStyle.DoubleQuoted, Unpositioned);
                    pairs.Add(new(key, ToNode(property, location)));
                }
                catch (InvalidOperationException)
                {
                    throw LoneSurrogate(location); // GetString of a value whose escapes decode to half a character
                }
            }

            var spec = SpecLoader.FromNode(new YMapping(pairs, Unpositioned), Source);
            return (spec, style, [.. document.RootElement.EnumerateObject().Select(p => p.Name)]);
        }
    }

    private static InputException LoneSurrogate(SourceLocation location) =>
        new("the query on stdin is not JSON rolemap can read: a string escapes half of a character (a \\ud800-\\udfff escape without its other half)", location);

    public static RenderStyle ParseStyle(string text, SourceLocation? location = null) => text switch
    {
        "plain" => RenderStyle.Plain,
        "terraform" => RenderStyle.Terraform,
        _ => throw new InputException("unknown style '" + text + "'; expected plain or terraform", location),
    };

    /// <summary>
    /// The whole protocol: a query in, the result object out. The spec is compiled and linted as <c>generate</c> does;
    /// any error throws <see cref="InputException"/> with every error listed (the external data source shows it and
    /// fails the plan), and lint warnings travel in the <c>warnings</c> key.
    /// </summary>
    public static string Evaluate(string queryJson)
    {
        ArgumentNullException.ThrowIfNull(queryJson);
        var query = StrictUtf8(queryJson) is { } bytes ? Utf8QueryReader.TryRead(bytes) : null;
        var (data, warnings) = Evaluate(query ?? ParseQuery(queryJson));
        return Encoding.UTF8.GetString(WriteResult(data, warnings).Span);
    }

    /// <summary>
    /// The same from the query's bytes as they arrive on stdin, the result as UTF-8 bytes. The common query is read
    /// straight from the bytes; any other is decoded as a UTF-8 <see cref="StreamReader"/> decodes stdin (a byte order
    /// mark dropped, invalid bytes replaced) and read as <see cref="Evaluate(string)"/> reads it.
    /// </summary>
    public static ReadOnlyMemory<byte> Evaluate(byte[] utf8Query)
    {
        var (data, warnings) = Evaluate(Read(utf8Query));
        return WriteResult(data, warnings);
    }

    /// <summary>
    /// The same, the result written to <paramref name="output"/> (stdout) through a small buffer instead of returned:
    /// nothing is written unless the whole evaluation succeeds.
    /// </summary>
    public static void Evaluate(byte[] utf8Query, Stream output)
    {
        var (data, warnings) = Evaluate(Read(utf8Query));
        WriteResult(data, warnings, output);
    }

    /// <summary>The query from its bytes: the common one read straight from them, any other decoded as stdin's reader decodes it.</summary>
    private static (MappingSpec Spec, RenderStyle Style, IReadOnlyList<string> Keys) Read(byte[] utf8Query)
    {
        ArgumentNullException.ThrowIfNull(utf8Query);
        var bytes = utf8Query.AsSpan();
        var query = Utf8QueryReader.TryRead(bytes.StartsWith(Utf8Bom) ? bytes[Utf8Bom.Length..] : bytes);
        if (query is null)
        {
            using var decoder = new StreamReader(new MemoryStream(utf8Query), new UTF8Encoding(false));
            query = ParseQuery(decoder.ReadToEnd());
        }

        return query.Value;
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>The rendered data and the warnings of a query, every check made; a refusal throws.</summary>
    private static (IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> Data, string[] Warnings) Evaluate((MappingSpec Spec, RenderStyle Style, IReadOnlyList<string> Keys) query)
    {
        var (spec, style, keys) = query;
        var compilation = SpecUseCase.Compile(spec, Source, lint: true);
        if (compilation.Refused)
        {
            var errors = compilation.Errors;
            var heading = errors.Count == 1 ? "1 error in the module inputs; nothing was rendered:" : errors.Count + " errors in the module inputs; nothing was rendered:";
            throw new InputException(heading + "\n" + string.Join("\n", errors.Select(e => Describe(e, keys))));
        }

        var generated = SpecUseCase.Generate(compilation.Spec, style, alwaysAccounts: true);
        var warnings = new string[compilation.Warnings.Count]; // a loop, not LINQ's Select: start-up time
        for (var i = 0; i < warnings.Length; i++)
        {
            warnings[i] = Describe(compilation.Warnings[i], keys);
        }

        return (generated.RenderedUtf8, warnings);
    }

    /// <summary>The text's UTF-8 bytes, or null when it has a lone surrogate (which only the exact path reads as it is).</summary>
    private static byte[]? StrictUtf8(string text)
    {
        try
        {
            return StrictEncoding.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            return null;
        }
    }

    private static readonly UTF8Encoding StrictEncoding = new(false, throwOnInvalidBytes: true);

    /// <summary>
    /// A finding as a Terraform user reads it: <c>severity[rule]: input.key: message (fix: ...)</c>. Line and column
    /// are left out: they point into a jsonencode()d string the user never wrote. Paths in rolemap's own vocabulary
    /// (<c>labels</c>, <c>accounts</c>) are named by the input the query used (<c>config_map_labels</c>, <c>map_accounts</c>).
    /// </summary>
    public static string Describe(Diagnostic finding, IReadOnlyCollection<string> queryKeys)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(queryKeys);
        var path = finding.Location?.Path;
        if (path is not null)
        {
            foreach (var (own, input) in InputNames)
            {
                if (queryKeys.Contains(input) && (path == own || path.StartsWith(own + ".", StringComparison.Ordinal) || path.StartsWith(own + "[", StringComparison.Ordinal)))
                {
                    path = input + path[own.Length..];
                }
            }
        }

        return (finding with { Location = null, Message = path is null ? finding.Message : path + ": " + finding.Message }).ToString();
    }

    /// <summary>Renders the result object. Warnings are encoded as a JSON list inside a string, as the protocol allows only strings.</summary>
    public static string RenderResult(IReadOnlyList<KeyValuePair<string, string>> data, IReadOnlyList<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Encoding.UTF8.GetString(WriteResult([.. data.Select(d => new KeyValuePair<string, ReadOnlyMemory<byte>>(d.Key, StrictEncoding.GetBytes(d.Value)))], warnings).Span);
    }

    /// <summary>
    /// The result object as UTF-8 bytes, newline-terminated, ready for stdout: the bytes <see cref="Utf8JsonWriter"/> writes
    /// with <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> (its encoder escapes every string), written into one
    /// buffer sized up front, without the writer's copy of each value escaped in a buffer six times its size.
    /// </summary>
    public static ReadOnlyMemory<byte> WriteResult(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> data, IReadOnlyList<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(warnings);
        var warningList = WriteList(warnings);
        var output = new Utf8Builder(ResultSize(data, warningList));
        WriteResult(output, data, warningList);
        return output.Memory; // no copy: outputs can be megabytes
    }

    /// <summary>
    /// The same bytes written to <paramref name="output"/> through a small buffer, for stdout: no buffer of the whole
    /// result (megabytes of fresh memory) is made. Every value is checked before the first byte is written, so a value
    /// the writer refuses leaves no partial output.
    /// </summary>
    public static void WriteResult(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> data, IReadOnlyList<string> warnings, Stream output)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(warnings);
        ArgumentNullException.ThrowIfNull(output);
        var warningList = WriteList(warnings);
        foreach (var (_, value) in data)
        {
            CheckValue(value.Span);
        }

        // The window no larger than the result is likely to be: a small result does not need 256 KiB of fresh memory.
        var window = new Utf8Builder(output, (int)Math.Min(256 * 1024, ResultSize(data, warningList)));
        WriteResult(window, data, warningList);
        window.Flush();
    }

    private static void WriteResult(Utf8Builder output, IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> data, ReadOnlySpan<byte> warningList)
    {
        output.Append((byte)'{');
        foreach (var (key, value) in data)
        {
            WriteString(output, Encoding.UTF8.GetBytes(key));
            output.Append((byte)':');
            WriteString(output, value.Span);
            output.Append((byte)',');
        }

        WriteString(output, "warnings"u8);
        output.Append((byte)':');
        WriteString(output, warningList);
        output.Append("}\n"u8);
    }

    /// <summary>What <see cref="WriteString"/> would refuse: a value longer than the writer takes (its own message), or not UTF-8.</summary>
    private static void CheckValue(ReadOnlySpan<byte> utf8)
    {
        RefuseTooLong(utf8);
        if (!Ascii.IsValid(utf8) && !System.Text.Unicode.Utf8.IsValid(utf8))
        {
            throw new ArgumentException("the rendered text is not valid UTF-8", nameof(utf8)); // it is encoded from strings
        }
    }

    /// <summary>A value longer than <see cref="Utf8JsonWriter"/> takes is refused with the writer's own message.</summary>
    private static void RefuseTooLong(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxValueBytes)
        {
            using var refusing = new Utf8JsonWriter(Stream.Null, Compact);
            refusing.WriteStringValue(utf8);
        }
    }

    /// <summary>The result's size when only line breaks, quotes and backslashes are escaped (the rest grows the buffer).</summary>
    private static long ResultSize(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> data, ReadOnlySpan<byte> warningList)
    {
        var size = 32L + EscapedSize(warningList);
        foreach (var (key, value) in data)
        {
            size += 8 + key.Length + EscapedSize(value.Span);
        }

        return size;
    }

    /// <summary>The size of a string escaped when only line breaks, quotes and backslashes need it (the rest grows the buffer).</summary>
    private static long EscapedSize(ReadOnlySpan<byte> utf8) =>
        2L + utf8.Length + utf8.Count((byte)'\n') + utf8.Count((byte)'"') + utf8.Count((byte)'\\');

    /// <summary>A JSON string as <see cref="Utf8JsonWriter"/> writes it with <see cref="Compact"/>: quoted, escaped by its encoder.</summary>
    private static void WriteString(Utf8Builder output, ReadOnlySpan<byte> utf8)
    {
        RefuseTooLong(utf8);

        output.Append((byte)'"');
        if (Ascii.IsValid(utf8))
        {
            AppendAsciiEscaped(output, utf8);
            output.Append((byte)'"');
            return;
        }

        var encoder = Compact.Encoder!;
        while (true)
        {
            var status = encoder.EncodeUtf8(utf8, output.Free(Math.Min(utf8.Length, 1 << 20) + 16), out var read, out var written);
            output.Advance(written);
            utf8 = utf8[read..];
            if (status == OperationStatus.Done)
            {
                break;
            }

            if (status != OperationStatus.DestinationTooSmall)
            {
                throw new ArgumentException("the rendered text is not valid UTF-8", nameof(utf8)); // it is encoded from strings
            }
        }

        output.Append((byte)'"');
    }

    /// <summary>
    /// ASCII escaped as the relaxed encoder escapes it (ExternalDataSourceTests compares every ASCII character):
    /// quote and backslash with a backslash, the C0 controls and DEL as <c>\uXXXX</c> except the five JSON short forms;
    /// every other character, HTML's included, as it is.
    /// </summary>
    private static void AppendAsciiEscaped(Utf8Builder output, ReadOnlySpan<byte> ascii)
    {
        while (!ascii.IsEmpty)
        {
            var plain = ascii.IndexOfAny(AsciiToEscape);
            if (plain < 0)
            {
                output.Append(ascii);
                return;
            }

            output.Append(ascii[..plain]);
            var escaped = ascii[plain];
            ReadOnlySpan<byte> escape = escaped switch
            {
                (byte)'"' => "\\\""u8,
                (byte)'\\' => "\\\\"u8,
                (byte)'\b' => "\\b"u8,
                (byte)'\t' => "\\t"u8,
                (byte)'\n' => "\\n"u8,
                (byte)'\f' => "\\f"u8,
                (byte)'\r' => "\\r"u8,
                _ => [(byte)'\\', (byte)'u', (byte)'0', (byte)'0', UpperHex[escaped >> 4], UpperHex[escaped & 0xF]],
            };
            output.Append(escape);
            ascii = ascii[(plain + 1)..];
        }
    }

    private static ReadOnlySpan<byte> UpperHex => "0123456789ABCDEF"u8;

    private static readonly SearchValues<byte> AsciiToEscape = SearchValues.Create(ControlsQuoteAndBackslash());

    private static byte[] ControlsQuoteAndBackslash()
    {
        var bytes = new byte[0x20 + 3];
        for (var b = 0; b < 0x20; b++)
        {
            bytes[b] = (byte)b;
        }

        bytes[0x20] = (byte)'"';
        bytes[0x21] = (byte)'\\';
        bytes[0x22] = 0x7F;
        return bytes;
    }

    /// <summary>The warnings as the compact JSON list the protocol carries in a string.</summary>
    private static byte[] WriteList(IReadOnlyList<string> warnings)
    {
        var list = new Utf8Builder(64);
        list.Append((byte)'[');
        for (var i = 0; i < warnings.Count; i++)
        {
            if (i > 0)
            {
                list.Append((byte)',');
            }

            WriteString(list, Encoding.UTF8.GetBytes(warnings[i]));
        }

        list.Append((byte)']');
        return list.Span.ToArray();
    }

    // Utf8JsonWriter's limit on a string value (JsonConstants.MaxUnescapedTokenSize).
    private const int MaxValueBytes = 1_000_000_000 / 6;

    private static YNode ToNode(JsonProperty property, SourceLocation location)
    {
        // Terraform sends strings only; lists and maps are jsonencode()d inside them. A string for a list or map key
        // is therefore decoded; the single-ARN key keeps its string. A raw JSON list or object is accepted too.
        var element = property.Value;
        if (element.ValueKind != JsonValueKind.String)
        {
            return JsonNodeReader.TryRead(element.GetRawText(), out var raw, positions: false) && raw is not null ? raw : new YScalar(string.Empty, ScalarStyle.Plain, Unpositioned);
        }

        var text = element.GetString()!;
        if (property.Name == "eks_worker_iam_role_arn")
        {
            return new YScalar(text, ScalarStyle.DoubleQuoted, Unpositioned);
        }

        if (text.AsSpan().Trim().IsEmpty)
        {
            return new YScalar(string.Empty, ScalarStyle.Plain, Unpositioned);
        }

        if (!JsonNodeReader.TryRead(text, out var decoded, positions: false))
        {
            throw new InputException("expected a jsonencode()d list or map in this string, but it is not JSON", location);
        }

        return decoded ?? new YScalar(string.Empty, ScalarStyle.Plain, Unpositioned);
    }
}

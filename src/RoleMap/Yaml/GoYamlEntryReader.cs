using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace RoleMap.Yaml;

/// <summary>What <see cref="GoYamlEntryReader.Next"/> found.</summary>
internal enum EntryStep
{
    /// <summary>An entry was read: its fields are on the reader until the next call.</summary>
    Entry,

    /// <summary>The list ended where the text ends.</summary>
    End,

    /// <summary>The text leaves the shape this reader knows: nothing can be concluded, the exact reader must read it.</summary>
    Unsure,
}

/// <summary>
/// A fast reader, entry by entry and without a tree, for the one shape rolemap renders aws-auth lists in (plain and
/// Terraform style): a block list of mappings whose keys are the ARN field, <c>username</c> and <c>groups</c> (each at
/// most once, plain or double-quoted), every value a one-line string, <c>groups</c> a block list of one-line strings or
/// <c>[]</c>; or <c>[]</c> alone. Within that shape go-yaml, sigs.k8s.io/yaml and encoding/json read exactly these
/// strings and nothing else happens (no finding, no type error, no dropped entry). Anything outside it (another key, a
/// comment, a tab, a line break inside a value, a plain value go-yaml would not read as a string, a control character)
/// answers <see cref="EntryStep.Unsure"/>: callers then read the text with the exact reader (AwsAuthParser), which
/// decides and says where. It can therefore only confirm, never report; tests compare it with the exact reader.
/// </summary>
internal sealed class GoYamlEntryReader
{
    private const string Username = "username";
    private const string Groups = "groups";

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private readonly ArraySegment<byte> utf8;
    private readonly string arnField;
    private readonly List<Range> groups = [];
    private char[] buffer = new char[256];
    private int used;
    private int position;
    private Range arn;
    private Range username;

    /// <param name="text">The value of mapRoles, mapUsers (entries) or mapAccounts (strings), as UTF-8.</param>
    /// <param name="arnField"><c>rolearn</c> or <c>userarn</c>; null to read a list of strings (mapAccounts).</param>
    public GoYamlEntryReader(ReadOnlyMemory<byte> text, string? arnField)
    {
        utf8 = MemoryMarshal.TryGetArray(text, out var segment) ? segment : text.ToArray();
        this.arnField = arnField ?? string.Empty;
        if (text.Span.SequenceEqual("[]\n"u8))
        {
            position = Text.Length; // the empty list as rendered
        }
        else if (!text.Span.StartsWith("- "u8) || text.Span[^1] != '\n')
        {
            position = -1;
        }
    }

    /// <summary>The same over a string; one with a lone surrogate (no UTF-8 form) is left to the exact reader.</summary>
    public GoYamlEntryReader(string text, string? arnField)
        : this(Utf8OrEmpty(text, out var valid), arnField)
    {
        position = valid ? position : -1;
    }

    private static byte[] Utf8OrEmpty(string text, out bool valid)
    {
        try
        {
            valid = true;
            return StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            valid = false;
            return [];
        }
    }

    private ReadOnlySpan<byte> Text => utf8.AsSpan();

    /// <summary>The entry's ARN field, decoded.</summary>
    public ReadOnlySpan<char> Arn => Value(arn);

    public bool HasUsername { get; private set; }

    public ReadOnlySpan<char> UsernameValue => Value(username);

    public int GroupCount => groups.Count;

    public ReadOnlySpan<char> Group(int index) => Value(groups[index]);

    /// <summary>The item of a list of strings (mapAccounts), after <see cref="NextString"/>.</summary>
    public ReadOnlySpan<char> Item => Value(arn);

    /// <summary>Reads the next entry of mapRoles or mapUsers.</summary>
    public EntryStep Next()
    {
        if (Finished() is { } finished)
        {
            return finished;
        }

        groups.Clear();
        HasUsername = false;
        arn = default;
        var hasArn = false;
        var hasGroups = false;
        var groupsOpen = false; // "groups:" ended its line: its items follow, at least one

        // "- " then a pair; further pairs and the group items indented two spaces, as go-yaml reads the item's mapping
        // at column 2 and an indentless list at its key's column.
        var first = true;
        while (position < Text.Length)
        {
            if (first)
            {
                if (!At("- "u8))
                {
                    return Unsure();
                }

                first = false;
            }
            else if (!At("  "u8))
            {
                break; // the next item, checked on the next call
            }

            position += 2;
            if (Text[position] == '-')
            {
                if (!groupsOpen || !At("- "u8))
                {
                    return Unsure();
                }

                position += 2;
                if (!LineScalar(out var group))
                {
                    return Unsure();
                }

                groups.Add(group);
                continue;
            }

            if (groupsOpen && groups.Count == 0)
            {
                return Unsure(); // "groups:" with no items is null
            }

            groupsOpen = false;
            if (!Key(out var field) || position >= Text.Length)
            {
                return Unsure();
            }

            switch (field)
            {
                case Field.Groups when !hasGroups:
                    hasGroups = true;
                    if (Text[position] == '\n')
                    {
                        position++;
                        groupsOpen = true;
                    }
                    else if (At(" []\n"u8))
                    {
                        position += 4;
                    }
                    else
                    {
                        return Unsure();
                    }

                    break;
                case Field.Username when !HasUsername:
                    if (!At(" "u8) || !LineScalar(position + 1, out username))
                    {
                        return Unsure();
                    }

                    HasUsername = true;
                    break;
                case Field.Arn when !hasArn:
                    if (!At(" "u8) || !LineScalar(position + 1, out arn) || arn.End.Value == arn.Start.Value)
                    {
                        return Unsure(); // an empty ARN drops the entry
                    }

                    hasArn = true;
                    break;
                default:
                    return Unsure(); // a field twice
            }
        }

        return hasArn && !(groupsOpen && groups.Count == 0) ? EntryStep.Entry : Unsure();
    }

    /// <summary>Reads the next item of a list of one-line strings (mapAccounts): "- " and a string.</summary>
    public EntryStep NextString()
    {
        if (Finished() is { } finished)
        {
            return finished;
        }

        if (!At("- "u8))
        {
            return Unsure();
        }

        position += 2;
        return LineScalar(out arn) ? EntryStep.Entry : Unsure();
    }

    /// <summary>Unsure or End when the list is over; otherwise null, with the value buffer emptied for the next item.</summary>
    private EntryStep? Finished()
    {
        if (position < 0)
        {
            return EntryStep.Unsure;
        }

        if (position == Text.Length)
        {
            return EntryStep.End;
        }

        used = 0;
        return null;
    }

    private EntryStep Unsure()
    {
        position = -1;
        return EntryStep.Unsure;
    }

    private ReadOnlySpan<char> Value(Range range) => buffer.AsSpan(range);

    private enum Field
    {
        Arn,
        Username,
        Groups,
    }

    private bool At(ReadOnlySpan<byte> expected) => Text[position..].StartsWith(expected);

    /// <summary>One of the three known keys, plain or double-quoted, and its colon.</summary>
    private bool Key(out Field field)
    {
        field = default;
        ReadOnlySpan<char> name;
        if (Text[position] == '"')
        {
            if (!DoubleQuoted(out var range))
            {
                return false;
            }

            name = Value(range);
        }
        else
        {
            var end = Text[position..].IndexOf((byte)':');
            if (end < 0 || end > Math.Max(Username.Length, arnField.Length))
            {
                return false; // no colon, or a name longer than any known key
            }

            name = Value(Append(Text.Slice(position, end)));
            position += end;
        }

        if (position >= Text.Length || Text[position] != ':')
        {
            return false;
        }

        position++;
        if (name.SequenceEqual(Groups))
        {
            field = Field.Groups;
        }
        else if (name.SequenceEqual(Username))
        {
            field = Field.Username;
        }
        else if (arnField.Length > 0 && name.SequenceEqual(arnField))
        {
            field = Field.Arn;
        }
        else
        {
            return false; // any other field (sso, userid, unknown ones) is for the exact reader
        }

        return true;
    }

    private bool LineScalar(out Range range) => LineScalar(position, out range);

    /// <summary>A one-line string value from <paramref name="start"/> to the end of its line (which it consumes).</summary>
    private bool LineScalar(int start, out Range range)
    {
        position = start;
        if (position < Text.Length && Text[position] == '"')
        {
            if (!DoubleQuoted(out range))
            {
                return false;
            }
        }
        else if (!Plain(out range))
        {
            return false;
        }

        if (position >= Text.Length || Text[position] != '\n')
        {
            return false;
        }

        position++;
        return true;
    }

    /// <summary>
    /// A plain scalar that go-yaml reads as this very string: it starts with an ASCII letter, '_' or '/' (no indicator,
    /// no number, no timestamp), holds only letters, digits, spaces and <c>_./:@+=,-</c> (so no " #"), has no ": ", does
    /// not end with ':' or a space, and is not one of YAML 1.1's null or boolean words.
    /// </summary>
    private bool Plain(out Range range)
    {
        range = default;
        var text = Text;
        var start = position;
        if (start >= text.Length || !(char.IsAsciiLetter((char)text[start]) || text[start] is (byte)'_' or (byte)'/'))
        {
            return false;
        }

        var end = start + text[start..].IndexOfAnyExcept(PlainChars);
        end = end < start ? text.Length : end;
        var value = text[start..end];
        if (value.IndexOf(": "u8) >= 0)
        {
            return false; // ": " ends the scalar and starts a mapping value
        }

        if (value[^1] is (byte)':' or (byte)' ')
        {
            return false; // a colon at the end starts a mapping value; trailing spaces are not part of the scalar
        }

        range = Append(value);

        // Every null and boolean word of go-yaml's resolver is at most 5 letters; longer letter-led text is a string.
        if (value.Length <= 5 && GoYamlResolver.ResolvePlain(Value(range).ToString()) != ScalarKind.String)
        {
            return false;
        }

        position = end;
        return true;
    }

    /// <summary>
    /// A double-quoted scalar closed on its line, decoded with go-yaml's escapes. Raw characters are those go-yaml's
    /// reader accepts that are not line breaks, tabs or byte-order marks; escapes that go-yaml refuses leave it unsure.
    /// </summary>
    private bool DoubleQuoted(out Range range)
    {
        range = default;
        var start = used;
        var i = position + 1;
        while (i < Text.Length)
        {
            var run = Text[i..].IndexOfAnyExcept(QuotedAscii);
            run = run < 0 ? Text.Length - i : run;
            if (run > 0)
            {
                Append(Text.Slice(i, run));
                i += run;
                continue;
            }

            var c = (char)Text[i];
            if (c == '"')
            {
                position = i + 1;
                range = new Range(start, used);
                return true;
            }

            if (c == '\\')
            {
                if (!Escape(ref i))
                {
                    return false;
                }

                continue;
            }

            // A multi-byte character: valid UTF-8 of a scalar go-yaml's reader takes raw (no C1 control, line break or BOM).
            if (Rune.DecodeFromUtf8(Text[i..], out var rune, out var length) != OperationStatus.Done
                || !(rune.Value is (>= 0xA0 and <= 0xD7FF and not 0x2028 and not 0x2029) or (>= 0xE000 and <= 0xFFFD and not 0xFEFF) or >= 0x10000))
            {
                return false;
            }

            Put(rune);
            i += length;
        }

        return false;
    }

    /// <summary>go-yaml's escapes (scannerc.go), the backslash at <paramref name="i"/>.</summary>
    private bool Escape(ref int i)
    {
        if (i + 1 >= Text.Length)
        {
            return false;
        }

        if (!GoYamlScanner.Escape((char)Text[i + 1], out var single, out var length))
        {
            return false;
        }

        i += 2;
        if (length == 0)
        {
            Put(single);
            return true;
        }

        if (i + length > Text.Length)
        {
            return false;
        }

        long value = 0;
        for (var k = 0; k < length; k++)
        {
            var digit = (char)Text[i + k];
            if (!char.IsAsciiHexDigit(digit))
            {
                return false;
            }

            value = (value << 4) + (digit <= '9' ? digit - '0' : (digit | 0x20) - 'a' + 10);
        }

        if (value is >= 0xD800 and <= 0xDFFF || value > 0x10FFFF)
        {
            return false;
        }

        Put(new Rune((int)value));

        i += length;
        return true;
    }

    /// <summary>ASCII bytes as characters.</summary>
    private Range Append(ReadOnlySpan<byte> value)
    {
        var start = used;
        Reserve(value.Length);
        used += Encoding.ASCII.GetChars(value, buffer.AsSpan(used));
        return new Range(start, used);
    }

    private void Put(Rune rune)
    {
        Reserve(2);
        used += rune.EncodeToUtf16(buffer.AsSpan(used));
    }

    private void Reserve(int count)
    {
        if (buffer.Length - used < count)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, used + count));
        }
    }

    private void Put(char c)
    {
        Reserve(1);
        buffer[used++] = c;
    }

    /// <summary>Printable ASCII but the quote and the backslash: what a double-quoted scalar holds as it is.</summary>
    private static readonly SearchValues<byte> QuotedAscii = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    /// <summary>What a plain scalar may hold here: ASCII letters, digits, spaces and <c>_./:@+=,-</c>.</summary>
    private static readonly SearchValues<byte> PlainChars = SearchValues.Create(
        " +,-./0123456789:=@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"u8);
}

using System.Text;
using YamlDotNet.Core;

namespace RoleMap.Yaml;

/// <summary>
/// go-yaml v2's reader and scanner (readerc.go, scannerc.go), transcribed: the same 512-byte reads with the same
/// control-character check, the same simple-key and indentation rules, the same quirks (a byte-order mark at the
/// start of the decoded buffer makes the scanner skip the first character of every line it starts while that buffer
/// lasts, as go-yaml's <c>is_bom</c> looks at the buffer's first bytes). Characters are Unicode scalar values, as
/// go-yaml's marks count them. <see cref="GoYamlParser"/> turns the tokens into events and nodes.
/// </summary>
internal sealed class GoYamlScanner
{
    private const int RawBufferSize = 512;
    private const int MaxFlowLevel = 10000;
    private const int MaxIndents = 10000;

    private readonly int[] chars;        // the input's characters after a leading byte-order mark
    private readonly int[] byteOffsets;  // the UTF-8 offset of each character in the input, and its length at the end
    private readonly int inputLength;    // in bytes
    private readonly int[] textIndexes;  // the UTF-16 index of each character in the text, and the text's length at the end

    // readerc.go's state, as offsets into the input.
    private bool encodingKnown;
    private int rawStart;
    private int rawPos;
    private int rawEnd;
    private bool eof;
    private int decoded;      // characters decoded into the buffer, with the NULs added at the end of the input
    private int bufferStart;  // the character at parser.buffer[0]

    // scannerc.go's state. The position is mark.index: one per character.
    private int pos;
    private int line;
    private int column;
    private bool streamStartProduced;
    private bool streamEndProduced;
    private int indent;
    private readonly List<int> indents = [];
    private bool simpleKeyAllowed;
    private readonly List<SimpleKey> simpleKeys = [];
    private readonly Dictionary<int, int> simpleKeysByToken = [];
    private int flowLevel;
    private readonly List<GoToken> tokens = [];
    private int tokensHead;
    private bool tokenAvailable;

    public GoYamlScanner(string text)
    {
        var start = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var list = new List<int>(text.Length);
        var offsets = new List<int>(text.Length + 1);
        var indexes = new List<int>(text.Length + 1);
        var bytes = start * 3;
        for (var i = start; i < text.Length; i++)
        {
            int value = text[i];
            indexes.Add(i);
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                value = char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }

            list.Add(value);
            offsets.Add(bytes);
            bytes += value < 0x80 ? 1 : value < 0x800 ? 2 : value < 0x10000 ? 3 : 4;
        }

        offsets.Add(bytes);
        indexes.Add(text.Length);
        textIndexes = [.. indexes];
        chars = [.. list];
        byteOffsets = [.. offsets];
        inputLength = bytes;
    }

    /// <summary>The farthest character the reader decoded (and checked), as an index into the characters.</summary>
    public int DecodedUpTo => Math.Min(decoded, chars.Length);

    /// <summary>The UTF-16 index in the text of the character at <paramref name="index"/> (a mark's index).</summary>
    public int TextIndex(int index) => textIndexes[Math.Clamp(index, 0, textIndexes.Length - 1)];

    public int TokensParsed { get; private set; }

    public bool StreamEndProduced => streamEndProduced;

    // ---- tokens (apic.go, parserc.go's peek_token and skip_token)

    public GoToken Peek()
    {
        if (!tokenAvailable)
        {
            FetchMoreTokens();
        }

        return tokens[tokensHead];
    }

    public void SkipToken()
    {
        tokenAvailable = false;
        TokensParsed++;
        streamEndProduced = tokens[tokensHead].Type == GoTokenType.StreamEnd;
        tokensHead++;
    }

    private void InsertToken(int at, GoToken token)
    {
        if (tokensHead > 0 && tokensHead == tokens.Count)
        {
            tokens.Clear();
            tokensHead = 0;
        }

        if (at < 0)
        {
            tokens.Add(token);
        }
        else
        {
            tokens.Insert(tokensHead + at, token);
        }
    }

    // ---- the reader (readerc.go)

    private int At(int offset)
    {
        var i = pos + offset;
        return i < chars.Length ? chars[i] : 0;
    }

    private void Cache(int length)
    {
        if (decoded - pos >= length)
        {
            return;
        }

        if (!encodingKnown)
        {
            while (!eof && rawEnd - rawPos < 3)
            {
                UpdateRawBuffer();
            }

            encodingKnown = true;
            if (byteOffsets.Length > 0 && byteOffsets[0] == 3)
            {
                rawPos += 3;
            }
        }

        bufferStart = pos;
        var first = true;
        while (decoded - pos < length)
        {
            if (!first || rawPos == rawEnd)
            {
                UpdateRawBuffer();
            }

            first = false;
            while (rawPos != rawEnd)
            {
                var width = byteOffsets[decoded + 1] - byteOffsets[decoded];
                if (width > rawEnd - rawPos)
                {
                    break;
                }

                var value = chars[decoded];
                if (!Allowed(value))
                {
                    throw new GoYamlException(
                        value is >= 0xD800 and <= 0xDFFF ? "invalid Unicode character" : "control characters are not allowed",
                        new GoMark(decoded, 0, 0),
                        readerValue: value);
                }

                rawPos += width;
                decoded++;
            }

            if (eof)
            {
                decoded++;
                break;
            }
        }
    }

    private static bool Allowed(int value) =>
        value is 0x09 or 0x0A or 0x0D or 0x85 || value is >= 0x20 and <= 0x7E || value is >= 0xA0 and <= 0xD7FF
        || value is >= 0xE000 and <= 0xFFFD || value is >= 0x10000 and <= 0x10FFFF;

    private void UpdateRawBuffer()
    {
        if (rawPos == rawStart && rawEnd - rawStart == RawBufferSize)
        {
            return;
        }

        if (eof)
        {
            return;
        }

        rawStart = rawPos;
        if (rawEnd == inputLength)
        {
            eof = true;
            return;
        }

        rawEnd = Math.Min(inputLength, rawEnd + (RawBufferSize - (rawEnd - rawStart)));
    }

    // ---- character classes (yamlprivateh.go)

    private static bool IsAlpha(int c) => c is (>= '0' and <= '9') or (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or '_' or '-';

    private static bool IsDigit(int c) => c is >= '0' and <= '9';

    private static bool IsHex(int c) => c is (>= '0' and <= '9') or (>= 'A' and <= 'F') or (>= 'a' and <= 'f');

    private static int AsHex(int c) => c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0';

    private static bool IsBlank(int c) => c is ' ' or '\t';

    private static bool IsBreak(int c) => c is '\r' or '\n' or 0x85 or 0x2028 or 0x2029;

    private static bool IsBreakZ(int c) => IsBreak(c) || c == 0;

    private static bool IsBlankZ(int c) => IsBlank(c) || IsBreakZ(c);

    // ---- moving (scannerc.go's skip, skip_line, read, read_line)

    private GoMark Here => new(pos, line, column);

    private void Skip()
    {
        pos++;
        column++;
    }

    private void SkipLine()
    {
        if (At(0) == '\r' && At(1) == '\n')
        {
            pos += 2;
            column = 0;
            line++;
        }
        else if (IsBreak(At(0)))
        {
            pos++;
            column = 0;
            line++;
        }
    }

    private void Read(StringBuilder s)
    {
        Append(s, At(0));
        pos++;
        column++;
    }

    private static void Append(StringBuilder s, int value)
    {
        if (value is >= 0xD800 and <= 0xDFFF or > 0x10FFFF)
        {
            s.Append('\uFFFD');
        }
        else if (value < 0x10000)
        {
            s.Append((char)value);
        }
        else
        {
            s.Append(char.ConvertFromUtf32(value));
        }
    }

    private void ReadLine(StringBuilder s)
    {
        var c = At(0);
        if (c == '\r' && At(1) == '\n')
        {
            s.Append('\n');
            pos++;
        }
        else if (c is '\r' or '\n' or 0x85)
        {
            s.Append('\n');
        }
        else if (c is 0x2028 or 0x2029)
        {
            Append(s, c);
        }
        else
        {
            return;
        }

        pos++;
        column = 0;
        line++;
    }

    private GoYamlException ScannerError(string context, GoMark contextMark, string problem) => new(problem, Here, context, contextMark);

    // ---- fetching tokens

    private void FetchMoreTokens()
    {
        while (true)
        {
            if (tokensHead != tokens.Count)
            {
                if (!simpleKeysByToken.TryGetValue(TokensParsed, out var headIndex) || !SimpleKeyIsValid(simpleKeys[headIndex]))
                {
                    break;
                }
            }

            FetchNextToken();
        }

        tokenAvailable = true;
    }

    private void FetchNextToken()
    {
        Cache(1);
        if (!streamStartProduced)
        {
            FetchStreamStart();
            return;
        }

        ScanToNextToken();
        UnrollIndent(column);
        Cache(4);
        var c = At(0);
        if (c == 0)
        {
            FetchStreamEnd();
            return;
        }

        if (column == 0 && c == '%')
        {
            FetchDirective();
            return;
        }

        if (column == 0 && ((c == '-' && At(1) == '-' && At(2) == '-') || (c == '.' && At(1) == '.' && At(2) == '.')) && IsBlankZ(At(3)))
        {
            FetchDocumentIndicator(c == '-' ? GoTokenType.DocumentStart : GoTokenType.DocumentEnd);
            return;
        }

        switch (c)
        {
            case '[':
                FetchFlowCollectionStart(GoTokenType.FlowSequenceStart);
                return;
            case '{':
                FetchFlowCollectionStart(GoTokenType.FlowMappingStart);
                return;
            case ']':
                FetchFlowCollectionEnd(GoTokenType.FlowSequenceEnd);
                return;
            case '}':
                FetchFlowCollectionEnd(GoTokenType.FlowMappingEnd);
                return;
            case ',':
                FetchFlowEntry();
                return;
        }

        if (c == '-' && IsBlankZ(At(1)))
        {
            FetchBlockEntry();
            return;
        }

        if (c == '?' && (flowLevel > 0 || IsBlankZ(At(1))))
        {
            FetchKey();
            return;
        }

        if (c == ':' && (flowLevel > 0 || IsBlankZ(At(1))))
        {
            FetchValue();
            return;
        }

        switch (c)
        {
            case '*':
                FetchAnchor(GoTokenType.Alias);
                return;
            case '&':
                FetchAnchor(GoTokenType.Anchor);
                return;
            case '!':
                FetchTag();
                return;
            case '|' when flowLevel == 0:
                FetchBlockScalar(literal: true);
                return;
            case '>' when flowLevel == 0:
                FetchBlockScalar(literal: false);
                return;
            case '\'':
                FetchFlowScalar(single: true);
                return;
            case '"':
                FetchFlowScalar(single: false);
                return;
        }

        if (!(IsBlankZ(c) || c is '-' or '?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`')
            || (c == '-' && !IsBlank(At(1)))
            || (flowLevel == 0 && c is '?' or ':' && !IsBlankZ(At(1))))
        {
            FetchPlainScalar();
            return;
        }

        throw ScannerError("while scanning for the next token", Here, "found character that cannot start any token");
    }

    private bool SimpleKeyIsValid(SimpleKey key)
    {
        if (!key.Possible)
        {
            return false;
        }

        if (key.Mark.Line < line || key.Mark.Index + 1024 < pos)
        {
            if (key.Required)
            {
                throw ScannerError("while scanning a simple key", key.Mark, "could not find expected ':'");
            }

            key.Possible = false;
            return false;
        }

        return true;
    }

    private void SaveSimpleKey()
    {
        var required = flowLevel == 0 && indent == column;
        if (simpleKeyAllowed)
        {
            var key = new SimpleKey { Possible = true, Required = required, TokenNumber = TokensParsed + (tokens.Count - tokensHead), Mark = Here };
            RemoveSimpleKey();
            simpleKeys[^1] = key;
            simpleKeysByToken[key.TokenNumber] = simpleKeys.Count - 1;
        }
    }

    private void RemoveSimpleKey()
    {
        var key = simpleKeys[^1];
        if (key.Possible)
        {
            if (key.Required)
            {
                throw ScannerError("while scanning a simple key", key.Mark, "could not find expected ':'");
            }

            key.Possible = false;
            simpleKeysByToken.Remove(key.TokenNumber);
        }
    }

    private void IncreaseFlowLevel()
    {
        simpleKeys.Add(new SimpleKey { TokenNumber = TokensParsed + (tokens.Count - tokensHead), Mark = Here });
        flowLevel++;
        if (flowLevel > MaxFlowLevel)
        {
            throw ScannerError("while increasing flow level", simpleKeys[^1].Mark, "exceeded max depth of " + MaxFlowLevel);
        }
    }

    private void DecreaseFlowLevel()
    {
        if (flowLevel > 0)
        {
            flowLevel--;
            simpleKeysByToken.Remove(simpleKeys[^1].TokenNumber);
            simpleKeys.RemoveAt(simpleKeys.Count - 1);
        }
    }

    private void RollIndent(int col, int number, GoTokenType type, GoMark mark)
    {
        if (flowLevel > 0)
        {
            return;
        }

        if (indent < col)
        {
            indents.Add(indent);
            indent = col;
            if (indents.Count > MaxIndents)
            {
                throw ScannerError("while increasing indent level", simpleKeys[^1].Mark, "exceeded max depth of " + MaxIndents);
            }

            InsertToken(number > -1 ? number - TokensParsed : -1, new GoToken(type, mark, mark));
        }
    }

    private void UnrollIndent(int col)
    {
        if (flowLevel > 0)
        {
            return;
        }

        while (indent > col)
        {
            InsertToken(-1, new GoToken(GoTokenType.BlockEnd, Here, Here));
            indent = indents[^1];
            indents.RemoveAt(indents.Count - 1);
        }
    }

    private void FetchStreamStart()
    {
        indent = -1;
        simpleKeys.Add(new SimpleKey());
        simpleKeyAllowed = true;
        streamStartProduced = true;
        InsertToken(-1, new GoToken(GoTokenType.StreamStart, Here, Here));
    }

    private void FetchStreamEnd()
    {
        if (column != 0)
        {
            column = 0;
            line++;
        }

        UnrollIndent(-1);
        RemoveSimpleKey();
        simpleKeyAllowed = false;
        InsertToken(-1, new GoToken(GoTokenType.StreamEnd, Here, Here));
    }

    private void FetchDirective()
    {
        UnrollIndent(-1);
        RemoveSimpleKey();
        simpleKeyAllowed = false;
        InsertToken(-1, ScanDirective());
    }

    private void FetchDocumentIndicator(GoTokenType type)
    {
        UnrollIndent(-1);
        RemoveSimpleKey();
        simpleKeyAllowed = false;
        var start = Here;
        Skip();
        Skip();
        Skip();
        InsertToken(-1, new GoToken(type, start, Here));
    }

    private void FetchFlowCollectionStart(GoTokenType type)
    {
        SaveSimpleKey();
        IncreaseFlowLevel();
        simpleKeyAllowed = true;
        var start = Here;
        Skip();
        InsertToken(-1, new GoToken(type, start, Here));
    }

    private void FetchFlowCollectionEnd(GoTokenType type)
    {
        RemoveSimpleKey();
        DecreaseFlowLevel();
        simpleKeyAllowed = false;
        var start = Here;
        Skip();
        InsertToken(-1, new GoToken(type, start, Here));
    }

    private void FetchFlowEntry()
    {
        RemoveSimpleKey();
        simpleKeyAllowed = true;
        var start = Here;
        Skip();
        InsertToken(-1, new GoToken(GoTokenType.FlowEntry, start, Here));
    }

    private void FetchBlockEntry()
    {
        if (flowLevel == 0)
        {
            if (!simpleKeyAllowed)
            {
                throw ScannerError(string.Empty, Here, "block sequence entries are not allowed in this context");
            }

            RollIndent(column, -1, GoTokenType.BlockSequenceStart, Here);
        }

        RemoveSimpleKey();
        simpleKeyAllowed = true;
        var start = Here;
        Skip();
        InsertToken(-1, new GoToken(GoTokenType.BlockEntry, start, Here));
    }

    private void FetchKey()
    {
        if (flowLevel == 0)
        {
            if (!simpleKeyAllowed)
            {
                throw ScannerError(string.Empty, Here, "mapping keys are not allowed in this context");
            }

            RollIndent(column, -1, GoTokenType.BlockMappingStart, Here);
        }

        RemoveSimpleKey();
        simpleKeyAllowed = flowLevel == 0;
        var start = Here;
        Skip();
        InsertToken(-1, new GoToken(GoTokenType.Key, start, Here));
    }

    private void FetchValue()
    {
        var key = simpleKeys[^1];
        if (SimpleKeyIsValid(key))
        {
            InsertToken(key.TokenNumber - TokensParsed, new GoToken(GoTokenType.Key, key.Mark, key.Mark));
            RollIndent(key.Mark.Column, key.TokenNumber, GoTokenType.BlockMappingStart, key.Mark);
            key.Possible = false;
            simpleKeysByToken.Remove(key.TokenNumber);
            simpleKeyAllowed = false;
        }
        else
        {
            if (flowLevel == 0)
            {
                if (!simpleKeyAllowed)
                {
                    throw ScannerError(string.Empty, Here, "mapping values are not allowed in this context");
                }

                RollIndent(column, -1, GoTokenType.BlockMappingStart, Here);
            }

            simpleKeyAllowed = flowLevel == 0;
        }

        var start = Here;
        Skip();
        InsertToken(-1, new GoToken(GoTokenType.Value, start, Here));
    }

    private void FetchAnchor(GoTokenType type)
    {
        SaveSimpleKey();
        simpleKeyAllowed = false;
        InsertToken(-1, ScanAnchor(type));
    }

    private void FetchTag()
    {
        SaveSimpleKey();
        simpleKeyAllowed = false;
        InsertToken(-1, ScanTag());
    }

    private void FetchBlockScalar(bool literal)
    {
        RemoveSimpleKey();
        simpleKeyAllowed = true;
        InsertToken(-1, ScanBlockScalar(literal));
    }

    private void FetchFlowScalar(bool single)
    {
        SaveSimpleKey();
        simpleKeyAllowed = false;
        InsertToken(-1, ScanFlowScalar(single));
    }

    private void FetchPlainScalar()
    {
        SaveSimpleKey();
        simpleKeyAllowed = false;
        InsertToken(-1, ScanPlainScalar());
    }

    // ---- scanning

    private void ScanToNextToken()
    {
        while (true)
        {
            Cache(1);
            if (column == 0 && bufferStart < chars.Length && chars[bufferStart] == 0xFEFF)
            {
                Skip(); // go-yaml's is_bom looks at the buffer's first character, not the current one
            }

            Cache(1);
            while (At(0) == ' ' || ((flowLevel > 0 || !simpleKeyAllowed) && At(0) == '\t'))
            {
                Skip();
                Cache(1);
            }

            if (At(0) == '#')
            {
                while (!IsBreakZ(At(0)))
                {
                    Skip();
                    Cache(1);
                }
            }

            if (IsBreak(At(0)))
            {
                Cache(2);
                SkipLine();
                if (flowLevel == 0)
                {
                    simpleKeyAllowed = true;
                }
            }
            else
            {
                break;
            }
        }
    }

    private void SkipBlanks()
    {
        Cache(1);
        while (IsBlank(At(0)))
        {
            Skip();
            Cache(1);
        }
    }

    private void SkipComment()
    {
        if (At(0) == '#')
        {
            while (!IsBreakZ(At(0)))
            {
                Skip();
                Cache(1);
            }
        }
    }

    private GoToken ScanDirective()
    {
        var start = Here;
        Skip();
        var name = ScanDirectiveName(start);
        GoToken token;
        if (name == "YAML")
        {
            SkipBlanks();
            var major = ScanVersionDirectiveNumber(start);
            if (At(0) != '.')
            {
                throw ScannerError("while scanning a %YAML directive", start, "did not find expected digit or '.' character");
            }

            Skip();
            var minor = ScanVersionDirectiveNumber(start);
            token = new GoToken(GoTokenType.VersionDirective, start, Here) { Major = major, Minor = minor };
        }
        else if (name == "TAG")
        {
            SkipBlanks();
            var handle = ScanTagHandle(directive: true, start);
            Cache(1);
            if (!IsBlank(At(0)))
            {
                throw ScannerError("while scanning a %TAG directive", start, "did not find expected whitespace");
            }

            while (IsBlank(At(0)))
            {
                Skip();
                Cache(1);
            }

            var prefix = ScanTagUri(directive: true, null, start);
            Cache(1);
            if (!IsBlankZ(At(0)))
            {
                throw ScannerError("while scanning a %TAG directive", start, "did not find expected whitespace or line break");
            }

            token = new GoToken(GoTokenType.TagDirective, start, Here) { Value = handle, Suffix = prefix };
        }
        else
        {
            throw ScannerError("while scanning a directive", start, "found unknown directive name");
        }

        SkipBlanks();
        SkipComment();
        if (!IsBreakZ(At(0)))
        {
            throw ScannerError("while scanning a directive", start, "did not find expected comment or line break");
        }

        if (IsBreak(At(0)))
        {
            Cache(2);
            SkipLine();
        }

        return token;
    }

    private string ScanDirectiveName(GoMark start)
    {
        Cache(1);
        var s = new StringBuilder();
        while (IsAlpha(At(0)))
        {
            Read(s);
            Cache(1);
        }

        if (s.Length == 0)
        {
            throw ScannerError("while scanning a directive", start, "could not find expected directive name");
        }

        if (!IsBlankZ(At(0)))
        {
            throw ScannerError("while scanning a directive", start, "found unexpected non-alphabetical character");
        }

        return s.ToString();
    }

    private int ScanVersionDirectiveNumber(GoMark start)
    {
        Cache(1);
        int value = 0, length = 0;
        while (IsDigit(At(0)))
        {
            length++;
            if (length > 2)
            {
                throw ScannerError("while scanning a %YAML directive", start, "found extremely long version number");
            }

            value = (value * 10) + (At(0) - '0');
            Skip();
            Cache(1);
        }

        if (length == 0)
        {
            throw ScannerError("while scanning a %YAML directive", start, "did not find expected version number");
        }

        return value;
    }

    private GoToken ScanAnchor(GoTokenType type)
    {
        var s = new StringBuilder();
        var start = Here;
        Skip();
        Cache(1);
        while (IsAlpha(At(0)))
        {
            Read(s);
            Cache(1);
        }

        var end = Here;
        if (s.Length == 0 || !(IsBlankZ(At(0)) || At(0) is '?' or ':' or ',' or ']' or '}' or '%' or '@' or '`'))
        {
            throw ScannerError(type == GoTokenType.Anchor ? "while scanning an anchor" : "while scanning an alias", start, "did not find expected alphabetic or numeric character");
        }

        return new GoToken(type, start, end) { Value = s.ToString() };
    }

    private GoToken ScanTag()
    {
        string handle;
        string suffix;
        var start = Here;
        Cache(2);
        if (At(1) == '<')
        {
            handle = string.Empty;
            Skip();
            Skip();
            suffix = ScanTagUri(directive: false, null, start);
            if (At(0) != '>')
            {
                throw ScannerError("while scanning a tag", start, "did not find the expected '>'");
            }

            Skip();
        }
        else
        {
            handle = ScanTagHandle(directive: false, start);
            if (handle[0] == '!' && handle.Length > 1 && handle[^1] == '!')
            {
                suffix = ScanTagUri(directive: false, null, start);
            }
            else
            {
                suffix = ScanTagUri(directive: false, handle, start);
                handle = "!";
                if (suffix.Length == 0)
                {
                    (handle, suffix) = (suffix, handle);
                }
            }
        }

        Cache(1);
        if (!IsBlankZ(At(0)))
        {
            throw ScannerError("while scanning a tag", start, "did not find expected whitespace or line break");
        }

        return new GoToken(GoTokenType.Tag, start, Here) { Value = handle, Suffix = suffix };
    }

    private string ScanTagHandle(bool directive, GoMark start)
    {
        Cache(1);
        if (At(0) != '!')
        {
            throw TagError(directive, start, "did not find expected '!'");
        }

        var s = new StringBuilder();
        Read(s);
        Cache(1);
        while (IsAlpha(At(0)))
        {
            Read(s);
            Cache(1);
        }

        if (At(0) == '!')
        {
            Read(s);
        }
        else if (directive && s.ToString() != "!")
        {
            throw TagError(directive, start, "did not find expected '!'");
        }

        return s.ToString();
    }

    private GoYamlException TagError(bool directive, GoMark start, string problem) =>
        ScannerError(directive ? "while parsing a %TAG directive" : "while parsing a tag", start, problem);

    private string ScanTagUri(bool directive, string? head, GoMark start)
    {
        var bytes = new List<byte>();
        var hasTag = !string.IsNullOrEmpty(head);
        if (head is { Length: > 1 })
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(head[1..]));
        }

        Cache(1);
        while (IsAlpha(At(0)) || At(0) is ';' or '/' or '?' or ':' or '@' or '&' or '=' or '+' or '$' or ',' or '.' or '!' or '~' or '*' or '\'' or '(' or ')' or '[' or ']' or '%')
        {
            if (At(0) == '%')
            {
                ScanUriEscapes(directive, start, bytes);
            }
            else
            {
                var s = new StringBuilder();
                Read(s);
                bytes.AddRange(Encoding.UTF8.GetBytes(s.ToString()));
            }

            Cache(1);
            hasTag = true;
        }

        if (!hasTag)
        {
            throw TagError(directive, start, "did not find expected tag URI");
        }

        return GoYaml.GoUtf8(bytes.ToArray());
    }

    private void ScanUriEscapes(bool directive, GoMark start, List<byte> s)
    {
        var w = 1024;
        while (w > 0)
        {
            Cache(3);
            if (!(At(0) == '%' && IsHex(At(1)) && IsHex(At(2))))
            {
                throw TagError(directive, start, "did not find URI escaped octet");
            }

            var octet = (byte)((AsHex(At(1)) << 4) + AsHex(At(2)));
            if (w == 1024)
            {
                w = (octet & 0x80) == 0 ? 1 : (octet & 0xE0) == 0xC0 ? 2 : (octet & 0xF0) == 0xE0 ? 3 : (octet & 0xF8) == 0xF0 ? 4 : 0;
                if (w == 0)
                {
                    throw TagError(directive, start, "found an incorrect leading UTF-8 octet");
                }
            }
            else if ((octet & 0xC0) != 0x80)
            {
                throw TagError(directive, start, "found an incorrect trailing UTF-8 octet");
            }

            s.Add(octet);
            Skip();
            Skip();
            Skip();
            w--;
        }
    }

    private GoToken ScanBlockScalar(bool literal)
    {
        var start = Here;
        Skip();
        Cache(1);
        int chomping = 0, increment = 0;
        if (At(0) is '+' or '-')
        {
            chomping = At(0) == '+' ? 1 : -1;
            Skip();
            Cache(1);
            if (IsDigit(At(0)))
            {
                if (At(0) == '0')
                {
                    throw ScannerError("while scanning a block scalar", start, "found an indentation indicator equal to 0");
                }

                increment = At(0) - '0';
                Skip();
            }
        }
        else if (IsDigit(At(0)))
        {
            if (At(0) == '0')
            {
                throw ScannerError("while scanning a block scalar", start, "found an indentation indicator equal to 0");
            }

            increment = At(0) - '0';
            Skip();
            Cache(1);
            if (At(0) is '+' or '-')
            {
                chomping = At(0) == '+' ? 1 : -1;
                Skip();
            }
        }

        SkipBlanks();
        SkipComment();
        if (!IsBreakZ(At(0)))
        {
            throw ScannerError("while scanning a block scalar", start, "did not find expected comment or line break");
        }

        if (IsBreak(At(0)))
        {
            Cache(2);
            SkipLine();
        }

        var end = Here;
        var blockIndent = 0;
        if (increment > 0)
        {
            blockIndent = indent >= 0 ? indent + increment : increment;
        }

        var s = new StringBuilder();
        var leadingBreak = new StringBuilder();
        var trailingBreaks = new StringBuilder();
        ScanBlockScalarBreaks(ref blockIndent, trailingBreaks, start, ref end);
        Cache(1);
        var leadingBlank = false;
        while (column == blockIndent && At(0) != 0)
        {
            var trailingBlank = IsBlank(At(0));
            if (!literal && !leadingBlank && !trailingBlank && leadingBreak.Length > 0 && leadingBreak[0] == '\n')
            {
                if (trailingBreaks.Length == 0)
                {
                    s.Append(' ');
                }
            }
            else
            {
                s.Append(leadingBreak);
            }

            leadingBreak.Clear();
            s.Append(trailingBreaks);
            trailingBreaks.Clear();
            leadingBlank = IsBlank(At(0));
            while (!IsBreakZ(At(0)))
            {
                Read(s);
                Cache(1);
            }

            Cache(2);
            ReadLine(leadingBreak);
            ScanBlockScalarBreaks(ref blockIndent, trailingBreaks, start, ref end);
        }

        if (chomping != -1)
        {
            s.Append(leadingBreak);
        }

        if (chomping == 1)
        {
            s.Append(trailingBreaks);
        }

        return new GoToken(GoTokenType.Scalar, start, end) { Value = s.ToString(), Style = literal ? ScalarStyle.Literal : ScalarStyle.Folded };
    }

    private void ScanBlockScalarBreaks(ref int blockIndent, StringBuilder breaks, GoMark start, ref GoMark end)
    {
        end = Here;
        var maxIndent = 0;
        while (true)
        {
            Cache(1);
            while ((blockIndent == 0 || column < blockIndent) && At(0) == ' ')
            {
                Skip();
                Cache(1);
            }

            if (column > maxIndent)
            {
                maxIndent = column;
            }

            if ((blockIndent == 0 || column < blockIndent) && At(0) == '\t')
            {
                throw ScannerError("while scanning a block scalar", start, "found a tab character where an indentation space is expected");
            }

            if (!IsBreak(At(0)))
            {
                break;
            }

            Cache(2);
            ReadLine(breaks);
            end = Here;
        }

        if (blockIndent == 0)
        {
            blockIndent = Math.Max(Math.Max(maxIndent, indent + 1), 1);
        }
    }

    private GoToken ScanFlowScalar(bool single)
    {
        var start = Here;
        Skip();
        var s = new StringBuilder();
        var blanks = new Blanks();
        while (true)
        {
            Cache(4);
            if (column == 0 && ((At(0) == '-' && At(1) == '-' && At(2) == '-') || (At(0) == '.' && At(1) == '.' && At(2) == '.')) && IsBlankZ(At(3)))
            {
                throw ScannerError("while scanning a quoted scalar", start, "found unexpected document indicator");
            }

            if (At(0) == 0)
            {
                throw ScannerError("while scanning a quoted scalar", start, "found unexpected end of stream");
            }

            blanks.LeadingBlanks = false;
            while (!IsBlankZ(At(0)))
            {
                if (single && At(0) == '\'' && At(1) == '\'')
                {
                    s.Append('\'');
                    Skip();
                    Skip();
                }
                else if (single && At(0) == '\'')
                {
                    break;
                }
                else if (!single && At(0) == '"')
                {
                    break;
                }
                else if (!single && At(0) == '\\' && IsBreak(At(1)))
                {
                    Cache(3);
                    Skip();
                    SkipLine();
                    blanks.LeadingBlanks = true;
                    break;
                }
                else if (!single && At(0) == '\\')
                {
                    ScanEscape(s, start);
                }
                else
                {
                    Read(s);
                }

                Cache(2);
            }

            Cache(1);
            if (At(0) == (single ? '\'' : '"'))
            {
                break;
            }

            ConsumeBlanks(blanks, tabIndent: -1, start);
            Join(s, blanks);
        }

        Skip();
        return new GoToken(GoTokenType.Scalar, start, Here) { Value = s.ToString(), Style = single ? ScalarStyle.SingleQuoted : ScalarStyle.DoubleQuoted };
    }

    /// <summary>
    /// The blanks and line breaks between two runs of a quoted or plain scalar's text (go-yaml repeats this loop in
    /// both); in a plain scalar, a tab in a continuation line's indentation (<paramref name="tabIndent"/>) fails it.
    /// </summary>
    private void ConsumeBlanks(Blanks blanks, int tabIndent, GoMark start)
    {
        while (IsBlank(At(0)) || IsBreak(At(0)))
        {
            if (IsBlank(At(0)))
            {
                if (blanks.LeadingBlanks && column < tabIndent && At(0) == '\t')
                {
                    throw ScannerError("while scanning a plain scalar", start, "found a tab character that violates indentation");
                }

                if (!blanks.LeadingBlanks)
                {
                    Read(blanks.Whitespaces);
                }
                else
                {
                    Skip();
                }
            }
            else
            {
                Cache(2);
                if (!blanks.LeadingBlanks)
                {
                    blanks.Whitespaces.Clear();
                    ReadLine(blanks.LeadingBreak);
                    blanks.LeadingBlanks = true;
                }
                else
                {
                    ReadLine(blanks.TrailingBreaks);
                }
            }

            Cache(1);
        }
    }

    /// <summary>Adds the blanks to the text: a single line break folds to a space, more keep all but the first; spaces within a line stay.</summary>
    private static void Join(StringBuilder s, Blanks blanks)
    {
        if (blanks.LeadingBlanks)
        {
            if (blanks.LeadingBreak.Length > 0 && blanks.LeadingBreak[0] == '\n')
            {
                s.Append(blanks.TrailingBreaks.Length == 0 ? " " : blanks.TrailingBreaks.ToString());
            }
            else
            {
                s.Append(blanks.LeadingBreak);
                s.Append(blanks.TrailingBreaks);
            }

            blanks.TrailingBreaks.Clear();
            blanks.LeadingBreak.Clear();
        }
        else
        {
            s.Append(blanks.Whitespaces);
            blanks.Whitespaces.Clear();
        }
    }

    /// <summary>
    /// go-yaml's escapes in a double-quoted scalar (scannerc.go): the character that <paramref name="escape"/> after a
    /// backslash stands for, or how many hex digits follow it (x, u, U); false for an escape go-yaml refuses.
    /// </summary>
    internal static bool Escape(char escape, out char value, out int hexDigits)
    {
        hexDigits = 0;
        value = escape switch
        {
            '0' => '\0',
            'a' => '\a',
            'b' => '\b',
            't' or '\t' => '\t',
            'n' => '\n',
            'v' => '\v',
            'f' => '\f',
            'r' => '\r',
            'e' => '\u001B',
            ' ' or '"' or '\'' or '\\' => escape,
            'N' => '\u0085',
            '_' => '\u00A0',
            'L' => '\u2028',
            'P' => '\u2029',
            _ => '\uFFFF',
        };
        if (value != '\uFFFF')
        {
            return true;
        }

        hexDigits = escape switch { 'x' => 2, 'u' => 4, 'U' => 8, _ => 0 };
        return hexDigits > 0;
    }

    private void ScanEscape(StringBuilder s, GoMark start)
    {
        if (!Escape(At(1) is var next and >= 0 and <= char.MaxValue ? (char)next : '\uFFFF', out var single, out var codeLength))
        {
            throw ScannerError("while parsing a quoted scalar", start, "found unknown escape character");
        }

        if (codeLength == 0)
        {
            s.Append(single);
        }

        Skip();
        Skip();
        if (codeLength > 0)
        {
            Cache(codeLength);
            long value = 0;
            for (var k = 0; k < codeLength; k++)
            {
                if (!IsHex(At(k)))
                {
                    throw ScannerError("while parsing a quoted scalar", start, "did not find expected hexdecimal number");
                }

                value = (value << 4) + AsHex(At(k));
            }

            if (value is >= 0xD800 and <= 0xDFFF || value > 0x10FFFF)
            {
                throw ScannerError("while parsing a quoted scalar", start, "found invalid Unicode character escape code");
            }

            Append(s, (int)value);
            for (var k = 0; k < codeLength; k++)
            {
                Skip();
            }
        }
    }

    private GoToken ScanPlainScalar()
    {
        var s = new StringBuilder();
        var blanks = new Blanks();
        var scalarIndent = indent + 1;
        var start = Here;
        var end = Here;
        while (true)
        {
            Cache(4);
            if (column == 0 && ((At(0) == '-' && At(1) == '-' && At(2) == '-') || (At(0) == '.' && At(1) == '.' && At(2) == '.')) && IsBlankZ(At(3)))
            {
                break;
            }

            if (At(0) == '#')
            {
                break;
            }

            while (!IsBlankZ(At(0)))
            {
                if ((At(0) == ':' && IsBlankZ(At(1))) || (flowLevel > 0 && At(0) is ',' or '?' or '[' or ']' or '{' or '}'))
                {
                    break;
                }

                if (blanks.LeadingBlanks || blanks.Whitespaces.Length > 0)
                {
                    Join(s, blanks);
                    blanks.LeadingBlanks = false;
                }

                Read(s);
                end = Here;
                Cache(2);
            }

            if (!(IsBlank(At(0)) || IsBreak(At(0))))
            {
                break;
            }

            Cache(1);
            ConsumeBlanks(blanks, scalarIndent, start);
            if (flowLevel == 0 && column < scalarIndent)
            {
                break;
            }
        }

        if (blanks.LeadingBlanks)
        {
            simpleKeyAllowed = true;
        }

        return new GoToken(GoTokenType.Scalar, start, end) { Value = s.ToString(), Style = ScalarStyle.Plain };
    }

    /// <summary>What lies between two runs of a scalar's text while it is being read.</summary>
    private sealed class Blanks
    {
        public StringBuilder Whitespaces { get; } = new();

        public StringBuilder LeadingBreak { get; } = new();

        public StringBuilder TrailingBreaks { get; } = new();

        public bool LeadingBlanks { get; set; }
    }

    private sealed class SimpleKey
    {
        public bool Possible { get; set; }

        public bool Required { get; init; }

        public int TokenNumber { get; init; }

        public GoMark Mark { get; init; }
    }
}

/// <summary>A position as go-yaml keeps it: the character index, and the 0-based line and column.</summary>
internal readonly record struct GoMark(int Index, int Line, int Column);

internal enum GoTokenType
{
    StreamStart,
    StreamEnd,
    VersionDirective,
    TagDirective,
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    Alias,
    Anchor,
    Tag,
    Scalar,
}

internal sealed class GoToken(GoTokenType type, GoMark start, GoMark end)
{
    public GoTokenType Type { get; } = type;

    public GoMark Start { get; } = start;

    public GoMark End { get; } = end;

    /// <summary>A scalar's value, an anchor's or alias's name, a tag's handle.</summary>
    public string Value { get; init; } = string.Empty;

    /// <summary>A tag's suffix, a %TAG directive's prefix.</summary>
    public string Suffix { get; init; } = string.Empty;

    public ScalarStyle Style { get; init; }

    public int Major { get; init; }

    public int Minor { get; init; }
}

/// <summary>go-yaml's reader, scanner or parser error: its problem, and where (for a reader error, the character refused).</summary>
internal sealed class GoYamlException(string problem, GoMark mark, string? context = null, GoMark contextMark = default, int? readerValue = null) : Exception(problem)
{
    public string Problem { get; } = problem;

    public GoMark Mark { get; } = mark;

    public string? Context { get; } = context;

    public GoMark ContextMark { get; } = contextMark;

    /// <summary>For a reader error, the character it refused.</summary>
    public int? ReaderValue { get; } = readerValue;
}

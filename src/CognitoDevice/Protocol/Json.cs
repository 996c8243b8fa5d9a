using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CognitoDevice.Protocol
{
    /// <summary>
    /// A small, strict RFC 8259 JSON reader and string writer on the BCL alone.
    /// The token path must load nothing beyond the BCL in Windows PowerShell 5.1
    /// (System.Text.Json's dependency chain needs binding redirects there).
    /// Objects become <see cref="Dictionary{TKey,TValue}"/> (ordinal keys, the last duplicate wins),
    /// arrays <see cref="List{T}"/>, strings <see cref="string"/>, numbers <see cref="JsonNumber"/>,
    /// true/false <see cref="bool"/>, null <c>null</c>.
    /// </summary>
    internal static class Json
    {
        internal const int DefaultMaxDepth = 64;

        /// <summary>Parses one JSON value that fills the whole text (white space around it allowed).</summary>
        /// <exception cref="JsonFormatException">The text is not JSON. The message never quotes the text.</exception>
        public static object? Parse(string text, int maxDepth = DefaultMaxDepth)
        {
            if (text is null) throw new ArgumentNullException(nameof(text));
            var reader = new Reader(text, maxDepth);
            reader.SkipWhiteSpace();
            object? value = reader.ReadValue(0);
            reader.SkipWhiteSpace();
            if (!reader.AtEnd) throw reader.Error("unexpected data after the JSON value");
            return value;
        }

        /// <summary>Appends <paramref name="value"/> as a JSON string literal (quoted, escaped).</summary>
        public static void WriteString(StringBuilder builder, string value)
        {
            builder.Append('"');
            int run = 0; // start of the current run of characters that need no escape, appended in one piece
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c >= 0x20 && c != '"' && c != '\\' && c != '\u2028' && c != '\u2029') continue;
                builder.Append(value, run, i - run);
                run = i + 1;
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    case '\b': builder.Append("\\b"); break;
                    case '\f': builder.Append("\\f"); break;
                    default:
                        // Other control characters, and U+2028/U+2029 for the benefit of JavaScript readers.
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        break;
                }
            }
            builder.Append(value, run, value.Length - run);
            builder.Append('"');
        }

        /// <summary>Returns <paramref name="value"/> as a JSON string literal.</summary>
        public static string Quote(string value)
        {
            var builder = new StringBuilder(value.Length + 2);
            WriteString(builder, value);
            return builder.ToString();
        }

        private sealed class Reader
        {
            private readonly string _text;
            private readonly int _maxDepth;
            private int _pos;

            public Reader(string text, int maxDepth)
            {
                _text = text;
                _maxDepth = maxDepth;
            }

            public bool AtEnd => _pos >= _text.Length;

            public JsonFormatException Error(string what) =>
                new JsonFormatException($"The response is not valid JSON: {what} at offset {_pos.ToString(CultureInfo.InvariantCulture)}.");

            public void SkipWhiteSpace()
            {
                while (_pos < _text.Length)
                {
                    char c = _text[_pos];
                    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') _pos++;
                    else break;
                }
            }

            public object? ReadValue(int depth)
            {
                if (AtEnd) throw Error("unexpected end of data");
                char c = _text[_pos];
                switch (c)
                {
                    case '{': return ReadObject(depth + 1);
                    case '[': return ReadArray(depth + 1);
                    case '"': return ReadString();
                    case 't': ExpectLiteral("true"); return true;
                    case 'f': ExpectLiteral("false"); return false;
                    case 'n': ExpectLiteral("null"); return null;
                    default:
                        if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber();
                        throw Error("unexpected character");
                }
            }

            private void ExpectLiteral(string literal)
            {
                if (string.CompareOrdinal(_text, _pos, literal, 0, literal.Length) != 0) throw Error("invalid literal");
                _pos += literal.Length;
            }

            private Dictionary<string, object?> ReadObject(int depth)
            {
                if (depth > _maxDepth) throw Error("nesting too deep");
                _pos++; // {
                var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                SkipWhiteSpace();
                if (!AtEnd && _text[_pos] == '}')
                {
                    _pos++;
                    return result;
                }
                while (true)
                {
                    SkipWhiteSpace();
                    if (AtEnd || _text[_pos] != '"') throw Error("expected a property name");
                    string name = ReadString();
                    SkipWhiteSpace();
                    if (AtEnd || _text[_pos] != ':') throw Error("expected ':'");
                    _pos++;
                    SkipWhiteSpace();
                    result[name] = ReadValue(depth);
                    SkipWhiteSpace();
                    if (AtEnd) throw Error("unexpected end of data");
                    char c = _text[_pos++];
                    if (c == '}') return result;
                    if (c != ',') throw Error("expected ',' or '}'");
                }
            }

            private List<object?> ReadArray(int depth)
            {
                if (depth > _maxDepth) throw Error("nesting too deep");
                _pos++; // [
                var result = new List<object?>();
                SkipWhiteSpace();
                if (!AtEnd && _text[_pos] == ']')
                {
                    _pos++;
                    return result;
                }
                while (true)
                {
                    SkipWhiteSpace();
                    result.Add(ReadValue(depth));
                    SkipWhiteSpace();
                    if (AtEnd) throw Error("unexpected end of data");
                    char c = _text[_pos++];
                    if (c == ']') return result;
                    if (c != ',') throw Error("expected ',' or ']'");
                }
            }

            private string ReadString()
            {
                _pos++; // opening quote
                StringBuilder? builder = null;
                int runStart = _pos;
                while (true)
                {
                    if (AtEnd) throw Error("unterminated string");
                    char c = _text[_pos];
                    if (c == '"')
                    {
                        string tail = _text.Substring(runStart, _pos - runStart);
                        _pos++;
                        return builder is null ? tail : builder.Append(tail).ToString();
                    }
                    if (c < 0x20) throw Error("control character in string");
                    if (c != '\\')
                    {
                        _pos++;
                        continue;
                    }
                    builder ??= new StringBuilder();
                    builder.Append(_text, runStart, _pos - runStart);
                    _pos++;
                    if (AtEnd) throw Error("unterminated escape");
                    char e = _text[_pos++];
                    switch (e)
                    {
                        case '"': builder.Append('"'); break;
                        case '\\': builder.Append('\\'); break;
                        case '/': builder.Append('/'); break;
                        case 'b': builder.Append('\b'); break;
                        case 'f': builder.Append('\f'); break;
                        case 'n': builder.Append('\n'); break;
                        case 'r': builder.Append('\r'); break;
                        case 't': builder.Append('\t'); break;
                        case 'u': builder.Append(ReadHex4()); break;
                        default: throw Error("invalid escape");
                    }
                    runStart = _pos;
                }
            }

            private char ReadHex4()
            {
                if (_pos + 4 > _text.Length) throw Error("truncated \\u escape");
                int value = 0;
                for (int i = 0; i < 4; i++)
                {
                    char h = _text[_pos++];
                    int digit = h >= '0' && h <= '9' ? h - '0'
                        : h >= 'a' && h <= 'f' ? h - 'a' + 10
                        : h >= 'A' && h <= 'F' ? h - 'A' + 10
                        : -1;
                    if (digit < 0) throw Error("invalid \\u escape");
                    value = (value << 4) | digit;
                }
                return (char)value;
            }

            private JsonNumber ReadNumber()
            {
                int start = _pos;
                if (_text[_pos] == '-') _pos++;
                if (AtEnd) throw Error("invalid number");
                if (_text[_pos] == '0')
                {
                    _pos++;
                }
                else if (_text[_pos] >= '1' && _text[_pos] <= '9')
                {
                    SkipDigits();
                }
                else
                {
                    throw Error("invalid number");
                }
                if (!AtEnd && _text[_pos] == '.')
                {
                    _pos++;
                    if (SkipDigits() == 0) throw Error("invalid number");
                }
                if (!AtEnd && (_text[_pos] == 'e' || _text[_pos] == 'E'))
                {
                    _pos++;
                    if (!AtEnd && (_text[_pos] == '+' || _text[_pos] == '-')) _pos++;
                    if (SkipDigits() == 0) throw Error("invalid number");
                }
                return new JsonNumber(_text.Substring(start, _pos - start));
            }

            private int SkipDigits()
            {
                int start = _pos;
                while (!AtEnd && _text[_pos] >= '0' && _text[_pos] <= '9') _pos++;
                return _pos - start;
            }
        }
    }

    /// <summary>A JSON number kept as its text, so no precision is lost before the caller chooses a type.</summary>
    internal readonly struct JsonNumber : IEquatable<JsonNumber>
    {
        public JsonNumber(string raw) => Raw = raw;

        public string Raw { get; }

        public bool TryGetInt64(out long value) =>
            long.TryParse(Raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

        public bool TryGetDecimal(out decimal value) =>
            decimal.TryParse(Raw, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

        public double ToDouble() => double.Parse(Raw, NumberStyles.Float, CultureInfo.InvariantCulture);

        public bool Equals(JsonNumber other) => string.Equals(Raw, other.Raw, StringComparison.Ordinal);

        public override bool Equals(object? obj) => obj is JsonNumber other && Equals(other);

        public override int GetHashCode() => Raw is null ? 0 : StringComparer.Ordinal.GetHashCode(Raw);

        public override string ToString() => Raw;
    }

    /// <summary>The text is not JSON. The message names the offset, never the content.</summary>
    internal sealed class JsonFormatException : FormatException
    {
        public JsonFormatException(string message) : base(message) { }
    }
}

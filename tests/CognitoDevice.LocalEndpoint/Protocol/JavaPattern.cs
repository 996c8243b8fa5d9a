using System;
using System.Collections.Generic;
using System.Globalization;

namespace CognitoDevice.LocalEndpoint.Protocol
{
    /// <summary>
    /// A small backtracking matcher for the java.util.regex subset used by the Cognito service
    /// model, with Java (not .NET) semantics: input is matched per Unicode code point (a
    /// surrogate pair is one character), \w \d \s and the POSIX classes are ASCII-only, \p{..}
    /// uses the general category of the code point, matching is case-sensitive and
    /// <see cref="IsFullMatch"/> requires the whole input to match (Coral uses Matcher.matches()).
    /// </summary>
    public sealed class JavaPattern
    {
        private readonly Node _root;

        private JavaPattern(string source, Node root)
        {
            Source = source;
            _root = root;
        }

        /// <summary>The pattern text as written in the model.</summary>
        public string Source { get; }

        /// <summary>Compiles a pattern; throws <see cref="FormatException"/> for syntax outside the supported subset.</summary>
        public static JavaPattern Compile(string pattern)
        {
            if (pattern is null) throw new ArgumentNullException(nameof(pattern));
            var parser = new Parser(pattern);
            return new JavaPattern(pattern, parser.ParseAll());
        }

        /// <summary>True when the whole input matches (java.util.regex.Matcher.matches()).</summary>
        public bool IsFullMatch(string input)
        {
            if (input is null) throw new ArgumentNullException(nameof(input));
            int[] cps = CodePoints.From(input);
            return _root.Match(cps, 0, p => p == cps.Length);
        }

        public override string ToString() => Source;

        // ---------------------------------------------------------------- nodes

        private abstract class Node
        {
            public abstract bool Match(int[] s, int pos, Func<int, bool> k);

            /// <summary>Width in code points when fixed (needed for lookbehind), else null.</summary>
            public abstract int? FixedWidth { get; }
        }

        private sealed class CharNode : Node
        {
            public CharNode(Func<int, bool> predicate) => Predicate = predicate;

            public Func<int, bool> Predicate { get; }

            public override int? FixedWidth => 1;

            public override bool Match(int[] s, int pos, Func<int, bool> k) =>
                pos < s.Length && Predicate(s[pos]) && k(pos + 1);
        }

        private sealed class EmptyNode : Node
        {
            public override int? FixedWidth => 0;

            public override bool Match(int[] s, int pos, Func<int, bool> k) => k(pos);
        }

        private sealed class SeqNode : Node
        {
            private readonly Node[] _items;

            public SeqNode(List<Node> items) => _items = items.ToArray();

            public override int? FixedWidth
            {
                get
                {
                    int total = 0;
                    foreach (Node n in _items)
                    {
                        int? w = n.FixedWidth;
                        if (w is null) return null;
                        total += w.Value;
                    }
                    return total;
                }
            }

            public override bool Match(int[] s, int pos, Func<int, bool> k) => MatchFrom(0, s, pos, k);

            private bool MatchFrom(int index, int[] s, int pos, Func<int, bool> k)
            {
                if (index == _items.Length) return k(pos);
                return _items[index].Match(s, pos, p => MatchFrom(index + 1, s, p, k));
            }
        }

        private sealed class AltNode : Node
        {
            private readonly Node[] _options;

            public AltNode(List<Node> options) => _options = options.ToArray();

            public override int? FixedWidth
            {
                get
                {
                    int? width = null;
                    foreach (Node n in _options)
                    {
                        int? w = n.FixedWidth;
                        if (w is null) return null;
                        if (width is null) width = w;
                        else if (width != w) return null;
                    }
                    return width ?? 0;
                }
            }

            public override bool Match(int[] s, int pos, Func<int, bool> k)
            {
                foreach (Node n in _options)
                {
                    if (n.Match(s, pos, k)) return true;
                }
                return false;
            }
        }

        private enum QuantifierMode { Greedy, Lazy, Possessive }

        private sealed class RepeatNode : Node
        {
            private readonly Node _inner;
            private readonly int _min;
            private readonly int _max;
            private readonly QuantifierMode _mode;

            public RepeatNode(Node inner, int min, int max, QuantifierMode mode)
            {
                _inner = inner;
                _min = min;
                _max = max;
                _mode = mode;
            }

            public override int? FixedWidth
            {
                get
                {
                    int? w = _inner.FixedWidth;
                    if (w is null || _min != _max) return null;
                    return w.Value * _min;
                }
            }

            public override bool Match(int[] s, int pos, Func<int, bool> k)
            {
                if (_inner is CharNode single)
                {
                    // Iterative fast path: no recursion depth proportional to the input length.
                    int available = 0;
                    while (available < _max && pos + available < s.Length && single.Predicate(s[pos + available]))
                    {
                        available++;
                    }
                    if (available < _min) return false;
                    switch (_mode)
                    {
                        case QuantifierMode.Possessive:
                            return k(pos + available);
                        case QuantifierMode.Lazy:
                            for (int n = _min; n <= available; n++)
                            {
                                if (k(pos + n)) return true;
                            }
                            return false;
                        default:
                            for (int n = available; n >= _min; n--)
                            {
                                if (k(pos + n)) return true;
                            }
                            return false;
                    }
                }
                return Repeat(0, s, pos, k);
            }

            private bool Repeat(int count, int[] s, int pos, Func<int, bool> k)
            {
                if (count < _min)
                {
                    return _inner.Match(s, pos, p => Repeat(count + 1, s, p, k));
                }
                if (_mode == QuantifierMode.Lazy)
                {
                    if (k(pos)) return true;
                    return count < _max && _inner.Match(s, pos, p => p != pos && Repeat(count + 1, s, p, k));
                }
                // Greedy (possessive is treated as greedy for composite atoms; the model has none).
                if (count < _max && _inner.Match(s, pos, p => p != pos && Repeat(count + 1, s, p, k)))
                {
                    return true;
                }
                return k(pos);
            }
        }

        private sealed class AssertNode : Node
        {
            private readonly Func<int[], int, bool> _test;

            public AssertNode(Func<int[], int, bool> test) => _test = test;

            public override int? FixedWidth => 0;

            public override bool Match(int[] s, int pos, Func<int, bool> k) => _test(s, pos) && k(pos);
        }

        private sealed class LookNode : Node
        {
            private readonly Node _inner;
            private readonly bool _behind;
            private readonly bool _negate;
            private readonly int _width;

            public LookNode(Node inner, bool behind, bool negate)
            {
                _inner = inner;
                _behind = behind;
                _negate = negate;
                if (behind)
                {
                    int? w = inner.FixedWidth;
                    if (w is null) throw new FormatException("Look-behind group does not have an obvious maximum length");
                    _width = w.Value;
                }
            }

            public override int? FixedWidth => 0;

            public override bool Match(int[] s, int pos, Func<int, bool> k)
            {
                bool found;
                if (_behind)
                {
                    int start = pos - _width;
                    found = start >= 0 && _inner.Match(s, start, p => p == pos);
                }
                else
                {
                    found = _inner.Match(s, pos, _ => true);
                }
                return found != _negate && k(pos);
            }
        }

        // ---------------------------------------------------------------- parser

        private sealed class Parser
        {
            private readonly string _p;
            private int _i;
            private bool _dotAll;

            public Parser(string pattern) => _p = pattern;

            public Node ParseAll()
            {
                Node n = ParseAlternation();
                if (_i < _p.Length) throw Error("Unmatched closing ')'");
                return n;
            }

            private FormatException Error(string message) =>
                new FormatException($"{message} near index {_i} in pattern '{_p}'");

            private bool AtEnd => _i >= _p.Length;

            private char Peek => _p[_i];

            private bool LookingAt(string s) => string.CompareOrdinal(_p, _i, s, 0, s.Length) == 0;

            private int ReadCodePoint()
            {
                int cp = char.ConvertToUtf32(_p, _i);
                _i += char.IsSurrogatePair(_p, _i) ? 2 : 1;
                return cp;
            }

            private Node ParseAlternation()
            {
                var options = new List<Node> { ParseSequence() };
                while (!AtEnd && Peek == '|')
                {
                    _i++;
                    options.Add(ParseSequence());
                }
                return options.Count == 1 ? options[0] : new AltNode(options);
            }

            private Node ParseSequence()
            {
                var items = new List<Node>();
                while (!AtEnd && Peek != '|' && Peek != ')')
                {
                    Node atom = ParseAtom();
                    items.Add(ParseQuantifier(atom));
                }
                if (items.Count == 0) return new EmptyNode();
                return items.Count == 1 ? items[0] : new SeqNode(items);
            }

            private Node ParseQuantifier(Node atom)
            {
                if (AtEnd) return atom;
                int min, max;
                char c = Peek;
                if (c == '*') { min = 0; max = int.MaxValue; _i++; }
                else if (c == '+') { min = 1; max = int.MaxValue; _i++; }
                else if (c == '?') { min = 0; max = 1; _i++; }
                else if (c == '{')
                {
                    int close = _p.IndexOf('}', _i);
                    if (close < 0) throw Error("Unclosed counted closure");
                    string body = _p.Substring(_i + 1, close - _i - 1);
                    int comma = body.IndexOf(',');
                    try
                    {
                        if (comma < 0)
                        {
                            min = max = int.Parse(body, NumberStyles.None, CultureInfo.InvariantCulture);
                        }
                        else
                        {
                            min = int.Parse(body.Substring(0, comma), NumberStyles.None, CultureInfo.InvariantCulture);
                            string upper = body.Substring(comma + 1);
                            max = upper.Length == 0 ? int.MaxValue : int.Parse(upper, NumberStyles.None, CultureInfo.InvariantCulture);
                        }
                    }
                    catch (FormatException)
                    {
                        throw Error("Illegal repetition");
                    }
                    if (max < min) throw Error("Illegal repetition range");
                    _i = close + 1;
                }
                else
                {
                    return atom;
                }
                QuantifierMode mode = QuantifierMode.Greedy;
                if (!AtEnd && Peek == '?') { mode = QuantifierMode.Lazy; _i++; }
                else if (!AtEnd && Peek == '+') { mode = QuantifierMode.Possessive; _i++; }
                if (atom is AssertNode || atom is LookNode) return atom;
                return new RepeatNode(atom, min, max, mode);
            }

            private Node ParseAtom()
            {
                char c = Peek;
                switch (c)
                {
                    case '(':
                        return ParseGroup();
                    case '[':
                        _i++;
                        return new CharNode(ParseClassBody());
                    case '.':
                        _i++;
                        if (_dotAll) return new CharNode(_ => true);
                        return new CharNode(cp => cp != '\n' && cp != '\r' && cp != 0x85 && cp != 0x2028 && cp != 0x2029);
                    case '^':
                        _i++;
                        return new AssertNode((_, pos) => pos == 0);
                    case '$':
                        _i++;
                        return new AssertNode((s, pos) => pos == s.Length || (pos == s.Length - 1 && s[pos] == '\n'));
                    case '\\':
                        _i++;
                        if (AtEnd) throw Error("Unexpected internal error");
                        char e = Peek;
                        if (e == 'A') { _i++; return new AssertNode((_, pos) => pos == 0); }
                        if (e == 'z') { _i++; return new AssertNode((s, pos) => pos == s.Length); }
                        if (e == 'Z') { _i++; return new AssertNode((s, pos) => pos == s.Length || (pos == s.Length - 1 && s[pos] == '\n')); }
                        if (e == 'b' || e == 'B' || e == 'G' || char.IsDigit(e) && e != '0')
                        {
                            throw Error("Unsupported escape \\" + e);
                        }
                        Escape esc = ParseEscape();
                        return new CharNode(esc.Predicate ?? Literal(esc.CodePoint));
                    case '*':
                    case '+':
                    case '?':
                    case '{':
                        throw Error("Dangling meta character '" + c + "'");
                    default:
                        int cp = ReadCodePoint();
                        return new CharNode(Literal(cp));
                }
            }

            private Node ParseGroup()
            {
                _i++; // '('
                bool? look = null; // null: plain group
                bool behind = false, negate = false;
                if (LookingAt("?:")) { _i += 2; }
                else if (LookingAt("?=")) { _i += 2; look = true; }
                else if (LookingAt("?!")) { _i += 2; look = true; negate = true; }
                else if (LookingAt("?<=")) { _i += 3; look = true; behind = true; }
                else if (LookingAt("?<!")) { _i += 3; look = true; behind = true; negate = true; }
                else if (LookingAt("?"))
                {
                    // Inline flags: (?s) or (?s:...). Only DOTALL is supported.
                    _i++;
                    bool on = true;
                    bool saved = _dotAll;
                    while (!AtEnd && Peek != ')' && Peek != ':')
                    {
                        char f = Peek;
                        if (f == '-') on = false;
                        else if (f == 's') _dotAll = on;
                        else throw Error("Unsupported inline flag '" + f + "'");
                        _i++;
                    }
                    if (AtEnd) throw Error("Unclosed group");
                    if (Peek == ')')
                    {
                        _i++;
                        return new EmptyNode();
                    }
                    _i++; // ':'
                    Node scoped = ParseAlternation();
                    Expect(')');
                    _dotAll = saved;
                    return scoped;
                }
                Node inner = ParseAlternation();
                Expect(')');
                if (look is null) return inner;
                return new LookNode(inner, behind, negate);
            }

            private void Expect(char c)
            {
                if (AtEnd || Peek != c) throw Error("Unclosed group");
                _i++;
            }

            private Func<int, bool> ParseClassBody()
            {
                bool negate = false;
                if (!AtEnd && Peek == '^')
                {
                    negate = true;
                    _i++;
                }
                var parts = new List<Func<int, bool>>();
                bool first = true;
                while (true)
                {
                    if (AtEnd) throw Error("Unclosed character class");
                    char c = Peek;
                    if (c == ']' && !first)
                    {
                        _i++;
                        break;
                    }
                    first = false;
                    if (c == '[')
                    {
                        _i++;
                        parts.Add(ParseClassBody());
                        continue;
                    }
                    if (LookingAt("&&")) throw Error("Character class intersection is not supported");
                    int lo;
                    if (c == '\\')
                    {
                        _i++;
                        if (AtEnd) throw Error("Unclosed character class");
                        Escape esc = ParseEscape();
                        if (esc.Predicate != null)
                        {
                            parts.Add(esc.Predicate);
                            continue;
                        }
                        lo = esc.CodePoint;
                    }
                    else
                    {
                        lo = ReadCodePoint();
                    }
                    // Range "a-z": a '-' that is followed by ']' (or '[') is a literal.
                    if (!AtEnd && Peek == '-' && _i + 1 < _p.Length && _p[_i + 1] != ']' && _p[_i + 1] != '[')
                    {
                        _i++; // '-'
                        int hi;
                        if (Peek == '\\')
                        {
                            _i++;
                            Escape escHi = ParseEscape();
                            if (escHi.Predicate != null) throw Error("Illegal character range");
                            hi = escHi.CodePoint;
                        }
                        else
                        {
                            hi = ReadCodePoint();
                        }
                        if (hi < lo) throw Error("Illegal character range");
                        int from = lo, to = hi;
                        parts.Add(cp => cp >= from && cp <= to);
                    }
                    else
                    {
                        parts.Add(Literal(lo));
                    }
                }
                Func<int, bool>[] all = parts.ToArray();
                bool Union(int cp)
                {
                    foreach (Func<int, bool> f in all)
                    {
                        if (f(cp)) return true;
                    }
                    return false;
                }
                if (negate) return cp => !Union(cp);
                return Union;
            }

            private readonly struct Escape
            {
                public Escape(int codePoint)
                {
                    CodePoint = codePoint;
                    Predicate = null;
                }

                public Escape(Func<int, bool> predicate)
                {
                    CodePoint = -1;
                    Predicate = predicate;
                }

                public int CodePoint { get; }

                public Func<int, bool>? Predicate { get; }
            }

            /// <summary>Parses the escape after a backslash (the backslash is consumed).</summary>
            private Escape ParseEscape()
            {
                char e = Peek;
                _i++;
                switch (e)
                {
                    case 'd': return new Escape(IsAsciiDigit);
                    case 'D': return new Escape(cp => !IsAsciiDigit(cp));
                    case 'w': return new Escape(IsAsciiWord);
                    case 'W': return new Escape(cp => !IsAsciiWord(cp));
                    case 's': return new Escape(IsAsciiSpace);
                    case 'S': return new Escape(cp => !IsAsciiSpace(cp));
                    case 'h': return new Escape(IsHorizontalSpace);
                    case 'H': return new Escape(cp => !IsHorizontalSpace(cp));
                    case 'p':
                    case 'P':
                        {
                            string name;
                            if (!AtEnd && Peek == '{')
                            {
                                int close = _p.IndexOf('}', _i);
                                if (close < 0) throw Error("Unclosed character family");
                                name = _p.Substring(_i + 1, close - _i - 1);
                                _i = close + 1;
                            }
                            else
                            {
                                if (AtEnd) throw Error("Illegal character family");
                                name = _p[_i].ToString();
                                _i++;
                            }
                            Func<int, bool> prop = Property(name) ?? throw Error("Unknown character property name {" + name + "}");
                            return e == 'p' ? new Escape(prop) : new Escape(cp => !prop(cp));
                        }
                    case 't': return new Escape(0x09);
                    case 'n': return new Escape(0x0A);
                    case 'r': return new Escape(0x0D);
                    case 'f': return new Escape(0x0C);
                    case 'a': return new Escape(0x07);
                    case 'e': return new Escape(0x1B);
                    case '0':
                        {
                            int value = 0, digits = 0;
                            while (!AtEnd && digits < 3 && Peek >= '0' && Peek <= '7')
                            {
                                value = value * 8 + (Peek - '0');
                                _i++;
                                digits++;
                            }
                            if (digits == 0) throw Error("Illegal octal escape sequence");
                            return new Escape(value);
                        }
                    case 'x':
                        {
                            if (!AtEnd && Peek == '{')
                            {
                                int close = _p.IndexOf('}', _i);
                                if (close < 0) throw Error("Unclosed hexadecimal escape sequence");
                                string hex = _p.Substring(_i + 1, close - _i - 1);
                                _i = close + 1;
                                return new Escape(ParseHex(hex));
                            }
                            if (_i + 2 > _p.Length) throw Error("Illegal hexadecimal escape sequence");
                            string two = _p.Substring(_i, 2);
                            _i += 2;
                            return new Escape(ParseHex(two));
                        }
                    case 'u':
                        {
                            if (_i + 4 > _p.Length) throw Error("Illegal Unicode escape sequence");
                            string four = _p.Substring(_i, 4);
                            _i += 4;
                            return new Escape(ParseHex(four));
                        }
                    case 'c':
                        {
                            if (AtEnd) throw Error("Illegal control escape sequence");
                            char ctl = Peek;
                            _i++;
                            return new Escape(ctl ^ 64);
                        }
                    default:
                        if (e < 128 && char.IsLetterOrDigit(e))
                        {
                            throw Error("Illegal/unsupported escape sequence \\" + e);
                        }
                        if (char.IsHighSurrogate(e) && !AtEnd && char.IsLowSurrogate(Peek))
                        {
                            int cp = char.ConvertToUtf32(e, Peek);
                            _i++;
                            return new Escape(cp);
                        }
                        return new Escape(e);
                }
            }

            private int ParseHex(string hex)
            {
                if (!int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int value) || value > 0x10FFFF)
                {
                    throw Error("Illegal hexadecimal escape sequence");
                }
                return value;
            }
        }

        // ---------------------------------------------------------------- character classes

        private static Func<int, bool> Literal(int cp) => c => c == cp;

        private static bool IsAsciiDigit(int cp) => cp >= '0' && cp <= '9';

        private static bool IsAsciiWord(int cp) =>
            (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';

        // Java's \s without UNICODE_CHARACTER_CLASS: [ \t\n\x0B\f\r]
        private static bool IsAsciiSpace(int cp) => cp == ' ' || (cp >= 0x09 && cp <= 0x0D);

        private static bool IsHorizontalSpace(int cp) =>
            cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x1680 || cp == 0x180E ||
            (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000;

        private static UnicodeCategory Category(int cp)
        {
            if (cp >= 0xD800 && cp <= 0xDFFF) return UnicodeCategory.Surrogate;
            return CharUnicodeInfo.GetUnicodeCategory(cp);
        }

        private static Func<int, bool> Categories(params UnicodeCategory[] categories)
        {
            var set = new HashSet<UnicodeCategory>(categories);
            return cp => set.Contains(Category(cp));
        }

        private static Func<int, bool>? Property(string name)
        {
            string n = name;
            if (n.StartsWith("Is", StringComparison.Ordinal) && n.Length > 2) n = n.Substring(2);
            if (n.StartsWith("general_category=", StringComparison.Ordinal)) n = n.Substring("general_category=".Length);
            if (n.StartsWith("gc=", StringComparison.Ordinal)) n = n.Substring(3);
            switch (n)
            {
                case "L": return Categories(UnicodeCategory.UppercaseLetter, UnicodeCategory.LowercaseLetter, UnicodeCategory.TitlecaseLetter, UnicodeCategory.ModifierLetter, UnicodeCategory.OtherLetter);
                case "Lu": return Categories(UnicodeCategory.UppercaseLetter);
                case "Ll": return Categories(UnicodeCategory.LowercaseLetter);
                case "Lt": return Categories(UnicodeCategory.TitlecaseLetter);
                case "Lm": return Categories(UnicodeCategory.ModifierLetter);
                case "Lo": return Categories(UnicodeCategory.OtherLetter);
                case "M": return Categories(UnicodeCategory.NonSpacingMark, UnicodeCategory.SpacingCombiningMark, UnicodeCategory.EnclosingMark);
                case "Mn": return Categories(UnicodeCategory.NonSpacingMark);
                case "Mc": return Categories(UnicodeCategory.SpacingCombiningMark);
                case "Me": return Categories(UnicodeCategory.EnclosingMark);
                case "N": return Categories(UnicodeCategory.DecimalDigitNumber, UnicodeCategory.LetterNumber, UnicodeCategory.OtherNumber);
                case "Nd": return Categories(UnicodeCategory.DecimalDigitNumber);
                case "Nl": return Categories(UnicodeCategory.LetterNumber);
                case "No": return Categories(UnicodeCategory.OtherNumber);
                case "P": return Categories(UnicodeCategory.ConnectorPunctuation, UnicodeCategory.DashPunctuation, UnicodeCategory.OpenPunctuation, UnicodeCategory.ClosePunctuation, UnicodeCategory.InitialQuotePunctuation, UnicodeCategory.FinalQuotePunctuation, UnicodeCategory.OtherPunctuation);
                case "Pc": return Categories(UnicodeCategory.ConnectorPunctuation);
                case "Pd": return Categories(UnicodeCategory.DashPunctuation);
                case "Ps": return Categories(UnicodeCategory.OpenPunctuation);
                case "Pe": return Categories(UnicodeCategory.ClosePunctuation);
                case "Pi": return Categories(UnicodeCategory.InitialQuotePunctuation);
                case "Pf": return Categories(UnicodeCategory.FinalQuotePunctuation);
                case "Po": return Categories(UnicodeCategory.OtherPunctuation);
                case "S": return Categories(UnicodeCategory.MathSymbol, UnicodeCategory.CurrencySymbol, UnicodeCategory.ModifierSymbol, UnicodeCategory.OtherSymbol);
                case "Sm": return Categories(UnicodeCategory.MathSymbol);
                case "Sc": return Categories(UnicodeCategory.CurrencySymbol);
                case "Sk": return Categories(UnicodeCategory.ModifierSymbol);
                case "So": return Categories(UnicodeCategory.OtherSymbol);
                case "Z": return Categories(UnicodeCategory.SpaceSeparator, UnicodeCategory.LineSeparator, UnicodeCategory.ParagraphSeparator);
                case "Zs": return Categories(UnicodeCategory.SpaceSeparator);
                case "Zl": return Categories(UnicodeCategory.LineSeparator);
                case "Zp": return Categories(UnicodeCategory.ParagraphSeparator);
                case "C": return Categories(UnicodeCategory.Control, UnicodeCategory.Format, UnicodeCategory.PrivateUse, UnicodeCategory.Surrogate, UnicodeCategory.OtherNotAssigned);
                case "Cc": return Categories(UnicodeCategory.Control);
                case "Cf": return Categories(UnicodeCategory.Format);
                case "Co": return Categories(UnicodeCategory.PrivateUse);
                case "Cs": return Categories(UnicodeCategory.Surrogate);
                case "Cn": return Categories(UnicodeCategory.OtherNotAssigned);
                // POSIX classes: US-ASCII only in Java unless UNICODE_CHARACTER_CLASS is set.
                case "Lower": return cp => cp >= 'a' && cp <= 'z';
                case "Upper": return cp => cp >= 'A' && cp <= 'Z';
                case "ASCII": return cp => cp >= 0 && cp <= 0x7F;
                case "Alpha": return cp => (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
                case "Digit": return IsAsciiDigit;
                case "Alnum": return cp => (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || IsAsciiDigit(cp);
                case "Punct": return cp => cp >= 0x21 && cp <= 0x7E && !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || IsAsciiDigit(cp));
                case "Graph": return cp => cp >= 0x21 && cp <= 0x7E;
                case "Print": return cp => cp >= 0x20 && cp <= 0x7E;
                case "Blank": return cp => cp == ' ' || cp == '\t';
                case "Cntrl": return cp => (cp >= 0 && cp <= 0x1F) || cp == 0x7F;
                case "XDigit": return cp => IsAsciiDigit(cp) || (cp >= 'a' && cp <= 'f') || (cp >= 'A' && cp <= 'F');
                case "Space": return IsAsciiSpace;
                default: return null;
            }
        }
    }

    /// <summary>Code point helpers (Java String.codePoints() semantics: a lone surrogate is one code point).</summary>
    public static class CodePoints
    {
        public static int[] From(string s)
        {
            var result = new List<int>(s.Length);
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                {
                    result.Add(char.ConvertToUtf32(c, s[i + 1]));
                    i++;
                }
                else
                {
                    result.Add(c);
                }
            }
            return result.ToArray();
        }

        public static int Count(string s)
        {
            int count = 0;
            for (int i = 0; i < s.Length; i++)
            {
                if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
                count++;
            }
            return count;
        }
    }
}

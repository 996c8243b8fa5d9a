using System;
using System.Collections.Generic;
using System.Text;

namespace CognitoDevice.LocalEndpoint.Protocol
{
    /// <summary>
    /// ListUsers' Filter: <c>AttributeName Filter-Type "AttributeValue"</c>, Filter-Type <c>=</c> (exact) or
    /// <c>^=</c> (starts with), the value in double quotes with <c>\"</c> and <c>\\</c> escapes, one attribute.
    /// Searchable: username (case-sensitive), email, phone_number, name, given_name, family_name,
    /// preferred_username, cognito:user_status (case-insensitive), status (Enabled/Disabled, case-sensitive), sub.
    /// An empty filter matches every user; anything else that does not parse is InvalidParameterException
    /// "Error while parsing filter." as Cognito answers.
    /// </summary>
    public sealed class UserFilter
    {
        private static readonly HashSet<string> s_searchable = new HashSet<string>(StringComparer.Ordinal)
        {
            "username", "email", "phone_number", "name", "given_name", "family_name", "preferred_username",
            "cognito:user_status", "status", "sub",
        };

        private UserFilter(string attribute, bool prefix, string value)
        {
            Attribute = attribute;
            Prefix = prefix;
            Value = value;
        }

        public string Attribute { get; }

        /// <summary>True for ^= (starts with), false for = (exact).</summary>
        public bool Prefix { get; }

        public string Value { get; }

        /// <summary>Null for an absent or blank filter (every user).</summary>
        public static UserFilter? Parse(string? filter)
        {
            if (filter is null || filter.Trim().Length == 0) return null;
            var invalid = CognitoServiceException.InvalidParameter("Error while parsing filter.");
            int i = 0;
            SkipSpaces(filter, ref i);
            int start = i;
            while (i < filter.Length && !char.IsWhiteSpace(filter[i]) && filter[i] != '=' && filter[i] != '^') i++;
            string attribute = filter.Substring(start, i - start);
            if (!s_searchable.Contains(attribute)) throw invalid;
            SkipSpaces(filter, ref i);
            bool prefix;
            if (i + 1 < filter.Length && filter[i] == '^' && filter[i + 1] == '=')
            {
                prefix = true;
                i += 2;
            }
            else if (i < filter.Length && filter[i] == '=')
            {
                prefix = false;
                i++;
            }
            else
            {
                throw invalid;
            }
            SkipSpaces(filter, ref i);
            if (i >= filter.Length || filter[i] != '"') throw invalid;
            i++;
            var value = new StringBuilder();
            bool closed = false;
            while (i < filter.Length)
            {
                char c = filter[i++];
                if (c == '\\')
                {
                    if (i >= filter.Length) throw invalid;
                    value.Append(filter[i++]);
                }
                else if (c == '"')
                {
                    closed = true;
                    break;
                }
                else
                {
                    value.Append(c);
                }
            }
            if (!closed) throw invalid;
            SkipSpaces(filter, ref i);
            if (i != filter.Length) throw invalid;
            return new UserFilter(attribute, prefix, value.ToString());
        }

        /// <summary>Whether a user matches; <paramref name="valueOf"/> gives the user's value of an attribute (null when unset).</summary>
        public bool Matches(Func<string, string?> valueOf)
        {
            string? actual = valueOf(Attribute);
            if (actual is null) return false;
            StringComparison comparison = Attribute == "cognito:user_status" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            return Prefix ? actual.StartsWith(Value, comparison) : string.Equals(actual, Value, comparison);
        }

        private static void SkipSpaces(string s, ref int i)
        {
            while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
        }
    }
}

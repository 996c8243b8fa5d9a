using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CognitoDevice.LocalEndpoint.Protocol
{
    /// <summary>
    /// Coral-style input validation driven by the service model: member types (wrong JSON type:
    /// SerializationException), then required / length (in code points) / pattern (Java
    /// semantics, full match) / enum / numeric range, reported as one InvalidParameterException
    /// "N validation error(s) detected: ...". Values of sensitive shapes are never echoed.
    /// </summary>
    public static class InputValidator
    {
        /// <summary>Parses and validates <paramref name="body"/> against <paramref name="inputShape"/>.</summary>
        public static ValidatedInput Validate(ModelShape inputShape, ReadOnlyMemory<byte> body)
        {
            JsonElement root = Parse(body);
            CheckTypes(inputShape, root, inputShape.Name);
            var errors = new List<string>();
            CollectViolations(inputShape, root, null, errors);
            if (errors.Count > 0)
            {
                throw CognitoServiceException.InvalidParameter(FormatErrors(errors));
            }
            return new ValidatedInput(root);
        }

        /// <summary>Coral's summary line: "1 validation error detected: a" / "2 validation errors detected: a; b".</summary>
        public static string FormatErrors(IReadOnlyList<string> errors)
        {
            var sb = new StringBuilder();
            sb.Append(errors.Count.ToString(CultureInfo.InvariantCulture));
            sb.Append(errors.Count == 1 ? " validation error detected: " : " validation errors detected: ");
            sb.Append(string.Join("; ", errors));
            return sb.ToString();
        }

        private static JsonElement Parse(ReadOnlyMemory<byte> body)
        {
            if (IsBlank(body.Span))
            {
                using JsonDocument empty = JsonDocument.Parse("{}");
                return empty.RootElement.Clone();
            }
            if (!System.Text.Unicode.Utf8.IsValid(body.Span))
            {
                throw CognitoServiceException.Serialization("The request body is not valid UTF-8.");
            }
            try
            {
                using JsonDocument doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw CognitoServiceException.Serialization("Expected a JSON object as the request body.");
                }
                return doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw CognitoServiceException.Serialization("The request body is not valid JSON.");
            }
        }

        private static bool IsBlank(ReadOnlySpan<byte> span)
        {
            foreach (byte b in span)
            {
                if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r' && b != (byte)'\n') return false;
            }
            return true;
        }

        private static void CheckTypes(ModelShape shape, JsonElement value, string where)
        {
            if (value.ValueKind == JsonValueKind.Null) return;
            switch (shape.Type)
            {
                case "structure":
                    if (value.ValueKind != JsonValueKind.Object) throw Mismatch(value, "a structure", where);
                    foreach (ModelMember m in shape.Members)
                    {
                        if (value.TryGetProperty(m.Name, out JsonElement v)) CheckTypes(m.Shape, v, m.Name);
                    }
                    break;
                case "list":
                    if (value.ValueKind != JsonValueKind.Array) throw Mismatch(value, "a list", where);
                    ModelShape? item = shape.ListMember;
                    if (item != null)
                    {
                        foreach (JsonElement e in value.EnumerateArray()) CheckTypes(item, e, where);
                    }
                    break;
                case "map":
                    if (value.ValueKind != JsonValueKind.Object) throw Mismatch(value, "a map", where);
                    break;
                case "string":
                    if (value.ValueKind != JsonValueKind.String) throw Mismatch(value, "a String", where);
                    try
                    {
                        _ = value.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        throw CognitoServiceException.Serialization("Invalid UTF-16 in a String value for '" + where + "'.");
                    }
                    break;
                case "integer":
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out _)) throw Mismatch(value, "an Integer", where);
                    break;
                case "long":
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _)) throw Mismatch(value, "a Long", where);
                    break;
                case "boolean":
                    if (value.ValueKind != JsonValueKind.True && value.ValueKind != JsonValueKind.False) throw Mismatch(value, "a Boolean", where);
                    break;
                case "timestamp":
                case "double":
                case "float":
                    if (value.ValueKind != JsonValueKind.Number) throw Mismatch(value, "a Number", where);
                    break;
                default:
                    break;
            }
        }

        private static CognitoServiceException Mismatch(JsonElement value, string expected, string where)
        {
            string kind = value.ValueKind switch
            {
                JsonValueKind.String => "STRING_VALUE",
                JsonValueKind.Number => "NUMBER_VALUE",
                JsonValueKind.True => "TRUE_VALUE",
                JsonValueKind.False => "FALSE_VALUE",
                JsonValueKind.Array => "START_ARRAY",
                JsonValueKind.Object => "START_OBJECT",
                _ => value.ValueKind.ToString().ToUpperInvariant(),
            };
            return CognitoServiceException.Serialization(kind + " can not be converted to " + expected + " (member '" + where + "')");
        }

        private static string CamelCase(string name) =>
            name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);

        private static void CollectViolations(ModelShape shape, JsonElement value, string? path, List<string> errors)
        {
            if (shape.Type != "structure") return;
            foreach (ModelMember m in shape.Members)
            {
                string memberPath = path is null ? CamelCase(m.Name) : path + "." + CamelCase(m.Name);
                bool present = value.TryGetProperty(m.Name, out JsonElement v) && v.ValueKind != JsonValueKind.Null;
                if (!present)
                {
                    if (shape.Required.Contains(m.Name))
                    {
                        errors.Add("Value null at '" + memberPath + "' failed to satisfy constraint: Member must not be null");
                    }
                    continue;
                }
                ModelShape ms = m.Shape;
                switch (ms.Type)
                {
                    case "string":
                        CheckString(ms, v.GetString()!, memberPath, errors);
                        break;
                    case "integer":
                    case "long":
                        CheckNumber(ms, v.GetInt64(), memberPath, errors);
                        break;
                    case "structure":
                        CollectViolations(ms, v, memberPath, errors);
                        break;
                    case "list":
                        {
                            int count = v.GetArrayLength();
                            string shown = ms.Sensitive ? "Value at '" : "Value '" + v.GetRawText() + "' at '";
                            if (ms.Min.HasValue && count < ms.Min.Value)
                            {
                                errors.Add(shown + memberPath + "' failed to satisfy constraint: Member must have length greater than or equal to " + ms.Min.Value.ToString(CultureInfo.InvariantCulture));
                            }
                            if (ms.Max.HasValue && count > ms.Max.Value)
                            {
                                errors.Add(shown + memberPath + "' failed to satisfy constraint: Member must have length less than or equal to " + ms.Max.Value.ToString(CultureInfo.InvariantCulture));
                            }
                            break;
                        }
                    default:
                        break;
                }
            }
        }

        private static void CheckString(ModelShape shape, string value, string path, List<string> errors)
        {
            string prefix = shape.Sensitive
                ? "Value at '" + path + "' failed to satisfy constraint: "
                : "Value '" + value + "' at '" + path + "' failed to satisfy constraint: ";
            if (shape.Enum != null && !Contains(shape.Enum, value))
            {
                errors.Add(prefix + "Member must satisfy enum value set: [" + string.Join(", ", shape.Enum) + "]");
            }
            JavaPattern? pattern = shape.CompiledPattern;
            if (pattern != null && !pattern.IsFullMatch(value))
            {
                errors.Add(prefix + "Member must satisfy regular expression pattern: " + pattern.Source);
            }
            int length = CodePoints.Count(value);
            if (shape.Min.HasValue && length < shape.Min.Value)
            {
                errors.Add(prefix + "Member must have length greater than or equal to " + shape.Min.Value.ToString(CultureInfo.InvariantCulture));
            }
            if (shape.Max.HasValue && length > shape.Max.Value)
            {
                errors.Add(prefix + "Member must have length less than or equal to " + shape.Max.Value.ToString(CultureInfo.InvariantCulture));
            }
        }

        private static bool Contains(IReadOnlyList<string> values, string value)
        {
            foreach (string v in values)
            {
                if (string.Equals(v, value, StringComparison.Ordinal)) return true;
            }
            return false;
        }

        private static void CheckNumber(ModelShape shape, long value, string path, List<string> errors)
        {
            string prefix = "Value '" + value.ToString(CultureInfo.InvariantCulture) + "' at '" + path + "' failed to satisfy constraint: ";
            if (shape.Min.HasValue && value < shape.Min.Value)
            {
                errors.Add(prefix + "Member must have value greater than or equal to " + shape.Min.Value.ToString(CultureInfo.InvariantCulture));
            }
            if (shape.Max.HasValue && value > shape.Max.Value)
            {
                errors.Add(prefix + "Member must have value less than or equal to " + shape.Max.Value.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>A validated request body: typed access to its top-level members.</summary>
    public sealed class ValidatedInput
    {
        private readonly JsonElement _root;

        internal ValidatedInput(JsonElement root) => _root = root;

        public string? GetString(string member) =>
            _root.TryGetProperty(member, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        public int? GetInt32(string member) =>
            _root.TryGetProperty(member, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

        public IReadOnlyList<string>? GetStringList(string member)
        {
            if (!_root.TryGetProperty(member, out JsonElement v) || v.ValueKind != JsonValueKind.Array) return null;
            var list = new List<string>();
            foreach (JsonElement e in v.EnumerateArray()) if (e.ValueKind == JsonValueKind.String) list.Add(e.GetString()!);
            return list;
        }
    }
}

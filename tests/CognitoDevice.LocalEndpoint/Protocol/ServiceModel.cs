using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace CognitoDevice.LocalEndpoint.Protocol
{
    /// <summary>
    /// The botocore cognito-idp model (tests/ServiceModel/service-2.json, embedded at build time),
    /// reduced to what input validation needs: operations and their shapes.
    /// </summary>
    public sealed class ServiceModel
    {
        private static readonly Lazy<ServiceModel> s_cognito = new Lazy<ServiceModel>(LoadEmbedded);
        private readonly Dictionary<string, ModelShape> _shapes = new Dictionary<string, ModelShape>(StringComparer.Ordinal);
        private readonly Dictionary<string, ModelOperation> _operations = new Dictionary<string, ModelOperation>(StringComparer.Ordinal);

        private ServiceModel(JsonElement root)
        {
            JsonElement metadata = root.GetProperty("metadata");
            TargetPrefix = metadata.GetProperty("targetPrefix").GetString() ?? throw new InvalidDataException("targetPrefix");
            foreach (JsonProperty shape in root.GetProperty("shapes").EnumerateObject())
            {
                _shapes[shape.Name] = new ModelShape(this, shape.Name, shape.Value);
            }
            foreach (JsonProperty op in root.GetProperty("operations").EnumerateObject())
            {
                _operations[op.Name] = new ModelOperation(this, op.Name, op.Value);
            }
        }

        /// <summary>The model embedded in this assembly.</summary>
        public static ServiceModel Cognito => s_cognito.Value;

        public string TargetPrefix { get; }

        public IReadOnlyDictionary<string, ModelShape> Shapes => _shapes;

        public IReadOnlyDictionary<string, ModelOperation> Operations => _operations;

        public ModelShape Shape(string name) =>
            _shapes.TryGetValue(name, out ModelShape? s) ? s : throw new KeyNotFoundException("Shape " + name);

        public static ServiceModel Load(Stream json)
        {
            using JsonDocument doc = JsonDocument.Parse(json);
            return new ServiceModel(doc.RootElement);
        }

        private static ServiceModel LoadEmbedded()
        {
            const string name = "CognitoDevice.LocalEndpoint.service-2.json";
            using Stream stream = typeof(ServiceModel).Assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException("Embedded resource " + name + " is missing.");
            return Load(stream);
        }
    }

    public sealed class ModelOperation
    {
        internal ModelOperation(ServiceModel model, string name, JsonElement op)
        {
            Name = name;
            InputShape = op.TryGetProperty("input", out JsonElement input) ? model.Shape(input.GetProperty("shape").GetString()!) : null;
            HasOutput = op.TryGetProperty("output", out _);
            var errors = new List<string>();
            if (op.TryGetProperty("errors", out JsonElement errs))
            {
                foreach (JsonElement e in errs.EnumerateArray()) errors.Add(e.GetProperty("shape").GetString()!);
            }
            Errors = errors;
            bool noAuth = false;
            if (op.TryGetProperty("authtype", out JsonElement authtype) && authtype.GetString() == "none") noAuth = true;
            RequiresSigV4 = !noAuth;
        }

        public string Name { get; }

        public ModelShape? InputShape { get; }

        public bool HasOutput { get; }

        public IReadOnlyList<string> Errors { get; }

        public bool RequiresSigV4 { get; }
    }

    public sealed class ModelMember
    {
        private readonly ServiceModel _model;

        internal ModelMember(ServiceModel model, string name, string shapeName)
        {
            _model = model;
            Name = name;
            ShapeName = shapeName;
        }

        public string Name { get; }

        public string ShapeName { get; }

        public ModelShape Shape => _model.Shape(ShapeName);
    }

    public sealed class ModelShape
    {
        private readonly ServiceModel _model;
        private readonly string? _listMemberShape;
        private JavaPattern? _compiled;

        internal ModelShape(ServiceModel model, string name, JsonElement shape)
        {
            _model = model;
            Name = name;
            Type = shape.GetProperty("type").GetString() ?? "";
            if (shape.TryGetProperty("min", out JsonElement min)) Min = min.GetInt64();
            if (shape.TryGetProperty("max", out JsonElement max)) Max = max.GetInt64();
            if (shape.TryGetProperty("pattern", out JsonElement pattern)) Pattern = pattern.GetString();
            if (shape.TryGetProperty("sensitive", out JsonElement sensitive)) Sensitive = sensitive.GetBoolean();
            if (shape.TryGetProperty("enum", out JsonElement en))
            {
                var values = new List<string>();
                foreach (JsonElement v in en.EnumerateArray()) values.Add(v.GetString()!);
                Enum = values;
            }
            var members = new List<ModelMember>();
            if (shape.TryGetProperty("members", out JsonElement ms))
            {
                foreach (JsonProperty m in ms.EnumerateObject())
                {
                    members.Add(new ModelMember(model, m.Name, m.Value.GetProperty("shape").GetString()!));
                }
            }
            Members = members;
            var required = new HashSet<string>(StringComparer.Ordinal);
            if (shape.TryGetProperty("required", out JsonElement req))
            {
                foreach (JsonElement r in req.EnumerateArray()) required.Add(r.GetString()!);
            }
            Required = required;
            if (shape.TryGetProperty("member", out JsonElement listMember))
            {
                _listMemberShape = listMember.GetProperty("shape").GetString();
            }
        }

        public string Name { get; }

        /// <summary>structure, string, integer, long, boolean, list, map, timestamp, ...</summary>
        public string Type { get; }

        public long? Min { get; }

        public long? Max { get; }

        public string? Pattern { get; }

        public bool Sensitive { get; }

        public IReadOnlyList<string>? Enum { get; }

        public IReadOnlyList<ModelMember> Members { get; }

        public IReadOnlySet<string> Required { get; }

        public ModelShape? ListMember => _listMemberShape is null ? null : _model.Shape(_listMemberShape);

        /// <summary>The compiled Java pattern (compiled on first use).</summary>
        public JavaPattern? CompiledPattern
        {
            get
            {
                if (Pattern is null) return null;
                return _compiled ??= JavaPattern.Compile(Pattern);
            }
        }
    }
}

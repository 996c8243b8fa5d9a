using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using CognitoDevice.LocalEndpoint.Protocol;
using Microsoft.AspNetCore.Http;

namespace CognitoDevice.LocalEndpoint.Control
{
    /// <summary>
    /// JSON control API under /_local/ (no SigV4): set up pools, users, devices and tokens,
    /// inject faults, read the request log, reset. Errors: 400/404 {"error":"..."}.
    /// </summary>
    internal sealed partial class ControlApi
    {
        private readonly LocalCognito _owner;

        public ControlApi(LocalCognito owner) => _owner = owner;

        private CognitoState State => _owner.State;

        private sealed class ControlException : Exception
        {
            public ControlException(int status, string message)
                : base(message) => Status = status;

            public int Status { get; }
        }

        public async Task HandleAsync(HttpContext ctx)
        {
            string path = (ctx.Request.Path.Value ?? "").TrimEnd('/');
            string method = ctx.Request.Method;
            int status = 200;
            byte[] response;
            try
            {
                JsonElement input = await ReadJsonAsync(ctx).ConfigureAwait(false);
                response = (method, path) switch
                {
                    ("POST", "/_local/pools") => CreatePool(input),
                    ("POST", "/_local/users") => CreateUser(input),
                    ("POST", "/_local/devices") => AddDevices(input),
                    ("POST", "/_local/tokens") => IssueToken(input),
                    ("POST", "/_local/revoke") => Revoke(input),
                    ("POST", "/_local/faults") => AddFault(input),
                    ("DELETE", "/_local/faults") => ClearFaults(),
                    ("GET", "/_local/faults") => ListFaults(),
                    ("GET", "/_local/requests") => await ListRequestsAsync().ConfigureAwait(false),
                    ("DELETE", "/_local/requests") => ClearRequests(),
                    ("POST", "/_local/reset") => Reset(),
                    ("GET", "/_local/state") => DescribeState(),
                    ("GET", "/_local/quotas") => DescribeQuotas(),
                    ("POST", "/_local/quotas") => SetQuotas(input),
                    ("POST", "/_local/latency") => SetLatency(input),
                    ("POST", "/_local/seed") => SeedUsers(input),
                    _ => throw new ControlException(404, "No control endpoint " + method + " " + path + ". See tests/CognitoDevice.LocalEndpoint/README.md."),
                };
            }
            catch (ControlException e)
            {
                status = e.Status;
                response = ErrorJson(e.Message);
            }
            catch (InvalidOperationException e)
            {
                status = 409;
                response = ErrorJson(e.Message);
            }
            catch (ArgumentException e)
            {
                status = 400;
                response = ErrorJson(e.Message);
            }
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/json";
            ctx.Response.ContentLength = response.Length;
            await ctx.Response.Body.WriteAsync(response, ctx.RequestAborted).ConfigureAwait(false);
        }

        private static byte[] ErrorJson(string message) => AwsJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("error", message);
            w.WriteEndObject();
        });

        private static async Task<JsonElement> ReadJsonAsync(HttpContext ctx)
        {
            using var buffer = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted).ConfigureAwait(false);
            if (buffer.Length == 0 || buffer.ToArray().All(b => b == ' ' || b == '\r' || b == '\n' || b == '\t'))
            {
                using JsonDocument empty = JsonDocument.Parse("{}");
                return empty.RootElement.Clone();
            }
            try
            {
                using JsonDocument doc = JsonDocument.Parse(buffer.ToArray());
                if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new ControlException(400, "Expected a JSON object.");
                return doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new ControlException(400, "Body is not valid JSON: " + e.Message);
            }
        }

        // ------------------------------------------------------------------ input helpers (case-insensitive names)

        private static bool TryGet(JsonElement input, string name, out JsonElement value)
        {
            foreach (JsonProperty p in input.EnumerateObject())
            {
                if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind != JsonValueKind.Null)
                {
                    value = p.Value;
                    return true;
                }
            }
            value = default;
            return false;
        }

        private static string? OptString(JsonElement input, string name)
        {
            if (!TryGet(input, name, out JsonElement v)) return null;
            if (v.ValueKind != JsonValueKind.String) throw new ControlException(400, "'" + name + "' must be a string.");
            return v.GetString();
        }

        private static string ReqString(JsonElement input, string name) =>
            OptString(input, name) ?? throw new ControlException(400, "'" + name + "' is required.");

        private static bool? OptBool(JsonElement input, string name)
        {
            if (!TryGet(input, name, out JsonElement v)) return null;
            if (v.ValueKind == JsonValueKind.True) return true;
            if (v.ValueKind == JsonValueKind.False) return false;
            throw new ControlException(400, "'" + name + "' must be true or false.");
        }

        private static double? OptNumber(JsonElement input, string name)
        {
            if (!TryGet(input, name, out JsonElement v)) return null;
            if (v.ValueKind != JsonValueKind.Number) throw new ControlException(400, "'" + name + "' must be a number.");
            return v.GetDouble();
        }

        private static int? OptInt(JsonElement input, string name)
        {
            if (!TryGet(input, name, out JsonElement v)) return null;
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int i)) throw new ControlException(400, "'" + name + "' must be an integer.");
            return i;
        }

        private UserPool Pool(JsonElement input)
        {
            string poolId = ReqString(input, "poolId");
            return State.FindPool(poolId) ?? throw new ControlException(404, "User pool " + poolId + " does not exist.");
        }

        private PoolUser User(JsonElement input)
        {
            UserPool pool = Pool(input);
            string username = ReqString(input, "username");
            return State.FindUser(pool, username) ?? throw new ControlException(404, "User " + username + " does not exist in " + pool.Id + ".");
        }

        // ------------------------------------------------------------------ endpoints

        private byte[] CreatePool(JsonElement input)
        {
            UserPool pool = State.CreatePool(
                OptString(input, "region") ?? "us-east-1",
                OptString(input, "poolId"),
                OptBool(input, "deviceTrackingEnabled") ?? true,
                OptBool(input, "wafBlocksRequests") ?? false);
            return AwsJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("poolId", pool.Id);
                w.WriteString("region", pool.Region);
                w.WriteEndObject();
            });
        }

        private byte[] CreateUser(JsonElement input)
        {
            UserPool pool = Pool(input);
            UserState state = UserState.Confirmed;
            string? stateText = OptString(input, "state");
            if (stateText != null && !Enum.TryParse(stateText, ignoreCase: true, out state))
            {
                throw new ControlException(400, "'state' must be one of " + string.Join(", ", Enum.GetNames<UserState>()) + ".");
            }
            PoolUser user = State.CreateUser(pool, ReqString(input, "username"), state);
            if (OptString(input, "email") is string email) State.SetUserAttribute(user, "email", email);
            return AwsJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("poolId", pool.Id);
                w.WriteString("username", user.Username);
                w.WriteString("sub", user.Sub);
                w.WriteString("state", user.State.ToString());
                w.WriteEndObject();
            });
        }

        private byte[] AddDevices(JsonElement input)
        {
            PoolUser user = User(input);
            IReadOnlyList<StoredDevice> devices;
            int? count = OptInt(input, "count");
            if (count.HasValue)
            {
                if (count.Value < 0 || count.Value > 100_000) throw new ControlException(400, "'count' must be 0..100000.");
                devices = State.SeedDevices(user, count.Value, OptInt(input, "seed") ?? 1);
            }
            else
            {
                double? daysAgo = OptNumber(input, "lastAuthenticatedDaysAgo");
                DateTime? lastAuthenticated = daysAgo.HasValue ? DateTime.UtcNow.AddDays(-daysAgo.Value) : null;
                devices = new[]
                {
                    State.AddDevice(user, OptString(input, "deviceKey"), OptString(input, "name"), OptString(input, "lastIp"),
                        created: lastAuthenticated, lastAuthenticated: lastAuthenticated, remembered: OptBool(input, "remembered") ?? true),
                };
            }
            return AwsJson.Write(w =>
            {
                w.WriteStartObject();
                w.WritePropertyName("deviceKeys");
                w.WriteStartArray();
                foreach (StoredDevice d in devices) w.WriteStringValue(d.DeviceKey);
                w.WriteEndArray();
                w.WriteEndObject();
            });
        }

        private byte[] IssueToken(JsonElement input)
        {
            PoolUser user = User(input);
            double? seconds = OptNumber(input, "lifetimeSeconds");
            string token = State.IssueAccessToken(user, seconds.HasValue ? TimeSpan.FromSeconds(seconds.Value) : null,
                OptBool(input, "issuerForm") ?? false);
            return AwsJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("AccessToken", token);
                w.WriteEndObject();
            });
        }

        private byte[] Revoke(JsonElement input)
        {
            State.RevokeTokens(User(input));
            return Encoding.UTF8.GetBytes("{}");
        }

        private byte[] AddFault(JsonElement input)
        {
            string kindText = ReqString(input, "kind");
            if (!Enum.TryParse(kindText, ignoreCase: true, out FaultKind kind) || int.TryParse(kindText, out _))
            {
                throw new ControlException(400, "'kind' must be one of " + string.Join(", ", Enum.GetNames<FaultKind>()) + ".");
            }
            int count = OptInt(input, "count") ?? 1;
            if (count < 1) throw new ControlException(400, "'count' must be at least 1.");
            int? delayMs = OptInt(input, "delayMs");
            if (kind == FaultKind.Delay && delayMs is null) throw new ControlException(400, "'delayMs' is required for Delay.");
            var rule = new FaultRule
            {
                Kind = kind,
                Count = count,
                Operation = OptString(input, "operation"),
                DeviceKey = OptString(input, "deviceKey"),
                StatusCode = OptInt(input, "status") ?? 502,
                Body = OptString(input, "body"),
                ContentType = OptString(input, "contentType"),
                DelayDuration = TimeSpan.FromMilliseconds(delayMs ?? 0),
            };
            _owner.Faults.Add(rule);
            return ListFaults();
        }

        private byte[] ClearFaults()
        {
            _owner.Faults.Clear();
            return Encoding.UTF8.GetBytes("{}");
        }

        private byte[] ListFaults() => AwsJson.Write(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("faults");
            w.WriteStartArray();
            foreach (FaultRule r in _owner.Faults.Pending)
            {
                w.WriteStartObject();
                w.WriteString("kind", r.Kind.ToString());
                w.WriteNumber("remaining", r.Remaining);
                if (r.Operation != null) w.WriteString("operation", r.Operation);
                if (r.DeviceKey != null) w.WriteString("deviceKey", r.DeviceKey);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });

        private byte[] ListRequests() => AwsJson.Write(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("requests");
            w.WriteStartArray();
            foreach (RecordedRequest r in _owner.Requests.Snapshot())
            {
                w.WriteStartObject();
                w.WriteNumber("sequence", r.Sequence);
                w.WriteString("utcTime", r.UtcTime.ToString("O", CultureInfo.InvariantCulture));
                w.WriteString("method", r.Method);
                w.WriteString("path", r.Path);
                if (r.Operation != null) w.WriteString("operation", r.Operation); else w.WriteNull("operation");
                w.WriteString("connectionId", r.ConnectionId);
                w.WriteNumber("statusCode", r.StatusCode);
                if (r.ErrorCode != null) w.WriteString("errorCode", r.ErrorCode); else w.WriteNull("errorCode");
                if (r.Fault != null) w.WriteString("fault", r.Fault.Value.ToString()); else w.WriteNull("fault");
                w.WriteBoolean("clientAborted", r.ClientAborted);
                w.WriteNumber("elapsedMs", Math.Round(r.ElapsedMs, 3));
                w.WritePropertyName("headers");
                w.WriteStartObject();
                foreach (KeyValuePair<string, string> h in r.Headers) w.WriteString(h.Key, h.Value);
                w.WriteEndObject();
                w.WriteString("body", RedactBody(r.Body));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });

        /// <summary>The HTTP view of the log never shows access tokens.</summary>
        internal static string RedactBody(string body)
        {
            try
            {
                using JsonDocument doc = JsonDocument.Parse(body);
                if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("AccessToken", out _)) return body;
                return Encoding.UTF8.GetString(AwsJson.Write(w =>
                {
                    w.WriteStartObject();
                    foreach (JsonProperty p in doc.RootElement.EnumerateObject())
                    {
                        if (p.NameEquals("AccessToken")) w.WriteString("AccessToken", "<redacted>");
                        else p.WriteTo(w);
                    }
                    w.WriteEndObject();
                }));
            }
            catch (JsonException)
            {
                return body.Contains("AccessToken", StringComparison.Ordinal) ? "<redacted: unparsable body mentioning AccessToken>" : body;
            }
        }

        private byte[] ClearRequests()
        {
            _owner.Requests.Clear();
            return Encoding.UTF8.GetBytes("{}");
        }

        private byte[] Reset()
        {
            State.Reset();
            ResetConditions();
            _owner.Faults.Clear();
            _owner.Requests.Clear();
            return Encoding.UTF8.GetBytes("{}");
        }

        private byte[] DescribeState() => AwsJson.Write(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("pools");
            w.WriteStartArray();
            foreach (UserPool pool in State.Pools.OrderBy(p => p.Id, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("poolId", pool.Id);
                w.WriteString("region", pool.Region);
                w.WriteBoolean("deviceTrackingEnabled", pool.DeviceTrackingEnabled);
                w.WriteBoolean("wafBlocksRequests", pool.WafBlocksRequests);
                w.WritePropertyName("users");
                w.WriteStartArray();
                foreach (PoolUser user in State.Users(pool).OrderBy(u => u.Username, StringComparer.Ordinal))
                {
                    w.WriteStartObject();
                    w.WriteString("username", user.Username);
                    w.WriteString("sub", user.Sub);
                    w.WriteString("state", user.State.ToString());
                    w.WritePropertyName("devices");
                    w.WriteStartArray();
                    foreach (StoredDevice d in State.Devices(user))
                    {
                        w.WriteStartObject();
                        w.WriteString("deviceKey", d.DeviceKey);
                        if (d.DeviceName != null) w.WriteString("deviceName", d.DeviceName);
                        w.WriteString("rememberedStatus", d.DeviceRememberedStatus);
                        w.WriteString("lastAuthenticatedDate", d.DeviceLastAuthenticatedDate.ToString("O", CultureInfo.InvariantCulture));
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CognitoDevice.LocalEndpoint.Protocol;

namespace CognitoDevice.LocalEndpoint
{
    /// <summary>
    /// In-memory pools, users, devices and tokens of one <see cref="LocalCognito"/>. Thread-safe:
    /// every read and write goes through one lock, so a request sees a consistent state.
    /// </summary>
    public sealed partial class CognitoState
    {
        private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        private static readonly DateTime UnixEpoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        private readonly object _gate = new object();
        private readonly Dictionary<string, UserPool> _pools = new Dictionary<string, UserPool>(StringComparer.Ordinal);
        private readonly Dictionary<string, PoolUser> _usersBySub = new Dictionary<string, PoolUser>(StringComparer.Ordinal);
        private readonly HashSet<string> _deviceKeys = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _revokedTokenIds = new HashSet<string>(StringComparer.Ordinal);
        private readonly byte[] _tokenKey = RandomNumberGenerator.GetBytes(32);
        private readonly byte[] _paginationKey = RandomNumberGenerator.GetBytes(32);
        private readonly Func<DateTime> _clock;

        internal CognitoState(Func<DateTime>? clock = null)
        {
            _clock = clock ?? (() => DateTime.UtcNow);
        }

        internal DateTime UtcNow => TruncateToMilliseconds(_clock());

        // ------------------------------------------------------------------ pools and users

        public UserPool CreatePool(string region = "us-east-1", string? poolId = null, bool deviceTrackingEnabled = true, bool wafBlocksRequests = false)
        {
            if (string.IsNullOrEmpty(region)) throw new ArgumentException("A region is required.", nameof(region));
            lock (_gate)
            {
                string id = poolId ?? region + "_" + RandomString(Alphanumerics, 9);
                if (_pools.ContainsKey(id)) throw new InvalidOperationException("User pool " + id + " already exists.");
                var pool = new UserPool(_gate, id, region, RandomString("abcdefghijklmnopqrstuvwxyz0123456789", 26), deviceTrackingEnabled, wafBlocksRequests);
                _pools.Add(id, pool);
                return pool;
            }
        }

        public PoolUser CreateUser(UserPool pool, string username, UserState state = UserState.Confirmed)
        {
            if (pool is null) throw new ArgumentNullException(nameof(pool));
            if (string.IsNullOrEmpty(username)) throw new ArgumentException("A username is required.", nameof(username));
            lock (_gate)
            {
                if (pool.Deleted) throw new InvalidOperationException("User pool " + pool.Id + " was deleted.");
                if (pool.Users.ContainsKey(username)) throw new InvalidOperationException("User " + username + " already exists in " + pool.Id + ".");
                var user = new PoolUser(_gate, pool, username, Guid.NewGuid().ToString("D"), state);
                pool.Users.Add(username, user);
                _usersBySub.Add(user.Sub, user);
                return user;
            }
        }

        public UserPool? FindPool(string poolId)
        {
            lock (_gate) return _pools.TryGetValue(poolId, out UserPool? p) ? p : null;
        }

        /// <summary>Finds a user by username (case-sensitive) or by sub.</summary>
        public PoolUser? FindUser(UserPool pool, string usernameOrSub)
        {
            lock (_gate) return FindUserLocked(pool, usernameOrSub);
        }

        public IReadOnlyList<UserPool> Pools
        {
            get { lock (_gate) return _pools.Values.ToList(); }
        }

        public IReadOnlyList<PoolUser> Users(UserPool pool)
        {
            lock (_gate) return pool.Users.Values.ToList();
        }

        public void DeleteUser(PoolUser user)
        {
            if (user is null) throw new ArgumentNullException(nameof(user));
            lock (_gate) DeleteUserLocked(user);
        }

        public void DeletePool(UserPool pool)
        {
            if (pool is null) throw new ArgumentNullException(nameof(pool));
            lock (_gate)
            {
                foreach (PoolUser u in pool.Users.Values.ToList()) DeleteUserLocked(u);
                pool.Deleted = true;
                if (_pools.TryGetValue(pool.Id, out UserPool? current) && ReferenceEquals(current, pool)) _pools.Remove(pool.Id);
            }
        }

        /// <summary>Removes every pool, user, device and token (POST /_local/reset).</summary>
        public void Reset()
        {
            lock (_gate)
            {
                foreach (UserPool p in _pools.Values.ToList())
                {
                    foreach (PoolUser u in p.Users.Values.ToList()) DeleteUserLocked(u);
                    p.Deleted = true;
                }
                _pools.Clear();
                _usersBySub.Clear();
                _deviceKeys.Clear();
                _revokedTokenIds.Clear();
            }
        }

        // ------------------------------------------------------------------ devices

        public StoredDevice AddDevice(PoolUser user, string? deviceKey = null, string? name = null, string? lastIp = null,
            DateTime? created = null, DateTime? lastModified = null, DateTime? lastAuthenticated = null, bool remembered = true)
        {
            if (user is null) throw new ArgumentNullException(nameof(user));
            lock (_gate)
            {
                if (user.Deleted) throw new InvalidOperationException("User " + user + " was deleted.");
                string key = deviceKey ?? NewDeviceKeyLocked(user.Pool.Region, null);
                if (!_deviceKeys.Add(key)) throw new InvalidOperationException("Device key " + key + " already exists.");
                DateTime c = TruncateToMilliseconds(created ?? UtcNow);
                DateTime m = TruncateToMilliseconds(lastModified ?? c);
                DateTime a = TruncateToMilliseconds(lastAuthenticated ?? m);
                var device = new StoredDevice(_gate, user, key, name, lastIp, c, m, a, remembered);
                user.Devices.Add(key, device);
                return device;
            }
        }

        private static readonly string[] s_deviceNames =
        {
            "Chrome 120 on Windows 11",
            "Safari on iPhone",
            "Firefox 121 on Ubuntu 22.04",
            "Edge 120 on Windows 10",
            "Safari 17 on macOS Sonoma",
            "Chrome 119 on Android 14",
            "Samsung Internet on Galaxy S23",
            "Safari on iPad",
            "Chrome 118 on macOS",
            "Firefox 115 ESR on Windows 10",
            "Opera 105 on Windows 11",
            "Chrome on ChromeOS",
            "Amazon Silk on Fire HD 10",
            "Jürgen's iPhone 15",
            "Pixel 8 📱",
            "Brave 1.61 on Linux",
        };

        /// <summary>
        /// Adds <paramref name="count"/> realistic devices: names from a list of browsers and phones
        /// (two with non-ASCII text), IPs in 203.0.113.0/24 and 198.51.100.0/24, creation dates
        /// spread over the last 400 days (relative to now), about 70 % remembered. The sequence of
        /// names, IPs, date offsets, statuses and keys is deterministic for a seed (a key already
        /// taken is skipped, so seeding twice with one seed still gives unique keys).
        /// </summary>
        public IReadOnlyList<StoredDevice> SeedDevices(PoolUser user, int count, int seed = 1)
        {
            if (user is null) throw new ArgumentNullException(nameof(user));
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
            var rnd = new Random(seed);
            var result = new List<StoredDevice>(count);
            lock (_gate)
            {
                if (user.Deleted) throw new InvalidOperationException("User " + user + " was deleted.");
                DateTime now = UtcNow;
                for (int i = 0; i < count; i++)
                {
                    string key = NewDeviceKeyLocked(user.Pool.Region, rnd);
                    string name = s_deviceNames[rnd.Next(s_deviceNames.Length)];
                    string ip = (rnd.Next(2) == 0 ? "203.0.113." : "198.51.100.") + rnd.Next(1, 255).ToString(CultureInfo.InvariantCulture);
                    long ageMs = (long)(rnd.NextDouble() * TimeSpan.FromDays(400).TotalMilliseconds);
                    DateTime created = now.AddMilliseconds(-ageMs);
                    DateTime lastAuth = created.AddMilliseconds((long)(rnd.NextDouble() * ageMs));
                    DateTime lastModified = created.AddMilliseconds((long)((lastAuth - created).TotalMilliseconds * rnd.NextDouble()));
                    bool remembered = rnd.NextDouble() < 0.7;
                    _deviceKeys.Add(key);
                    var device = new StoredDevice(_gate, user, key, name, ip, TruncateToMilliseconds(created),
                        TruncateToMilliseconds(lastModified), TruncateToMilliseconds(lastAuth), remembered);
                    user.Devices.Add(key, device);
                    result.Add(device);
                }
            }
            return result;
        }

        public StoredDevice? FindDevice(PoolUser user, string deviceKey)
        {
            if (user is null) throw new ArgumentNullException(nameof(user));
            lock (_gate) return user.Devices.TryGetValue(deviceKey, out StoredDevice? d) ? d : null;
        }

        /// <summary>The user's devices in listing order (ordinal by device key).</summary>
        public IReadOnlyList<StoredDevice> Devices(PoolUser user)
        {
            if (user is null) throw new ArgumentNullException(nameof(user));
            lock (_gate) return user.Devices.Values.ToList();
        }

        /// <summary>Removes a device directly (what ForgetDevice does); false when it is not the user's.</summary>
        public bool RemoveDevice(PoolUser user, string deviceKey)
        {
            if (user is null) throw new ArgumentNullException(nameof(user));
            lock (_gate) return RemoveDeviceLocked(user, deviceKey);
        }

        // ------------------------------------------------------------------ tokens

        /// <summary>
        /// Issues an HS256 access token shaped like Cognito's. <paramref name="lifetime"/> defaults to
        /// one hour; a negative lifetime gives an already expired token. With
        /// <paramref name="issuerForm"/> the iss claim uses the issuer-cognito-idp host form.
        /// </summary>
        public string IssueAccessToken(PoolUser user, TimeSpan? lifetime = null, bool issuerForm = false) =>
            IssueToken(user, "access", lifetime ?? TimeSpan.FromHours(1), issuerForm);

        /// <summary>An ID token (token_use "id", validly signed): token operations reject it as "Invalid Access Token".</summary>
        public string IssueIdToken(PoolUser user) => IssueToken(user, "id", TimeSpan.FromHours(1), false);

        /// <summary>GlobalSignOut: every token issued so far for the user answers "Access Token has been revoked".</summary>
        public void RevokeTokens(PoolUser user)
        {
            if (user is null) throw new ArgumentNullException(nameof(user));
            lock (_gate)
            {
                foreach (string id in user.ActiveTokenIds) _revokedTokenIds.Add(id);
                user.RevokedTokenIds.UnionWith(user.ActiveTokenIds);
                user.ActiveTokenIds.Clear();
            }
        }

        private string IssueToken(PoolUser user, string tokenUse, TimeSpan lifetime, bool issuerForm)
        {
            if (user is null) throw new ArgumentNullException(nameof(user));
            DateTime now = UtcNow;
            long nowSeconds = ToUnixSeconds(now);
            long exp = nowSeconds + (long)Math.Round(lifetime.TotalSeconds);
            long iat = lifetime > TimeSpan.Zero ? nowSeconds : exp - 3600;
            string originJti = Guid.NewGuid().ToString("D");
            string host = issuerForm ? "issuer-cognito-idp" : "cognito-idp";
            string iss = "https://" + host + "." + user.Pool.Region + ".amazonaws.com/" + user.Pool.Id;

            var buffer = new System.IO.MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                w.WriteString("sub", user.Sub);
                w.WriteString("iss", iss);
                w.WriteString("client_id", user.Pool.ClientId);
                w.WriteString("origin_jti", originJti);
                w.WriteString("event_id", Guid.NewGuid().ToString("D"));
                w.WriteString("token_use", tokenUse);
                w.WriteString("scope", "aws.cognito.signin.user.admin");
                w.WriteNumber("auth_time", iat);
                w.WriteNumber("exp", exp);
                w.WriteNumber("iat", iat);
                w.WriteString("jti", Guid.NewGuid().ToString("D"));
                w.WriteString("username", user.Username);
                w.WriteEndObject();
            }
            string header = Base64Url.Encode(Encoding.UTF8.GetBytes("{\"kid\":\"local-1\",\"alg\":\"HS256\"}"));
            string payload = Base64Url.Encode(buffer.ToArray());
            string signingInput = header + "." + payload;
            string signature = Base64Url.Encode(HMACSHA256.HashData(_tokenKey, Encoding.ASCII.GetBytes(signingInput)));
            lock (_gate) user.ActiveTokenIds.Add(originJti);
            return signingInput + "." + signature;
        }

        /// <summary>
        /// Checks an access token the way the token operations do and returns its user. Order:
        /// malformed / bad signature / not an access token, WAF, expired, revoked, pool deleted,
        /// user deleted, user disabled / unconfirmed / reset required.
        /// </summary>
        internal PoolUser ResolveAccessToken(string? token)
        {
            if (string.IsNullOrEmpty(token)) throw CognitoServiceException.NotAuthorized("Invalid Access Token");
            TokenClaims claims = ParseAndVerify(token) ?? throw CognitoServiceException.NotAuthorized("Invalid Access Token");
            lock (_gate)
            {
                _pools.TryGetValue(claims.PoolId, out UserPool? pool);
                if (pool != null && pool.WafBlocksRequests)
                {
                    throw new CognitoServiceException(ErrorCodes.Forbidden, "Request blocked by AWS WAF.");
                }
                if (claims.Exp <= ToUnixSeconds(UtcNow)) throw CognitoServiceException.NotAuthorized("Access Token has expired");
                if (_revokedTokenIds.Contains(claims.OriginJti)) throw CognitoServiceException.NotAuthorized("Access Token has been revoked");
                if (pool is null) throw new CognitoServiceException(ErrorCodes.ResourceNotFound, "User pool " + claims.PoolId + " does not exist.");
                if (!_usersBySub.TryGetValue(claims.Sub, out PoolUser? user) || user.Deleted || !ReferenceEquals(user.Pool, pool))
                {
                    throw new CognitoServiceException(ErrorCodes.UserNotFound, "User does not exist.");
                }
                CheckUserStateLocked(user);
                return user;
            }
        }

        private void CheckUserStateLocked(PoolUser user)
        {
            switch (user.State)
            {
                case UserState.Disabled:
                    throw CognitoServiceException.NotAuthorized("User is disabled.");
                case UserState.Unconfirmed:
                    throw new CognitoServiceException(ErrorCodes.UserNotConfirmed, "User is not confirmed.");
                case UserState.ResetRequired:
                    throw new CognitoServiceException(ErrorCodes.PasswordResetRequired, "Password reset required for the user");
            }
        }

        private sealed record TokenClaims(string Sub, string PoolId, string OriginJti, long Exp);

        private TokenClaims? ParseAndVerify(string token)
        {
            string[] parts = token.Split('.');
            if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || parts[2].Length == 0) return null;
            byte[]? headerBytes = Base64Url.TryDecode(parts[0]);
            byte[]? payloadBytes = Base64Url.TryDecode(parts[1]);
            byte[]? signature = Base64Url.TryDecode(parts[2]);
            if (headerBytes is null || payloadBytes is null || signature is null) return null;
            byte[] expected = HMACSHA256.HashData(_tokenKey, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
            if (!CryptographicOperations.FixedTimeEquals(expected, signature)) return null;
            try
            {
                using JsonDocument header = JsonDocument.Parse(headerBytes);
                if (header.RootElement.ValueKind != JsonValueKind.Object ||
                    !header.RootElement.TryGetProperty("alg", out JsonElement alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "HS256")
                {
                    return null;
                }
                using JsonDocument payload = JsonDocument.Parse(payloadBytes);
                JsonElement p = payload.RootElement;
                if (p.ValueKind != JsonValueKind.Object) return null;
                string? tokenUse = p.TryGetProperty("token_use", out JsonElement tu) && tu.ValueKind == JsonValueKind.String ? tu.GetString() : null;
                if (tokenUse != "access") return null;
                string? sub = p.TryGetProperty("sub", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                string? iss = p.TryGetProperty("iss", out JsonElement i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
                string? jti = p.TryGetProperty("origin_jti", out JsonElement o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
                if (sub is null || iss is null || jti is null) return null;
                if (!p.TryGetProperty("exp", out JsonElement e) || e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long exp)) return null;
                string? poolId = PoolIdFromIssuer(iss);
                if (poolId is null) return null;
                return new TokenClaims(sub, poolId, jti, exp);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static string? PoolIdFromIssuer(string iss)
        {
            foreach (string prefix in new[] { "https://cognito-idp.", "https://issuer-cognito-idp." })
            {
                if (!iss.StartsWith(prefix, StringComparison.Ordinal)) continue;
                string rest = iss.Substring(prefix.Length);
                int slash = rest.IndexOf(".amazonaws.com/", StringComparison.Ordinal);
                if (slash <= 0) return null;
                string poolId = rest.Substring(slash + ".amazonaws.com/".Length);
                return poolId.Length == 0 || poolId.Contains('/') ? null : poolId;
            }
            return null;
        }

        // ------------------------------------------------------------------ operations (service side)

        /// <summary>Admin operations: the pool, then the user (by username or sub).</summary>
        internal PoolUser ResolveAdminUser(string poolId, string username)
        {
            lock (_gate)
            {
                if (!_pools.TryGetValue(poolId, out UserPool? pool))
                {
                    throw new CognitoServiceException(ErrorCodes.ResourceNotFound, "User pool " + poolId + " does not exist.");
                }
                return FindUserLocked(pool, username) ?? throw new CognitoServiceException(ErrorCodes.UserNotFound, "User does not exist.");
            }
        }

        private static void CheckTracking(PoolUser user)
        {
            if (!user.Pool.DeviceTrackingEnabled)
            {
                throw new CognitoServiceException(ErrorCodes.InvalidUserPoolConfiguration, "Device tracking is not enabled for this user pool.");
            }
        }

        private static CognitoServiceException DeviceNotFound() =>
            new CognitoServiceException(ErrorCodes.ResourceNotFound, "Device does not exist.");

        internal DeviceSnapshot GetDevice(PoolUser user, string deviceKey)
        {
            lock (_gate)
            {
                CheckTracking(user);
                if (user.Deleted || !user.Devices.TryGetValue(deviceKey, out StoredDevice? d)) throw DeviceNotFound();
                return d.Snapshot();
            }
        }

        internal void ForgetDevice(PoolUser user, string deviceKey)
        {
            lock (_gate)
            {
                CheckTracking(user);
                if (!RemoveDeviceLocked(user, deviceKey)) throw DeviceNotFound();
            }
        }

        internal void UpdateDeviceStatus(PoolUser user, string deviceKey, string? status)
        {
            lock (_gate)
            {
                CheckTracking(user);
                if (user.Deleted || !user.Devices.TryGetValue(deviceKey, out StoredDevice? d)) throw DeviceNotFound();
                d.SetRememberedStatus(status ?? d.DeviceRememberedStatus, UtcNow);
            }
        }

        /// <summary>One page in key order after the cursor; the pagination token (when more remain) resumes after the last key.</summary>
        internal (IReadOnlyList<DeviceSnapshot> Page, string? NextToken) ListDevices(PoolUser user, int limit, string? paginationToken)
        {
            lock (_gate)
            {
                CheckTracking(user);
                string? after = paginationToken is null ? null : DecodePaginationToken(user, paginationToken);
                var page = new List<DeviceSnapshot>(Math.Min(limit, user.Devices.Count));
                bool more = false;
                foreach (KeyValuePair<string, StoredDevice> kv in user.Devices)
                {
                    if (after != null && string.CompareOrdinal(kv.Key, after) <= 0) continue;
                    if (page.Count == limit)
                    {
                        more = true;
                        break;
                    }
                    page.Add(kv.Value.Snapshot());
                }
                string? next = more ? EncodePaginationToken(user, page[page.Count - 1].DeviceKey) : null;
                return (page, next);
            }
        }

        private string EncodePaginationToken(PoolUser user, string lastKey) => SealToken("v1", user.Pool.Id, user.Sub, lastKey);

        private string DecodePaginationToken(PoolUser user, string token) => OpenToken(token, "v1", user.Pool.Id, user.Sub);

        /// <summary>A pagination token: the fields, newline-joined, base64url, with a truncated HMAC so a client cannot forge one.</summary>
        private string SealToken(params string[] fields)
        {
            byte[] payload = Encoding.UTF8.GetBytes(string.Join("\n", fields));
            byte[] mac = HMACSHA256.HashData(_paginationKey, payload).AsSpan(0, 16).ToArray();
            return Base64Url.Encode(payload) + "." + Base64Url.Encode(mac);
        }

        /// <summary>The last field of a token made by <see cref="SealToken"/> whose other fields are <paramref name="expected"/>; else InvalidParameterException.</summary>
        private string OpenToken(string token, params string[] expected)
        {
            var invalid = CognitoServiceException.InvalidParameter("Invalid pagination token.");
            int dot = token.IndexOf('.');
            if (dot <= 0 || dot != token.LastIndexOf('.')) throw invalid;
            byte[]? payload = Base64Url.TryDecode(token.Substring(0, dot));
            byte[]? mac = Base64Url.TryDecode(token.Substring(dot + 1));
            if (payload is null || mac is null || mac.Length != 16) throw invalid;
            byte[] check = HMACSHA256.HashData(_paginationKey, payload).AsSpan(0, 16).ToArray();
            if (!CryptographicOperations.FixedTimeEquals(check, mac)) throw invalid;
            string[] fields = Encoding.UTF8.GetString(payload).Split('\n');
            if (fields.Length != expected.Length + 1) throw invalid;
            for (int i = 0; i < expected.Length; i++)
            {
                if (fields[i] != expected[i]) throw invalid;
            }
            return fields[expected.Length];
        }

        // ------------------------------------------------------------------ helpers (callers hold _gate)

        private PoolUser? FindUserLocked(UserPool pool, string usernameOrSub)
        {
            if (pool.Deleted) return null;
            if (pool.Users.TryGetValue(usernameOrSub, out PoolUser? u)) return u;
            if (_usersBySub.TryGetValue(usernameOrSub, out PoolUser? bySub) && ReferenceEquals(bySub.Pool, pool) && !bySub.Deleted) return bySub;
            return null;
        }

        private void DeleteUserLocked(PoolUser user)
        {
            if (user.Deleted) return;
            foreach (StoredDevice d in user.Devices.Values)
            {
                d.Deleted = true;
                _deviceKeys.Remove(d.DeviceKey);
            }
            user.Devices.Clear();
            user.Deleted = true;
            if (user.Pool.Users.TryGetValue(user.Username, out PoolUser? current) && ReferenceEquals(current, user))
            {
                user.Pool.Users.Remove(user.Username);
            }
            _usersBySub.Remove(user.Sub);
        }

        private bool RemoveDeviceLocked(PoolUser user, string deviceKey)
        {
            if (!user.Devices.TryGetValue(deviceKey, out StoredDevice? d)) return false;
            user.Devices.Remove(deviceKey);
            _deviceKeys.Remove(deviceKey);
            d.Deleted = true;
            return true;
        }

        private string NewDeviceKeyLocked(string region, Random? rnd)
        {
            while (true)
            {
                Guid g;
                if (rnd is null)
                {
                    g = Guid.NewGuid();
                }
                else
                {
                    var bytes = new byte[16];
                    rnd.NextBytes(bytes);
                    bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 shape
                    bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
                    g = new Guid(bytes);
                }
                string key = region + "_" + g.ToString("D");
                if (!_deviceKeys.Contains(key)) return key;
            }
        }

        private static string RandomString(string alphabet, int length)
        {
            var chars = new char[length];
            for (int i = 0; i < length; i++) chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            return new string(chars);
        }

        internal static DateTime TruncateToMilliseconds(DateTime value)
        {
            DateTime utc = value.Kind switch
            {
                DateTimeKind.Local => value.ToUniversalTime(),
                DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
                _ => value,
            };
            return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
        }

        internal static long ToUnixSeconds(DateTime utc) => (long)Math.Floor((utc - UnixEpoch).TotalSeconds);
    }

    /// <summary>base64url without padding (decoding also accepts padding).</summary>
    public static class Base64Url
    {
        public static string Encode(byte[] data) =>
            Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static byte[]? TryDecode(string text)
        {
            if (text.IndexOf('+') >= 0 || text.IndexOf('/') >= 0) return null;
            string s = text.TrimEnd('=').Replace('-', '+').Replace('_', '/');
            if (s.Length % 4 == 1) return null;
            s = s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=');
            try
            {
                return Convert.FromBase64String(s);
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}

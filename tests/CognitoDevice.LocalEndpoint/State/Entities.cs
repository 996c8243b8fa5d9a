using System;
using System.Collections.Generic;

namespace CognitoDevice.LocalEndpoint
{
    /// <summary>State of a user; drives the token checks of the token operations.</summary>
    public enum UserState
    {
        Confirmed,
        Unconfirmed,
        ResetRequired,
        Disabled,
    }

    /// <summary>A user pool. Flags are mutable at any time (thread-safe).</summary>
    public sealed class UserPool
    {
        private readonly object _gate;
        private bool _deviceTrackingEnabled;
        private bool _wafBlocksRequests;

        internal UserPool(object gate, string id, string region, string clientId, bool deviceTrackingEnabled, bool wafBlocksRequests)
        {
            _gate = gate;
            Id = id;
            Region = region;
            ClientId = clientId;
            _deviceTrackingEnabled = deviceTrackingEnabled;
            _wafBlocksRequests = wafBlocksRequests;
        }

        public string Id { get; }

        public string Region { get; }

        /// <summary>The app client id written into access tokens (client_id claim).</summary>
        public string ClientId { get; }

        public bool DeviceTrackingEnabled
        {
            get { lock (_gate) return _deviceTrackingEnabled; }
            set { lock (_gate) _deviceTrackingEnabled = value; }
        }

        /// <summary>When true, token operations answer ForbiddenException "Request blocked by AWS WAF."</summary>
        public bool WafBlocksRequests
        {
            get { lock (_gate) return _wafBlocksRequests; }
            set { lock (_gate) _wafBlocksRequests = value; }
        }

        /// <summary>False once deleted (DeletePool or reset).</summary>
        public bool Exists { get { lock (_gate) return !Deleted; } }

        internal bool Deleted { get; set; }

        internal Dictionary<string, PoolUser> Users { get; } = new Dictionary<string, PoolUser>(StringComparer.Ordinal);

        public override string ToString() => Id;
    }

    /// <summary>A user of a pool.</summary>
    public sealed class PoolUser
    {
        private readonly object _gate;
        private UserState _state;

        internal PoolUser(object gate, UserPool pool, string username, string sub, UserState state)
        {
            _gate = gate;
            Pool = pool;
            Username = username;
            Sub = sub;
            _state = state;
        }

        public UserPool Pool { get; }

        public string Username { get; }

        /// <summary>The user's sub (a GUID), also the sub claim of its access tokens.</summary>
        public string Sub { get; }

        public UserState State
        {
            get { lock (_gate) return _state; }
            set { lock (_gate) _state = value; }
        }

        /// <summary>False once deleted (DeleteUser, DeletePool or reset).</summary>
        public bool Exists { get { lock (_gate) return !Deleted; } }

        internal bool Deleted { get; set; }

        /// <summary>Devices by key, ordinal order (the stable listing order).</summary>
        internal SortedDictionary<string, StoredDevice> Devices { get; } = new SortedDictionary<string, StoredDevice>(StringComparer.Ordinal);

        internal HashSet<string> ActiveTokenIds { get; } = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Standard attributes other than sub (email, name, ...), by name; ListUsers returns and filters them.</summary>
        internal SortedDictionary<string, string> Attributes { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

        /// <summary>UserCreateDate (and UserLastModifiedDate) of ListUsers.</summary>
        public DateTime CreateDate { get; } = CognitoState.TruncateToMilliseconds(DateTime.UtcNow);

        internal HashSet<string> RevokedTokenIds { get; } = new HashSet<string>(StringComparer.Ordinal);

        public override string ToString() => Pool.Id + "/" + Username;
    }

    /// <summary>A stored (tracked) device. Reads are consistent snapshots per property.</summary>
    public sealed class StoredDevice
    {
        private readonly object _gate;
        private string _rememberedStatus;
        private DateTime _lastModified;
        private DateTime _lastAuthenticated;

        internal StoredDevice(object gate, PoolUser user, string deviceKey, string? name, string? lastIp, DateTime created, DateTime lastModified, DateTime lastAuthenticated, bool remembered)
        {
            _gate = gate;
            User = user;
            DeviceKey = deviceKey;
            DeviceName = name;
            LastIpUsed = lastIp;
            DeviceCreateDate = created;
            _lastModified = lastModified;
            _lastAuthenticated = lastAuthenticated;
            _rememberedStatus = remembered ? RememberedStatus.Remembered : RememberedStatus.NotRemembered;
        }

        public PoolUser User { get; }

        public string DeviceKey { get; }

        /// <summary>device_name attribute (omitted when null).</summary>
        public string? DeviceName { get; }

        /// <summary>last_ip_used attribute (omitted when null).</summary>
        public string? LastIpUsed { get; }

        /// <summary>device_status attribute: always "valid".</summary>
        public string DeviceStatus => "valid";

        /// <summary>dev:device_remembered_status attribute: "remembered" or "not_remembered".</summary>
        public string DeviceRememberedStatus
        {
            get { lock (_gate) return _rememberedStatus; }
        }

        public bool Remembered => DeviceRememberedStatus == RememberedStatus.Remembered;

        public DateTime DeviceCreateDate { get; }

        public DateTime DeviceLastModifiedDate
        {
            get { lock (_gate) return _lastModified; }
        }

        public DateTime DeviceLastAuthenticatedDate
        {
            get { lock (_gate) return _lastAuthenticated; }
        }

        /// <summary>The DeviceAttributes list as the service returns it (Name/Value pairs, in order).</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Attributes
        {
            get
            {
                lock (_gate) return BuildAttributes();
            }
        }

        /// <summary>True while the device is stored (not forgotten / deleted).</summary>
        public bool Exists { get { lock (_gate) return !Deleted; } }

        internal bool Deleted { get; set; }

        // Callers hold the state gate.
        internal void SetRememberedStatus(string status, DateTime now)
        {
            _rememberedStatus = status;
            _lastModified = now;
        }

        internal List<KeyValuePair<string, string>> BuildAttributes()
        {
            var list = new List<KeyValuePair<string, string>>
            {
                new KeyValuePair<string, string>("device_status", DeviceStatus),
            };
            if (DeviceName != null) list.Add(new KeyValuePair<string, string>("device_name", DeviceName));
            if (LastIpUsed != null) list.Add(new KeyValuePair<string, string>("last_ip_used", LastIpUsed));
            list.Add(new KeyValuePair<string, string>("dev:device_remembered_status", _rememberedStatus));
            return list;
        }

        // Callers hold the state gate.
        internal DeviceSnapshot Snapshot() =>
            new DeviceSnapshot(DeviceKey, BuildAttributes(), DeviceCreateDate, _lastModified, _lastAuthenticated);

        public override string ToString() => DeviceKey;
    }

    /// <summary>Values of the DeviceRememberedStatusType enum.</summary>
    public static class RememberedStatus
    {
        public const string Remembered = "remembered";
        public const string NotRemembered = "not_remembered";
    }

    /// <summary>An immutable copy of a device, as serialized in DeviceType.</summary>
    public sealed record DeviceSnapshot(
        string DeviceKey,
        IReadOnlyList<KeyValuePair<string, string>> Attributes,
        DateTime DeviceCreateDate,
        DateTime DeviceLastModifiedDate,
        DateTime DeviceLastAuthenticatedDate);
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using CognitoDevice.LocalEndpoint.Protocol;

namespace CognitoDevice.LocalEndpoint
{
    /// <summary>An immutable copy of a user, as serialized in UserType.</summary>
    public sealed record UserSnapshot(
        string Username,
        IReadOnlyList<KeyValuePair<string, string>> Attributes,
        DateTime UserCreateDate,
        bool Enabled,
        string UserStatus);

    /// <summary>ListUsers and DescribeUserPool, user attributes and bulk seeding.</summary>
    public sealed partial class CognitoState
    {
        /// <summary>Sets (or, with null, removes) a standard attribute such as email. sub is the user's own and cannot be set.</summary>
        public void SetUserAttribute(PoolUser user, string name, string? value)
        {
            if (user is null) throw new ArgumentNullException(nameof(user));
            if (string.IsNullOrEmpty(name) || name == "sub") throw new ArgumentException("An attribute name other than sub is required.", nameof(name));
            lock (_gate)
            {
                if (value is null) user.Attributes.Remove(name);
                else user.Attributes[name] = value;
            }
        }

        /// <summary>
        /// Adds <paramref name="count"/> users named <paramref name="prefix"/>00000, 00001, ... (email
        /// name@example.com), each with 0..<paramref name="maxDevices"/> seeded devices (deterministic for a seed).
        /// Returns how many devices were added.
        /// </summary>
        public int SeedUsers(UserPool pool, int count, string prefix = "user", int maxDevices = 5, int seed = 1, int start = 0)
        {
            if (pool is null) throw new ArgumentNullException(nameof(pool));
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
            if (maxDevices < 0) throw new ArgumentOutOfRangeException(nameof(maxDevices));
            var rnd = new Random(seed);
            int devices = 0;
            for (int i = start; i < start + count; i++)
            {
                string username = prefix + i.ToString("00000", CultureInfo.InvariantCulture);
                PoolUser user = CreateUser(pool, username);
                SetUserAttribute(user, "email", username + "@example.com");
                int n = rnd.Next(maxDevices + 1);
                devices += SeedDevices(user, n, seed: rnd.Next()).Count;
            }
            return devices;
        }

        /// <summary>The user status of ListUsers' UserType and of the cognito:user_status filter.</summary>
        internal static string UserStatusOf(UserState state) => state switch
        {
            UserState.Unconfirmed => "UNCONFIRMED",
            UserState.ResetRequired => "RESET_REQUIRED",
            _ => "CONFIRMED",
        };

        /// <summary>ListUsers: users in ordinal username order after the token's position, filtered, at most <paramref name="limit"/>.</summary>
        internal (IReadOnlyList<UserSnapshot> Page, string? NextToken) ListUsers(string poolId, int limit, string? paginationToken, UserFilter? filter,
            IReadOnlyList<string>? attributesToGet)
        {
            lock (_gate)
            {
                if (!_pools.TryGetValue(poolId, out UserPool? pool))
                {
                    throw new CognitoServiceException(ErrorCodes.ResourceNotFound, "User pool " + poolId + " does not exist.");
                }
                string? after = paginationToken is null ? null : DecodeUserToken(pool, paginationToken);
                string[] names = pool.Users.Keys.ToArray();
                Array.Sort(names, StringComparer.Ordinal);
                int index = 0;
                if (after is not null)
                {
                    int found = Array.BinarySearch(names, after, StringComparer.Ordinal);
                    index = found >= 0 ? found + 1 : ~found; // the user after the last one returned, even if it was deleted
                }
                var page = new List<UserSnapshot>(Math.Min(limit, names.Length));
                string? last = null;
                bool more = false;
                for (; index < names.Length; index++)
                {
                    PoolUser user = pool.Users[names[index]];
                    if (filter is not null && !filter.Matches(a => ValueOf(user, a))) continue;
                    if (page.Count == limit)
                    {
                        more = true;
                        break;
                    }
                    page.Add(Snapshot(user, attributesToGet));
                    last = user.Username;
                }
                return (page, more && last is not null ? EncodeUserToken(pool, last) : null);
            }
        }

        /// <summary>DescribeUserPool's EstimatedNumberOfUsers (exact here).</summary>
        internal (UserPool Pool, int EstimatedNumberOfUsers) DescribeUserPool(string poolId)
        {
            lock (_gate)
            {
                if (!_pools.TryGetValue(poolId, out UserPool? pool))
                {
                    throw new CognitoServiceException(ErrorCodes.ResourceNotFound, "User pool " + poolId + " does not exist.");
                }
                return (pool, pool.Users.Count);
            }
        }

        private static string? ValueOf(PoolUser user, string attribute) => attribute switch
        {
            "username" => user.Username,
            "sub" => user.Sub,
            "status" => user.State == UserState.Disabled ? "Disabled" : "Enabled",
            "cognito:user_status" => UserStatusOf(user.State),
            _ => user.Attributes.TryGetValue(attribute, out string? v) ? v : null,
        };

        private static UserSnapshot Snapshot(PoolUser user, IReadOnlyList<string>? attributesToGet)
        {
            var attributes = new List<KeyValuePair<string, string>>();
            if (attributesToGet is null || attributesToGet.Contains("sub")) attributes.Add(new KeyValuePair<string, string>("sub", user.Sub));
            foreach (KeyValuePair<string, string> a in user.Attributes)
            {
                if (attributesToGet is null || attributesToGet.Contains(a.Key)) attributes.Add(a);
            }
            return new UserSnapshot(user.Username, attributes, user.CreateDate, user.State != UserState.Disabled, UserStatusOf(user.State));
        }

        private string EncodeUserToken(UserPool pool, string lastUsername) => SealToken("u1", pool.Id, lastUsername);

        private string DecodeUserToken(UserPool pool, string token) => OpenToken(token, "u1", pool.Id);
    }
}

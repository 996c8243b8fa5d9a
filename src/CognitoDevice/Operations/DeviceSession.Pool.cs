using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CognitoDevice.Configuration;
using CognitoDevice.Errors;
using CognitoDevice.Protocol;
using CognitoDevice.Validation;

namespace CognitoDevice.Operations
{
    /// <summary>One page of ListUsers: the user names, in Cognito's order, and the token of the next page.</summary>
    internal sealed class UserPage
    {
        public UserPage(IReadOnlyList<string> usernames, string? paginationToken)
        {
            Usernames = usernames;
            PaginationToken = paginationToken;
        }

        public IReadOnlyList<string> Usernames { get; }

        public string? PaginationToken { get; }
    }

    /// <summary>The pool-level calls of a sweep: ListUsers, DescribeUserPool, and every device of one user.</summary>
    internal sealed partial class DeviceSession
    {
        /// <summary>The most users ListUsers returns in one page.</summary>
        public const int UsersPageSize = 60;

        public async Task<UserPage> ListUsersPageAsync(string? regionParameter, string userPoolId, string? filter, string? paginationToken,
            Action<string>? verbose, CancellationToken cancellationToken)
        {
            var body = new JsonBody().Add("UserPoolId", userPoolId).Add("Limit", UsersPageSize);
            if (!string.IsNullOrEmpty(filter)) body.Add("Filter", filter);
            body.Add("PaginationToken", paginationToken);
            CognitoCall call = Prepare("ListUsers", regionParameter, RegionOrigin.Parameter, userPoolId, null, null, body.ToString(), verbose, out _);
            Dictionary<string, object?> answer = await _client.SendAsync(call, cancellationToken).ConfigureAwait(false);
            var names = new List<string>();
            if (answer.TryGetValue("Users", out object? list) && list is not null)
            {
                if (list is not List<object?> users) throw DeviceParser.Unreadable("Users is not a list");
                foreach (object? user in users)
                {
                    if (user is Dictionary<string, object?> u && u.TryGetValue("Username", out object? name) && name is string username) names.Add(username);
                    else throw DeviceParser.Unreadable("a user has no Username");
                }
            }
            string? next = answer.TryGetValue("PaginationToken", out object? token) ? token as string : null;
            return new UserPage(names, string.IsNullOrEmpty(next) ? null : next);
        }

        /// <summary>DescribeUserPool's EstimatedNumberOfUsers, or null when the answer has none.</summary>
        public async Task<int?> EstimatedNumberOfUsersAsync(string? regionParameter, string userPoolId, Action<string>? verbose, CancellationToken cancellationToken)
        {
            string body = new JsonBody().Add("UserPoolId", userPoolId).ToString();
            CognitoCall call = Prepare("DescribeUserPool", regionParameter, RegionOrigin.Parameter, userPoolId, null, null, body, verbose, out _);
            Dictionary<string, object?> answer = await _client.SendAsync(call, cancellationToken).ConfigureAwait(false);
            if (answer.TryGetValue("UserPool", out object? pool) && pool is Dictionary<string, object?> p &&
                p.TryGetValue("EstimatedNumberOfUsers", out object? n) && n is JsonNumber number && number.TryGetDecimal(out decimal value) && value >= 0 && value <= int.MaxValue)
            {
                return (int)value;
            }
            return null;
        }

        /// <summary>Every device of one user (AdminListDevices, every page of 60).</summary>
        public async Task<IReadOnlyList<Device>> ListUserDevicesAsync(string? regionParameter, string userPoolId, string username, Action<string>? verbose,
            CancellationToken cancellationToken)
        {
            var devices = new List<Device>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            string? token = null;
            do
            {
                DevicePage page = await ListDevicesPageAsync(regionParameter, userPoolId, username, CognitoPatterns.LimitMax, token, verbose, cancellationToken).ConfigureAwait(false);
                devices.AddRange(page.Devices);
                token = string.IsNullOrEmpty(page.PaginationToken) ? null : page.PaginationToken;
                if (token is not null && !seen.Add(token))
                {
                    throw new CognitoDeviceException(ErrorCatalog.ClientCodes.UnexpectedResponse,
                        "Cognito returned a pagination token it had already returned; paging stopped to avoid an endless loop.");
                }
            }
            while (token is not null);
            return devices;
        }
    }
}

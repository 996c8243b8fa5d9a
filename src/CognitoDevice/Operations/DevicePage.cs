using System;
using System.Collections.Generic;
using CognitoDevice.Errors;

namespace CognitoDevice.Operations
{
    /// <summary>One page of ListDevices / AdminListDevices.</summary>
    internal sealed class DevicePage
    {
        public DevicePage(IReadOnlyList<Device> devices, string? paginationToken)
        {
            Devices = devices;
            PaginationToken = paginationToken;
        }

        public IReadOnlyList<Device> Devices { get; }

        /// <summary>An empty last page: paging ends here (after a failure that was already reported).</summary>
        public static DevicePage Stop { get; } = new DevicePage(Array.Empty<Device>(), null);

        public string? PaginationToken { get; }
    }

    /// <summary>
    /// Walks the pages lazily: the next page is fetched only when the caller asks for a device past the
    /// current page, so `Select-Object -First 1` stops the paging. A service that repeats a pagination token
    /// would loop forever; that is an error instead.
    /// </summary>
    internal static class DevicePager
    {
        public static IEnumerable<Device> Enumerate(Func<string?, DevicePage> fetchPage, Action<int>? onPage = null)
        {
            if (fetchPage is null) throw new ArgumentNullException(nameof(fetchPage));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            string? token = null;
            int pageNumber = 0;
            do
            {
                DevicePage page = fetchPage(token);
                pageNumber++;
                onPage?.Invoke(pageNumber);
                foreach (Device device in page.Devices) yield return device;
                token = string.IsNullOrEmpty(page.PaginationToken) ? null : page.PaginationToken;
                if (token is not null && !seen.Add(token))
                {
                    throw new CognitoDeviceException(ErrorCatalog.ClientCodes.UnexpectedResponse,
                        "Cognito returned a pagination token it had already returned; paging stopped to avoid an endless loop.");
                }
            }
            while (token is not null);
        }
    }
}

using System.Globalization;
using System.Net;

namespace SwfServerless.Integration.Tests.Support;

/// <summary>The TCP sockets a process listens on, read from Linux's /proc (its fds, and its namespace's tcp tables).</summary>
public static class ListeningSockets
{
    private const string Listen = "0A";

    public static IReadOnlyList<IPEndPoint> Of(int pid)
    {
        var inodes = new HashSet<string>();
        foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
        {
            // "socket:[12345]"; an fd closed since the listing has no link any more.
            if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                inodes.Add(target["socket:[".Length..^1]);
            }
        }

        var listening = new List<IPEndPoint>();
        foreach (var table in new[] { "tcp", "tcp6" })
        {
            // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
            foreach (var line in File.ReadLines($"/proc/{pid}/net/{table}").Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns[3] == Listen && inodes.Contains(columns[9]))
                {
                    listening.Add(Parse(columns[1]));
                }
            }
        }
        return listening;
    }

    /// <summary>True for 127.0.0.0/8, ::1 and ::ffff:127.x.y.z (an IPv6 socket bound to an IPv4 loopback address).</summary>
    public static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary>"0100007F:1F90" or 32 hex digits and a port: the address as 32-bit words in host byte order.</summary>
    private static IPEndPoint Parse(string hexEndpoint)
    {
        var (hexAddress, hexPort) = (hexEndpoint[..hexEndpoint.IndexOf(':')], hexEndpoint[(hexEndpoint.IndexOf(':') + 1)..]);
        var bytes = Convert.FromHexString(hexAddress);
        if (BitConverter.IsLittleEndian)
        {
            for (var word = 0; word < bytes.Length; word += 4)
            {
                Array.Reverse(bytes, word, 4);
            }
        }
        return new IPEndPoint(new IPAddress(bytes), int.Parse(hexPort, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }
}

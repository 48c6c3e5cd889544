"""What the local host listens on: its SWF port and the DynamoDB Local it starts, on the loopback interface only
(DynamoDB Local checks no credentials and holds every domain's data). Read from Linux's /proc: every listening TCP
socket of every process of a host started here (`dotnet run`, the host, its java child)."""

import ipaddress
import os
import re
import shutil
import socket
import struct
import tempfile
import unittest
import urllib.parse

import support

DYNAMODB_LOCAL = re.compile(r"DynamoDB Local listening on http://127\.0\.0\.1:(\d+)")


def process_tree(root):
    """root and every process descending from it."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    stat = f.read()
            except OSError:
                continue  # exited since the listing
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])  # the name in (...) may hold spaces
            children.setdefault(ppid, []).append(int(entry))
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, []))
    return tree


def _address(hex_address):
    """/proc/net/tcp* addresses are 32-bit words in host byte order."""
    raw = bytes.fromhex(hex_address)
    words = struct.unpack("=%dI" % (len(raw) // 4), raw)
    return ipaddress.ip_address(struct.pack("!%dI" % len(words), *words))


def listening_sockets(pid):
    """[(address, port)] of the TCP sockets pid listens on."""
    inodes = set()
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    found = []
    for table in ("tcp", "tcp6"):
        with open("/proc/%d/net/%s" % (pid, table)) as f:
            next(f)
            for line in f:
                columns = line.split()
                if columns[3] == "0A" and columns[9] in inodes:  # 0A: LISTEN
                    hex_address, hex_port = columns[1].split(":")
                    found.append((_address(hex_address), int(hex_port, 16)))
    return found


def is_loopback(address):
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


@unittest.skipUnless(os.path.isdir("/proc/self/fd"), "reads the listening sockets from /proc")
class ListeningTests(unittest.TestCase):
    def test_the_host_and_its_dynamodb_local_listen_on_loopback_only(self):
        # A data directory with a space, a comma and a quote: DynamoDB Local gets its path through one quoted argument.
        data = tempfile.mkdtemp(prefix='swf listening, "data" ')
        host = support.Host(["--data-dir", data])
        try:
            swf_port = urllib.parse.urlsplit(host.endpoint).port
            dynamodb_port = next(int(m.group(1)) for m in map(DYNAMODB_LOCAL.search, list(host.lines)) if m)
            sockets = {pid: listening_sockets(pid) for pid in process_tree(host.process.pid)}
            everything = [s for found in sockets.values() for s in found]
            self.assertIn(swf_port, [port for _, port in everything], sockets)
            java = [pid for pid, found in sockets.items() if dynamodb_port in [port for _, port in found]]
            self.assertEqual(1, len(java), sockets)
            self.assertNotIn(java[0], [host.process.pid], "DynamoDB Local runs as a child process")
            for address, port in everything:
                self.assertTrue(is_loopback(address), "%s:%d is not a loopback address (all: %s)" % (address, port, sockets))
            # And nothing answers on the machine's other addresses.
            for address in other_addresses():
                for port in (swf_port, dynamodb_port):
                    with socket.socket(socket.AF_INET6 if address.version == 6 else socket.AF_INET) as s:
                        s.settimeout(2)
                        self.assertNotEqual(0, s.connect_ex((str(address), port)), "%s:%d answers" % (address, port))
            self.assertEqual(host.client().list_domains(registrationStatus="REGISTERED")["domainInfos"], [])
        finally:
            host.stop()
            shutil.rmtree(data)


def other_addresses():
    """The machine's non-loopback IPv4 addresses, from the kernel's routing table of local addresses."""
    found = set()
    try:
        with open("/proc/net/fib_trie") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    for previous, line in zip(lines, lines[1:]):
        if "/32 host LOCAL" in line:
            address = ipaddress.ip_address(previous.split()[-1])
            if not address.is_loopback:
                found.add(address)
    return sorted(found)


if __name__ == "__main__":
    unittest.main()

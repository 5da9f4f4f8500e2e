"""pymemcache with its defaults (noreply=True on set): what it stores must be there."""
import sys

from pymemcache.client.base import Client

host, port = sys.argv[1], int(sys.argv[2])
queue = "py-%d" % __import__("os").getpid()
client = Client((host, port), connect_timeout=10, timeout=30)

assert client.set(queue, b"from python") is True, "set (noreply by default)"
assert client.set(queue, b"second") is True, "second set"
got = client.get(queue)
assert got == b"from python", "get returned %r" % (got,)
got = client.get(queue)
assert got == b"second", "get returned %r" % (got,)
assert client.get(queue) is None, "queue should be empty"
assert client.set(queue, b"explicit", noreply=False) is True, "set with a reply"
assert client.delete(queue, noreply=False) is True, "delete"
assert client.version().startswith(b"1."), "version"
print("ALL OK")

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

# Kestrel's reliable and blocking reads: the value comes back under the key as asked
jobs = queue + "-jobs"
client.set(jobs, b"job1", noreply=False)
client.set(jobs, b"job2", noreply=False)
assert client.get(jobs + "/peek") == b"job1", "peek"
assert client.get(jobs + "/open") == b"job1", "open"
assert client.get(jobs + "/close/open") == b"job2", "close/open"
assert client.get(jobs + "/abort") is None, "abort answers END"
assert client.get(jobs + "/open/t=50") == b"job2", "the aborted job again"
assert client.get(jobs + "/close") is None, "close"
assert client.get_many([jobs + "/t=100", jobs + "/peek"]) == {}, "t= times out, peek of an empty queue"
print("ALL OK")

"""A pipelining client for bench/queue-churn.sh: makes N one-message queues and empties each."""
import socket, sys
port, n, prefix = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
s = socket.create_connection(("127.0.0.1", port))
f = s.makefile("rb")
CHUNK = 2000
for start in range(0, n, CHUNK):
    req = b"".join(b"set %s%d 0 0 1\r\nx\r\nget %s%d\r\n" % (prefix.encode(), i, prefix.encode(), i) for i in range(start, min(n, start + CHUNK)))
    s.sendall(req)
    for i in range(start, min(n, start + CHUNK)):
        assert f.readline() == b"STORED\r\n"
        assert f.readline().startswith(b"VALUE")
        f.readline(); assert f.readline() == b"END\r\n"
s.sendall(b"stats\r\n")
while True:
    line = f.readline()
    if line.startswith(b"STAT curr_queues"): print(line.decode().strip())
    if line == b"END\r\n": break

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Hostile and normal clients for bench/slow_clients.sh, one role per process
(so that the attackers' loops do not hold the normal client's interpreter).

  slow_clients.py slow PORT N SECONDS     N connections, each sending one header
                                          byte per second (reconnecting when closed)
  slow_clients.py flood PORT SECONDS      one connection streaming header lines
                                          as fast as it can (reconnecting when closed)
  slow_clients.py probe PORT SECONDS QUERIES
                                          a normal keep-alive client searching
                                          one query after another; prints
                                          requests, failures, p50 and p99 in ms
"""
import http.client
import select
import socket
import sys
import time
import urllib.parse


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.setblocking(False)
    return s


def slow(port, count, seconds):
    start_line = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: "
    sockets = []
    for _ in range(count):
        s = connect(port)
        s.send(start_line)
        sockets.append(s)
    reconnects = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        tick = time.monotonic()
        # Anything to read is the server's 408 (or its close): attach again.
        poller = select.poll()
        for i, s in enumerate(sockets):
            poller.register(s.fileno(), select.POLLIN)
        answered = {fd for fd, _ in poller.poll(0)}
        for i, s in enumerate(sockets):
            try:
                if s.fileno() in answered:
                    raise OSError("answered")
                s.send(b"a")
            except OSError:
                s.close()
                try:
                    sockets[i] = connect(port)
                    sockets[i].send(start_line)
                    reconnects += 1
                except OSError:
                    pass
        time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
    print(f"slow: {count} connections, {reconnects} reconnects", file=sys.stderr)


def flood(port, seconds):
    lines = b"a:b\r\n" * 20000
    sent = connections = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            connections += 1
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
            while time.monotonic() < end:
                s.sendall(lines)
                sent += len(lines)
        except OSError:
            pass
        finally:
            s.close()
    print(f"flood: {connections} connections, {sent / 1e6:.0f} MB handed to their sockets "
          "(the server reads 16 KB of each, answers 431 and closes)", file=sys.stderr)


def probe(port, seconds, queries_file):
    queries = [q for q in open(queries_file).read().splitlines() if q.strip()]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    latencies, failures, i = [], 0, 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        path = "/search?q=" + urllib.parse.quote_plus(queries[i % len(queries)])
        i += 1
        t = time.monotonic()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failures += 1
        except (OSError, http.client.HTTPException):
            failures += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        latencies.append((time.monotonic() - t) * 1000)
    latencies.sort()
    pick = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))]
    print(f"{len(latencies)} {failures} {pick(0.5):.2f} {pick(0.99):.2f} {latencies[-1]:.2f}")


if __name__ == "__main__":
    role, port = sys.argv[1], int(sys.argv[2])
    if role == "slow":
        slow(port, int(sys.argv[3]), float(sys.argv[4]))
    elif role == "flood":
        flood(port, float(sys.argv[3]))
    else:
        probe(port, float(sys.argv[3]), sys.argv[4])

"""Load on the HTTP service, from one run: latency of single-note requests for one client and for 32
concurrent clients, and the service's notes/s against ``analyze_many(workers=2)`` on the same notes.

    python benchmarks/bench_service.py [--requests 400] [--clients 32] [--max-seconds 120]

Starts ``billfacts serve`` on 127.0.0.1 (a free port, two workers, log level warning), waits until both
workers are ready, and stops it at the end. Loopback only; the number of requests and the time are
bounded. The clients speak HTTP/1.1 with keep-alive over asyncio streams: a light client, so that the
two cores go to the service rather than to the load generator (which still shares the machine: the
service's share is a lower bound). Targets on a typical note (the development corpus): one client p50
under 15 ms; 32 clients p99 under 150 ms and at least 0.8x the notes/s of ``analyze_many(workers=2)``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


class Connection:
    """One keep-alive HTTP/1.1 connection that posts JSON and reads the answer (Content-Length bodies)."""

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def post(self, path: str, body: bytes) -> int:
        self.writer.write(b"POST " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                          b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        await self.reader.readexactly(length)
        return status

    def close(self):
        if self.writer is not None:
            self.writer.close()


async def run_clients(port: int, bodies: list[bytes], clients: int, deadline: float) -> tuple[list[float], float]:
    queue: asyncio.Queue = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    latencies: list[float] = []

    async def client():
        connection = Connection(port)
        await connection.open()
        try:
            while not queue.empty() and time.monotonic() < deadline:
                body = queue.get_nowait()
                sent = time.perf_counter()
                status = await connection.post("/v1/analyze", body)
                latencies.append(time.perf_counter() - sent)
                assert status == 200, status
        finally:
            connection.close()

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, time.perf_counter() - began


def wait_ready(port: int, process: subprocess.Popen, workers: int) -> None:
    """Both workers ready: ask /readyz on fresh connections until it has answered ready many times in a row
    (each connection lands on whichever worker accepts it)."""
    began, streak = time.monotonic(), 0
    while streak < 8 * workers:
        if process.poll() is not None or time.monotonic() - began > 120:
            raise SystemExit("the service did not become ready")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
                streak = streak + 1 if response.status == 200 else 0
        except OSError:
            streak = 0
            time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--max-seconds", type=float, default=120)
    args = parser.parse_args()

    notes = [json.loads(line)["text"] for line in (ROOT / "annotations" / "dev" / "dev.jsonl").read_text().splitlines()]
    notes = (notes * (args.requests // len(notes) + 1))[:args.requests]
    bodies = [json.dumps({"text": text, "note_id": str(i), "date_of_service": "2026-03-02"}).encode()
              for i, text in enumerate(notes)]
    records = [{"text": text, "note_id": str(i), "date_of_service": "2026-03-02"} for i, text in enumerate(notes)]

    import billfacts

    list(billfacts.analyze_many(records[:20], workers=2))  # warm the pipeline (workers fork from it)
    began = time.perf_counter()
    native = list(billfacts.analyze_many(records, workers=2))
    native_rate = len(native) / (time.perf_counter() - began)

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "billfacts.cli", "serve", "--port", str(port), "--workers", "2",
                                "--log-level", "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(port, process, 2)
        deadline = time.monotonic() + args.max_seconds
        asyncio.run(run_clients(port, bodies[:40], 4, deadline))  # warm both workers
        single, _ = asyncio.run(run_clients(port, bodies[: max(100, args.requests // 2)], 1, deadline))
        loaded, seconds = asyncio.run(run_clients(port, bodies, args.clients, deadline))
    finally:
        process.terminate()
        process.wait(timeout=30)
    service_rate = len(loaded) / seconds

    def row(name, values):
        ms = [v * 1000 for v in values]
        return (f"{name:28s} n={len(ms):4d}  p50 {percentile(ms, .5):6.1f} ms  p95 {percentile(ms, .95):6.1f} ms  "
                f"p99 {percentile(ms, .99):6.1f} ms  mean {statistics.fmean(ms):6.1f} ms")

    print(f"{len(notes)} typical notes (development corpus), service with 2 workers on 127.0.0.1")
    print(row("one client", single))
    print(row(f"{args.clients} concurrent clients", loaded))
    print(f"service, {args.clients} clients: {service_rate:6.1f} notes/s;  analyze_many(workers=2): {native_rate:6.1f} "
          f"notes/s;  ratio {service_rate / native_rate:.2f}x (target 0.8x)")
    print(f"targets: one client p50 < 15 ms: {'met' if percentile(single, .5) < 0.015 else 'NOT met'}; "
          f"{args.clients} clients p99 < 150 ms: {'met' if percentile(loaded, .99) < 0.150 else 'NOT met'}; "
          f"throughput >= 0.8x: {'met' if service_rate >= 0.8 * native_rate else 'NOT met'}")


if __name__ == "__main__":
    main()

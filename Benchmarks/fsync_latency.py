#!/usr/bin/env python3
"""How long this machine's disk takes to make a small publish durable, without the daemon.

Each batch writes eight 6 KB files into a new folder and fsyncs them and their four folders, as a
durable publish of one news edit does, then sleeps 20 ms. Prints the batch latency (p50, p99, max)
with the fsyncs issued one after another and issued together from 15 threads. Run it beside
`KONI_DURABLE=1 koni-revalidation-bench` results to tell the disk's noise from the daemon's.

    python3 Benchmarks/fsync_latency.py [--seconds 40] [--folder /tmp/fsync-latency]
"""
import argparse
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor


def fsync_path(path):
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def run(folder, seconds, together, pool):
    root = os.path.join(folder, "together" if together else "one-by-one")
    os.makedirs(root, exist_ok=True)
    latencies = []
    end = time.time() + seconds
    batch = 0
    while time.time() < end:
        batch += 1
        release = os.path.join(root, f"r{batch}")
        page = os.path.join(release, "berita", "a")
        os.makedirs(page)
        paths = []
        for index in range(8):
            path = os.path.join(page, f"f{index}")
            with open(path, "wb") as file:
                file.write(b"x" * 6000)
            paths.append(path)
        paths += [page, os.path.dirname(page), release, root]
        start = time.perf_counter()
        if together:
            list(pool.map(fsync_path, paths))
        else:
            for path in paths:
                fsync_path(path)
        latencies.append((time.perf_counter() - start) * 1000)
        time.sleep(0.02)
    latencies.sort()
    count = len(latencies)
    slow = sum(latency > 50 for latency in latencies)
    print(
        f"{'together ' if together else 'one by one'}: {count} batches of 12 fsyncs: "
        f"p50 {latencies[count // 2]:.2f} ms, p99 {latencies[int(count * 0.99)]:.2f} ms, "
        f"max {latencies[-1]:.1f} ms, over 50 ms: {slow}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--folder", default="/tmp/fsync-latency")
    arguments = parser.parse_args()
    shutil.rmtree(arguments.folder, ignore_errors=True)
    with ThreadPoolExecutor(15) as pool:
        run(arguments.folder, arguments.seconds, False, pool)
        run(arguments.folder, arguments.seconds, True, pool)
    shutil.rmtree(arguments.folder, ignore_errors=True)


if __name__ == "__main__":
    main()

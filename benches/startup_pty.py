"""Start-up of the real binary to its first full frame, on a 200x60 pseudo-terminal.

Usage: python3 benches/startup_pty.py target/release/llmcap scenarios/support-chatbot.ron

Starts llmcap 20 times; each run is timed from fork to the moment the last pane of the
first frame (the cost chart's axis title, `req/day`) has been written, then quits with `q`.
Prints the median and range. Recovery files go to a temporary folder.
"""

import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import tempfile
import termios
import time

RUNS = 20


def one_run(binary, scenario, state):
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 60, 200, 0, 0))
        os.environ["LLMCAP_STATE_DIR"] = state
        os.environ["TERM"] = "xterm-256color"
        os.execv(binary, [binary, scenario])
    seen = b""
    elapsed = None
    while True:
        ready, _, _ = select.select([fd], [], [], 10)
        if not ready:
            break
        try:
            seen += os.read(fd, 65536)
        except OSError:
            break
        if b"req/day" in seen:
            elapsed = time.perf_counter() - start
            break
    os.write(fd, b"q")
    os.waitpid(pid, 0)
    os.close(fd)
    return elapsed


def main():
    binary, scenario = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as state:
        times = [t for t in (one_run(binary, scenario, state) for _ in range(RUNS)) if t is not None]
    if len(times) < RUNS:
        print(f"{RUNS - len(times)} runs never showed a full frame", file=sys.stderr)
    if not times:
        sys.exit(1)
    ms = [t * 1000 for t in times]
    print(f"{len(ms)} runs: median {statistics.median(ms):.1f} ms, {min(ms):.1f} to {max(ms):.1f} ms")


if __name__ == "__main__":
    main()

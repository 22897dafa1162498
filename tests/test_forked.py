"""Work shared with a forked process: the same results as doing it all here, whatever happens
to the other process. Each test runs in a process of its own, since the test runner may run
threads (and then nothing is forked)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import os, sys, threading
from driverkit.programme.forked import available, forked_map
assert threading.active_count() == 1 and available() >= 1
parent = os.getpid()
where = forked_map(lambda part: (part, os.getpid() != parent), ["a", "b", "c"])
assert [part for part, _ in where] == ["a", "b", "c"]
assert where[0][1] is False and (available() < 2 or all(forked for _, forked in where[1:])), where
# A process that dies, or whose result cannot be pickled: its part is done here.
dying = forked_map(lambda part: os._exit(3) if os.getpid() != parent else part * 2, [1, 2])
assert dying == [2, 4], dying
unpicklable = forked_map(lambda part: (lambda: part) if os.getpid() != parent else part, [1, 2])
assert unpicklable == [1, 2], unpicklable
# Work that fails fails here too, as it would without a second process.
try:
    forked_map(lambda part: 1 / part, [1, 0])
except ZeroDivisionError:
    pass
else:
    raise AssertionError("no error")
# When the part done here fails, the other process (blocked on a large answer) is not left behind.
import multiprocessing
try:
    forked_map(lambda part: 1 / 0 if os.getpid() == parent else bytes(10_000_000), [0, 1])
except ZeroDivisionError:
    assert not multiprocessing.active_children()
    print("ok")
"""


def test_forked_work_gives_what_the_work_done_here_gives() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_nothing_is_forked_while_threads_run() -> None:
    import threading

    from driverkit.programme.forked import available, forked_map

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert available(2) == 1
        import os

        parent = os.getpid()
        assert forked_map(lambda part: os.getpid() == parent, [1, 2]) == [True, True]
    finally:
        stop.set()
        thread.join()

"""Work shared with a forked process: the members of a large programme are loaded on two cores.

A forked process starts with everything this one has already imported and built (the programme
file and what it shares), so only its part of the results travels back, pickled through a pipe.
The fork is made early, while this process is small: every page the two processes still share
and one of them writes to is copied, and a fork made once the members are loaded costs more in
copies than it gives back (measured on the normalising and comparing of 8,000 texts). The other
ways of starting a process import everything again, which costs more than the second core gives
back. Forking a process that runs threads is not safe (a lock held by another thread stays held
in the child), so then, and where there is no fork (Windows, macOS), all the work is done here.
Whatever happens, the results are the same as if it had all been done here: a part whose process
fails is done again here.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from typing import Any, Callable, Optional, Sequence, TypeVar

Part = TypeVar("Part")
Result = TypeVar("Result")


def available(jobs: Optional[int] = None) -> int:
    """How many processes may share work: `jobs` when given (at least 1), else one per core, at
    most two; 1 where forking is not safe."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1
    if jobs is not None:
        return max(1, jobs)
    return min(2, os.cpu_count() or 1)


def forked_map(work: Callable[[Part], Result], parts: Sequence[Part]) -> list[Result]:
    """`[work(part) for part in parts]`, the first part done here while each other part is done in
    a forked process at the same time."""
    if len(parts) < 2 or available(len(parts)) < 2:
        return [work(part) for part in parts]
    context = multiprocessing.get_context("fork")
    children: list[tuple[Any, Any]] = []
    try:
        for part in parts[1:]:
            receiving, sending = context.Pipe(duplex=False)
            # The child closes every reading end it inherits (its own and its elder siblings'):
            # if this process stops reading, the child's writing then fails instead of waiting.
            child = context.Process(target=_run, args=(work, part, sending, [r for _, r in children] + [receiving]), daemon=True)
            child.start()
            sending.close()  # the child holds its own end: this one is closed so that its exit is seen
            children.append((child, receiving))
        results = [work(parts[0])]
        for part, (_, receiving) in zip(parts[1:], children):
            try:
                ok, value = receiving.recv()
            except Exception:  # the process died before it answered, or its answer cannot be read
                ok, value = False, None
            receiving.close()
            results.append(value if ok else work(part))
        return results
    finally:  # also when the work done here fails: no process is left behind
        for child, receiving in children:
            receiving.close()
            if child.is_alive():
                child.terminate()
            child.join()


def _run(work: Callable[[Part], Result], part: Part, sending: Any, inherited: list[Any]) -> None:
    for receiving in inherited:
        receiving.close()
    try:
        answer = (True, work(part))
    except BaseException:  # noqa: BLE001 - the parent does the part again and reports what it finds
        answer = (False, None)
    try:
        sending.send(answer)
    except Exception:  # a result that cannot be pickled: the parent does the part again
        sending.send((False, None))
    finally:
        sending.close()

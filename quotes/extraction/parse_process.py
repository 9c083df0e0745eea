"""Parsing in a process of its own, so that a worker writes one article's results on
one core while the next articles are parsed on another (a thread of the same
interpreter cannot: the interpreter lock lets one of them run Python at a time).
Plain Python, no Django.

    parser = ParseProcess()          # the process starts and loads the model, once
    parsing = parser.parse(texts)    # the texts go to the process at once
    for findings in parsing:         # each text's findings, in order, as soon as it is parsed
        ...
    parsing.close()                  # a parse still running is stopped (the process with it)
    parser.stop()

The process (``python -m quotes.extraction.parse_process``) reads a list of texts
from its standard input and writes back each text's findings, pickled, as soon as
it is parsed (two texts at a time, ``BATCH``). It holds one list at a time: a
caller that stops before the last text (its time limit, an error) ends the
process, and the next ``parse`` starts another, which loads the model again. The
process ends with its parent, and when its standard input closes.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib import import_module
from pathlib import Path
from typing import IO, Any, NoReturn

from .types import QuoteFinding

# What the process parses with: texts in, each text's findings out (``extract_many``).
PARSE = "quotes.extraction.extractor:extract_many"
# Texts parsed together: a pair costs less per text than one alone (``nlp.pipe`` batches the
# model's work), and the worker, writing faster than the parse, waits for a pair only at a
# chunk's start.
BATCH = 2
# Parsed once at the start: the model loaded and its first-call caches filled before any article.
_WARM_UP = "“We are ready,” she said on Monday."
# Where ``quotes`` is found, whatever the caller's working directory.
_ROOT = Path(__file__).resolve().parents[2]

Parse = Callable[[Iterable[str]], Iterable[list[QuoteFinding]]]


class ParseProcess:
    """One process that parses, started once and kept for every ``parse`` after
    (started again only when one had to be stopped, or died). ``parse`` names
    the function it parses with, as ``module:function`` (tests give their own)."""

    def __init__(self, parse: str = PARSE) -> None:
        self.parse_with = parse
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        """Start the process now (it loads the model while the caller goes on); ``parse``
        starts one as well when there is none."""
        if self._process is not None and self._process.poll() is None:
            return
        self.stop()
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__, self.parse_with, str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=_ROOT,
        )

    def parse(self, texts: Sequence[str]) -> Parsing:
        """The findings of each of ``texts``, parsed in the process, in order."""
        self.start()
        assert self._process is not None
        return Parsing(self, self._process, texts)

    def stop(self) -> None:
        """End the process and wait for it (no zombie is left). Closing its standard input
        ends it between two texts; one still parsing is killed."""
        process, self._process = self._process, None
        if process is None:
            return
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def kill(self) -> None:
        """End the process at once, whatever it is parsing, and wait for it."""
        if self._process is not None:
            self._process.kill()
        self.stop()


class Parsing:
    """One list of texts sent to the process: iterated, each text's findings in order,
    waiting for those not parsed yet. ``parse_s`` is the process's time parsing them;
    ``waited_s``, the caller's time waiting for them (the parse not hidden by the
    caller's own work meanwhile)."""

    def __init__(self, owner: ParseProcess, process: subprocess.Popen[bytes], texts: Sequence[str]) -> None:
        self.owner, self.process = owner, process
        self.parse_s = self.waited_s = 0.0
        self._expected = len(texts)
        if texts:
            assert process.stdin is not None
            try:
                pickle.dump(list(texts), process.stdin)
                process.stdin.flush()
            except BrokenPipeError:
                self._expected = 0
                self._died()

    def __iter__(self) -> Iterator[list[QuoteFinding]]:
        assert self.process.stdout is not None
        while self._expected:
            started = time.perf_counter()
            try:
                findings, seconds, error = pickle.load(self.process.stdout)
            except (EOFError, pickle.UnpicklingError):  # it died, perhaps while writing
                self._expected = 0
                self._died()
            finally:
                self.waited_s += time.perf_counter() - started
            self.parse_s += seconds
            if error is not None:
                self._expected = 0  # the process parses nothing more of this list
                raise error
            self._expected -= 1
            yield findings

    def close(self) -> None:
        """Stop the parse if texts are left: the process is killed (the next ``parse``
        starts another)."""
        if self._expected:
            self._expected = 0
            self.owner.kill()

    def _died(self) -> NoReturn:
        code = self.process.wait()
        self.owner.stop()
        raise RuntimeError(f"the parse process ended (exit status {code}) before it had parsed every text")


# --------------------------------------------------------------------------
# The process itself
# --------------------------------------------------------------------------


def _die_with(parent: int) -> None:
    """Be killed when the parent ends (a worker killed at its hard time limit closes
    no pipe in time): Linux's parent-death signal."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the signal was asked for
        sys.exit(0)


def _error(error: BaseException) -> BaseException:
    """``error`` if it can be sent back as it is, else a plain one that says it."""
    try:
        pickle.dumps(error)
    except Exception:  # noqa: BLE001 - any reason it cannot be pickled
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def serve(parse: Parse, texts_in: IO[bytes], findings_out: IO[bytes]) -> None:
    """Parse each list of texts read from ``texts_in``, ``BATCH`` texts at a time, writing
    back ``(findings, seconds, error)`` for each text until the list ends or a text's parse
    fails; return when ``texts_in`` closes."""
    for _ in parse([_WARM_UP]):  # the model loaded before the first list comes
        pass
    while True:
        try:
            texts: list[str] = pickle.load(texts_in)
        except EOFError:
            return
        replies = (
            reply
            for first in range(0, len(texts), BATCH)
            for reply in _parsed(parse, texts[first : first + BATCH])
        )
        for reply in replies:
            pickle.dump(reply, findings_out)
            findings_out.flush()
            if reply[2] is not None:
                break


def _parsed(
    parse: Parse, texts: list[str]
) -> Iterator[tuple[list[QuoteFinding] | None, float, BaseException | None]]:
    """``(findings, seconds, error)`` for each of ``texts``, parsed together; when that
    fails, one at a time up to the one that fails (each text before it is still sent)."""
    started = time.perf_counter()
    try:
        parsed = list(parse(texts))
    except Exception as error:  # noqa: BLE001 - sent to the caller, which raises it
        if len(texts) == 1:
            yield None, time.perf_counter() - started, _error(error)
            return
        for text in texts:
            (reply,) = _parsed(parse, [text])
            yield reply
            if reply[2] is not None:
                break
        return
    seconds = (time.perf_counter() - started) / len(texts)
    for findings in parsed:
        yield findings, seconds, None


def _function(name: str) -> Any:
    module, function = name.split(":")
    return getattr(import_module(module), function)


def main(argv: list[str]) -> None:
    parse_with, parent = argv
    _die_with(int(parent))
    # Ctrl-C in a terminal reaches the whole process group: the parent decides when this ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    # Findings go out on a descriptor of their own; whatever the parse prints goes to stderr.
    findings_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    with contextlib.suppress(BrokenPipeError):  # the parent is gone
        serve(_function(parse_with), sys.stdin.buffer, findings_out)


if __name__ == "__main__":
    main(sys.argv[1:])

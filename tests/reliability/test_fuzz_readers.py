"""Fuzzed readers: truncated and byte-flipped copies of small valid files.

Each reader, given a damaged file, either reads it (a flip can leave a valid file) or raises a
documented error: a ``ValueError`` whose message names the file, or an ``OSError`` — never an
``IndexError``, ``KeyError``, ``struct.error``, ``zlib.error``, ``UnicodeDecodeError`` or
another exception, and never a hang (each case runs under an alarm) or a crash. Genotypes are
computed, not only indexed, so that nothing hides behind laziness.

Cases run in-process. The exception is BGEN's zstd-compressed genotype blocks and BGEN files
without sample identifiers: damaged ones used to crash the interpreter inside cbgen, so those
are checked in a child process, where a crash fails the test instead of ending the run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .fixtures import FORMATS, READERS, write_fixture

#: Seconds one case may take before it counts as a hang.
HANG_SECONDS = 20


class Hang(BaseException):
    """Raised by the alarm: not an Exception, so no reader can swallow it."""


def _alarm(signum, frame):
    raise Hang(f"a reader took more than {HANG_SECONDS} s")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """Every format's fixture, once: (folder, path read, files to damage, their bytes)."""
    out = {}
    for fmt in FORMATS:
        folder = tmp_path_factory.mktemp(fmt)
        path, targets = write_fixture(fmt, folder)
        out[fmt] = (path, targets, [t.read_bytes() for t in targets])
    return out


def _check(fmt: str, path: Path) -> None:
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_SECONDS)
    try:
        READERS[fmt](path)
    except UnicodeDecodeError as e:  # a ValueError, but not one of ours
        pytest.fail(f"{fmt}: UnicodeDecodeError leaked: {e}")
    except ValueError as e:
        assert path.stem in str(e), f"{fmt}: the message does not name the file: {e}"
    except OSError:
        pass
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _damage(data: bytes, cut: int | None, flips: list[tuple[int, int]]) -> bytes:
    out = bytearray(data if cut is None else data[: cut % len(data)])
    for position, mask in flips:
        if out:
            out[position % len(out)] ^= mask
    return bytes(out)


IN_PROCESS = [f for f in FORMATS if f != "bgen-zstd"]

damages = st.tuples(
    st.one_of(st.none(), st.integers(0, 2**20)),
    st.lists(st.tuples(st.integers(0, 2**20), st.integers(1, 255)), max_size=4),
).filter(lambda d: d[0] is not None or d[1])


@pytest.mark.parametrize("fmt", IN_PROCESS)
def test_damaged_files_raise_documented_errors(pristine, fmt):
    path, targets, originals = pristine[fmt]

    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(which=st.integers(0, len(targets) - 1), damage=damages)
    def fuzz(which, damage):
        for target, data in zip(targets, originals, strict=True):
            target.write_bytes(data)
        targets[which].write_bytes(_damage(originals[which], *damage))
        _check(fmt, path)

    try:
        fuzz()
    finally:
        for target, data in zip(targets, originals, strict=True):
            target.write_bytes(data)


@pytest.mark.parametrize("fmt", IN_PROCESS)
def test_truncated_files_raise_documented_errors(pristine, fmt):
    """Every prefix of the first 64 bytes, then 64 evenly spaced lengths."""
    path, targets, originals = pristine[fmt]
    try:
        for target, data in zip(targets, originals, strict=True):
            size = len(data)
            for cut in sorted({*range(min(64, size)), *range(0, size, max(1, size // 64))}):
                target.write_bytes(data[:cut])
                _check(fmt, path)
            target.write_bytes(data)
    finally:
        for target, data in zip(targets, originals, strict=True):
            target.write_bytes(data)


def _in_child(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    root = str(Path(__file__).resolve().parents[2])
    script = textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script, root, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1"},
        check=False,
    )


def test_damaged_zstd_bgen_raises_value_error(tmp_path):
    """Every genotype block byte of a zstd file flipped (zstd frames carry no checksum)."""
    done = _in_child(
        """
        import json, sys
        from pathlib import Path
        sys.path.insert(0, sys.argv[1])
        import dask
        from tests.reliability.fixtures import write_bgen_file, read_bgen_dosage
        from limix.io import bgen
        dask.config.set(scheduler="synchronous")
        path = write_bgen_file(Path(sys.argv[2]), "zstd")
        pristine = path.read_bytes()
        data = bytearray(pristine)
        data[323] ^= 252  # inside the last variant's compressed block: its sample count
        path.write_bytes(bytes(data))
        try:
            read_bgen_dosage(path)
        except ValueError as e:
            print("ValueError", e)
        # then every byte of every genotype block, three ways (SIGSEGV for about 8% before)
        path.write_bytes(pristine)
        vaddr = bgen.read(path, verbose=False)["variants"]["vaddr"].tolist()
        outcomes = {}
        for v in vaddr:
            end = v + 4 + int.from_bytes(pristine[v : v + 4], "little")
            for at in range(v, end):
                for mask in (0x01, 0x80, 0xFF):
                    data = bytearray(pristine)
                    data[at] ^= mask
                    path.write_bytes(bytes(data))
                    try:
                        read_bgen_dosage(path)
                        outcome = "read"
                    except ValueError as e:
                        outcome = "ValueError" if path.name in str(e) else f"anonymous: {e}"
                    except Exception as e:
                        outcome = f"{type(e).__name__}: {e}"
                    outcomes[outcome] = outcomes.get(outcome, 0) + 1
        print(json.dumps(outcomes))
        """,
        tmp_path,
    )
    assert done.returncode == 0, f"child died (return code {done.returncode})"
    assert done.stdout.startswith("ValueError"), done.stdout
    outcomes = json.loads(done.stdout.splitlines()[-1])
    assert set(outcomes) <= {"read", "ValueError"}, outcomes
    assert outcomes["ValueError"] > 0


@pytest.mark.parametrize("nsamples", [7, 5, 2**31])
def test_bgen_header_sample_count_is_checked_without_sample_block(tmp_path, nsamples):
    done = _in_child(
        f"""
        import struct, sys
        from pathlib import Path
        import numpy as np
        sys.path.insert(0, sys.argv[1])
        from tests.limix.io.bgen_writer import Variant, write_bgen
        from limix.io import bgen
        rng = np.random.RandomState(2)
        variants = [
            Variant(f"v{{j}}", f"rs{{j}}", "1", j + 1, "AG", rng.dirichlet(np.ones(3), 6))
            for j in range(3)
        ]
        path = write_bgen(Path(sys.argv[2]) / "x.bgen", variants, 6, None)
        data = bytearray(path.read_bytes())
        struct.pack_into("<I", data, 12, {nsamples})  # the header's count; the blocks hold 6
        path.write_bytes(bytes(data))
        for read in (
            lambda: bgen.read_dosage(path, verbose=False).compute(),
            lambda: bgen.read(path, verbose=False)["genotype"][0].compute(),
        ):
            try:
                G = read()
                print("read", G)
            except ValueError as e:
                print("ValueError", e)
        """,
        tmp_path,
    )
    assert done.returncode == 0, f"child died (return code {done.returncode})"
    lines = done.stdout.splitlines()
    assert len(lines) == 2, done.stdout
    assert all(line.startswith("ValueError") and "x.bgen" in line for line in lines), lines

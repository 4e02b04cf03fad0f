"""BGEN variant indexes: bgenix's ``.bgi`` files (SQLite), read, and written as a cache.

A biobank BGEN file of a million variants takes seconds to index by walking its variant blocks
(:mod:`._index`), on every open. bgenix's index (``FILE.bgen.bgi``, an SQLite database with a
``Variant`` table: chromosome, position, rsid, number_of_alleles, allele1, allele2,
file_start_position, size_in_bytes) lists them instead; the standard library reads it.

It lacks two things the decoder needs: each variant's identifier (SNPID) and where its genotype
block starts (after the identifying data). Both are recovered from the file with vectorised
reads at the record starts the index gives (the SNPID's length, its bytes, and the block's
length field, which must end the record where the index says it ends — a stale or foreign
index is refused, and the file is walked instead). bgenix's columns are fetched whole, one
``group_concat`` each, rather than row by row. When limix walks a file, or first reads a
bgenix index, it caches the variant table as an SQLite file whose ``LimixColumns`` table holds
each column as one blob (SQLite's row-by-row traffic of 10⁶ rows takes seconds; blobs are
written and decoded in a fraction of one), so the next open reads the cache alone. It goes to
the user's cache folder (``$XDG_CACHE_HOME/limix/bgi``, by default ``~/.cache/limix/bgi``),
never beside the BGEN file: limix's readers write nothing next to the files they read. The
``Metadata`` table (file size, first 1000 bytes) ties an index to its file, so a changed file
is walked again.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ._header import BGENHeader
from ._index import read_variants

__all__ = ["cached_index_path", "read_bgi", "variant_table", "write_bgi"]

_FIRST_BYTES = 1000


def cached_index_path(bgen: Path) -> Path:
    """Where limix keeps the index of a BGEN file in a read-only folder."""
    root = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "limix" / "bgi"
    key = hashlib.sha256(str(bgen.resolve()).encode()).hexdigest()[:24]
    return root / f"{bgen.name}.{key}.bgi"


def _first_bytes(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read(_FIRST_BYTES)


def _matches(db: sqlite3.Connection, header: BGENHeader) -> bool:
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "Variant" not in tables and "LimixColumns" not in tables:
        return False
    if "Metadata" in tables:
        row = db.execute("SELECT file_size, first_1000_bytes FROM Metadata").fetchone()
        if row is not None and (
            int(row[0]) != header.filesize or bytes(row[1]) != _first_bytes(header.filepath)
        ):
            return False
    if "LimixColumns" in tables:  # limix's cache: its integer columns hold 8 bytes a variant
        row = db.execute("SELECT length(data) / 8 FROM LimixColumns WHERE name = 'pos'").fetchone()
        count = -1 if row is None else row[0]
    else:
        count = db.execute("SELECT COUNT(*) FROM Variant").fetchone()[0]
    return int(count) == header.nvariants


def _gather_u16(buf: np.ndarray, at: np.ndarray) -> np.ndarray:
    return buf[at].astype(np.int64) | (buf[at + 1].astype(np.int64) << 8)


def _gather_u32(buf: np.ndarray, at: np.ndarray) -> np.ndarray:
    out = np.zeros(at.size, dtype=np.int64)
    for k in range(4):
        out |= buf[at + k].astype(np.int64) << (8 * k)
    return out


def _strings(buf: np.ndarray, start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """The byte strings buf[start:start+length], decoded: one gather into a NUL-separated
    buffer, one decode, one split (no Python loop over the strings)."""
    if start.size == 0:
        return np.array([], dtype=object)
    total = int(length.sum())
    # the k-th string goes to its place in the output, shifted by the k separators before it
    where = np.cumsum(np.concatenate(([0], length[:-1] + 1)))
    out = np.zeros(total + start.size - 1, dtype=np.uint8)
    positions = np.repeat(where - np.concatenate(([0], np.cumsum(length)[:-1])), length)
    offsets = np.repeat(start - np.concatenate(([0], np.cumsum(length)[:-1])), length)
    within = np.arange(total)
    out[positions + within] = buf[offsets + within]
    return np.array(out.tobytes().decode().split("\x00"), dtype=object)


def _joined(text: str | None, count: int) -> tuple[np.ndarray, np.ndarray]:
    """A NUL-joined column as an object array of strings and their UTF-8 byte lengths."""
    if count == 0:
        return np.array([], dtype=object), np.array([], dtype=np.int64)
    data = (text or "").encode()
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 0)
    bounds = np.concatenate(([-1], ends, [len(data)]))
    return np.array(data.decode().split("\x00"), dtype=object), np.diff(bounds) - 1


def _integers(text: str | None, count: int) -> np.ndarray:
    """A comma-joined integer column (parsed in C; a short result means a malformed one)."""
    if count == 0 or not text:
        return np.array([], dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "could not be read to its end"
        return np.fromstring(text, dtype=np.int64, sep=",")


def _recover(
    header: BGENHeader,
    start: np.ndarray,
    size: np.ndarray,
    lengths: dict[str, np.ndarray],
) -> tuple[np.ndarray, np.ndarray] | None:
    """SNPIDs and genotype-block offsets from the file, checked against the index's sizes.

    ``lengths`` holds the UTF-8 byte lengths of each variant's rsid, chromosome and two
    alleles, which fix where its genotype block starts in a layout-2 record."""
    if len(start) and (
        start.min() < header.first_variant or (start + size).max() > header.filesize
    ):
        return None
    buf = np.memmap(header.filepath, dtype=np.uint8, mode="r")
    id_length = _gather_u16(buf, start)
    ids = _strings(buf, start + 2, id_length)
    rsid, chrom, allele1, allele2 = (lengths[c] for c in ("rsid", "chrom", "allele1", "allele2"))
    vaddr = start + 2 + id_length + 2 + rsid + 2 + chrom + 4 + 2 + 4 + allele1 + 4 + allele2
    if (vaddr + 4 > start + size).any():
        return None
    block = _gather_u32(buf, vaddr)
    if not np.array_equal(vaddr + 4 + block, start + size):
        return None
    return ids, vaddr


_STRINGS = ("id", "rsid", "chrom", "allele_ids")
_INTEGERS = ("pos", "nalleles", "vaddr")


def _own_columns(db: sqlite3.Connection) -> pd.DataFrame | None:
    """limix's cached table (one blob per column: decoding 10⁶ rows takes a fraction of a second,
    where SQLite's row-by-row fetch takes seconds)."""
    blobs = dict(db.execute("SELECT name, data FROM LimixColumns").fetchall())
    columns = {}
    for name in _STRINGS:
        columns[name] = np.array(bytes(blobs[name]).decode().split("\x00"), dtype=object)
    for name in _INTEGERS:
        columns[name] = np.frombuffer(bytes(blobs[name]), dtype="<i8").astype(np.int64)
    sizes = {len(c) for c in columns.values()}
    if len(sizes) != 1:
        return None
    return pd.DataFrame({name: columns[name] for name in (*_STRINGS[:3], "pos", "nalleles",
                                                          "allele_ids", "vaddr")})  # fmt: skip


#: bgenix's Variant columns, each fetched whole by one ``group_concat`` (SQLite builds the
#: string in C: fetching 10⁶ rows one by one as Python tuples takes seconds).
_TEXT_COLUMNS = {"chrom": "chromosome", "rsid": "rsid", "allele1": "allele1", "allele2": "allele2"}
_INT_COLUMNS = {
    "pos": "position",
    "nalleles": "number_of_alleles",
    "start": "file_start_position",
    "size": "size_in_bytes",
}


def _bgenix_columns(db: sqlite3.Connection, header: BGENHeader) -> pd.DataFrame | None:
    if header.layout != 2:  # the recovery below reads layout 2's record structure
        return None
    # all the aggregates of one SELECT walk the rows once, in one order, so the columns stay
    # aligned whatever order SQLite picks; the rows are put in file order below
    texts = [
        f"group_concat(ifnull(CAST({c} AS TEXT), ''), char(0))" for c in _TEXT_COLUMNS.values()
    ]
    ints = [f"group_concat(ifnull({c}, -1), ',')" for c in _INT_COLUMNS.values()]
    count, *row = db.execute(f"SELECT COUNT(*), {', '.join(texts + ints)} FROM Variant").fetchone()
    text_values = dict(zip(_TEXT_COLUMNS, row[: len(texts)], strict=True))
    int_values = dict(zip(_INT_COLUMNS, row[len(texts) :], strict=True))
    strings, lengths = {}, {}
    for name, text in text_values.items():
        strings[name], lengths[name] = _joined(text, count)
    numbers = {name: _integers(text, count) for name, text in int_values.items()}
    if any(len(v) != count for v in (*strings.values(), *numbers.values())):
        return None
    if (numbers["nalleles"] != 2).any():  # bgenix lists two alleles: walk instead
        return None
    order = np.argsort(numbers["start"], kind="stable")
    strings = {k: v[order] for k, v in strings.items()}
    lengths = {k: v[order] for k, v in lengths.items()}
    numbers = {k: v[order] for k, v in numbers.items()}
    recovered = _recover(header, numbers["start"], numbers["size"], lengths)
    if recovered is None:
        return None
    ids, vaddr = recovered
    alleles = np.char.add(np.char.add(strings["allele1"].astype(str), ","),
                          strings["allele2"].astype(str)).astype(object)  # fmt: skip
    return pd.DataFrame(
        {
            "id": ids,
            "rsid": strings["rsid"],
            "chrom": strings["chrom"],
            "pos": numbers["pos"],
            "nalleles": numbers["nalleles"],
            "allele_ids": alleles,
            "vaddr": vaddr,
        }
    )


def read_bgi(header: BGENHeader, index: Path | None = None) -> pd.DataFrame | None:
    """The variant table (as :func:`._index.read_variants` returns it) from an index, or None.

    Looks at ``index``, else limix's cached index, else ``FILE.bgi`` beside the BGEN file (a
    bgenix index read is then cached in limix's form, which opens faster). An index that does
    not match the file (another size or first bytes, another variant count, records that do
    not end where it says) is passed over, with a warning unless it is limix's own cache (then
    the file changed and is simply walked again).
    """
    cached = cached_index_path(header.filepath)
    candidates = [index] if index is not None else [cached, Path(str(header.filepath) + ".bgi")]
    for path in candidates:
        if path is None or not path.is_file():
            continue
        say = path != cached
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                if not _matches(db, header):
                    if say:
                        warnings.warn(f"'{path}' is not the index of '{header.filepath}': "
                                      "ignored.", stacklevel=3)  # fmt: skip
                    continue
                tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
                own = "LimixColumns" in tables
                variants = _own_columns(db) if own else _bgenix_columns(db, header)
        except (sqlite3.Error, KeyError, UnicodeDecodeError, ValueError) as error:
            warnings.warn(f"'{path}' is not a readable BGEN index ({error}): ignored.",
                          stacklevel=3)  # fmt: skip
            continue
        if variants is None or len(variants) != header.nvariants:
            warnings.warn(f"'{path}' does not describe '{header.filepath}': ignored.",
                          stacklevel=3)  # fmt: skip
            continue
        if not own and index is None:
            write_bgi(header, variants)
        return variants
    return None


def write_bgi(header: BGENHeader, variants: pd.DataFrame) -> Path | None:
    """Cache a walked variant table as an index in the user's cache folder (replacing a stale
    one). Returns where, or None when it cannot be written (a variant with more than two
    alleles, no variant, or no writable cache folder)."""
    if header.layout != 2 or not len(variants) or (variants["nalleles"] != 2).any():
        return None  # (layout 1: no block length to find record ends from)
    blobs = []
    for name in _STRINGS:
        # plain Python strings: a pandas string column is slow to iterate
        values = np.asarray(variants[name], dtype=object).tolist()
        try:
            joined = "\x00".join(values)
        except TypeError:  # not all strings
            joined = "\x00".join(str(v) for v in values)
        if joined.count("\x00") != len(values) - 1:
            return None  # a value holds the separator of the cached string columns
        blobs.append((name, joined.encode()))
    blobs += [(name, variants[name].to_numpy(dtype="<i8").tobytes()) for name in _INTEGERS]
    for target in (cached_index_path(header.filepath),):
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + f".{os.getpid()}.part")
            with sqlite3.connect(partial) as db:
                db.execute("CREATE TABLE LimixColumns (name TEXT PRIMARY KEY, data BLOB)")
                db.executemany("INSERT INTO LimixColumns VALUES (?, ?)", blobs)
                db.execute(
                    "CREATE TABLE Metadata (filename TEXT, file_size INT, last_write_time INT, "
                    "first_1000_bytes BLOB, index_creation_time INT)"
                )
                db.execute(
                    "INSERT INTO Metadata VALUES (?, ?, ?, ?, ?)",
                    (header.filepath.name, header.filesize, int(header.filepath.stat().st_mtime),
                     _first_bytes(header.filepath), int(time.time())),
                )  # fmt: skip
            os.replace(partial, target)
            return target
        except (OSError, sqlite3.Error):
            Path(str(target) + f".{os.getpid()}.part").unlink(missing_ok=True)
            continue
    return None


def variant_table(header: BGENHeader, index: Path | None = None) -> pd.DataFrame:
    """The variant table: from an index when one describes the file (:func:`read_bgi`), else
    by walking the variant blocks (:func:`._index.read_variants`), cached for the next open."""
    variants = read_bgi(header, index)
    if variants is None:
        variants = read_variants(header)
        write_bgi(header, variants)
    return variants

"""BGEN variant indexes: bgenix's ``.bgi`` files (SQLite), read, and written as a cache.

A biobank BGEN file of a million variants takes seconds to index by walking its variant blocks
(:mod:`._index`), on every open. bgenix's index (``FILE.bgen.bgi``, an SQLite database with a
``Variant`` table: chromosome, position, rsid, number_of_alleles, allele1, allele2,
file_start_position, size_in_bytes) lists them instead; the standard library reads it.

It lacks two things the decoder needs: each variant's identifier (SNPID) and where its genotype
block starts (after the identifying data). Both are recovered from the file with vectorised
reads at the record starts the index gives (the SNPID's length, its bytes, and the block's
length field, which must end the record where the index says it ends — a stale or foreign
index is refused, and the file is walked instead). When limix walks a file it writes an
index in bgenix's layout plus a ``LimixColumns`` table holding each column of the variant table
as one blob (SQLite's row-by-row fetch of 10⁶ rows takes seconds; blobs decode in a fraction of
one), so the next open reads the index alone. It goes to the user's cache folder
(``$XDG_CACHE_HOME/limix/bgi``, by default ``~/.cache/limix/bgi``), never beside the BGEN file:
limix's readers write nothing next to the files they read. The ``Metadata`` table (file size,
first 1000 bytes) ties an index to its file, so a changed file is walked again.
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
    if "Variant" not in tables:
        return False
    if "Metadata" in tables:
        row = db.execute("SELECT file_size, first_1000_bytes FROM Metadata").fetchone()
        if row is not None and (
            int(row[0]) != header.filesize or bytes(row[1]) != _first_bytes(header.filepath)
        ):
            return False
    count = db.execute("SELECT COUNT(*) FROM Variant").fetchone()[0]
    return int(count) == header.nvariants


def _gather_u16(buf: np.ndarray, at: np.ndarray) -> np.ndarray:
    return buf[at].astype(np.int64) | (buf[at + 1].astype(np.int64) << 8)


def _gather_u32(buf: np.ndarray, at: np.ndarray) -> np.ndarray:
    out = np.zeros(at.size, dtype=np.int64)
    for k in range(4):
        out |= buf[at + k].astype(np.int64) << (8 * k)
    return out


def _strings(buf: np.ndarray, start: np.ndarray, length: np.ndarray) -> list[str]:
    """The byte strings buf[start:start+length], decoded, in one gather."""
    if length.sum() == 0:
        return [""] * start.size
    offsets = np.repeat(start - np.concatenate(([0], np.cumsum(length)[:-1])), length)
    data = buf[offsets + np.arange(length.sum())].tobytes()
    ends = np.cumsum(length)
    return [data[e - n : e].decode() for e, n in zip(ends.tolist(), length.tolist(), strict=True)]


def _recover(header: BGENHeader, table: pd.DataFrame) -> pd.DataFrame | None:
    """SNPIDs and genotype-block offsets from the file, checked against the index's sizes."""
    start = table["file_start_position"].to_numpy(dtype=np.int64)
    size = table["size_in_bytes"].to_numpy(dtype=np.int64)
    if (table["number_of_alleles"] != 2).any():  # bgenix lists two alleles: walk instead
        return None
    if len(start) and (
        start.min() < header.first_variant or (start + size).max() > header.filesize
    ):
        return None
    buf = np.memmap(header.filepath, dtype=np.uint8, mode="r")
    id_length = _gather_u16(buf, start)
    ids = _strings(buf, start + 2, id_length)
    lengths = [table[c].astype(str).str.encode("utf-8").str.len().to_numpy(dtype=np.int64)
               for c in ("rsid", "chromosome", "allele1", "allele2")]  # fmt: skip
    rsid, chrom, allele1, allele2 = lengths
    vaddr = start + 2 + id_length + 2 + rsid + 2 + chrom + 4 + 2 + 4 + allele1 + 4 + allele2
    if (vaddr + 4 > start + size).any():
        return None
    block = _gather_u32(buf, vaddr)
    if not np.array_equal(vaddr + 4 + block, start + size):
        return None
    return pd.DataFrame({"id": ids, "vaddr": vaddr})


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


def _bgenix_columns(db: sqlite3.Connection, header: BGENHeader) -> pd.DataFrame | None:
    if header.layout != 2:  # the recovery below reads layout 2's record structure
        return None
    rows = db.execute(
        "SELECT chromosome, position, rsid, number_of_alleles, allele1, allele2, "
        "file_start_position, size_in_bytes FROM Variant"
    ).fetchall()
    names = ("chromosome", "position", "rsid", "number_of_alleles", "allele1", "allele2",
             "file_start_position", "size_in_bytes")  # fmt: skip
    table = pd.DataFrame(dict(zip(names, zip(*rows, strict=True), strict=True)) if rows else
                         {name: [] for name in names})  # fmt: skip
    table = table.sort_values("file_start_position", kind="stable").reset_index(drop=True)
    extra = _recover(header, table)
    if extra is None:
        return None
    return pd.DataFrame(
        {
            "id": extra["id"].astype(str).to_numpy(),
            "rsid": table["rsid"].astype(str).to_numpy(),
            "chrom": table["chromosome"].astype(str).to_numpy(),
            "pos": table["position"].to_numpy(dtype=np.int64),
            "nalleles": table["number_of_alleles"].to_numpy(dtype=np.int64),
            "allele_ids": (
                table["allele1"].astype(str) + "," + table["allele2"].astype(str)
            ).to_numpy(),
            "vaddr": extra["vaddr"].to_numpy(dtype=np.int64),
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
    if any(variants[name].astype(str).str.contains("\x00").any() for name in _STRINGS):
        return None  # the separator of the cached string columns
    alleles = variants["allele_ids"].str.split(",", n=1, expand=True)
    # a record starts at the previous record's end; the first at the file's first variant
    vaddr = variants["vaddr"].to_numpy(dtype=np.int64)
    ends = vaddr + 4 + _gather_u32(np.memmap(header.filepath, dtype=np.uint8, mode="r"), vaddr)
    starts = np.concatenate(([header.first_variant], ends[:-1]))
    rows = pd.DataFrame(
        {
            "chromosome": variants["chrom"], "position": variants["pos"],
            "rsid": variants["rsid"], "number_of_alleles": variants["nalleles"],
            "allele1": alleles[0], "allele2": alleles[1],
            "file_start_position": starts, "size_in_bytes": ends - starts,
        }
    )  # fmt: skip
    for target in (cached_index_path(header.filepath),):
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + f".{os.getpid()}.part")
            with sqlite3.connect(partial) as db:
                rows.to_sql("Variant", db, index=False)
                db.execute("CREATE TABLE LimixColumns (name TEXT PRIMARY KEY, data BLOB)")
                blobs = [(name, "\x00".join(variants[name].astype(str)).encode())
                         for name in _STRINGS]  # fmt: skip
                blobs += [(name, variants[name].to_numpy(dtype="<i8").tobytes())
                          for name in _INTEGERS]  # fmt: skip
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

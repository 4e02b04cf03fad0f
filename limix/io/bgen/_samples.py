"""Sample identifiers of a BGEN file: its own identifier block or an Oxford ``.sample`` file."""

from __future__ import annotations

import struct
from pathlib import Path

import pandas as pd

from .._file import existing_file, malformed
from .._oxford import read_oxford_sample
from ._header import BGENHeader

__all__ = ["read_samples"]


def _sample_block(header: BGENHeader) -> list[str]:
    path = header.filepath
    start = 4 + header.header_length
    end = header.first_variant
    with open(path, "rb") as f:
        f.seek(start)
        block = f.read(end - start)
    if len(block) < 8:
        raise malformed(path, "corrupt BGEN file: the sample identifier block is incomplete")
    length, nsamples = struct.unpack_from("<II", block)
    if length > len(block) or length < 8:
        raise malformed(
            path,
            f"corrupt BGEN file: the sample identifier block claims {length} bytes but "
            f"{len(block)} are available before the first variant",
        )
    if nsamples != header.nsamples:
        raise malformed(
            path,
            f"corrupt BGEN file: the header has {header.nsamples} samples but the sample "
            f"identifier block has {nsamples}",
        )
    ids = []
    pos = 8
    for i in range(nsamples):
        if pos + 2 > length:
            raise malformed(path, f"corrupt BGEN file: sample identifier {i} is incomplete")
        (n,) = struct.unpack_from("<H", block, pos)
        pos += 2
        if pos + n > length:
            raise malformed(path, f"corrupt BGEN file: sample identifier {i} is incomplete")
        try:
            ids.append(block[pos : pos + n].decode())
        except UnicodeDecodeError as e:
            raise malformed(path, f"corrupt BGEN file: sample identifier {i}: {e}") from None
        pos += n
    return ids


def read_samples(header: BGENHeader, samples_filepath: str | Path | None) -> pd.Series:
    """Sample identifiers as a Series named ``id`` (dtype object).

    Taken from ``samples_filepath`` (its first column) when given, else from the file's sample
    identifier block, else generated as ``sample_0``, ``sample_1``, ...
    """
    if samples_filepath is not None:
        path = existing_file(samples_filepath, "sample file")
        ids = read_oxford_sample(path).iloc[:, 0].tolist()
        if len(ids) != header.nsamples:
            raise ValueError(
                f"sample file '{path}' has {len(ids)} samples but the BGEN file "
                f"'{header.filepath}' has {header.nsamples}"
            )
    elif header.has_sample_ids:
        ids = _sample_block(header)
    else:
        ids = [f"sample_{i}" for i in range(header.nsamples)]
    return pd.Series(ids, dtype=object, name="id")

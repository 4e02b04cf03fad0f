"""Small valid files of every format limix reads, written by code (no shipped data).

Each ``write_*`` function writes one fixture into a folder and returns the path(s) the reader
takes; each ``read_*`` function runs the reader the way an analysis would, down to the values
(genotypes are computed, not only indexed), so that a corrupt file cannot hide behind laziness.
"""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
from bed_reader import to_bed

from limix.io import bgen, bimbam, csv, hdf5, npy, plink

from ..limix.io.bgen_writer import Variant, write_bgen

__all__ = ["FORMATS", "READERS", "write_damaged_hdf5", "write_fixture"]

NSAMPLES = 6
NVARIANTS = 5


def _genotypes() -> np.ndarray:
    random = np.random.RandomState(1)
    G = random.randint(0, 3, (NSAMPLES, NVARIANTS)).astype(float)
    G[1, 2] = np.nan
    return G


def write_plink(folder: Path) -> Path:
    """A PLINK 1 file set (.bed/.bim/.fam) of 6 samples and 5 variants; returns the .bed."""
    path = folder / "geno.bed"
    to_bed(
        path,
        _genotypes(),
        properties={
            "fid": [f"f{i}" for i in range(NSAMPLES)],
            "iid": [f"s{i}" for i in range(NSAMPLES)],
            "sid": [f"rs{j}" for j in range(NVARIANTS)],
            "chromosome": ["1"] * 3 + ["2"] * 2,
            "bp_position": [100 * (j + 1) for j in range(NVARIANTS)],
            "allele_1": ["A"] * NVARIANTS,
            "allele_2": ["G"] * NVARIANTS,
        },
    )
    return path


def read_plink(path: Path) -> object:
    bim, fam, G = plink.read(path.with_suffix(""), verbose=False)
    return bim, fam, G.compute()


def write_bgen_file(folder: Path, compression: str = "zlib") -> Path:
    """A BGEN v1.2 layout-2 file (6 samples with identifiers, 4 biallelic variants)."""
    random = np.random.RandomState(2)
    variants = []
    for j in range(4):
        probs = random.dirichlet(np.ones(3), NSAMPLES)
        missing = np.zeros(NSAMPLES, bool)
        missing[j] = True
        variants.append(
            Variant(f"v{j}", f"rs{j}", "1", 10 * (j + 1), ["A", "G"], probs, missing=missing)
        )
    path = folder / f"geno-{compression}.bgen"
    return write_bgen(
        path, variants, NSAMPLES, [f"s{i}" for i in range(NSAMPLES)], compression=compression
    )


def read_bgen(path: Path) -> object:
    data = bgen.read(path, verbose=False)
    probs = [data["genotype"][i].compute()["probs"] for i in range(len(data["variants"]))]
    return data["variants"], data["samples"], probs


def read_bgen_dosage(path: Path) -> object:
    return bgen.read_dosage(path, verbose=False).compute()


def write_hdf5(folder: Path) -> Path:
    """A limix-layout HDF5 file: phenotype and genotype groups with row and column headers."""
    path = folder / "data.h5"
    with h5py.File(path, "w") as f:
        g = f.create_group("phenotype")
        g["matrix"] = np.arange(12.0).reshape(4, 3)
        g["col_header/gene_ID"] = np.array([b"G1", b"G2", b"G3"])
        g["row_header/sample_ID"] = np.array([b"s1", b"s2", b"s3", b"s4"])
        g = f.create_group("genotype")
        g["matrix"] = np.arange(20.0).reshape(4, 5) % 3
        g["col_header/chrom"] = [1, 1, 1, 2, 2]
        g["col_header/pos"] = [10, 20, 30, 5, 15]
    return path


def read_hdf5(path: Path) -> object:
    data = hdf5.read_limix(path)
    return {k: v.values for k, v in data.items()}


def read_hdf5_lazy(path: Path) -> object:
    data = hdf5.read_limix(path, lazy=True)
    return {k: v.values for k, v in data.items()}


def read_hdf5_tree(path: Path) -> object:
    return hdf5.tree(path)


def read_hdf5_see(path: Path) -> object:
    from limix.cli._see import hdf5_tree

    return hdf5_tree(path)


def write_damaged_hdf5(folder: Path) -> dict[str, Path]:
    """Damaged copies of :func:`write_hdf5`'s file, by kind of damage.

    ``truncated``: cut at 2,000 bytes; ``flipped``: one byte flipped, the first at or after the
    middle of the file that makes its hierarchy unreadable; ``text``: a CSV table named .h5.
    """
    pristine = write_hdf5(folder)
    data = pristine.read_bytes()
    out = {"truncated": folder / "truncated.h5", "flipped": folder / "flipped.h5"}
    out["truncated"].write_bytes(data[:2000])
    for position in range(len(data) // 2, len(data)):
        damaged = bytearray(data)
        damaged[position] ^= 0xFF
        out["flipped"].write_bytes(bytes(damaged))
        try:
            hdf5.tree(out["flipped"])
        except ValueError:
            break
    else:
        raise AssertionError("no single flipped byte in the second half damages the file")
    out["text"] = folder / "text.h5"
    out["text"].write_text(CSV_TEXT)
    return out


CSV_TEXT = """\
sample,height,weight,age
s1,1.71,65.5,40
s2,1.62,58.0,35
s3,1.80,80.2,51
s4,1.75,NA,29
s5,1.68,62.1,63
"""


def write_csv(folder: Path) -> Path:
    path = folder / "pheno.csv"
    path.write_text(CSV_TEXT)
    return path


def read_csv(path: Path) -> object:
    return csv.read(path, verbose=False)


BIMBAM_TEXT = """\
1.2 -0.3 -1.5
NA 1.5 0.3
2.7 1.1 NA
-0.2 -0.7 0.8
3.3 2.4 2.1
"""


def write_bimbam(folder: Path) -> Path:
    path = folder / "pheno.gemma"
    path.write_text(BIMBAM_TEXT)
    return path


def read_bimbam(path: Path) -> object:
    return bimbam.read_phenotype(path, verbose=False)


def write_npy(folder: Path) -> Path:
    path = folder / "K.npy"
    np.save(path, np.eye(4) + 0.1)
    return path


def write_npz(folder: Path) -> Path:
    path = folder / "arrays.npz"
    np.savez(path, K=np.eye(3), G=np.arange(6.0).reshape(3, 2))
    return path


def write_npz_compressed(folder: Path) -> Path:
    path = folder / "arrays-deflate.npz"
    np.savez_compressed(path, K=np.eye(3), G=np.arange(6.0).reshape(3, 2))
    return path


def read_npy(path: Path) -> object:
    out = npy.read(path, verbose=False)
    if isinstance(out, dict):
        return {k: np.array(v) for k, v in out.items()}
    return np.array(out)  # touch every value of the memory map


def read_npy_loaded(path: Path) -> object:
    return npy.read(path, verbose=False, mmap=False)


#: format name → (writer, the files of the fixture to corrupt, reader)
FORMATS = {
    "plink-bed": (write_plink, (".bed",), read_plink),
    "plink-bim": (write_plink, (".bim",), read_plink),
    "plink-fam": (write_plink, (".fam",), read_plink),
    "bgen-read": (write_bgen_file, ("",), read_bgen),
    "bgen-dosage": (write_bgen_file, ("",), read_bgen_dosage),
    "bgen-zstd": (lambda folder: write_bgen_file(folder, "zstd"), ("",), read_bgen_dosage),
    "hdf5": (write_hdf5, ("",), read_hdf5),
    "hdf5-lazy": (write_hdf5, ("",), read_hdf5_lazy),
    "hdf5-tree": (write_hdf5, ("",), read_hdf5_tree),
    "hdf5-see": (write_hdf5, ("",), read_hdf5_see),
    "csv": (write_csv, ("",), read_csv),
    "bimbam": (write_bimbam, ("",), read_bimbam),
    "npy": (write_npy, ("",), read_npy),
    "npy-loaded": (write_npy, ("",), read_npy_loaded),
    "npz": (write_npz, ("",), read_npy),
    "npz-deflate": (write_npz_compressed, ("",), read_npy),
}

READERS = {name: reader for name, (_, _, reader) in FORMATS.items()}


def write_fixture(fmt: str, folder: Path) -> tuple[Path, list[Path]]:
    """Write the fixture of ``fmt``; return (the path the reader takes, the files to corrupt)."""
    writer, suffixes, _ = FORMATS[fmt]
    path = writer(folder)
    targets = [path if s == "" else path.with_suffix(s) for s in suffixes]
    return path, targets

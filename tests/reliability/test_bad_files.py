"""Truncated, corrupt and mislabelled files given to limix.io's readers (the rows of
docs/reliability.rst). Random damage is in test_fuzz_readers.py; these are the named cases.
"""

from __future__ import annotations

import gzip
import re
import shutil
import struct

import h5py
import numpy as np
import pytest

from limix.io import bgen, bimbam, csv, hdf5, npy, plink

from ..limix.io.bgen_writer import Variant, write_bgen
from . import fixtures as fx


@pytest.fixture
def files(tmp_path):
    return {
        "bed": fx.write_plink(tmp_path),
        "bgen": fx.write_bgen_file(tmp_path),
        "h5": fx.write_hdf5(tmp_path),
        "csv": fx.write_csv(tmp_path),
        "gemma": fx.write_bimbam(tmp_path),
        "npy": fx.write_npy(tmp_path),
        "npz": fx.write_npz(tmp_path),
    }


def _plink_set(files, folder, bed=None, bim=None, fam=None):
    """A PLINK file set 'g' in ``folder`` made of the given files (default: the fixture's)."""
    folder.mkdir(exist_ok=True)
    source = files["bed"]
    for suffix, given in ((".bed", bed), (".bim", bim), (".fam", fam)):
        shutil.copy(given or source.with_suffix(suffix), folder / ("g" + suffix))
    return folder / "g"


def _truncate(path, keep):
    data = path.read_bytes()
    path.write_bytes(data[:keep])
    return path


def _genotypes(prefix):
    return plink.read(prefix, verbose=False)[2].compute()


# -- PLINK ---------------------------------------------------------------------------------


def test_plink_truncated_bed(files, tmp_path):
    prefix = _plink_set(files, tmp_path / "t")
    _truncate(prefix.with_suffix(".bed"), -1)
    with pytest.raises(ValueError, match=r"truncated \.bed file: 12 bytes, .* need 13"):
        plink.read(prefix, verbose=False)


def test_plink_bed_with_extra_bytes(files, tmp_path):
    prefix = _plink_set(files, tmp_path / "t")
    with open(prefix.with_suffix(".bed"), "ab") as f:
        f.write(b"\0\0")
    with pytest.raises(ValueError, match=r"more than the 13 that 6 samples and 5 variants"):
        plink.read(prefix, verbose=False)


def test_plink_bed_that_is_a_bgen_file(files, tmp_path):
    prefix = _plink_set(files, tmp_path / "t", bed=files["bgen"])
    with pytest.raises(ValueError, match=r"not a PLINK 1 \.bed file \(wrong magic number\)"):
        plink.read(prefix, verbose=False)


def test_plink_missing_bed(files, tmp_path):
    prefix = _plink_set(files, tmp_path / "t")
    prefix.with_suffix(".bed").unlink()
    with pytest.raises(FileNotFoundError, match=r"PLINK \.bed file not found"):
        plink.read(prefix, verbose=False)


def test_plink_bim_cut_mid_line(files, tmp_path):
    prefix = _plink_set(files, tmp_path / "t")
    bim = prefix.with_suffix(".bim")
    bim.write_text(bim.read_text()[:-6])  # the last line loses its two allele columns
    with pytest.raises(ValueError, match=r"g\.bim"):
        plink.read(prefix, verbose=False)


def test_plink_fam_that_is_a_bim_file(files, tmp_path):
    """A .bim given as .fam: 5 "samples" instead of 6, the same number of bytes per variant in
    the .bed (the .bed does not store its sample count), so nothing can tell."""
    prefix = _plink_set(files, tmp_path / "t", fam=files["bed"].with_suffix(".bim"))
    G = _genotypes(prefix)
    assert G.shape == (5, 5)  # variants × samples: silently one sample short


def test_plink_fam_one_sample_short(files, tmp_path):
    prefix = _plink_set(files, tmp_path / "t")
    fam = prefix.with_suffix(".fam")
    fam.write_text("".join(fam.read_text().splitlines(keepends=True)[:-1]))
    assert _genotypes(prefix).shape == (5, 5)  # silently: 5 or 6 samples, 2 bytes per variant
    fam.write_text("".join(fam.read_text().splitlines(keepends=True)[:-1]))
    with pytest.raises(ValueError, match=r"more than the 8 that 4 samples and 5 variants"):
        plink.read(prefix, verbose=False)  # 4 samples: one byte per variant, not two


def test_plink_bim_that_is_a_fam_file(files, tmp_path):
    prefix = _plink_set(files, tmp_path / "t", bim=files["bed"].with_suffix(".fam"))
    with pytest.raises(ValueError, match=r"truncated \.bed file: 13 bytes, .* 6 variants"):
        plink.read(prefix, verbose=False)


# -- BGEN ----------------------------------------------------------------------------------


def test_bgen_truncated(files):
    path = _truncate(files["bgen"], -10)
    for read in (bgen.read, bgen.read_dosage):
        with pytest.raises(ValueError, match=r"truncated BGEN file: variant 3 of 4"):
            read(path, verbose=False)


def test_bgen_corrupt_compressed_block(files):
    path = files["bgen"]
    variants = bgen.read(path, verbose=False)["variants"]
    data = bytearray(path.read_bytes())
    data[int(variants["vaddr"].iloc[1]) + 12] ^= 0xFF  # inside variant 1's zlib stream
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"truncated or corrupt BGEN genotype block at byte"):
        bgen.read_dosage(path, verbose=False).compute()
    with pytest.raises(ValueError, match=r"truncated or corrupt BGEN genotype block"):
        bgen.read(path, verbose=False)["genotype"][1].compute()


def test_bgen_header_and_sample_block_disagree(files):
    path = files["bgen"]
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, 12, 7)  # the header's sample count
    path.write_bytes(bytes(data))
    message = r"the header has 7 samples but the sample identifier block has 6"
    for read in (bgen.read, bgen.read_dosage):  # read_dosage: fixed by this sweep
        with pytest.raises(ValueError, match=message):
            read(path, verbose=False)


def test_bgen_that_is_not_bgen(files):
    with pytest.raises(ValueError, match=r"not a BGEN file \(magic number b'ight'\)"):
        bgen.read(files["csv"], verbose=False)
    with pytest.raises(ValueError, match=r"too short for a BGEN file \(13 bytes\)"):
        bgen.read_dosage(files["bed"], verbose=False)


def test_bgen_layouts_cbgen_cannot_decode(tmp_path):
    """Layout 1 and uncompressed layout 2 are read (they were refused); a layout-1 variant that
    states another sample count than the header is an error naming the file."""
    probs = np.random.RandomState(0).dirichlet(np.ones(3), 4)
    variants = [Variant("v", "r", "1", 1, ["A", "G"], probs)]
    expected = probs[:, 1] + 2 * probs[:, 2]
    layout1 = write_bgen(tmp_path / "l1.bgen", variants, 4, None, layout=1)
    np.testing.assert_allclose(bgen.read_dosage(layout1, verbose=False).compute()[:, 0],
                               expected, atol=1e-4)  # fmt: skip
    raw = write_bgen(tmp_path / "raw.bgen", variants, 4, None, compression=None)
    np.testing.assert_allclose(bgen.read_dosage(raw, verbose=False).compute()[:, 0],
                               expected, atol=2e-2)  # 8-bit probabilities  # fmt: skip
    data = bytearray(layout1.read_bytes())
    first = int.from_bytes(data[:4], "little") + 4
    data[first : first + 4] = (5).to_bytes(4, "little")  # the variant says 5 samples, not 4
    (tmp_path / "bad1.bgen").write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"bad1\.bgen': corrupt BGEN file: variant 0 holds 5"):
        bgen.read(tmp_path / "bad1.bgen", verbose=False)


# -- HDF5 ----------------------------------------------------------------------------------


def test_hdf5_truncated(files):
    path = _truncate(files["h5"], 2000)
    with pytest.raises(ValueError, match=r"data\.h5"):
        hdf5.read_limix(path)


def test_hdf5_that_is_not_hdf5(files):
    with pytest.raises(ValueError, match=r"pheno\.csv': not an HDF5 file"):
        hdf5.read_limix(files["csv"])


def test_hdf5_other_layouts(tmp_path):
    with h5py.File(tmp_path / "other.h5", "w") as f:
        f["x"] = np.ones(3)
    with pytest.raises(ValueError, match=r"neither a '/phenotype' nor a '/genotype' group"):
        hdf5.read_limix(tmp_path / "other.h5")
    with h5py.File(tmp_path / "flat.h5", "w") as f:
        f["genotype/matrix"] = np.ones(3)
    with pytest.raises(ValueError, match=r"'/genotype/matrix' is not a 2-D dataset"):
        hdf5.read_limix(tmp_path / "flat.h5")
    with h5py.File(tmp_path / "short.h5", "w") as f:
        f["genotype/matrix"] = np.ones((3, 2))
        f["genotype/row_header/sample_ID"] = np.array([b"a", b"b"])
    with pytest.raises(ValueError, match=r"sample_ID' has shape \(2,\), but .* has 3 rows"):
        hdf5.read_limix(tmp_path / "short.h5")
    with h5py.File(tmp_path / "group.h5", "w") as f:  # fixed by this sweep (AttributeError)
        f["genotype/matrix"] = np.ones((3, 2))
        f.create_group("genotype/row_header/sample_ID")
    with pytest.raises(ValueError, match=r"'/genotype/row_header/sample_ID' is not a dataset"):
        hdf5.read_limix(tmp_path / "group.h5")


@pytest.mark.parametrize("damage", ["truncated", "flipped", "text"])
def test_hdf5_tree_views_of_damaged_files(tmp_path, damage):
    """Both tree views (``hdf5.tree`` and ``limix see``'s) name the damaged file."""
    from limix.cli._see import hdf5_tree

    path = fx.write_damaged_hdf5(tmp_path)[damage]
    problem = "not an HDF5 file" if damage == "text" else "unreadable HDF5 file: "
    for view in (hdf5.tree, hdf5_tree):
        with pytest.raises(ValueError, match=re.escape(f"'{path}': {problem}")):
            view(path)


def test_hdf5_tree_views_of_cycles_and_committed_datatypes(tmp_path):
    """A group linked into itself is listed once; a committed datatype shows its type."""
    from limix.cli._see import hdf5_tree

    with h5py.File(tmp_path / "odd.h5", "w") as f:
        f["a/x"] = np.zeros(2)
        f["a/again"] = f["a"]  # a cycle (before: RecursionError)
        f["t"] = np.dtype("int32")  # before: AttributeError
    assert hdf5.tree(tmp_path / "odd.h5") == (
        "/\n├── a/\n│   ├── again/\n│   └── x [float64, (2,)]\n└── t [datatype int32]"
    )
    assert hdf5_tree(tmp_path / "odd.h5") == (
        "/\n  +--a\n  |  +--again\n  |  +--x [float64, (2,), None]\n  +--t [datatype int32]"
    )


# -- CSV and BIMBAM ------------------------------------------------------------------------


def test_csv_truncated_mid_row(files):
    path = _truncate(files["csv"], -10)
    with pytest.raises(ValueError, match=r"ragged CSV file: line 6 has 2 fields, expected 4"):
        csv.read(path, verbose=False)


def test_csv_that_is_binary(files):
    for key in ("h5", "bgen", "bed"):
        with pytest.raises(ValueError, match=r"not a readable text file: 'utf-8' codec"):
            csv.read(files[key], verbose=False)


def test_csv_named_gz_but_plain(tmp_path):
    path = tmp_path / "table.csv.gz"
    path.write_text(fx.CSV_TEXT)
    with pytest.raises(ValueError, match=r"not a readable text file: Not a gzipped file"):
        csv.read(path, verbose=False)
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(gzip.compress(fx.CSV_TEXT.encode())[:-12])
    with pytest.raises(ValueError, match=r"cut\.csv\.gz"):
        csv.read(path, verbose=False)


def test_csv_empty_and_latin1(tmp_path):
    (tmp_path / "e.csv").write_text("")
    with pytest.raises(ValueError, match=r"empty CSV file"):
        csv.read(tmp_path / "e.csv", verbose=False)
    (tmp_path / "l.csv").write_bytes("a,b\nx\xe9,1\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"not a readable text file"):
        csv.read(tmp_path / "l.csv", verbose=False)


def test_bimbam_given_a_csv(files):
    with pytest.raises(ValueError, match=r"could not convert string to float"):
        bimbam.read_phenotype(files["csv"], verbose=False)


def test_bimbam_truncated(files):
    path = _truncate(files["gemma"], -5)
    with pytest.raises(ValueError, match=r"line 5 has 2 values, but the first line has 3"):
        bimbam.read_phenotype(path, verbose=False)


# -- NumPy ---------------------------------------------------------------------------------


def test_npy_truncated(files):
    path = _truncate(files["npy"], -8)
    for mmap in (True, False):
        with pytest.raises(ValueError, match=r"not a valid \.npy file \(or truncated\)"):
            npy.read(path, verbose=False, mmap=mmap)


def test_npy_given_text(files):
    # fixed by this sweep: numpy's message was about pickled data
    with pytest.raises(ValueError, match=r"not a valid \.npy file \(no NumPy magic number\)"):
        npy.read(files["csv"], verbose=False)


def test_npz_truncated(files):
    # fixed by this sweep: zipfile.BadZipFile
    path = _truncate(files["npz"], -30)
    with pytest.raises(ValueError, match=r"arrays\.npz"):
        npy.read(path, verbose=False)


def test_npy_damaged_header(files):
    # fixed by this sweep: tokenize.TokenError from numpy's header parser
    path = files["npy"]
    data = bytearray(path.read_bytes())
    data[65] ^= 232
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"K\.npy"):
        npy.read(path, verbose=False)


def test_npy_with_pickled_objects(tmp_path):
    np.save(tmp_path / "o.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError, match=r"o\.npy"):
        npy.read(tmp_path / "o.npy", verbose=False)


# -- paths ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "read",
    [
        lambda p: csv.read(p, verbose=False),
        lambda p: bgen.read(p, verbose=False),
        lambda p: hdf5.read_limix(p),
        lambda p: npy.read(p, verbose=False),
        lambda p: bimbam.read_phenotype(p, verbose=False),
    ],
    ids=["csv", "bgen", "hdf5", "npy", "bimbam"],
)
def test_missing_file_and_directory(tmp_path, read):
    with pytest.raises(FileNotFoundError, match=r"not found"):
        read(tmp_path / "missing")
    with pytest.raises(IsADirectoryError, match=r"is a directory, not a file"):
        read(tmp_path)

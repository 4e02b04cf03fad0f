import subprocess
import sys

import h5py
import numpy as np
import pytest

from limix.io import examples

from .make_examples import EXAMPLES, write_examples

#: Shipped examples converted by plink2 and bcftools (make_plink2_vcf_fixtures.sh), not written
#: by make_examples.py; tests/limix/io/test_plink2_vcf.py checks them against data.bed.
CONVERTED = ("data.pgen", "data.psam", "data.pvar", "data.vcf.gz", "data.vcf.gz.tbi")


def test_shipped_examples_are_what_the_script_writes(tmp_path):
    written = write_examples(tmp_path)
    assert [p.name for p in written] == [n for n in examples.names() if n not in CONVERTED]
    for path in written:
        shipped = examples.get(path.name)
        if path.suffix == ".hdf5":  # compare content: HDF5 bytes may vary across versions
            with h5py.File(path) as a, h5py.File(shipped) as b:
                names = []
                a.visit(names.append)
                other = []
                b.visit(other.append)
                assert names == other
                for name in names:
                    if isinstance(a[name], h5py.Dataset):
                        np.testing.assert_array_equal(a[name][()], b[name][()])
        else:
            assert path.read_bytes() == shipped.read_bytes(), path.name


def test_examples_folder():
    assert examples.get("haplotypes.bgen") == EXAMPLES / "haplotypes.bgen"
    assert all(examples.get(name).stat().st_size < 20_000 for name in examples.names())
    with pytest.raises(ValueError, match="unknown example file"):
        examples.get("nothing.bgen")


def test_readers_are_imported_on_first_use():
    code = (
        "import sys, limix; "
        "loaded = sorted(m for m in sys.modules if m.startswith('limix.io.') "
        "or m in ('zstandard', 'bed_reader', 'h5py')); "
        "print(loaded); limix.io.npy; print('limix.io.npy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["[]", "True"]


def test_io_namespace():
    import limix

    assert set(limix.io.__all__) <= set(dir(limix.io))
    for name in ("bgen", "bimbam", "csv", "gen", "hdf5", "npy", "plink"):
        assert getattr(limix.io, name).__name__ == f"limix.io.{name}"
    with pytest.raises(AttributeError):
        limix.io.not_a_reader

import dask.array as da
import h5py
import numpy as np
import pytest
import xarray as xr

from limix.io import examples, hdf5


def _limix_file(path, with_genotype=True, with_phenotype=True):
    with h5py.File(path, "w") as f:
        if with_phenotype:
            g = f.create_group("phenotype")
            g["matrix"] = np.arange(12.0).reshape(4, 3)
            g["col_header/gene_ID"] = np.array([b"G1", b"G2", b"G3"])  # fixed-length bytes
            g.create_dataset(
                "col_header/gene_strand", data=["C", "W", "W"], dtype=h5py.string_dtype()
            )
            g["col_header/environment"] = [0.0, 1.0, 1.0]
            g["row_header/sample_ID"] = np.array([b"s1", b"s2", b"s3", b"s4"])
        if with_genotype:
            g = f.create_group("genotype")
            g["matrix"] = np.arange(20.0).reshape(4, 5) % 3
            g["col_header/chrom"] = [1, 1, 1, 2, 2]
            g["col_header/pos"] = [10, 20, 30, 5, 15]
    return path


def test_manual_layout():
    data = hdf5.read_limix(examples.get("example.hdf5"))
    assert list(data) == ["phenotype", "genotype"]
    Y, G = data["phenotype"], data["genotype"]
    assert isinstance(Y, xr.DataArray) and Y.name == "phenotype"
    assert Y.dims == ("sample", "outcome") and Y.shape == (5, 3)
    assert G.dims == ("sample", "candidate") and G.shape == (5, 4)
    assert Y.sample.dtype == np.int64 and Y.sample.values.tolist() == [0, 1, 2, 3, 4]
    assert list(Y.coords) == ["sample", "environment", "gene_ID", "gene_start"]
    assert list(G.coords) == ["sample", "chrom", "pos", "pos_cum"]
    assert Y["gene_ID"].dtype == object and Y["gene_ID"].values.tolist()[0] == "YOL161C"
    assert "Dimensions without coordinates: outcome" in str(Y)
    # the manual's selections work
    y = Y[:, (Y["gene_ID"] == "YJR107W") & (Y["environment"] == 0.0)]
    assert y.shape == (5, 1) and y["gene_start"].item() == 627333
    assert G[:, G["pos"] >= 484].shape == (5, 2)
    K = np.dot(G, G.T)
    assert K.shape == (5, 5)


def test_strings_and_sample_ids(tmp_path):
    data = hdf5.read_limix(_limix_file(tmp_path / "a.h5"))
    Y = data["phenotype"]
    assert Y.sample.values.tolist() == ["s1", "s2", "s3", "s4"]
    assert Y["gene_ID"].values.tolist() == ["G1", "G2", "G3"]
    assert Y["gene_strand"].values.tolist() == ["C", "W", "W"]
    assert data["genotype"].sample.values.tolist() == [0, 1, 2, 3]
    np.testing.assert_array_equal(data["genotype"].values, np.arange(20.0).reshape(4, 5) % 3)


def test_lazy(tmp_path):
    path = _limix_file(tmp_path / "a.h5")
    eager = hdf5.read_limix(path)
    lazy = hdf5.read_limix(path, lazy=True)
    for name in ("phenotype", "genotype"):
        assert isinstance(lazy[name].data, da.Array)
        xr.testing.assert_identical(lazy[name].compute(), eager[name])


def test_one_group_is_enough(tmp_path):
    data = hdf5.read_limix(_limix_file(tmp_path / "a.h5", with_phenotype=False))
    assert list(data) == ["genotype"]


def test_malformed(tmp_path):
    path = tmp_path / "a.h5"
    with h5py.File(path, "w") as f:
        f["other/matrix"] = np.eye(2)
    with pytest.raises(ValueError, match="neither a '/phenotype' nor a '/genotype'") as info:
        hdf5.read_limix(path)
    assert "a.h5" in str(info.value)

    with h5py.File(path, "w") as f:
        f["genotype/data"] = np.eye(2)
    with pytest.raises(ValueError, match="no 'matrix' dataset"):
        hdf5.read_limix(path)

    with h5py.File(path, "w") as f:
        f["genotype/matrix"] = np.ones(3)
    with pytest.raises(ValueError, match="not a 2-D dataset"):
        hdf5.read_limix(path)

    with h5py.File(path, "w") as f:
        f["genotype/matrix"] = np.ones((2, 3))
        f["genotype/col_header/pos"] = [1, 2]
    with pytest.raises(ValueError, match="col_header/pos' has shape"):
        hdf5.read_limix(path)

    with h5py.File(path, "w") as f:
        f["genotype/matrix"] = np.ones((2, 3))
        f["genotype/row_header/sample_ID"] = [1, 2, 3]
    with pytest.raises(ValueError, match="sample_ID' has shape"):
        hdf5.read_limix(path)

    path.write_text("not hdf5")
    with pytest.raises(ValueError, match="not an HDF5 file"):
        hdf5.read_limix(path)
    with pytest.raises(ValueError, match="not an HDF5 file"):
        hdf5.tree(path)
    with pytest.raises(FileNotFoundError):
        hdf5.read_limix(tmp_path / "none.h5")


def test_truncated_file(tmp_path):
    path = _limix_file(tmp_path / "a.h5")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"a\.h5"):
        hdf5.read_limix(path)
    with pytest.raises(ValueError, match=r"a\.h5"):
        hdf5.tree(path)


def test_tree_of_any_file_with_links(tmp_path, capsys):
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["x"] = [1]
    path = tmp_path / "t.h5"
    with h5py.File(path, "w") as f:
        f["a/b/c"] = np.zeros((2, 3), dtype=np.float32)
        f.create_dataset("names", data=["x"], dtype=h5py.string_dtype())
        f["soft"] = h5py.SoftLink("/a/b")
        f["ext"] = h5py.ExternalLink("missing.h5", "/x")
    expected = "\n".join(
        [
            "/",
            "├── a/",
            "│   └── b/",
            "│       └── c [float32, (2, 3)]",
            "├── ext -> missing.h5:/x",
            "├── names [str, (1,)]",
            "└── soft -> /a/b",
        ]
    )
    assert hdf5.tree(path) == expected
    hdf5.see(path)
    assert capsys.readouterr().out == expected + "\n"

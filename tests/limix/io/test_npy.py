import numpy as np
import pytest

from limix.io import examples, npy

MANUAL = """\
[[0.67003303 0.09512837 0.09346511 0.09252165 0.09679249]
 [0.09512837 0.66972454 0.09344451 0.09109398 0.09347495]
 [0.09346511 0.09344451 0.67305621 0.08987969 0.09689215]
 [0.09252165 0.09109398 0.08987969 0.67209248 0.09378162]
 [0.09679249 0.09347495 0.09689215 0.09378162 0.66773896]]"""


def test_manual_example():
    K = npy.read(examples.get("example.npy"), verbose=False)
    assert str(K) == MANUAL


def test_memory_mapped_read_only(tmp_path):
    path = tmp_path / "a.npy"
    np.save(path, np.arange(6.0).reshape(2, 3))
    A = npy.read(path, verbose=False)
    assert isinstance(A, np.memmap)
    with pytest.raises(ValueError, match="read-only"):
        A[0, 0] = 1.0
    B = npy.read(path, verbose=False, mmap=False)
    assert type(B) is np.ndarray
    np.testing.assert_array_equal(A, B)
    np.testing.assert_array_equal(np.load(path), np.arange(6.0).reshape(2, 3))


def test_npz(tmp_path):
    path = tmp_path / "a.npz"
    np.savez(path, K=np.eye(2), y=np.array([1, 2]))
    data = npy.read(path, verbose=False)
    assert sorted(data) == ["K", "y"]
    np.testing.assert_array_equal(data["y"], [1, 2])


def test_verbose(capsys):
    npy.read(examples.get("example.npy"))
    assert "example.npy" in capsys.readouterr().out


def test_bad_files(tmp_path):
    path = tmp_path / "a.npy"
    np.save(path, np.arange(100.0))
    data = path.read_bytes()
    path.write_bytes(data[:-8])
    for mmap in (True, False):
        with pytest.raises(ValueError, match=r"a\.npy"):
            npy.read(path, verbose=False, mmap=mmap)
    path.write_text("not numpy")
    with pytest.raises(ValueError, match=r"not a valid \.npy"):
        npy.read(path, verbose=False)
    np.save(path, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError, match=r"a\.npy"):
        npy.read(path, verbose=False)
    z = tmp_path / "b.npz"
    np.savez(z, a=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ValueError, match=r"b.npz"):
        npy.read(z, verbose=False)
    with pytest.raises(FileNotFoundError):
        npy.read(tmp_path / "none.npy", verbose=False)

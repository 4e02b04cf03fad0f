import dask.array as da
import numpy as np
import pytest

from limix.io import examples, gen

SAMPLE = "ID_1 ID_2 missing\n0 0 0\na a 0\nb b 0\n"


def _write(tmp_path, gen_text, sample_text=SAMPLE, name="x"):
    (tmp_path / f"{name}.gen").write_text(gen_text)
    if sample_text is not None:
        (tmp_path / f"{name}.sample").write_text(sample_text)
    return str(tmp_path / name)


def test_example():
    data = gen.read(str(examples.get("example.gen"))[:-4], verbose=False)
    v = data["variants"]
    assert list(v.columns) == ["chrom", "snpid", "rsid", "pos", "a0", "a1", "i"]
    assert v["rsid"].tolist() == ["rs1", "rs2", "rs3"]
    assert v["pos"].dtype == np.int64 and v["pos"].tolist() == [1000, 2000, 3000]
    assert data["samples"]["ID_1"].tolist() == ["s1", "s2", "s3"]
    assert list(data["samples"].columns) == ["ID_1", "ID_2", "missing", "sex"]
    G = data["genotype"]
    assert isinstance(G, da.Array) and G.shape == (3, 3, 3)
    expected = np.array(
        [
            [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
            [[0.9, 0.1, 0], [np.nan] * 3, [0.2, 0.3, 0.5]],
            [[0, 0, 1], [1, 0, 0], [0, 1, 0]],
        ]
    )
    np.testing.assert_array_equal(G.compute(), expected)


def test_five_leading_columns_and_blocks(tmp_path):
    rng = np.random.default_rng(3)
    probs = rng.dirichlet(np.ones(3), size=(7, 2)).round(4)
    lines = [
        f"snp{j} rs{j} {100 * j} A G " + " ".join(map(str, probs[j].ravel())) for j in range(7)
    ]
    prefix = _write(tmp_path, "\n".join(lines))  # no final newline
    data = gen.read(prefix + ".gen", verbose=False, chunk_size=3)
    assert data["variants"]["chrom"].isna().all()
    assert data["variants"]["snpid"].tolist() == [f"snp{j}" for j in range(7)]
    G = data["genotype"]
    assert G.chunks[0] == (3, 3, 1)
    np.testing.assert_array_equal(G.compute(), probs)
    np.testing.assert_array_equal(G[4:6, 1].compute(), probs[4:6, 1])


def test_verbose(tmp_path, capsys):
    gen.read(str(examples.get("example.gen"))[:-4])
    assert "3 variants, 3 samples" in capsys.readouterr().out


def test_missing_files(tmp_path):
    prefix = _write(tmp_path, "1 s r 1 A G 1 0 0 1 0 0\n", sample_text=None)
    with pytest.raises(FileNotFoundError, match=r"\.sample"):
        gen.read(prefix, verbose=False)
    with pytest.raises(FileNotFoundError, match=r"\.gen"):
        gen.read(str(tmp_path / "none"), verbose=False)


def test_wrong_number_of_fields(tmp_path):
    prefix = _write(tmp_path, "1 s r 1 A G 1 0 0 1\n")  # 2 samples: 5 or 6 + 6 fields
    with pytest.raises(ValueError, match="line 1 has 10 fields") as info:
        gen.read(prefix, verbose=False)
    assert "x.gen" in str(info.value)


def test_truncated_last_line_reported_at_once(tmp_path):
    prefix = _write(tmp_path, "1 s r 1 A G 1 0 0 1 0 0\n1 t q 2 A G 1 0 0 0.")
    with pytest.raises(ValueError, match="line 2 does not have 12"):
        gen.read(prefix, verbose=False)


def test_ragged_line_reported_when_read(tmp_path):
    good = "1 s r 1 A G 1 0 0 1 0 0\n"
    prefix = _write(tmp_path, good * 3 + "1 s r 1 A G 1 0 0 1\n" + good * 3)
    G = gen.read(prefix, verbose=False, chunk_size=2)["genotype"]
    G[:2].compute()
    with pytest.raises(ValueError, match="line 4 does not have 12"):
        G.compute()
    prefix = _write(tmp_path, good + "1 s r 1 A G 1 0 0 1 x 0\n" + good)
    with pytest.raises(ValueError, match=r"x\.gen"):
        gen.read(prefix, verbose=False)["genotype"].compute()


def test_malformed_sample_file(tmp_path):
    prefix = _write(tmp_path, "1 s r 1 A G 1 0 0 1 0 0\n", "ID_1 ID_2 missing\na a 0\nb b 0\n")
    with pytest.raises(ValueError, match="type code"):
        gen.read(prefix, verbose=False)
    prefix = _write(tmp_path, "1 s r 1 A G 1 0 0 1 0 0\n", SAMPLE + "c c\n")
    with pytest.raises(ValueError, match="every line must have 3 fields"):
        gen.read(prefix, verbose=False)


def test_empty_gen_file(tmp_path):
    prefix = _write(tmp_path, "")
    with pytest.raises(ValueError, match="empty GEN file"):
        gen.read(prefix, verbose=False)

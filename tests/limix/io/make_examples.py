"""Write the tiny example files shipped in ``limix/io/_examples``.

Run ``python -m tests.limix.io.make_examples`` from the repository root to regenerate them;
``test_examples.py`` checks that the shipped files are exactly what this script writes.
The BGEN, BIMBAM and NumPy examples reproduce the files of the reference manual's examples.
"""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
from bed_reader import to_bed

from .bgen_writer import Variant, write_bgen

__all__ = ["EXAMPLES", "write_examples"]

EXAMPLES = Path(__file__).resolve().parents[3] / "limix" / "io" / "_examples"

# Phased haplotypes (rows: samples; columns: haplotype 1 A, G, haplotype 2 A, G).
HAPLOTYPES = [
    [[1, 0, 1, 0], [0, 1, 1, 0], [1, 0, 0, 1], [0, 1, 0, 1]],
    [[0, 1, 0, 1], [1, 0, 0, 1], [0, 1, 1, 0], [1, 0, 1, 0]],
    [[1, 0, 0, 1], [0, 1, 1, 0], [1, 0, 1, 0], [0, 1, 0, 1]],
    [[0, 1, 1, 0], [1, 0, 0, 1], [0, 1, 0, 1], [1, 0, 1, 0]],
]

PHENOTYPE_GEMMA = """\
1.2 -0.3 -1.5
NA 1.5 0.3
2.7 1.1 NA
-0.2 -0.7 0.8
3.3 2.4 2.1
"""

# GEMMA's mean-genotype layout: ID, counted allele, other allele, one dosage per sample — the
# genotypes of data.bed (counting its sixth-column allele), NA where data.bed has none.
MEAN_GENO = """\
rs10, G, A, 0, 1, 2, 0, 1
rs20, T, C, 1, 1, 0, 2, 0
rs30, A, G, 2, NA, 1, 0, 1
rs40, C, T, 0, 2, 1, NA, 2
"""

EXPR_CSV = """\
,HG00111,HG00112,HG00116,HG00121
gene1,-3.75235,-0.42113,-0.53629,-0.90768
gene2,-0.35145,1.28258,-2.83505,0.32953
gene3,-1.31997,1.08197,0.28400,-0.41318
"""

# The kinship matrix printed by the manual's NumPy example.
KINSHIP = [
    [0.67003303, 0.09512837, 0.09346511, 0.09252165, 0.09679249],
    [0.09512837, 0.66972454, 0.09344451, 0.09109398, 0.09347495],
    [0.09346511, 0.09344451, 0.67305621, 0.08987969, 0.09689215],
    [0.09252165, 0.09109398, 0.08987969, 0.67209248, 0.09378162],
    [0.09679249, 0.09347495, 0.09689215, 0.09378162, 0.66773896],
]

GEN = """\
1 SNP1 rs1 1000 A G 1 0 0 0 1 0 0 0 1
1 SNP2 rs2 2000 C T 0.9 0.1 0 0 0 0 0.2 0.3 0.5
2 SNP3 rs3 3000 A C 0 0 1 1 0 0 0 1 0
"""

SAMPLE = """\
ID_1 ID_2 missing sex
0 0 0 D
s1 s1 0 1
s2 s2 0 2
s3 s3 0.1 1
"""


def _bgen(folder: Path) -> None:
    variants = [
        Variant(f"SNP{j + 1}", f"RS{j + 1}", "1", j + 1, ["A", "G"], np.array(p, float), True)
        for j, p in enumerate(HAPLOTYPES)
    ]
    # 1-bit probabilities: the layout (and so the vaddr) of the manual's haplotypes.bgen
    samples = [f"sample_{i}" for i in range(4)]
    write_bgen(folder / "haplotypes.bgen", variants, 4, samples, bits=1)


def _plink(folder: Path) -> None:
    genotype = np.array(  # samples x variants, number of copies of the .bim's sixth column
        [[0, 1, 2, 0], [1, 1, np.nan, 2], [2, 0, 1, 1], [0, 2, 0, np.nan], [1, 0, 1, 2]]
    )
    properties = {
        "fid": ["f1", "f1", "f2", "f3", "f3"],
        "iid": ["s1", "s2", "s3", "s4", "s5"],
        "father": ["0", "0", "0", "0", "0"],
        "mother": ["0", "0", "0", "0", "0"],
        "sex": [1, 2, 2, 1, 0],
        "pheno": ["-9", "-9", "-9", "-9", "-9"],
        "chromosome": ["1", "1", "2", "2"],
        "sid": ["rs10", "rs20", "rs30", "rs40"],
        "cm_position": [0.0, 0.5, 0.0, 1.25],
        "bp_position": [1200, 4500, 300, 9100],
        "allele_1": ["A", "C", "G", "T"],
        "allele_2": ["G", "T", "A", "C"],
    }
    to_bed(folder / "data.bed", genotype, properties, count_A1=False, num_threads=1)


def _hdf5(folder: Path) -> None:
    rng = np.random.default_rng(7)
    path = folder / "example.hdf5"
    strings = h5py.string_dtype()
    with h5py.File(path, "w", libver="latest") as f:
        pheno = f.create_group("phenotype")
        pheno.create_dataset("matrix", data=rng.normal(size=(5, 3)).round(6), track_times=False)
        ph_col = pheno.create_group("col_header")
        ph_col.create_dataset(
            "gene_ID",
            data=np.array(["YOL161C", "YJR107W", "YAL017W"], dtype=object),
            dtype=strings,
            track_times=False,
        )
        ph_col.create_dataset("environment", data=[0.0, 0.0, 1.0], track_times=False)
        ph_col.create_dataset("gene_start", data=[11910, 627333, 30482], track_times=False)
        pheno.create_group("row_header").create_dataset(
            "sample_ID", data=np.arange(5), track_times=False
        )
        geno = f.create_group("genotype")
        geno.create_dataset(
            "matrix", data=rng.integers(0, 2, size=(5, 4)).astype(float), track_times=False
        )
        g_col = geno.create_group("col_header")
        g_col.create_dataset("chrom", data=[1, 1, 2, 2], track_times=False)
        g_col.create_dataset("pos", data=[483, 484, 120, 3220], track_times=False)
        g_col.create_dataset("pos_cum", data=[483, 484, 604, 3704], track_times=False)
        geno.create_group("row_header").create_dataset(
            "sample_ID", data=np.arange(5), track_times=False
        )


def write_examples(folder: Path = EXAMPLES) -> list[Path]:
    """Write every example file into ``folder`` and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    _bgen(folder)
    _plink(folder)
    _hdf5(folder)
    (folder / "phenotype.gemma").write_text(PHENOTYPE_GEMMA)
    (folder / "data.mean.geno.txt").write_text(MEAN_GENO)
    (folder / "expr.csv").write_text(EXPR_CSV)
    (folder / "example.gen").write_text(GEN)
    (folder / "example.sample").write_text(SAMPLE)
    np.save(folder / "example.npy", np.array(KINSHIP))
    return sorted(p for p in folder.iterdir() if p.is_file())


if __name__ == "__main__":
    for p in write_examples():
        print(p)

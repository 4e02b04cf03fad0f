"""The fitted null model 𝓗₀ of a scan: likelihood, lml, covariate effect sizes, variances."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ._export import write_tables

__all__ = ["NullModel", "format_vector"]


def format_vector(values: np.ndarray) -> str:
    """A vector as the manual prints it: eight decimals, equal widths, on one line."""
    return np.array2string(
        np.asarray(values, dtype=float),
        precision=8,
        floatmode="fixed",
        separator=" ",
        max_line_width=10**6,
    )


def _format_labels(labels: list[str]) -> str:
    return np.array2string(np.asarray(labels, dtype=str), separator=" ", max_line_width=10**6)


@dataclass(frozen=True)
class NullModel:
    """The null hypothesis 𝓗₀ of a scan, fitted.

    Attributes
    ----------
    likelihood
        ``"normal"``, ``"bernoulli"``, ``"probit"``, ``"binomial"`` or ``"poisson"``.
    lml
        Log marginal likelihood of 𝓗₀.
    effsizes
        Covariate effect sizes: columns ``trait, covariate, effsize, effsize_se``.
    variances
        Single trait: ``trait, fore_covariance, back_covariance`` (v₀ and v₁ of
        v₀K + v₁I); multi-trait: ``trait0, trait1, fore_covariance, back_covariance``
        (the entries of C₀ and C₁).
    formula
        The model, as :func:`print` shows it (for example ``𝐲 ~ 𝓝(𝙼𝜶, 1.436⋅𝙺 + 2.934⋅𝙸)``).
    """

    likelihood: str
    lml: float
    effsizes: pd.DataFrame
    variances: pd.DataFrame
    formula: str

    @property
    def traits(self) -> list[str]:
        """Trait names: those of the variances (multi-trait), else of the effect sizes."""
        column = self.variances["trait0"] if "trait0" in self.variances else self.effsizes["trait"]
        return list(dict.fromkeys(column.astype(str)))

    @property
    def covariates(self) -> list[str]:
        """Covariate names."""
        return list(dict.fromkeys(self.effsizes["covariate"].astype(str)))

    def _diagonal(self, column: str) -> np.ndarray:
        v = self.variances
        same = v["trait0"].astype(str) == v["trait1"].astype(str)
        return v.loc[same, column].to_numpy(float)

    def _correlations(self, column: str) -> np.ndarray:
        """The correlations of a p×p trait covariance, its upper triangle row by row."""
        p = len(self.traits)
        C = self.variances[column].to_numpy(float).reshape(p, p)
        d = np.sqrt(np.diag(C))
        with np.errstate(all="ignore"):
            R = C / np.outer(d, d)
        return R[np.triu_indices(p, 1)]

    def summary(self) -> str:
        """The 𝓗₀ block of a scan's printout."""
        alpha = self.effsizes["effsize"].to_numpy(float)
        se = self.effsizes["effsize_se"].to_numpy(float)
        rows = []
        multi = "trait0" in self.variances.columns
        if multi:
            rows.append(("traits", _format_labels(self.traits)))
        rows += [("M", _format_labels(self.covariates)), ("𝜶", format_vector(alpha))]
        rows.append(("se(𝜶)", format_vector(se)))
        if multi:
            rows.append(("diag(C₀)", format_vector(self._diagonal("fore_covariance"))))
            rows.append(("diag(C₁)", format_vector(self._diagonal("back_covariance"))))
            if len(self.traits) > 1:
                rows.append(("corr(C₀)", format_vector(self._correlations("fore_covariance"))))
                rows.append(("corr(C₁)", format_vector(self._correlations("back_covariance"))))
        if "chrom" in self.effsizes.columns:  # one null per chromosome (LOCO)
            return self.formula
        rows.append(("lml", repr(float(self.lml))))
        width = max(len(label) for label, _ in rows)
        body = "\n".join(f"{label.ljust(width)} = {value}" for label, value in rows)
        return f"{self.formula}\n\n{body}"

    def to_csv(self, directory: str | Path, overwrite: bool = False) -> list[Path]:
        """Write ``h0_effsizes.csv``, ``h0_variances.csv`` and ``h0_lml.csv`` into ``directory``.

        Raises ``FileExistsError`` rather than replace a file, unless ``overwrite``.
        """
        return write_tables(self._tables(), directory, "csv", overwrite)

    def to_parquet(self, directory: str | Path, overwrite: bool = False) -> list[Path]:
        """As :meth:`to_csv`, in Parquet files."""
        return write_tables(self._tables(), directory, "parquet", overwrite)

    def _tables(self) -> dict[str, pd.DataFrame]:
        lml = pd.DataFrame({"likelihood": [self.likelihood], "lml": [float(self.lml)]})
        return {"h0_effsizes": self.effsizes, "h0_variances": self.variances, "h0_lml": lml}

"""Counting the EP runs and sweeps of a model while a benchmark fits it."""

from __future__ import annotations

from typing import Any

__all__ = ["count_ep_runs"]


def count_ep_runs(model: Any) -> dict[str, int]:
    """Count, from now on, the EP runs of ``model`` and the sweeps they take.

    Parameters
    ----------
    model
        A model that runs EP through ``model._ep`` (``ExpFamGP``, ``GLMMExpFam``); its
        ``_ep.run`` is wrapped.

    Returns
    -------
    dict
        ``{"runs": …, "sweeps": …}``, updated after every run.
    """
    counts = {"runs": 0, "sweeps": 0}
    original = model._ep.run

    def counted(posterior: Any) -> float:
        value = original(posterior)
        counts["runs"] += 1
        counts["sweeps"] += model._ep.niterations
        return value

    model._ep.run = counted
    return counts

"""Generalised linear mixed models: :mod:`glimix.glmm` under the manual's names."""

from glimix.glmm import GLMMExpFam, GLMMNormal

__all__ = ["GLMMExpFam", "GLMMNormal"]

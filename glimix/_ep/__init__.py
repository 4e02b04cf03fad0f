"""Expectation propagation: tilted moments, posteriors, the parallel EP loop (internal).

Used by :class:`glimix.ggp.ExpFamGP` (dense prior covariance) and the GLMMs (low-rank prior).
"""

"""The base of every covariance and mean function: an ``optimix.Function`` with a readable layout.

A glimix function owns optimix variables (``Scalar``/``Vector``) and exposes

* ``value()`` and ``gradient()`` — the gradient is a dict keyed by variable name, each entry the
  derivative of ``value()`` stacked along a last axis for vector variables;
* ``fix()`` / ``unfix()`` over all of its variables, ``listen(func)`` to be told when any of them
  changes (composites and models use it to drop cached factorisations);
* ``name``, and ``__str__`` in the manual's layout::

      SumCov(covariances=...): A+B
        LinearCov(): A
          scale: 0.5
        LinearCov(): B
          scale: 1.0

Composites name their children's variables with a prefix fixed at construction
(``SumCov[0].logscale``, ``C0.Lu``), so renaming a function for display never renames variables.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import optimix

__all__ = [
    "Function",
    "SumFunction",
    "describe_model",
    "format_value",
    "require_distinct_terms",
]

#: Bounds of every log-scale parameter: scales between e⁻³⁰ ≈ 9.4e-14 and e³⁰ ≈ 1.1e13.
LOGSCALE_BOUNDS = (-30.0, 30.0)


def format_value(value: Any) -> str:
    """Format a parameter value as the manual prints it (``2.5``, ``[ 1. -1.]``, a matrix)."""
    arr = np.asarray(value)
    if arr.ndim == 0:
        return repr(float(arr))
    return str(arr)


def require_distinct_terms(terms: Sequence[Function], name: str) -> None:
    """Raise ``ValueError`` if two of ``terms`` share a variable (say, one function given twice).

    A composite keys each term's gradient by the term's position, so a variable reachable through
    two terms would get two partial derivatives (neither the total one) and two values from the
    optimiser.
    """
    owner: dict[int, int] = {}
    for i, term in enumerate(terms):
        for var in term._variables.values():
            j = owner.setdefault(id(var), i)
            if j != i:
                raise ValueError(
                    f"{name}[{i}] shares parameters with {name}[{j}]; every term must be a "
                    "distinct function."
                )


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line for line in text.splitlines())


def describe_model(header: str, lml: float, parts: Sequence[Any]) -> str:
    """A fitted model as the manual prints it: the header, its ``lml`` and its parts, indented.

    Parameters
    ----------
    header
        First line, such as ``"GP(...)"``.
    lml
        Log of the marginal likelihood at the current parameters.
    parts
        The model's functions (mean, covariance), each printed by ``str`` below, two spaces in.

    Examples
    --------
    >>> print(describe_model("GP(...)", -1.5, ["OffsetMean(): m", "EyeCov(dim=2): K"]))
    GP(...)
      lml: -1.5
      OffsetMean(): m
      EyeCov(dim=2): K
    """
    lines = [header, f"  lml: {format_value(lml)}"]
    lines.extend(_indent(str(part), 2) for part in parts)
    return "\n".join(lines)


class Function(optimix.Function):
    """Base class of glimix covariance and mean functions.

    Parameters
    ----------
    name
        Default display name (also the class name in the manual's examples).
    composite
        Pairs ``(prefix, function)`` whose variables this function inherits as ``prefix.var``.
    variables
        This function's own optimix variables, keyed by name.
    """

    def __init__(
        self,
        name: str,
        composite: Sequence[tuple[str, Function]] = (),
        **variables: optimix.Scalar | optimix.Vector,
    ) -> None:
        self._children = [child for _, child in composite]
        optimix.Function.__init__(self, name, composite=list(composite), **variables)

    def _adopt_variables(self, functions: Sequence[tuple[str, Function]]) -> None:
        """Take the variables of ``functions`` under the names those functions use.

        Models (a GP over a mean and a covariance, say) expose ``offset`` and
        ``SumCov[0].logscale`` rather than re-prefixed names; the variable objects are shared, so
        fixing, setting or listening on the model acts on the mean's and covariance's own
        parameters.

        Parameters
        ----------
        functions
            Pairs ``(argument name, function)``; the argument names appear in the errors.

        Raises
        ------
        ValueError
            If two functions have a variable of the same name (the model could not tell them
            apart), or share one parameter object (it would get two partial derivatives).
        """
        owner_of_name: dict[str, str] = {}
        owner_of_object: dict[int, str] = {}
        for label, func in functions:
            for name in func._variables.names():
                var = func._variables[name]
                if name in owner_of_name:
                    raise ValueError(
                        f"{owner_of_name[name]} and {label} both have a variable named {name!r}; "
                        "a model keys its variables by the names its parts use, so they must be "
                        "distinct."
                    )
                qualified = f"{label}.{name}"
                other = owner_of_object.setdefault(id(var), qualified)
                if other != qualified:
                    raise ValueError(
                        f"{label} variable {name!r} is the same parameter as {other}; the parts "
                        "of a model must not share parameters."
                    )
                owner_of_name[name] = label
                self._variables[name] = var

    # -- variables -------------------------------------------------------------------------------
    def variable_names(self) -> list[str]:
        """Names of all variables of this function, children's included, sorted."""
        return list(self._variables.names())

    def fix(self, *names: str) -> None:
        """Disable optimisation of the variables ``names`` (see :meth:`variable_names`), or of
        every variable of this function when none is named."""
        for name in self._named(names):
            self._variables[name].fix()

    def unfix(self, *names: str) -> None:
        """Enable optimisation of the variables ``names``, or of every variable when none is
        named."""
        for name in self._named(names):
            self._variables[name].unfix()

    def _named(self, names: tuple[str, ...]) -> list[str]:
        known = list(self._variables.names())
        for name in names:
            if name not in known:
                raise ValueError(f"no variable named {name!r}; the variables are {known}.")
        return list(names) if names else known

    def listen(self, func: Callable[[], None]) -> None:
        """Call ``func()`` whenever a parameter of this function changes.

        Bound methods are held weakly (a listener does not keep its owner alive).
        """
        for name in self._variables.names():
            self._variables[name].listen(func)

    @property
    def nparams(self) -> int:
        """Number of scalar parameters, fixed ones included."""
        return int(sum(self._variables[n].size for n in self._variables.names()))

    # -- display ---------------------------------------------------------------------------------
    def _str_header(self) -> str:
        """The ``Class(args)`` part of the first line of ``__str__``."""
        return f"{type(self).__name__}()"

    def _str_params(self) -> list[tuple[str, Any]]:
        """Own parameters to display, as ``(label, value)`` pairs."""
        return []

    def __str__(self) -> str:
        lines = [f"{self._str_header()}: {self.name}"]
        for label, value in self._str_params():
            text = format_value(value).splitlines()
            lines.append(f"  {label}: {text[0]}")
            lines.extend(" " * (len(label) + 4) + line for line in text[1:])
        for child in self._children:
            lines.append(_indent(str(child), 2))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)


class SumFunction(Function):
    """Base class of sums of functions, f = f₀ + f₁ + ⋯ (:class:`~glimix.cov.SumCov`, …).

    The variables of the i-th term are named ``<name>[i].<variable>``, fixed at construction.
    Subclasses set ``_term_kind`` (what a term is, for the error on no terms), implement
    :meth:`_check_alike` (raise unless the terms can be added) and give ``value()`` and
    ``gradient()`` through :meth:`_sum_of_values` and :meth:`_prefixed_gradients`.

    Parameters
    ----------
    name
        Default display name, also the prefix of the terms' variables.
    argument
        Name of the constructor's argument holding the terms, for errors and display.
    terms
        One or more distinct functions; no two may share a parameter.

    Raises
    ------
    ValueError
        If there is no term, the terms cannot be added, or two terms share a parameter.
    """

    _term_kind: str = "function"

    def __init__(self, name: str, argument: str, terms: Sequence[Function]) -> None:
        terms = list(terms)
        if not terms:
            raise ValueError(f"{argument} must contain at least one {self._term_kind}.")
        self._check_alike(terms)
        require_distinct_terms(terms, argument)
        self._terms = terms
        self._argument = argument
        self._prefixes = [f"{name}[{i}]" for i in range(len(terms))]
        Function.__init__(self, name, composite=list(zip(self._prefixes, terms, strict=True)))

    def _check_alike(self, terms: list[Function]) -> None:
        """Raise ``ValueError`` unless ``terms`` (at least one) have values of one shape."""

    def _sum_of_values(self) -> Any:
        """f₀ + f₁ + ⋯, the sum of the terms' values."""
        return sum((t.value() for t in self._terms[1:]), self._terms[0].value())

    def _prefixed_gradients(self) -> dict[str, Any]:
        """Every term's derivatives, keyed ``<prefix>.<variable>``: ∂f = ∂f₀ + ∂f₁ + ⋯."""
        grad = {}
        for prefix, term in zip(self._prefixes, self._terms, strict=True):
            for name, g in term.gradient().items():
                grad[f"{prefix}.{name}"] = g
        return grad

    def _str_header(self) -> str:
        return f"{type(self).__name__}({self._argument}=...)"

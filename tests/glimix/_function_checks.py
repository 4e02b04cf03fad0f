"""Checks every glimix covariance and mean function passes, shared by their test modules."""

from __future__ import annotations

from typing import Any


def check_listen_fix_unfix(function: Any, variable: str, value: Any, **attributes: Any) -> None:
    """Assert that listeners hear each change and that ``fix()``/``unfix()`` reach ``variable``.

    The attributes are set in the order given, then the optimix variable ``variable`` is set to
    ``value`` directly; each of these changes must call a listener exactly once.

    Parameters
    ----------
    function
        A glimix function (anything with ``listen``, ``fix``, ``unfix`` and ``_variables``).
    variable
        Name of the variable that the changes reach and ``fix()``/``unfix()`` must toggle.
    value
        Value set on the variable itself, as an optimiser would.
    **attributes
        Public attributes to set (``scale=2.0``, ``L=[[1.0]]``), each one change.
    """
    calls: list[int] = []
    function.listen(lambda: calls.append(1))
    for count, (name, new) in enumerate(attributes.items(), start=1):
        setattr(function, name, new)
        assert len(calls) == count, f"setting {name} called the listener {len(calls)} time(s)"
    function._variables[variable].value = value
    assert len(calls) == len(attributes) + 1
    function.fix()
    assert function._variables[variable].isfixed
    function.unfix()
    assert not function._variables[variable].isfixed


def check_fix_reaches_terms(composite: Any, terms: list[Any]) -> None:
    """Assert that ``fix()`` on a composite fixes every variable of it and of its terms, and
    that ``unfix()`` frees them all again.

    Parameters
    ----------
    composite
        A sum (or other composite) of glimix functions.
    terms
        Its terms.
    """
    composite.fix()
    assert all(composite._variables[n].isfixed for n in composite.variable_names())
    assert all(t._variables[n].isfixed for t in terms for n in t.variable_names())
    composite.unfix()
    assert not any(composite._variables[n].isfixed for n in composite.variable_names())
    assert not any(t._variables[n].isfixed for t in terms for n in t.variable_names())

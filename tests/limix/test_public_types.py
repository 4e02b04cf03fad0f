"""Public signatures are typed with array-like, pandas and xarray types (limix._typing), not Any."""

import importlib
import inspect

import pytest

MODULES = [
    "limix.qtl",
    "limix.her",
    "limix.vardec",
    "limix.stats",
    "limix.qc",
    "limix.io",
    "limix.plot",
    "limix.sh",
]


def _public_callables(module_name):
    module = importlib.import_module(module_name)
    for name in module.__all__:
        obj = getattr(module, name)
        if inspect.isfunction(obj):
            yield f"{module_name}.{name}", obj
        elif inspect.isclass(obj) and obj.__module__.startswith("limix"):
            for attr, value in vars(obj).items():
                if inspect.isfunction(value) and (attr == "__init__" or not attr.startswith("_")):
                    yield f"{module_name}.{name}.{attr}", value


@pytest.mark.parametrize("module_name", MODULES)
def test_no_public_parameter_or_return_is_any(module_name):
    loose = []
    for qualname, func in _public_callables(module_name):
        signature = inspect.signature(func)
        annotations = inspect.get_annotations(func)
        for name, parameter in signature.parameters.items():
            if name in ("self", "cls") or parameter.kind in (
                parameter.VAR_POSITIONAL,
                parameter.VAR_KEYWORD,
            ):
                continue
            if annotations.get(name, "Any") == "Any":
                loose.append(f"{qualname}({name})")
        if annotations.get("return") == "Any":
            loose.append(f"{qualname} -> Any")
    assert not loose, f"typed as Any or not typed: {loose}"


def test_the_aliases_import_nothing_at_run_time():
    typing_module = importlib.import_module("limix._typing")
    assert not hasattr(typing_module, "Matrix")  # defined for type checkers only

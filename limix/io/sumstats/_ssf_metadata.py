"""The metadata file of a GWAS-SSF data file (``<data file>-meta.yaml``).

GWAS-SSF v1.1 names the fields: what limix knows is filled in — the data file's name and
md5sum, ``file_type``, ``coordinate_system`` (1-based: the positions of PLINK, VCF and BGEN),
``is_sorted``, ``is_harmonised`` (false), ``analysis_software``, ``adjusted_covariates``,
``trait_description`` and the sample size — and what only the user knows (``genome_assembly``,
``genotyping_technology``, ``sample_ancestry_category``, …) comes from ``metadata``; a mandatory
field left unknown is written as ``#NA`` and reported.

The file is a small mapping of scalars and lists, written here rather than through a YAML
library (which would be one more dependency for one flat file): every string is written in
double quotes with JSON's escapes, which YAML reads as the same string.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

__all__ = ["MANDATORY_UNKNOWN", "metadata_yaml"]

#: Mandatory GWAS-SSF metadata that limix cannot know; ``#NA`` unless given.
MANDATORY_UNKNOWN = ("genome_assembly", "genotyping_technology", "sample_ancestry_category")

_LISTS = {
    "trait_description",
    "genotyping_technology",
    "sample_ancestry_category",
    "sample_ancestry",
    "ancestry_method",
    "adjusted_covariates",
    "ontology_mapping",
}
_SAMPLE_FIELDS = {
    "sample_size",
    "sample_ancestry_category",
    "sample_ancestry",
    "ancestry_method",
    "case_count",
    "control_count",
    "case_control_study",
}


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def _lines(key: str, value: object, indent: str) -> list[str]:
    if isinstance(value, Mapping):
        out = [f"{indent}{key}:"]
        for k, v in value.items():
            out += _lines(str(k), v, indent + "  ")
        return out
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, Mapping) for v in value) and value:
            out = [f"{indent}{key}:"]
            for item in value:
                first, *rest = _mapping_lines(item, indent + "    ")
                out.append(f"{indent}  - {first.lstrip()}")
                out += rest
            return out
        return [f"{indent}{key}:"] + [f"{indent}  - {_scalar(v)}" for v in value]
    return [f"{indent}{key}: {_scalar(value)}"]


def _mapping_lines(mapping: Mapping[str, object], indent: str) -> list[str]:
    out: list[str] = []
    for k, v in mapping.items():
        out += _lines(str(k), v, indent)
    return out


def metadata_yaml(
    known: Mapping[str, object], given: Mapping[str, object] | None
) -> tuple[str, list[str]]:
    """The metadata file's text and the mandatory fields left unknown.

    Parameters
    ----------
    known
        What limix knows (``data_file_name``, ``data_file_md5sum``, ``sample_size``, …).
    given
        The user's fields; they take precedence. A list-valued field given as one string is
        made a one-item list. Sample fields (``sample_size``, ``sample_ancestry_category``,
        ``case_count``, …) go into the ``samples`` entry.

    Examples
    --------
    >>> text, unknown = metadata_yaml({"sample_size": 10}, {"genome_assembly": "GRCh38"})
    >>> print(text, end="")
    genome_assembly: "GRCh38"
    genotyping_technology:
      - "#NA"
    samples:
      - sample_ancestry_category:
          - "#NA"
        sample_size: 10
    >>> unknown
    ['genotyping_technology', 'sample_ancestry_category']
    """
    fields: dict[str, object] = {}
    for key in MANDATORY_UNKNOWN:
        fields[key] = "#NA"
    fields.update(known)
    fields.update(given or {})
    unknown = [key for key in MANDATORY_UNKNOWN if fields[key] == "#NA"]
    for key in list(fields):
        if key in _LISTS and isinstance(fields[key], str):
            fields[key] = [fields[key]]
    sample = {key: fields.pop(key) for key in list(fields) if key in _SAMPLE_FIELDS}
    ordered = {k: v for k, v in fields.items() if k != "samples"}
    samples = fields.get("samples")
    ordered["samples"] = samples if samples is not None else [sample]
    return "\n".join(_mapping_lines(ordered, "")) + "\n", unknown

"""Load the rule files under ``resources/`` into medspaCy rule objects.

Rules are data so that a coder can read and extend them without touching Python: target rules
(``target_rules.json``, with ``{MACRO}`` regex pieces from ``time_grammar.json``), named disorders
(``diagnosis_names.json``), ConText modifiers (``context_rules.json``) and section headers
(``section_rules.json``). This module only turns them into the rule classes medspaCy expects.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources as _resources
from typing import Any

from medspacy.context import ConTextRule
from medspacy.section_detection import SectionRule
from medspacy.target_matcher import TargetRule

_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


@lru_cache(maxsize=None)
def load_resource(name: str) -> Any:
    """A parsed JSON file from ``billfacts/resources`` (cached: rule files are read once per process)."""
    with _resources.files("billfacts").joinpath("resources", name).open(encoding="utf-8") as handle:
        return json.load(handle)


def expand_macros(pattern: str, macros: dict[str, str]) -> str:
    """Replace ``{NAME}`` with its macro, recursively; ``{1,2}``-style quantifiers are left alone."""
    for _ in range(20):
        expanded = _MACRO.sub(lambda m: macros[m.group(1)] if m.group(1) in macros else m.group(0), pattern)
        if expanded == pattern:
            return expanded
        pattern = expanded
    raise ValueError("time_grammar macros nest too deeply")


def target_rule_dicts() -> list[dict]:
    """Target rules as plain dicts, macros expanded, with the named-disorder rules appended."""
    macros = load_resource("time_grammar.json")["macros"]
    rules = []
    for raw in load_resource("target_rules.json")["target_rules"]:
        rule = dict(raw)
        if isinstance(rule.get("pattern"), str):
            rule["pattern"] = expand_macros(rule["pattern"], macros)
        rules.append(rule)
    for disorder in load_resource("diagnosis_names.json")["disorders"]:
        value = {"bf_value": disorder["key"]}
        for name in disorder["names"]:
            rules.append({"literal": name, "category": "DX_NAME", "attributes": value})
            if "'" in name:  # notes pasted from word processors write the typographic apostrophe
                rules.append({"literal": name.replace("'", "\u2019"), "category": "DX_NAME", "attributes": value})
        for abbreviation in disorder.get("abbreviations", []):
            # Abbreviations are matched in upper case only: "GAD" is a diagnosis, "bed" is furniture.
            rules.append(
                {
                    "literal": abbreviation,
                    "category": "DX_NAME",
                    "pattern": r"(?<![\w/-])(?-i:" + re.escape(abbreviation) + r")(?![\w/-])",
                    "attributes": value,
                    "metadata": {"requires_any_cased": [abbreviation]},
                }
            )
    return rules


def target_rules() -> list[TargetRule]:
    return [TargetRule.from_dict(rule) for rule in target_rule_dicts()]


def context_rules() -> list[ConTextRule]:
    rules = []
    for raw in load_resource("context_rules.json")["context_rules"]:
        rule = dict(raw)
        rules.append(ConTextRule.from_dict(rule))
    return rules


_HEADER_PUNCT = (":", " -", " —", " –")


def section_rules() -> list[SectionRule]:
    """Headers followed by a colon or a dash ("Plan:", "MSE -"): phrase rules for medspaCy's matcher
    (spaCy PhraseMatcher: one hash lookup per token). One-letter headers ("S", "P") are only taken in
    this form, because a lone letter at a line start is rarely a header."""
    return [
        SectionRule(literal=raw["literal"] + punct, category=raw["category"])
        for raw in load_resource("section_rules.json")["section_rules"]
        for punct in _HEADER_PUNCT
    ]


def line_header_rules() -> list[SectionRule]:
    """Headers written alone on their line ("Mental Status Exam"), looked up by whole line
    (see ``components/line_sectionizer.py``); literals of three characters or more."""
    return [
        SectionRule(literal=raw["literal"], category=raw["category"])
        for raw in load_resource("section_rules.json")["section_rules"]
        if len(raw["literal"]) > 2
    ]

"""The codes a claim billed, as people write them.

One syntax, documented in ``billfacts analyze --help`` and ``billfacts qa --help``: codes separated by
commas, semicolons or spaces; a code's modifiers follow it joined by "-" or ":" ("90837-95", "90837-95-59")
or as the next item ("90837 95", "90837,95"): an item of two letters or digits after a code is read as
that code's modifier, never as a code. So "90837-95", "90837 95" and "90837,95" are one code with modifier
95. An item that is neither a code (five characters: CPT "90837", "1234F", "0001T"; HCPCS "G0017") nor a
modifier after one is malformed; a well-formed code the code table does not know is unknown. Both are
findings of their own (``billed_code_invalid``), never silently accepted."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Optional, Union

CODE = re.compile(r"^(?:\d{4}[0-9FTU]|[A-V]\d{4}|E/M)$")
MODIFIER = re.compile(r"^[0-9A-Z]{2}$")
_ITEM_BREAK = re.compile(r"[,;\s]+")
SHOWN_CHARS = 12  # a malformed item is named in a finding, cut to this length


@dataclass
class BilledCode:
    code: str
    modifiers: list[str] = field(default_factory=list)


@dataclass
class BilledProblem:
    item: str  # the caller's item, cut to SHOWN_CHARS
    reason: str  # "malformed" | "unknown" | "modifier_without_code"


def parse_billed(items: Union[str, Iterable[str], None]) -> tuple[list[BilledCode], list[BilledProblem]]:
    """The billed codes and the items that are not codes, from a string or a list of strings."""
    if items is None:
        return [], []
    if isinstance(items, str):
        items = [items]
    tokens: list[str] = []
    for item in items:
        if not isinstance(item, str):
            item = str(item)
        tokens.extend(token for token in _ITEM_BREAK.split(item.strip().upper()) if token)
    codes: list[BilledCode] = []
    problems: list[BilledProblem] = []
    for token in tokens:
        parts = [part for part in re.split(r"[-:]", token) if part]
        if not parts:
            continue
        head, modifiers = parts[0], parts[1:]
        if CODE.match(head) and all(MODIFIER.match(m) for m in modifiers):
            codes.append(BilledCode(head, modifiers))
        elif MODIFIER.match(head) and not modifiers and codes:
            codes[-1].modifiers.append(head)  # "90837 95", "90837,95"
        elif MODIFIER.match(head) and not modifiers:
            problems.append(BilledProblem(token[:SHOWN_CHARS], "modifier_without_code"))
        else:
            problems.append(BilledProblem(token[:SHOWN_CHARS], "malformed"))
    return codes, problems


def unknown_codes(codes: list[BilledCode], known) -> list[BilledProblem]:
    """Well-formed codes that ``known(code)`` does not find."""
    return [BilledProblem(c.code, "unknown") for c in codes if c.code != "E/M" and not known(c.code)]


def describe_problems(problems: list[BilledProblem]) -> Optional[str]:
    if not problems:
        return None
    words = {"malformed": "is not a code (CODE[-MODIFIER], e.g. 90837-95)",
             "unknown": "is not in the code table (not a behavioral-health code billfacts knows, or no code at all)",
             "modifier_without_code": "is a modifier with no code before it"}
    return "; ".join(f"{p.item!r} {words[p.reason]}" for p in problems)

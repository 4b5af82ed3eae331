"""What the code table knows about one code on one date (``billfacts codes CODE --date D``)."""

from __future__ import annotations

import datetime as dt

from .table import code_table


def describe(code: str, on: dt.date) -> dict:
    table = code_table()
    row = table.get(code)
    if row is None:
        return {"code": code.upper(), "known": False, "edition": table.edition,
                "message": f"{code.upper()} is not in the billfacts code table ({table.edition})"}
    valid = row.valid_on(on)
    if valid:
        status = f"valid on {on.isoformat()} (since {row.valid_from.isoformat()})"
    elif on < row.valid_from:
        status = f"not yet valid on {on.isoformat()}: it starts on {row.valid_from.isoformat()}"
    else:
        status = f"deleted on {row.deleted_on.isoformat()} (last valid date of service {row.valid_to.isoformat()})"
    addons = sorted(
        other.code for other in table.rows.values()
        if other.allowed_primaries and (row.code in other.allowed_primaries
                                        or (row.kind == "em_partner" and "E/M" in other.allowed_primaries))
        and other.valid_on(on)
    )
    return {
        "code": row.code, "known": True, "label": row.label, "kind": row.kind, "valid": valid, "status": status,
        "valid_from": row.valid_from.isoformat(), "valid_to": row.valid_to.isoformat() if row.valid_to else None,
        "crosswalk": list(row.crosswalk) if row.crosswalk else None, "crosswalk_note": row.crosswalk_note,
        "allowed_primaries": list(row.allowed_primaries) if row.allowed_primaries else None,
        "takes_addons": addons, "band": list(row.band) if row.band else None, "notes": row.notes,
        "sources": list(row.sources), "edition": table.edition,
    }


def format_description(info: dict) -> str:
    if not info["known"]:
        return info["message"]
    lines = [f"{info['code']}  {info['label']}", f"  status: {info['status']}", f"  kind: {info['kind']}"]
    if info["band"]:
        low, high = info["band"]
        lines.append(f"  psychotherapy minutes: {low}-{high}" if high else f"  psychotherapy minutes: {low} or more")
    if info["crosswalk"]:
        lines.append("  crosswalk: " + " + ".join(info["crosswalk"])
                     + (f" ({info['crosswalk_note']})" if info["crosswalk_note"] else ""))
    if info["allowed_primaries"]:
        lines.append("  add-on to: " + ", ".join(info["allowed_primaries"]))
    if info["takes_addons"]:
        lines.append("  takes add-ons: " + ", ".join(info["takes_addons"]))
    if info["notes"]:
        lines.append(f"  note: {info['notes']}")
    lines.append("  sources: " + "; ".join(info["sources"]))
    lines.append(f"  code table: {info['edition']}")
    return "\n".join(lines)

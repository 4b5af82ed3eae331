"""Views of an AnalysisResult that tests compare."""


def comparable(result) -> dict:
    """The facts, codes and gaps without the evidence quotes and offsets (which index the caller's own text,
    longer by a character a line with CRLF, or shifted by leading whitespace); that those index it right is
    checked apart."""
    data = result.model_dump(mode="json")

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("text", "start", "end")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip({k: data[k] for k in ("facts", "coding", "gaps")})


def evidence_records(result):
    """Every evidence record of a result: of its facts, its code lines and its gap checks."""
    if result.facts is not None:
        for records in result.facts.evidence.values():
            yield from records
    if result.coding is not None:
        for line in result.coding.lines:
            yield from line.evidence
    if result.gaps is not None:
        for check in result.gaps.checks:
            yield from check.evidence

"""Generate ``pipeline/resources/icd10cm.tsv.gz``: the ICD-10-CM code set billfacts reads at run time.

simple-icd-10-cm holds the whole tabular list (codes, titles, inclusion terms, includes notes) but takes
about two seconds to import and looks codes up by linear search. This script reads it once and writes a
compact table (gzip, one code a line) that loads in a fraction of that:

    code<TAB>billable (1/0)<TAB>parent<TAB>title          one line per code, then after "# terms":
    term<TAB>code,code,...                             one line per normalised term

Terms are the codes' titles, inclusion terms and "includes" notes (not of 7th-character extensions,
whose encounter words no note writes as a diagnosis name), each normalised the way
``billfacts.icd10cm.normalise`` normalises note text (lower case, no NOS, no "unspecified", nonessential
parenthesised modifiers dropped). Chapters and blocks are left out: they are not codes. The first line
names the edition, taken from the package's own data file names, so a result can say which edition it used.

Run after changing the pinned simple-icd-10-cm version:  .venv/bin/python scripts/build_icd10cm.py
"""

from __future__ import annotations

import gzip
import re
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from billfacts.icd10cm import term_variants  # the same normalisation as at run time

OUT = ROOT / "pipeline" / "resources" / "icd10cm.tsv.gz"


def main(out: Path = OUT) -> None:
    import importlib.metadata

    import simple_icd_10_cm as icd

    version = importlib.metadata.version("simple-icd-10-cm")
    names = [p.name for p in resources.files("simple_icd_10_cm").joinpath("data").iterdir()]
    label = "ICD-10-CM (edition unknown)"
    for name in names:
        match = re.search(r"tabular-(\w+)-(\d{1,2})-(\d{4})", name)
        if match:
            month, day, year = match.groups()
            fiscal = int(year) + (1 if month.lower() in ("october", "november", "december") else 0)
            label = f"ICD-10-CM FY{fiscal} ({month} {day}, {year} update; simple-icd-10-cm {version})"
    rows, term_codes = [], {}
    for code in icd.get_all_codes(True):
        if icd.is_chapter_or_block(code):
            continue
        parent = icd.get_parent(code)
        parent = parent if parent and not icd.is_chapter_or_block(parent) else ""
        title = " ".join(icd.get_description(code).split())
        rows.append("\t".join((code, "1" if icd.is_leaf(code) else "0", parent, title)))
        if len(code.replace(".", "")) == 7:
            continue  # a 7th character (encounter, sequela...) adds words no note writes as a name
        for text in [title] + icd.get_inclusion_term(code) + icd.get_includes(code):
            for variant in term_variants(text):
                if variant:
                    codes = term_codes.setdefault(variant, [])
                    if code not in codes:
                        codes.append(code)
    text = (f"# {label}\n" + "\n".join(rows) + "\n# terms\n"
            + "\n".join(f"{term}\t{','.join(codes)}" for term, codes in term_codes.items()) + "\n")
    # mtime=0 and no file name in the header: the same code set always gives the same bytes.
    with Path(out).open("wb") as raw, gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    print(f"wrote {len(rows)} codes and {len(term_codes)} terms ({label}) to {out}")


if __name__ == "__main__":
    main()

"""Precision of matching a person's major to a post's requirement, on a hand-labelled sample.

    .venv/bin/python bench/major_precision.py        # any migrated database (the catalogue is read)

`bench/data/major_pairs.csv` holds (person's major, education, post's requirement, label) rows,
labelled by hand from the published catalogues' hierarchy and common sense about the work, by the
author of the catalogue matcher (not an independent labeller: read the figures with that in mind).
Two matchers are scored on it:

- before: the text rule the portal used until the catalogue (a key equal to, containing or
  contained in the other, two characters at least), copied here as it was (commit 07a82a1);
- after: `jianxi_portal.core.majors` (the national catalogue's hierarchy).

And the push decision for the same pairs in a setting where everything else fits (the post in the
person's region and wanted category, education met, 3 slots left, the person signed in this
week): before, the score threshold of 50 (which region, education, sign-in and slots reach without
any major); after, `Match.pushable` (the major must be met). Precision = relevant among those
matched (pushed); recall = matched (pushed) among the relevant."""

import csv
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianxi_portal.settings")
SAMPLE = ROOT / "bench" / "data" / "major_pairs.csv"

# The text rule before the catalogue (outreach/recommend.py at 07a82a1), unchanged.
_SEPARATORS = re.compile(r"[、，,;；/|\s]+")
_NO_REQUIREMENT = {"", "不限", "专业不限", "无", "无要求"}


def normalise_major(text: str) -> str:
    word = re.sub(r"\s+", "", text or "").lower()
    if word.endswith("专业") and len(word) > 2:
        word = word[:-2]
    return "" if word in _NO_REQUIREMENT else word[:50]


def major_keys(majors: str) -> list[str]:
    keys = []
    for part in _SEPARATORS.split(majors or ""):
        key = normalise_major(part)
        if key and key not in keys:
            keys.append(key)
    return keys


def matching_key(seeker_key: str, post_keys) -> str | None:
    if not seeker_key:
        return None
    for key in post_keys:
        if key == seeker_key or (min(len(key), len(seeker_key)) >= 2 and (key in seeker_key or seeker_key in key)):
            return key
    return None


def before_match(person: str, post: str) -> bool:
    keys = major_keys(post)
    return not keys or matching_key(normalise_major(person), keys) is not None


def before_pushed(person: str, post: str) -> bool:
    """The old score in the setting described above: region 10, education 15, category 15, sign-in 10,
    slots 3, plus 40 for a major match (10 for an open post); pushed at 50 or more."""
    keys = major_keys(post)
    major = 10 if not keys else (40 if matching_key(normalise_major(person), keys) else 0)
    return major + 10 + 15 + 15 + 10 + 3 >= 50


def rows() -> list[dict]:
    with open(SAMPLE, encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def score(decisions: list[bool], labels: list[bool]) -> tuple[float, float, int]:
    chosen = [label for decision, label in zip(decisions, labels, strict=True) if decision]
    precision = sum(chosen) / len(chosen) if chosen else 1.0
    recall = sum(chosen) / sum(labels) if sum(labels) else 1.0
    return precision, recall, len(chosen)


def main() -> None:
    import django

    django.setup()
    from jianxi_portal.core.majors import catalogue
    from outreach.recommend import SeekerFacts, major_reason

    sample = rows()
    labels = [row["relevant"] == "1" for row in sample]

    def after_match(row) -> bool:
        node = catalogue().person(row["person_major"], row["education"])
        seeker = SeekerFacts(row["person_major"], node, 3, 0, frozenset(), frozenset())
        return major_reason(catalogue().requirement(row["post_majors"]), seeker).fits

    results = {
        "major match, before (text containment)": [before_match(r["person_major"], r["post_majors"]) for r in sample],
        "major match, after (national catalogue)": [after_match(r) for r in sample],
        "push, before (score ≥ 50)": [before_pushed(r["person_major"], r["post_majors"]) for r in sample],
        "push, after (major met + preferences)": [after_match(r) for r in sample],
    }
    print(f"labelled pairs: {len(sample)} ({sum(labels)} relevant, {len(sample) - sum(labels)} not)")
    for label, decisions in results.items():
        precision, recall, chosen = score(decisions, labels)
        print(f"{label}: {chosen} chosen, precision {precision:.1%}, recall {recall:.1%}")
    misses = [
        r
        for r, d, lbl in zip(sample, results["major match, after (national catalogue)"], labels, strict=True)
        if d != lbl
    ]
    for r in misses:
        print(
            f"  after disagrees with the label: {r['person_major']}（{r['education']}） ↔ {r['post_majors']}: "
            f"label {r['relevant']}"
        )


if __name__ == "__main__":
    main()

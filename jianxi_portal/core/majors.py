"""The national majors catalogue as a matcher (the nodes are `jianxi_portal.core.models.Major`, loaded
from `reference/majors-*.csv`).

- A post's requirement is text: names or codes of 门类 (专业大类), 专业类 or 专业, separated by 、，,;/
  or spaces ("计算机类、080902、电子信息工程"); empty or 不限 means open to all majors. Each part
  is looked up by code (with or without its T/K suffix) or by name (a trailing "专业" ignored);
  a name found in several catalogues means all of them ("计算机类" is 0809 of the undergraduate
  catalogue and 5102, 3102, 7102 of the vocational ones); a name that is both a 门类 and a 专业 of one
  catalogue ("法学") means the 专业, the narrower reading, and "法学门类" the 门类. Parts found
  nowhere are kept as text.
- A person's major is one node: the name or code they gave, in the catalogue of their education
  (中专/高中 → 中职, 大专 → 高职专科, 本科 → 本科 then 高职本科, 研究生 → 本科).
- A requirement node covers a person's node when it is the same or an ancestor (计算机类 covers
  计算机科学与技术). A person whose major is not in the catalogue is compared as text, exactly.

The catalogue is built once per process from the reference rows (they change only by migration);
migrations build it from their historical model with `Catalogue.from_rows`."""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from jianxi_portal.core.models import Major

SEPARATORS = re.compile(r"[、，,;；/|\s]+")
OPEN_WORDS = {"不限", "专业不限", "不限专业", "无", "无要求", "专业不限制", "所有专业", "全部专业"}
CODE = re.compile(r"^(\d{2,7})([TK]{0,2})$")
# Catalogues tried for a person's major, by their education (positions.models.Education values).
BY_EDUCATION = {
    "secondary": ("secondary_vocational", "higher_vocational", "undergraduate", "vocational_bachelor"),
    "high_school": ("secondary_vocational", "higher_vocational", "undergraduate", "vocational_bachelor"),
    "junior_college": ("higher_vocational", "undergraduate", "vocational_bachelor", "secondary_vocational"),
    "bachelor": ("undergraduate", "vocational_bachelor", "higher_vocational", "secondary_vocational"),
    "master": ("undergraduate", "vocational_bachelor", "higher_vocational", "secondary_vocational"),
    "doctor": ("undergraduate", "vocational_bachelor", "higher_vocational", "secondary_vocational"),
}
DEFAULT_ORDER = ("undergraduate", "higher_vocational", "vocational_bachelor", "secondary_vocational")
LEVEL_ORDER = {"major": 0, "class": 1, "category": 2}


def normalise(text: str) -> str:
    """A typed major as a lookup word: full-width forms folded, no spaces, codes' letters upper case,
    a trailing "专业" dropped ("计算机科学与技术 专业" → "计算机科学与技术")."""
    word = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    if CODE.match(word.upper()):
        return word.upper()
    if word.endswith("专业") and len(word) > 2:
        word = word[:-2]
    return word[:50]


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    catalogue: str
    level: str
    path: str

    def covers(self, other: "Node") -> bool:
        return other.path == self.path or other.path.startswith(self.path + "/")

    @property
    def ancestry(self) -> list[str]:
        """The codes from the top to this node ("08", "0809", "080901")."""
        return self.path.split("/")

    @property
    def label(self) -> str:
        return f"{self.name}（{self.code}）"


@dataclass(frozen=True)
class Requirement:
    """What a post asks for: catalogue nodes, parts not in the catalogue (as normalised text), or
    nothing (open to all majors)."""

    nodes: tuple[Node, ...] = ()
    unmatched: tuple[str, ...] = ()

    @property
    def is_open(self) -> bool:
        return not self.nodes and not self.unmatched

    @property
    def keys(self) -> list[str]:
        """Index keys: node codes, "t:<text>" for unmatched parts, "*" for an open post."""
        if self.is_open:
            return ["*"]
        return [n.code for n in self.nodes] + [f"t:{word}" for word in self.unmatched]

    def covering(self, person: "Node | None", person_text: str = "") -> "Node | str | None":
        """The requirement part the person's major meets: a node covering theirs, or an unmatched
        word equal to their (uncatalogued) major; None when nothing does."""
        if person is not None:
            return next((node for node in self.nodes if node.covers(person)), None)
        word = normalise(person_text)
        return word if word and word in self.unmatched else None

    def describe(self) -> str:
        parts = [n.name for n in self.nodes] + list(self.unmatched)
        return "、".join(dict.fromkeys(parts)) or "专业不限"


class Catalogue:
    def __init__(self, nodes):
        self.by_code: dict[str, Node] = {}
        self.by_bare_code: dict[str, Node] = {}
        self.by_name: dict[str, list[Node]] = {}
        self._requirements: dict[str, Requirement] = {}
        for node in nodes:
            self.by_code[node.code.upper()] = node
            self.by_bare_code[CODE.match(node.code.upper()).group(1)] = node
            self.by_name.setdefault(node.name, []).append(node)

    @classmethod
    def from_rows(cls, rows) -> "Catalogue":
        """From (code, name, catalogue, level, path) rows."""
        return cls(Node(*row) for row in rows)

    def lookup(self, word: str) -> list[Node]:
        """The nodes a typed part names: by code (suffix optional), else by name."""
        word = normalise(word)
        code = CODE.match(word)
        if code:
            node = self.by_code.get(word) or self.by_bare_code.get(code.group(1))
            return [node] if node else []
        found = self.by_name.get(word, [])
        if not found and word.endswith("门类"):  # "经济学门类": the 门类, not the 专业 of the same name
            return [n for n in self.by_name.get(word[:-2], []) if n.level == "category"]
        narrowest: dict[str, Node] = {}
        for node in found:  # one node per catalogue: the narrowest level bearing the name
            kept = narrowest.get(node.catalogue)
            if kept is None or LEVEL_ORDER[node.level] < LEVEL_ORDER[kept.level]:
                narrowest[node.catalogue] = node
        return sorted(narrowest.values(), key=lambda n: n.path)

    def requirement(self, text: str) -> Requirement:
        """A post's major requirement parsed; remembered by its text (the same few hundred texts
        recur across thousands of posts, and scoring parses every candidate's)."""
        text = text or ""
        found = self._requirements.get(text)
        if found is None:
            if len(self._requirements) >= 50_000:
                self._requirements.clear()
            found = self._requirements[text] = self._parse(text)
        return found

    def _parse(self, text: str) -> Requirement:
        nodes: list[Node] = []
        unmatched: list[str] = []
        for part in SEPARATORS.split(text):
            word = normalise(part)
            if not word or word in OPEN_WORDS:
                continue
            found = self.lookup(word)
            if found:
                nodes += [n for n in found if n not in nodes]
            elif word not in unmatched:
                unmatched.append(word)
        return Requirement(tuple(nodes), tuple(unmatched))

    def person(self, text: str, education: str = "") -> Node | None:
        """A person's major as one node, in the catalogue their education points to (None: not in
        the catalogue or not given)."""
        found = self.lookup(text) if normalise(text) else []
        if not found:
            return None
        order = BY_EDUCATION.get(education or "", DEFAULT_ORDER)
        return min(found, key=lambda n: order.index(n.catalogue) if n.catalogue in order else len(order))

    def node(self, code: str) -> Node | None:
        return self.by_code.get((code or "").upper())


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    return Catalogue.from_rows(Major.objects.values_list("code", "name", "catalogue", "level", "path").iterator())

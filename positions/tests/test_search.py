"""Word search of the public post list: the same posts on SQLite (LIKE) and on PostgreSQL, where
words of two or more characters are also looked up in the bigram indexes (positions/search.py),
and units whose name holds the word are named by id or, past `UNIT_IDS_LISTED`, joined."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from positions import search, selectors
from positions.selectors import PostFilters, posts_public
from positions.tests.factories import ApprovedPostFactory
from units.tests.factories import ApprovedUnitFactory


def titles(q: str) -> set[str]:
    return {p.title for p in posts_public(PostFilters(q=q))}


@pytest.fixture
def posts(db):
    firm = ApprovedUnitFactory(name="长春会计师事务所")
    plant = ApprovedUnitFactory(name="吉林Java软件园")
    return {
        "audit": ApprovedPostFactory(unit=firm, title="审计助理", majors="审计学"),
        "cashier": ApprovedPostFactory(unit=plant, title="出纳会计岗", majors=""),
        "tax": ApprovedPostFactory(unit=plant, title="税务专员", majors="会计学、财务管理"),
        "coder": ApprovedPostFactory(unit=plant, title="后端开发（JAVA）", majors="计算机科学与技术"),
        "nurse": ApprovedPostFactory(unit=firm, title="护理岗", majors="护理学"),
    }


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("会计", {"审计助理", "护理岗", "出纳会计岗", "税务专员"}),  # unit name, unit name, title, majors
        ("会计学", {"税务专员"}),  # three characters: every bigram and the LIKE
        ("计会", set()),  # both characters present, never side by side
        ("java", {"后端开发（JAVA）", "出纳会计岗", "税务专员"}),  # letters ignore case (title, unit name)
        ("计", {"审计助理", "护理岗", "出纳会计岗", "税务专员", "后端开发（JAVA）"}),  # one character: LIKE only
        ("会计 护理", {"护理岗"}),  # every word must match
        ("事务所 审计学", {"审计助理"}),
        ("没有这个词", set()),
    ],
)
def test_word_search_finds_title_majors_and_unit_name(posts, q, expected):
    assert titles(q) == expected


def test_unit_name_matches_by_join_when_the_word_is_in_too_many_unit_names(posts, monkeypatch):
    monkeypatch.setattr(selectors, "UNIT_IDS_LISTED", 0)
    assert titles("会计") == {"审计助理", "护理岗", "出纳会计岗", "税务专员"}
    assert titles("事务所") == {"审计助理", "护理岗"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram function and indexes are PostgreSQL's")
def test_bigram_function_and_indexes_exist_on_postgresql(db):
    with connection.cursor() as cur:
        cur.execute("SELECT jianxi_bigrams('会计Java'), jianxi_bigrams('计'), jianxi_bigrams('')")
        assert cur.fetchone() == (["会计", "计j", "ja", "av", "va"], [], [])
        cur.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%words_idx' ORDER BY 1")
        assert [r[0] for r in cur.fetchall()] == ["positions_post_words_idx", "units_unit_name_words_idx"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram function and indexes are PostgreSQL's")
def test_search_sql_asks_the_indexed_expressions(posts):
    with CaptureQueriesContext(connection) as ctx:
        list(posts_public(PostFilters(q="会计")))
    units_sql, posts_sql = (q["sql"] for q in ctx.captured_queries)
    assert 'jianxi_bigrams("units_unit"."name") @> jianxi_bigrams(' in units_sql
    assert 'jianxi_bigrams("positions_post"."title") @> jianxi_bigrams(' in posts_sql
    assert 'jianxi_bigrams("positions_post"."majors") @> jianxi_bigrams(' in posts_sql


def test_one_query_per_indexable_word_for_its_units(posts):
    with CaptureQueriesContext(connection) as ctx:
        list(posts_public(PostFilters(q="会计 护理 计")))
    per_word = 2 if search.enabled() else 0  # "计" has no bigram
    assert len(ctx.captured_queries) == 1 + per_word

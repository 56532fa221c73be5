"""Word search of the public post list on PostgreSQL, served by GIN indexes of character bigrams.

Search words are Chinese, mostly two characters (会计, 护理, 机械). A plain `LIKE '%会计%'` cannot
use a btree index, and pg_trgm's trigram index cannot serve a two-character pattern either (no
trigram can be extracted from it, so the index degenerates to a full scan). So the migration
`positions/0003_search_bigram_indexes` defines `jianxi_bigrams(text)`: the lower-cased text's
overlapping two-character pieces ('会计见习' → {会计, 计见, 见习}), and GIN indexes over it for
the post's title and majors and the unit's name. A text contains a word of two or more
characters only if its bigrams contain all the word's bigrams, so `grams_contain` is a filter
the index answers, and the `LIKE` beside it keeps the result exact (it removes the texts that
hold the pieces but not the word).

SQLite (`make run`, the fast tests) has neither the function nor the indexes: `enabled()` is
false there and the selector uses the plain `LIKE` alone, with the same results."""

from django.db import connection
from django.db.models import BooleanField, F, Func, Value

FUNCTION = "jianxi_bigrams"  # defined by the migration, with the indexes:
# positions_post_words_idx  ON positions_post USING gin (jianxi_bigrams(title), jianxi_bigrams(majors))
# units_unit_name_words_idx ON units_unit     USING gin (jianxi_bigrams(name))


def enabled() -> bool:
    """Whether the bigram function and indexes exist (PostgreSQL)."""
    return connection.vendor == "postgresql"


def indexable(word: str) -> bool:
    """A one-character word has no bigram: the index cannot narrow it, only LIKE can."""
    return len(word) >= 2


class _GramsContain(Func):
    """`jianxi_bigrams(<column>) @> jianxi_bigrams(<word>)`: the column holds every bigram of
    the word. The left side is the indexed expression itself, so the GIN index serves it; the
    right side is a constant PostgreSQL folds once per query."""

    function = FUNCTION
    template = "%(function)s(%(expressions)s)"
    arg_joiner = f") @> {FUNCTION}("
    output_field = BooleanField()


def grams_contain(column: str, word: str) -> Func:
    return _GramsContain(F(column), Value(word))

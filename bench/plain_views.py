"""The reference of `make bench` for the public post list (bench/README.md): the same 20 rows of the
same query (`posts_public` with the same filters, read the same way as the list reads them), with
no count, no pagination links and no filter form, in a plain table. Served only in the benchmark
process (bench_urls.py), so the list's figures read as ours ÷ this floor."""

from django.http import HttpResponse
from django.template import Context, Template

from jianxi_portal.core.pagination import CappedPaginator
from jianxi_portal.core.query import parse_query
from positions.forms import PostQuery
from positions.selectors import PostFilters, posts_public
from positions.views import PAGE_SIZE

PLAIN = Template(
    "<!doctype html><meta charset=utf-8><title>见习岗位</title><table>{% for post in rows %}<tr>"
    "<td>{{ post.title }}</td><td>{{ post.unit.name }}</td><td>{{ post.region.name }}</td>"
    "<td>{{ post.district.name }}</td><td>{{ post.slots }}</td><td>{{ post.published_on }}</td></tr>"
    "{% endfor %}</table>"
)


def plain_posts(request):
    try:
        page = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page = 1
    bottom = (page - 1) * PAGE_SIZE
    filters = PostFilters(**parse_query(request, PostQuery))  # parsed as the list parses them
    qs = posts_public(filters)
    if after := request.GET.get("after"):  # the same 20 rows as the list's 下一页 link: by key, no OFFSET
        from jianxi_portal.core.pagination import _keys, after_q, decode_cursor

        rows = qs.filter(after_q(qs.model, _keys(qs), decode_cursor(after)[1]))[:PAGE_SIZE]
    else:
        rows = CappedPaginator(qs, PAGE_SIZE)._rows(bottom, bottom + PAGE_SIZE)
    return HttpResponse(PLAIN.render(Context({"rows": rows})))

"""Query parameters of every list page and API: one way to read them (SECURITY.md, "Query
parameters"). A list's search, filter, period and paging parameters are declared on a `QueryForm`
or a `QueryFilterSet` (django-filter; its form is a `QueryForm`) and read with `parse_query`;
views never read `request.GET` by hand.

A `QueryForm` refuses any parameter, declared or not, whose name or value holds a control
character (NUL, which PostgreSQL refuses in a string, and the rest of U+0000–U+001F, U+007F–U+009F),
and its fields bound lengths and numbers. A query that does not validate is answered 400 with a
Chinese message naming each parameter: `InvalidQuery` becomes the error page
(`QueryErrorMiddleware`) or, in the API, `{"parameter": ["message"]}` (`api_base.exception_handler`;
the API's filter backend, `QueryFilterBackend`, raises DRF's own 400 with the same shape)."""

import re
from datetime import date

import django_filters
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, BadRequest
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django_filters.rest_framework import DjangoFilterBackend

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = "不能包含控制字符（如 NUL）。"
YEAR_MIN, YEAR_MAX = 2000, 2100


def text_lookup(word: str) -> str:
    """The lookup of one search word: `contains` for words without letter case (Chinese, digits),
    else `icontains`. On 100k posts PostgreSQL answers a plain LIKE in milliseconds by walking the
    newest-first index, while UPPER(...) LIKE makes it scan and sort every published post
    (measured: 6 ms against 280 ms)."""
    return "contains" if word.upper() == word.lower() else "icontains"


def printable(name: str) -> str:
    """A parameter's name as it may be shown and used as a JSON key (control characters as "?")."""
    return CONTROL.sub("?", name)[:40]


def hostile_parameters(data) -> list[str]:
    """Names of the parameters whose name or any value holds a control character."""
    if not hasattr(data, "lists"):
        return []
    return [
        printable(name)
        for name, values in data.lists()
        if CONTROL.search(name) or any(CONTROL.search(str(v)) for v in values)
    ]


class QueryForm(forms.Form):
    """Base form of every list's query: refuses control characters in every parameter."""

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for name in hostile_parameters(self.data):
            self.cleaned_data.pop(name, None)
            self._errors[name] = self.error_class([CONTROL_MESSAGE])

    def labelled_errors(self) -> list[tuple[str, str]]:
        """(label, message) per error, for the error page."""
        rows = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields and self.fields[name].label else name
            label = "查询条件" if name == NON_FIELD_ERRORS else label
            rows.extend((str(label), str(message)) for message in errors)
        return rows


class QueryFilterSet(django_filters.FilterSet):
    """A FilterSet whose form is a `QueryForm` (whatever form its Meta names)."""

    def get_form_class(self):
        form = super().get_form_class()
        return form if issubclass(form, QueryForm) else type(form.__name__, (QueryForm, form), {})


class InvalidQuery(BadRequest):
    def __init__(self, form: QueryForm):
        super().__init__("查询条件有误")
        self.form = form

    def as_dict(self) -> dict:
        return {
            ("non_field_errors" if name == NON_FIELD_ERRORS else name): [str(message) for message in errors]
            for name, errors in self.form.errors.items()
        }


def _params(request):
    return request.query_params if hasattr(request, "query_params") else request.GET


def query_form(request, form_class, **kwargs) -> QueryForm:
    """`form_class` (a QueryForm) bound to the request's query string, valid, for a page that shows
    it again; raises `InvalidQuery` (400)."""
    form = form_class(_params(request), **kwargs)
    if not form.is_valid():
        raise InvalidQuery(form)
    return form


def parse_query(request, query_class, **kwargs):
    """The request's query string read by `query_class`: a QueryForm's `cleaned_data`, or a bound,
    valid QueryFilterSet (`.qs`). Raises `InvalidQuery` (400)."""
    if issubclass(query_class, django_filters.FilterSet):
        filterset = query_class(_params(request), request=request, **kwargs)
        if not filterset.is_valid():
            raise InvalidQuery(filterset.form)
        return filterset
    return query_form(request, query_class, **kwargs).cleaned_data


class QueryErrorMiddleware:
    """Every request's query string passes the base `QueryForm` before its view runs (control
    characters in any parameter: 400, on pages the views never read too — the Django admin's lists
    among them); a view's own form that does not validate (`InvalidQuery`) is answered here too.
    Pages get the Chinese error page, `/api/` the JSON `{"parameter": ["message"]}`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not hostile_parameters(request.GET):
            return None
        form = QueryForm(request.GET)
        form.is_valid()
        return self.refuse(request, InvalidQuery(form))

    def process_exception(self, request, exception):
        return self.refuse(request, exception) if isinstance(exception, InvalidQuery) else None

    @staticmethod
    def refuse(request, exception: InvalidQuery) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse(exception.as_dict(), status=400, json_dumps_params={"ensure_ascii": False})
        context = {"errors": exception.form.labelled_errors(), "path": request.path}
        return render(request, "400.html", context, status=400)


class QueryFilterBackend(DjangoFilterBackend):
    """The API's filter backend: every list and detail passes a `QueryFilterSet` — the view's own, or
    the bare base when it declares none — so control characters are refused everywhere (400 naming
    the parameter)."""

    filterset_base = QueryFilterSet

    def get_filterset_class(self, view, queryset=None):
        filterset_class = super().get_filterset_class(view, queryset)
        if filterset_class is None:
            return QueryFilterSet
        if not issubclass(filterset_class, QueryFilterSet):
            return type(filterset_class.__name__, (QueryFilterSet, filterset_class), {})
        return filterset_class


# Fields the lists share ------------------------------------------------------------------------


def search_field(label: str = "搜索", max_length: int = 50) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length)


def code_field(label: str) -> forms.CharField:
    """A region, unit or other code: a short word, looked up as it is."""
    return forms.CharField(label=label, required=False, max_length=32)


def choice_field(label: str, choices) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=[("", "全部"), *choices])


def id_field(label: str, widget=None) -> forms.IntegerField:
    """A record's id (a database key: 1 … 2**63 − 1; a larger number would overflow SQLite's
    INTEGER before any row is compared)."""
    return forms.IntegerField(label=label, required=False, min_value=1, max_value=2**63 - 1, widget=widget)


def year_field(label: str = "年度") -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)


def month_field(label: str = "月份") -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=1, max_value=12)


def flag_field(label: str) -> forms.BooleanField:
    """A yes/no filter: "1", "true", "on" are yes; absent or anything else is no."""
    return forms.BooleanField(label=label, required=False)


def export_field() -> forms.ChoiceField:
    """`?export=xlsx`: the list's Excel download (the list's button sends it; never shown as a field)."""
    return forms.ChoiceField(
        label="导出", required=False, choices=[("", ""), ("xlsx", "Excel")], widget=forms.HiddenInput
    )


def date_field(label: str) -> forms.DateField:
    """A day of the years a list can hold (2000–2100: no date arithmetic runs out of range)."""
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[MinValueValidator(date(YEAR_MIN, 1, 1)), MaxValueValidator(date(YEAR_MAX, 12, 31))],
    )


class YearQuery(QueryForm):
    """`?year=` of a yearly page (2000–2100; absent: the page's default year)."""

    year = year_field()


def region_filter() -> django_filters.CharFilter:
    """The API's `?region=<code>` filter (a region's code, e.g. changchun)."""
    return django_filters.CharFilter(field_name="region__code", label="市（州）代码", max_length=32)

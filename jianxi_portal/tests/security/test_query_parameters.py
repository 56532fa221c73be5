"""Query parameters (SECURITY.md, "Query parameters"): every list page and API reads its query
string through one form base (`jianxi_portal/core/query.py`), which refuses control characters with a
400 and a Chinese message naming the parameter, and bounds lengths and numbers."""

import pytest
from django.test import Client

CONTROL = "不能包含控制字符（如 NUL）。"


@pytest.mark.parametrize("path", ["/units/?q=%00", "/posts/?q=%00", "/posts/?region=x%00y", "/columns/research/?q=%01"])
def test_a_control_character_in_a_public_list_is_a_400_in_chinese(db, path):
    response = Client().get(path)
    assert response.status_code == 400
    assert CONTROL in response.content.decode()


def test_the_error_page_names_the_parameter(db):
    page = Client().get("/posts/?q=%00").content.decode()  # refused before the view: by its name
    assert "查询条件有误" in page and "q：" + CONTROL in page
    page = Client().get("/posts/?q=" + "字" * 51).content.decode()  # refused by the list's form: by its label
    assert "关键词：" in page


def test_a_control_character_in_an_undeclared_parameter_is_refused_too(db):
    assert Client().get("/posts/?utm%00=1").status_code == 400
    assert Client().get("/posts/?utm=%7F").status_code == 400


def test_the_public_api_answers_json_naming_the_parameter(db):
    response = Client().get("/api/v1/public/posts/?q=%00")
    assert response.status_code == 400
    assert response.json() == {"q": [CONTROL]}


def test_a_staff_api_list_refuses_a_control_character_in_any_parameter(client_for, api_for, city_cc):
    response = api_for(city_cc).get("/api/v1/units/?region=%00")
    assert response.status_code == 400 and response.json() == {"region": [CONTROL]}
    assert api_for(city_cc).get("/api/v1/regions/?x=%1b").json() == {"x": [CONTROL]}


def test_an_unknown_choice_is_a_400_naming_the_field(db):
    response = Client().get("/posts/?category=bogus")
    assert response.status_code == 400 and "岗位类别：" in response.content.decode()
    assert Client().get("/api/v1/public/posts/?category=bogus").json().keys() == {"category"}


def test_a_search_longer_than_fifty_characters_is_refused(db):
    assert Client().get("/units/?q=" + "字" * 51).status_code == 400
    assert Client().get("/units/?q=" + "字" * 50).status_code == 200

"""The page's date (hub.dashboard.day, its form in hub.dashboard.html): what ``?ngay=`` accepts,
what it refuses and why, and how links and forms carry it on."""
from __future__ import annotations

from datetime import date

import pytest
from starlette.datastructures import QueryParams

from hub.dashboard.day import BadDate, Day, parse_day
from hub.dashboard.html import date_field, hidden_day

TODAY = date(2026, 12, 7)


def day(query: str, path: str = "/") -> Day:
    return parse_day(path, QueryParams(query), TODAY)


def test_empty_is_today_and_sends_no_as_of() -> None:
    for query in ("", "ngay=", "ngay=%20"):
        d = day(query)
        assert d.chosen is None and d.on == TODAY and d.as_of is None and d.variables() == {} and d.params() == []
        assert d.href("/province/22#het-han") == "/province/22#het-han"


def test_both_spellings_of_a_day() -> None:
    assert day("ngay=2024-12-31").chosen == date(2024, 12, 31)
    assert day("ngay=31/12/2024").chosen == date(2024, 12, 31)
    assert day("ngay=1/2/2019").chosen == date(2019, 2, 1)
    assert day("ngay=2024-12-31").variables() == {"asOf": "2024-12-31"}
    assert day("ngay=2024-12-31").label == "31/12/2024"


def test_today_chosen_is_kept_in_links_but_asks_today() -> None:
    d = day(f"ngay={TODAY.isoformat()}")
    assert d.chosen == TODAY and d.as_of is None and d.params() == [("ngay", TODAY.isoformat())]


@pytest.mark.parametrize("raw, words", [
    ("abc", "không phải là một ngày"), ("2024-02-30", "không phải là một ngày"), ("31/02/2024", "không phải là một ngày"),
    ("2017-12-31", "trước khi Chương trình OCOP quốc gia bắt đầu"), ("2026-12-08", "ở tương lai"),
])
def test_refused_days_say_why(raw: str, words: str) -> None:
    with pytest.raises(BadDate) as refused:
        day(f"ngay={raw}")
    assert words in str(refused.value)


def test_bounds_are_inclusive() -> None:
    assert day("ngay=2018-01-01").chosen == date(2018, 1, 1)
    assert day(f"ngay={TODAY.isoformat()}").chosen == TODAY


def test_links_carry_the_day_before_their_fragment() -> None:
    d = day("ngay=2023-06-30")
    assert d.href("/province/22#het-han") == "/province/22?ngay=2023-06-30#het-han"
    assert d.href("/het-han?province=22") == "/het-han?province=22&ngay=2023-06-30"
    assert hidden_day(d) == '<input type="hidden" name="ngay" value="2023-06-30">'
    assert d.export_params() == [("as_of", "2023-06-30")]


def test_the_form_keeps_the_other_parameters_but_not_the_cursor() -> None:
    form = date_field(day("stars=4&q=m%E1%BA%ADt+ong&after=abc&page=2&ngay=2023-06-30", "/province/22"))
    assert 'action="/province/22"' in form and 'value="2023-06-30"' in form
    assert '<input type="hidden" name="stars" value="4">' in form and 'name="q" value="mật ong"' in form
    assert 'name="after"' not in form and 'name="page"' not in form and form.count('name="ngay"') == 1
    assert '<a href="/province/22?stars=4&amp;q=m%E1%BA%ADt+ong">Hôm nay</a>' in form
    assert 'min="2018-01-01" max="2026-12-07"' in form

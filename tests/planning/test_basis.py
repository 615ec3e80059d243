"""Head-count bases read in the reader's language, numbers kept."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from ccops.core.staffing import headcount_plan
from ccops.planning.basis import translated_basis
from tests.planning.helpers import make_planning

NUMBER = re.compile(r"\d+(?:\.\d+)?")


@pytest.mark.parametrize("starting", [False, True])
def test_every_basis_the_core_writes_is_translated(starting):
    lines = headcount_plan(123.4, starting=starting).lines
    with translation.override("zh-hans"):
        for line in lines:
            shown = translated_basis(line.basis)
            assert shown != line.basis, line.basis
            assert sorted(NUMBER.findall(shown)) == sorted(NUMBER.findall(line.basis))


def test_an_unknown_basis_is_shown_as_written():
    with translation.override("zh-hans"):
        assert translated_basis("set by hand") == "set by hand"


def test_head_count_page_names_the_plans_and_translates_the_basis(center):
    forecast, plan = make_planning(center)
    client = center.client_for(center.user("planner"))
    with translation.override("zh-hans"):
        page = client.get(reverse("planning:headcount_list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = page.content.decode()
    assert f"#{plan.pk} {center.seat_type.name}" in body
    assert "每 20 名话务员配 1 名" in body

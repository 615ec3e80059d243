"""A site's history: its own queues in full, a queue shared with another site in part."""

from __future__ import annotations

import datetime as dt

import pytest

from ccops.intake.models import AcdInterval
from ccops.org.models import Person
from ccops.planning.scope import actual_calls, load_history, queue_shares
from tests.conftest import make_person
from tests.factories import QueueFactory, SiteFactory, TeamFactory

START = dt.datetime(2026, 10, 5, 1, 0, tzinfo=dt.UTC)


def _acd(queue, offered, *, answered=None, handle=200):
    answered = offered if answered is None else answered
    AcdInterval.objects.create(
        queue=queue,
        interval_start=START,
        interval_minutes=30,
        offered=offered,
        answered=answered,
        abandoned=offered - answered,
        answered_in_threshold=answered,
        abandoned_in_threshold=0,
        talk_seconds=handle * answered,
        hold_seconds=0,
        acw_seconds=0,
    )


@pytest.fixture
def two_sites(center):
    """The shared queue: three agents on the phones at HQ (one on probation), one at the
    branch; a branch-only queue."""
    branch = SiteFactory(code="BR", name="分中心")
    center.team_a.queue = center.queue
    center.team_a.save()
    away = TeamFactory(organisation=center.vendor_b, site=branch, queue=center.queue)
    make_person(center.vendor_a, team=center.team_a)
    make_person(center.vendor_a, team=center.team_a, status=Person.Status.PROBATION)
    make_person(center.vendor_b, team=away)
    make_person(center.vendor_b, team=away, status=Person.Status.LEFT)  # does not count
    own = QueueFactory(code="Q-BR", seat_type=center.seat_type)
    TeamFactory(organisation=center.vendor_b, site=branch, queue=own)
    _acd(center.queue, 100, handle=200)
    _acd(own, 40, handle=100)
    return branch, own


def test_shared_queue_is_split_by_active_agents(center, two_sites):
    branch, own = two_sites
    assert queue_shares(center.seat_type.pk, center.site.pk) == {center.queue.pk: 0.75}
    assert queue_shares(center.seat_type.pk, branch.pk) == {center.queue.pk: 0.25, own.pk: 1.0}
    assert queue_shares(center.seat_type.pk, None) == {center.queue.pk: 1.0, own.pk: 1.0}


def test_site_histories_add_up_to_the_seat_type(center, two_sites):
    branch, _ = two_sites
    hq = load_history(center.seat_type.pk, center.site.pk)
    there = load_history(center.seat_type.pk, branch.pk)
    everywhere = load_history(center.seat_type.pk, None)
    assert hq.calls.tolist() == [75.0]
    assert there.calls.tolist() == [25.0 + 40.0]
    assert everywhere.calls.tolist() == [140.0]
    # handle time is pooled over answered calls, weighted the same way
    assert there.aht.tolist() == pytest.approx([(25 * 200 + 40 * 100) / 65])
    assert everywhere.aht.tolist() == pytest.approx([(100 * 200 + 40 * 100) / 140])


def test_actuals_use_the_same_shares(center, two_sites):
    branch, _ = two_sites
    assert actual_calls(center.seat_type.pk, branch.pk, START, START) == {START: 65.0}
    assert actual_calls(center.seat_type.pk, center.site.pk, START, START) == {START: 75.0}


def test_a_site_without_agents_splits_by_teams(center):
    branch = SiteFactory(code="BR2")
    center.team_b.queue = center.queue
    center.team_b.save()
    Person.objects.update(status=Person.Status.LEFT)
    TeamFactory(organisation=center.vendor_b, site=branch, queue=center.queue)
    assert queue_shares(center.seat_type.pk, branch.pk) == {center.queue.pk: 0.5}

"""Erlang B, C and A against arbitrary-precision references, overload, targets, bad input."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import mpmath as mp
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ccops.core import erlang
from ccops.core.errors import InputError
from ccops.core.ruleset import DEFAULTS

REFERENCE = list(csv.DictReader(Path(__file__).with_name("erlang_reference.csv").open()))
AHT, THRESHOLD, PATIENCE = 180.0, 20.0, 60.0
TOLERANCE = 1e-12
SMALLEST_NORMAL = 1e-300  # below this the reference cannot be held in a float


def _assert_close(value: float, reference: str, name: str) -> None:
    exact = mp.mpf(reference)
    if exact < SMALLEST_NORMAL:
        assert 0 <= value < 1e-290, name
        return
    error = abs((mp.mpf(float(value)) - exact) / exact)
    assert error <= TOLERANCE, f"{name}: {value!r} vs {reference} (relative error {error})"


@pytest.mark.parametrize("row", REFERENCE, ids=lambda r: f"A={r['load']},n={r['agents']}")
def test_every_measure_matches_mpmath_to_1e12(row):
    """Loads from 0.01 to 100,000 Erlangs, heavy overload to deep underload (A and B)."""
    agents, load = int(row["agents"]), float(row["load"])
    _assert_close(float(erlang.erlang_b(agents, load)), row["erlang_b"], "erlang_b")
    c = erlang.erlang_c(agents, load, AHT, THRESHOLD)
    if row["p_wait"]:
        _assert_close(float(c.p_wait), row["p_wait"], "p_wait")
        _assert_close(float(c.service_level), row["service_level"], "service_level")
        _assert_close(float(c.asa), row["asa"], "asa")
    a = erlang.erlang_a(agents, load, AHT, PATIENCE, THRESHOLD)
    _assert_close(float(a.p_wait), row["a_p_wait"], "erlang A p_wait")
    _assert_close(float(a.p_abandon), row["a_p_abandon"], "erlang A p_abandon")
    _assert_close(float(a.service_level), row["a_service_level"], "erlang A service_level")


def test_vectorised_equals_one_by_one():
    rows = [r for r in REFERENCE if float(r["load"]) < 20_000]
    agents = np.array([int(r["agents"]) for r in rows])
    loads = np.array([float(r["load"]) for r in rows])
    together = erlang.erlang_a(agents, loads, AHT, PATIENCE, THRESHOLD)
    for i, (n, a) in enumerate(zip(agents, loads, strict=True)):
        alone = erlang.erlang_a(int(n), float(a), AHT, PATIENCE, THRESHOLD)
        assert together.service_level[i] == alone.service_level
        assert together.p_abandon[i] == alone.p_abandon


def test_live_mpmath_spot_check():
    """Independent of the stored table: the textbook sum for a mid-sized queue."""
    mp.mp.dps = 40
    n, load = 35, mp.mpf(30)
    terms = [load**k / mp.factorial(k) for k in range(n + 1)]
    blocking = terms[-1] / mp.fsum(terms)
    wait = n * blocking / (n - load * (1 - blocking))
    assert float(erlang.erlang_b(n, 30.0)) == pytest.approx(float(blocking), rel=1e-14)
    assert float(erlang.erlang_c(n, 30.0, AHT).p_wait) == pytest.approx(float(wait), rel=1e-14)


def test_published_erlang_b_table():
    """Ten circuits carry 4.46 Erlangs at 1 % blocking (every Erlang B table)."""
    assert float(erlang.erlang_b(10, 4.46)) == pytest.approx(0.01, abs=5e-5)


@pytest.mark.parametrize("agents", [0, 1, 29, 30])
def test_overloaded_intervals_are_defined(agents):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = erlang.erlang_c(agents, 30.0, AHT, THRESHOLD)
    assert (float(m.p_wait), float(m.service_level), float(m.occupancy)) == (1.0, 0.0, 1.0)
    assert float(m.asa) == np.inf


def test_no_load_needs_nobody():
    m = erlang.required_agents(0, AHT, 30)
    assert int(m.agents) == 0
    assert (float(m.service_level), float(m.p_wait), float(m.asa)) == (1.0, 0.0, 0.0)


@settings(max_examples=60, deadline=None)
@given(
    load=st.floats(min_value=0.0, max_value=3_000.0),
    agents=st.integers(min_value=0, max_value=4_000),
    patience=st.one_of(st.none(), st.floats(min_value=1.0, max_value=600.0)),
)
@example(load=71.0, agents=576, patience=None)  # R(n) * (n - A) overflowed to NaN
def test_measures_are_probabilities_never_nan(load, agents, patience):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = (
            erlang.erlang_c(agents, load, AHT)
            if patience is None
            else erlang.erlang_a(agents, load, AHT, patience)
        )
    for share in (m.p_wait, m.service_level, m.occupancy):
        assert 0.0 <= float(share) <= 1.0
    assert float(m.asa) >= 0.0
    assert not np.isnan(float(m.asa))


@pytest.mark.rule("PLAN-10")
def test_default_target_is_80_in_20():
    assert DEFAULTS["PLAN-10"] == {"service_level": 0.8, "threshold_seconds": 20}
    assert erlang.DEFAULT_SERVICE_LEVEL == DEFAULTS["PLAN-10"]["service_level"]
    assert erlang.DEFAULT_THRESHOLD_SECONDS == DEFAULTS["PLAN-10"]["threshold_seconds"]
    m = erlang.required_agents(300, 180, 30)
    assert int(m.agents) == 35
    assert float(m.service_level) >= 0.8
    assert float(erlang.erlang_c(34, 30.0, 180, 20).service_level) < 0.8


@pytest.mark.rule("PLAN-10")
@pytest.mark.parametrize("patience", [None, 60.0])
def test_required_agents_are_the_fewest_meeting_the_target(patience):
    rng = np.random.default_rng(7)
    calls = np.exp(rng.uniform(np.log(0.5), np.log(20_000), 300))
    m = erlang.required_agents(calls, 180, 30, service_level=0.9, threshold=15, patience=patience)
    load = calls * 180 / 1800

    def level(agents):
        if patience is None:
            return erlang.erlang_c(agents, load, 180, 15).service_level
        return erlang.erlang_a(agents, load, 180, patience, 15).service_level

    assert (level(m.agents) >= 0.9).all()
    assert (level(m.agents - 1) < 0.9).all()


def test_asa_target_and_occupancy_cap():
    m = erlang.required_agents(300, 180, 30, service_level=None, asa=10)
    assert float(m.asa) <= 10
    assert float(erlang.erlang_c(int(m.agents) - 1, 30.0, 180).asa) > 10
    capped = erlang.required_agents(300, 180, 30, max_occupancy=0.8)
    assert int(capped.agents) == 38  # 30 Erlangs / 0.8
    assert float(capped.occupancy) <= 0.8


def test_scalars_and_arrays_keep_their_shape():
    assert erlang.required_agents(300, 180, 30).agents.shape == ()
    grid = erlang.required_agents(np.full((7, 48), 120.0), 180, 30)
    assert grid.agents.shape == (7, 48)
    assert (grid.agents == 16).all()


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"calls": [10, -1]}, "calls", "negative"),
        ({"calls": "many"}, "calls", "not_numeric"),
        ({"calls": float("nan")}, "calls", "not_numeric"),
        ({"aht": 0}, "aht", "not_positive"),
        ({"interval_minutes": 0}, "interval_minutes", "not_positive"),
        ({"service_level": 1.2}, "sl", "out_of_range"),
        ({"max_occupancy": 0}, "max_occupancy", "out_of_range"),
        ({"patience": -5}, "patience", "not_positive"),
        ({"threshold": -1}, "threshold", "negative"),
    ],
)
def test_bad_input_names_the_field(kwargs, field, code):
    arguments = {"calls": 300, "aht": 180, "interval_minutes": 30} | kwargs
    calls, aht, interval = (
        arguments.pop("calls"),
        arguments.pop("aht"),
        arguments.pop("interval_minutes"),
    )
    with pytest.raises(InputError) as caught:
        erlang.required_agents(calls, aht, interval, **arguments)
    assert (caught.value.field, caught.value.code) == (field, code)
    if kwargs.get("calls") == [10, -1]:
        assert caught.value.row == 2

"""A small call-by-call simulation of one queue for one day.

Calls arrive (Poisson per 30-minute slot), wait for the agent who has been free the
longest, and hang up if the wait outlasts their patience. Agents log in, go ready,
take calls (talk, hold, after-call work), take their planned breaks when the current
call is done, and log out. Because the ACD statistics, the call records and the agent
states all come out of the same run, they agree with each other exactly.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from ccops.demo.floor import LOGIN_SECONDS, MEETING, AgentDay
from ccops.demo.traffic import OPEN_FROM_SLOT, OPEN_SLOTS, SLOT_SECONDS

LOGGED_IN = "logged_in"
READY = "ready"
NOT_READY = "not_ready"
ON_CALL = "on_call"
ACW = "acw"
LOGGED_OUT = "logged_out"

TALK_SHARE, HOLD_SHARE, ACW_SHARE = 0.80, 0.05, 0.15  # of the handling time
HOLD_CALL_SHARE = 0.25  # calls with any hold at all
QUICK_HANGUP_SHARE = 0.04  # callers who give up within seconds
MEAN_PATIENCE = 110  # seconds, for the rest
TRANSFER_SHARE = 0.02

Timeline = list[tuple[int, str, str]]  # (start, state, reason); each ends at the next


@dataclass(frozen=True)
class CallBatch:
    """One queue's calls for one day, in arrival order, with what each would need."""

    arrival: np.ndarray
    patience: np.ndarray
    ring: np.ndarray
    talk: np.ndarray
    hold: np.ndarray
    acw: np.ndarray
    transferred: np.ndarray

    def __len__(self) -> int:
        return len(self.arrival)


def draw_calls(expected: np.ndarray, aht: float, rng: np.random.Generator) -> CallBatch:
    """Arrivals around `expected` calls per open slot, with lognormal handling times."""
    counts = rng.poisson(expected)
    slot_starts = np.repeat(OPEN_SLOTS * SLOT_SECONDS, counts)
    arrival = np.sort(slot_starts + rng.integers(0, SLOT_SECONDS, size=len(slot_starts)))
    n = len(arrival)
    quick = rng.random(n) < QUICK_HANGUP_SHARE
    patience = np.where(quick, rng.integers(2, 12, n), 6 + rng.exponential(MEAN_PATIENCE, n))
    has_hold = rng.random(n) < HOLD_CALL_SHARE
    hold = np.where(has_hold, lognormal(rng, aht * HOLD_SHARE / HOLD_CALL_SHARE, 0.6, n), 0)
    return CallBatch(
        arrival=arrival.astype(np.int64),
        patience=patience.astype(np.int64),
        ring=rng.integers(2, 7, n),
        talk=np.clip(lognormal(rng, aht * TALK_SHARE, 0.55, n), 15, 3600).astype(np.int64),
        hold=np.clip(hold, 0, 900).astype(np.int64),
        acw=np.clip(lognormal(rng, aht * ACW_SHARE, 0.5, n), 3, 900).astype(np.int64),
        transferred=rng.random(n) < TRANSFER_SHARE,
    )


def lognormal(rng: np.random.Generator, mean: float, sigma: float, n: int) -> np.ndarray:
    """Lognormal draws with the given mean (not median)."""
    return rng.lognormal(np.log(mean) - sigma**2 / 2, sigma, n)


@dataclass
class QueueDay:
    """The outcome of one queue-day: per call who answered and when (-1 if abandoned)."""

    calls: CallBatch
    answered_at: np.ndarray
    agent: np.ndarray
    timelines: list[Timeline] | None

    @property
    def answered(self) -> np.ndarray:
        return self.answered_at >= 0


def enter(timeline: Timeline, at: int, state: str, reason: str = "") -> None:
    """Append a state change; one at the same second replaces the previous one."""
    if timeline and timeline[-1][0] == at:
        timeline[-1] = (at, state, reason)
    elif not timeline or timeline[-1][1:] != (state, reason):
        timeline.append((at, state, reason))


class _Floor:
    """The agents of one queue during the simulation."""

    def __init__(self, plans: list[AgentDay], record: bool) -> None:
        self.plans = plans
        self.next_break = [0] * len(plans)
        self.timelines: list[Timeline] | None = [[] for _ in plans] if record else None
        self.free: list[tuple[int, int]] = [self.start(i) for i in range(len(plans))]
        heapq.heapify(self.free)

    def start(self, i: int) -> tuple[int, int]:
        """Log in, sit through the pre-shift meeting if any, go ready."""
        plan = self.plans[i]
        ready = plan.login + LOGIN_SECONDS + plan.meeting
        if self.timelines is not None:
            timeline = self.timelines[i]
            enter(timeline, plan.login, LOGGED_IN)
            if plan.meeting:
                enter(timeline, plan.login + LOGIN_SECONDS, NOT_READY, MEETING)
            enter(timeline, ready, READY)
        return ready, i

    def settle(self, i: int, free: int, until: int) -> int | None:
        """When agent i can take a call at `until`, after breaks due; None once logged out."""
        plan, k = self.plans[i], self.next_break[i]
        while k < len(plan.breaks) and plan.breaks[k][0] <= max(free, until):
            start, length, reason = plan.breaks[k]
            start = max(start, free)
            k += 1
            if start >= plan.logout:
                k = len(plan.breaks)
                break
            if self.timelines is not None:
                enter(self.timelines[i], start, NOT_READY, reason)
                enter(self.timelines[i], start + length, READY)
            free = start + length
        self.next_break[i] = k
        if free >= plan.logout:
            self.log_out(i, free)
            return None
        return free

    def log_out(self, i: int, at: int) -> None:
        plan = self.plans[i]
        plan.logged_out = max(at, plan.logout)
        if self.timelines is not None:
            enter(self.timelines[i], plan.logged_out, LOGGED_OUT)

    def earliest(self, at: int) -> tuple[int, int] | None:
        """(free time, agent) of the agent who can answer soonest at `at`, if any."""
        heap = self.free
        while heap:
            free, i = heap[0]
            settled = self.settle(i, free, at)
            if settled is None:
                heapq.heappop(heap)
            elif settled != free:
                heapq.heapreplace(heap, (settled, i))
            else:
                return free, i
        return None

    def take(self, i: int, answer: int, busy: int, acw: int) -> None:
        """Agent i answers at `answer`, talks and holds for `busy` s, then wraps up."""
        hung_up = answer + busy
        if self.timelines is not None:
            enter(self.timelines[i], answer, ON_CALL)
            enter(self.timelines[i], hung_up, ACW)
            enter(self.timelines[i], hung_up + acw, READY)
        heapq.heapreplace(self.free, (hung_up + acw, i))

    def close(self) -> None:
        """Everyone still logged in takes the breaks left before logout, then logs out."""
        for free, i in self.free:
            settled = self.settle(i, free, self.plans[i].logout)
            if settled is not None:
                self.log_out(i, settled)


def simulate(plans: list[AgentDay], calls: CallBatch, *, record: bool) -> QueueDay:
    """Run one queue-day; `record` keeps every agent's state timeline (costly)."""
    floor = _Floor(plans, record)
    n = len(calls)
    answered_at = np.full(n, -1, dtype=np.int64)
    agent = np.full(n, -1, dtype=np.int64)
    arrival, patience, ring = calls.arrival.tolist(), calls.patience.tolist(), calls.ring.tolist()
    busy = (calls.talk + calls.hold).tolist()
    acw = calls.acw.tolist()
    for c in range(n):
        found = floor.earliest(arrival[c])
        if found is None:
            continue
        free, i = found
        answer = max(arrival[c], free) + ring[c]
        if answer - arrival[c] > patience[c]:
            continue
        answered_at[c], agent[c] = answer, i
        floor.take(i, answer, busy[c], acw[c])
    floor.close()
    return QueueDay(calls, answered_at, agent, floor.timelines)


@dataclass(frozen=True)
class SlotStats:
    """ACD interval statistics per open slot of one queue-day (arrays over OPEN_SLOTS)."""

    offered: np.ndarray
    answered: np.ndarray
    abandoned: np.ndarray
    answered_in_threshold: np.ndarray
    abandoned_in_threshold: np.ndarray
    talk_seconds: np.ndarray
    hold_seconds: np.ndarray
    acw_seconds: np.ndarray


def slot_stats(day: QueueDay, threshold_seconds: int) -> SlotStats:
    """Aggregate the calls by the slot they arrived in, as an ACD reports them."""
    calls, answered = day.calls, day.answered
    slot = calls.arrival // SLOT_SECONDS - OPEN_FROM_SLOT
    wait = np.where(answered, day.answered_at - calls.arrival, calls.patience)

    def total(weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(slot, weights=weights, minlength=len(OPEN_SLOTS)).astype(np.int64)

    return SlotStats(
        offered=total(),
        answered=total(answered),
        abandoned=total(~answered),
        answered_in_threshold=total(answered & (wait <= threshold_seconds)),
        abandoned_in_threshold=total(~answered & (wait <= threshold_seconds)),
        talk_seconds=total(np.where(answered, calls.talk, 0)),
        hold_seconds=total(np.where(answered, calls.hold, 0)),
        acw_seconds=total(np.where(answered, calls.acw, 0)),
    )

"""Agent-state periods from the phone system (ACD), as whole-second intervals.

The ACD logs each agent's state changes: ``logged_in`` (logged in, no state chosen
yet), ``ready``, ``not_ready`` (with a reason), ``on_call``, ``acw`` (after-call work)
and ``logged_out``. Every state but ``logged_out`` is time logged in; time with no
record at all counts as logged out.

A state change ends the state before it, so a period is cut at the start of the next
one (an ACD that missed a close, or overlapping rows, never counts one second twice).
A period still open (no end) runs until the next one starts or, for the last, until
the ``now`` the caller gives. Times are the same local wall-clock datetimes as the
roster and the clock (see ``punches``), taken to the whole second (fractions dropped).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Literal

from ccops.core.errors import InputError

StateName = Literal["logged_in", "ready", "not_ready", "on_call", "acw", "logged_out"]
STATES: tuple[StateName, ...] = ("logged_in", "ready", "not_ready", "on_call", "acw", "logged_out")
LOGGED_OUT: StateName = "logged_out"
NOT_READY: StateName = "not_ready"
PHONE_STATES = frozenset({"ready", "on_call", "acw"})  # on the phones, as a schedule means it
AWAY_STATES = frozenset({"not_ready", "logged_out"})  # off the phones, as a break means it
SECOND = dt.timedelta(seconds=1)
_KNOWN = frozenset(STATES)


@dataclass(frozen=True)
class AgentState:
    """One ACD state period of an agent; ``end`` is None while it is still open.

    ``reason`` is the not-ready reason the agent chose (empty otherwise); ``row`` the
    export row it came from, for messages.
    """

    agent: str
    state: StateName
    start: dt.datetime
    end: dt.datetime | None = None
    reason: str = ""
    row: int | None = None


# A state period in whole seconds from some origin: (start, end, state, reason), end
# exclusive. Plain integer tuples keep a month of a whole center cheap and exact.
Period = tuple[int, int, str, str]


def seconds(moment: dt.datetime, origin: dt.datetime) -> int:
    """Whole seconds from ``origin`` to ``moment`` (negative before it), fractions dropped."""
    return (moment - origin) // SECOND


def at(offset: int, origin: dt.datetime) -> dt.datetime:
    """The moment ``offset`` seconds after ``origin``."""
    return origin + dt.timedelta(seconds=offset)


def by_agent(states: Iterable[AgentState]) -> Iterator[tuple[str, list[AgentState]]]:
    """The states of each agent in turn, from states sorted by agent (then start).

    Raises:
        InputError: an agent whose states are not all together (field ``agent``).
    """
    seen: set[str] = set()
    for agent, own in groupby(states, key=lambda state: state.agent):
        rows = list(own)
        if agent in seen:
            raise InputError(
                "agent", agent, "unsorted", "states must be sorted by agent", row=rows[0].row
            )
        seen.add(agent)
        yield agent, rows


def periods(states: Sequence[AgentState], origin: dt.datetime, now: dt.datetime) -> list[Period]:
    """One agent's states, in start order, as periods cut at the next start and at ``now``.

    Periods left empty by the cuts, and those starting at or after ``now``, are dropped.

    Raises:
        InputError: an unknown state, an end before its start, or a start earlier than
            the one before it (field ``state``, ``end`` or ``start``).
    """
    limit = (now - origin) // SECOND
    starts = [(state.start - origin) // SECOND for state in states]
    nexts = [*starts[1:], limit] if starts else []
    found: list[Period] = []
    previous = starts[0] if starts else 0
    for state, start, following in zip(states, starts, nexts, strict=True):
        if (
            state.state not in _KNOWN
            or start < previous
            or (state.end is not None and state.end < state.start)
        ):
            _refuse(state, start, previous)
        previous = start
        if start >= limit:
            break
        end = following  # the next start, or ``now`` for the last; conditionals for speed
        if state.end is not None:
            closed = (state.end - origin) // SECOND
            end = closed if closed < end else end
        if end > start:
            found.append((start, end if end < limit else limit, state.state, state.reason))
    return found


def _refuse(state: AgentState, start: int, previous_start: int) -> None:
    if state.state not in _KNOWN:
        known = ", ".join(STATES)
        raise InputError("state", state.state, "unknown", f"must be one of {known}", row=state.row)
    if state.end is not None and state.end < state.start:
        raise InputError("end", state.end, "out_of_range", "before the start", row=state.row)
    if start < previous_start:
        raise InputError(
            "start", state.start, "unsorted", "states must be sorted by start", row=state.row
        )

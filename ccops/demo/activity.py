"""Operational history: ACD interval statistics, and for recent days the agents' detail.

Every day of the history is simulated call by call (see ``queueing``); the ACD rows
come from every day, the call records, agent states and clock punches only from the
last ``detail_days``, so the detail and the ACD statistics of those days agree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings

from ccops.core.ruleset import DEFAULTS
from ccops.demo.floor import AgentDay, FloorAgent, break_lengths, plan_team_day
from ccops.demo.queueing import CallBatch, QueueDay, draw_calls, simulate, slot_stats
from ccops.demo.rows import RowMaker
from ccops.demo.structure import QUEUES, PersonPlan, QueueSpec, Structure
from ccops.demo.traffic import OPEN_SLOTS, SLOT_MINUTES, expected_calls
from ccops.intake.models import AcdInterval, AgentState, CallRecord, ClockPunch
from ccops.org.models import Person

BATCH = 5000
PLAN_STREAM, CALL_STREAM = 1, 2  # independent random streams, seeded per day
DAY_NOISE_SIGMA = 0.05
ON_PHONES = {Person.Status.ACTIVE, Person.Status.PROBATION, Person.Status.LEAVING}
DISPOSITIONS = {
    "Q-GEN": ("咨询解答", "咨询解答", "业务受理", "转工单"),
    "Q-FAULT": ("故障报修", "故障报修", "进度查询", "转工单"),
    "Q-USER": ("业务受理", "业务变更", "咨询解答"),
    "Q-VAS": ("增值业务办理", "退订", "咨询解答"),
    "Q-VIP": ("VIP服务", "业务受理", "投诉受理"),
}
ABANDONED = "放弃"

ACD_ROW = RowMaker(
    AcdInterval,
    "queue_id",
    "interval_start",
    "interval_minutes",
    "offered",
    "answered",
    "abandoned",
    "answered_in_threshold",
    "abandoned_in_threshold",
    "talk_seconds",
    "hold_seconds",
    "acw_seconds",
)
STATE_ROW = RowMaker(
    AgentState, "organisation_id", "person_id", "state", "reason", "started_at", "ended_at"
)
CALL_ROW = RowMaker(
    CallRecord,
    "call_id",
    "organisation_id",
    "queue_id",
    "person_id",
    "arrived_at",
    "answered_at",
    "ended_at",
    "talk_seconds",
    "hold_seconds",
    "acw_seconds",
    "transferred",
    "disposition",
)
ABANDONED_ROW = RowMaker(
    CallRecord, "call_id", "organisation_id", "queue_id", "arrived_at", "ended_at", "disposition"
)
PUNCH_ROW = RowMaker(
    ClockPunch, "organisation_id", "person_id", "punched_at", "direction", "device"
)


def floor_pools(people: list[PersonPlan]) -> dict[str, list[tuple[int, list[FloorAgent]]]]:
    """Per queue, (team number, the team's agents on the phones); key = index in people."""
    teams: dict[int, list[FloorAgent]] = {}
    queue_of: dict[int, str] = {}
    order: list[int] = []
    for key, plan in enumerate(people):
        if plan.team is None or plan.floor_position is None or plan.status not in ON_PHONES:
            continue
        team_id = id(plan.team)
        if team_id not in teams:
            teams[team_id], queue_of[team_id] = [], plan.team.queue.code
            order.append(team_id)
        teams[team_id].append(FloorAgent(key, plan.floor_position, plan.shift_class))
    pools: dict[str, list[tuple[int, list[FloorAgent]]]] = {q.code: [] for q in QUEUES}
    for number, team_id in enumerate(order):
        pools[queue_of[team_id]].append((number, teams[team_id]))
    return pools


class HistoryWriter:
    """Simulates the days one by one and writes what each produces."""

    def __init__(self, structure: Structure, *, seed: int, today: dt.date) -> None:
        self.structure = structure
        self.seed = seed
        self.today = today
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.pools = floor_pools(structure.people)
        self.breaks = break_lengths(DEFAULTS["FLOOR-01"]["break_minutes_per_hour"])
        self.threshold = int(DEFAULTS["PLAN-10"]["threshold_seconds"])
        self.counts: Counter[str] = Counter()

    def write_day(self, day: dt.date, *, detail: bool) -> None:
        """Simulate every queue on `day`; save ACD rows, and the detail if asked."""
        # In UTC, so Django need not convert each of the many timestamps.
        midnight = dt.datetime.combine(day, dt.time(), tzinfo=self.tz).astimezone(dt.UTC)
        acd, states, calls, punches = [], [], [], []
        for number, queue in enumerate(QUEUES):
            plans = self.plan_queue_day(queue, day)
            outcome = simulate(plans, self.draw_queue_day(number, queue, day), record=detail)
            acd += self.acd_rows(queue, midnight, outcome)
            if detail:
                states += self.state_rows(plans, outcome, midnight)
                calls += self.call_rows(queue, number, day, midnight, plans, outcome)
                punches += self.punch_rows(plans, midnight)
        for model, rows in (
            (AcdInterval, acd),
            (CallRecord, calls),
            (AgentState, states),
            (ClockPunch, punches),
        ):
            model.objects.bulk_create(rows, batch_size=BATCH)
            self.counts[model._meta.label] += len(rows)

    def plan_queue_day(self, queue: QueueSpec, day: dt.date) -> list[AgentDay]:
        plans: list[AgentDay] = []
        for team_number, agents in self.pools[queue.code]:
            rng = np.random.default_rng([self.seed, PLAN_STREAM, team_number, day.toordinal()])
            plans += plan_team_day(agents, day, rng, self.breaks)
        return plans

    def draw_queue_day(self, number: int, queue: QueueSpec, day: dt.date) -> CallBatch:
        rng = np.random.default_rng([self.seed, CALL_STREAM, number, day.toordinal()])
        noise = float(rng.lognormal(0, DAY_NOISE_SIGMA))
        expected = expected_calls(
            day, weekday_volume=queue.weekday_calls, today=self.today, day_noise=noise
        )
        return draw_calls(expected, queue.aht, rng)

    def acd_rows(
        self, queue: QueueSpec, midnight: dt.datetime, outcome: QueueDay
    ) -> list[AcdInterval]:
        """One row per open slot, as the ACD reports it."""
        stats = slot_stats(outcome, self.threshold)
        queue_id = self.structure.queues[queue.code].pk
        columns = zip(
            OPEN_SLOTS.tolist(),
            stats.offered.tolist(),
            stats.answered.tolist(),
            stats.abandoned.tolist(),
            stats.answered_in_threshold.tolist(),
            stats.abandoned_in_threshold.tolist(),
            stats.talk_seconds.tolist(),
            stats.hold_seconds.tolist(),
            stats.acw_seconds.tolist(),
            strict=True,
        )
        return [
            ACD_ROW(
                queue_id,
                midnight + dt.timedelta(minutes=slot * SLOT_MINUTES),
                SLOT_MINUTES,
                *figures,
            )
            for slot, *figures in columns
        ]

    def person(self, key: int) -> Person:
        model = self.structure.people[key].model
        assert model is not None  # noqa: S101 - people are saved before the history
        return model

    def state_rows(
        self, plans: list[AgentDay], outcome: QueueDay, midnight: dt.datetime
    ) -> list[AgentState]:
        """Each agent's timeline as states; each ends where the next begins."""
        rows = []
        for plan, timeline in zip(plans, outcome.timelines or [], strict=True):
            person = self.person(plan.key)
            org_id, person_id = person.organisation_id, person.pk
            stamps: list[dt.datetime | None] = [
                midnight + dt.timedelta(seconds=start) for start, _, _ in timeline
            ]
            stamps.append(None)
            rows += [
                STATE_ROW(org_id, person_id, state, reason, stamps[i], stamps[i + 1])
                for i, (_, state, reason) in enumerate(timeline)
            ]
        return rows

    def call_rows(
        self,
        queue: QueueSpec,
        number: int,
        day: dt.date,
        midnight: dt.datetime,
        plans: list[AgentDay],
        outcome: QueueDay,
    ) -> list[CallRecord]:
        """One record per call; abandoned calls belong to the client and have no agent."""
        calls, queue_id = outcome.calls, self.structure.queues[queue.code].pk
        client_id = self.structure.orgs["CLIENT"].pk
        topics = DISPOSITIONS[queue.code]
        people = [self.person(plan.key) for plan in plans]
        columns = zip(
            calls.arrival.tolist(),
            calls.patience.tolist(),
            outcome.answered_at.tolist(),
            outcome.agent.tolist(),
            calls.talk.tolist(),
            calls.hold.tolist(),
            calls.acw.tolist(),
            calls.transferred.tolist(),
            strict=True,
        )
        rows = []
        for c, (arrival, patience, answer, agent, talk, hold, acw, moved) in enumerate(columns):
            arrived = midnight + dt.timedelta(seconds=arrival)
            call_id = f"{day:%Y%m%d}{number + 1:02d}{c + 1:05d}"
            if answer < 0:
                rows.append(
                    ABANDONED_ROW(
                        call_id,
                        client_id,
                        queue_id,
                        arrived,
                        arrived + dt.timedelta(seconds=patience),
                        ABANDONED,
                    )
                )
                continue
            person = people[agent]
            answered = midnight + dt.timedelta(seconds=answer)
            rows.append(
                CALL_ROW(
                    call_id,
                    person.organisation_id,
                    queue_id,
                    person.pk,
                    arrived,
                    answered,
                    answered + dt.timedelta(seconds=talk + hold),
                    talk,
                    hold,
                    acw,
                    moved,
                    topics[c % len(topics)],
                )
            )
        return rows

    def punch_rows(self, plans: list[AgentDay], midnight: dt.datetime) -> list[ClockPunch]:
        """Clock-in before login and clock-out after logout, unless the punch was missed."""
        rows = []
        for plan in plans:
            person = self.person(plan.key)
            device = f"{self.structure.people[plan.key].site}-考勤机{1 + plan.key % 3}"
            for direction, at in (
                (ClockPunch.Direction.IN, plan.clock_in),
                (ClockPunch.Direction.OUT, plan.clock_out),
            ):
                if at is not None:
                    rows.append(
                        PUNCH_ROW(
                            person.organisation_id,
                            person.pk,
                            midnight + dt.timedelta(seconds=at),
                            direction,
                            device,
                        )
                    )
        return rows

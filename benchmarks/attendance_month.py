"""Benchmark: a month of attendance for 3,000 agents, reconciled in PostgreSQL.

Seeds a vendor with 3,000 agents, five weeks of published rosters (about 66,000 shifts
with breaks and lunch), their clock punches and about 1,000,000 ACD agent-state rows
(loaded with COPY), then times the product's monthly summary end to end
(`ccops.attendance.summary.do_compute_summary`: reading the rows, ATT-08..10 fines,
the ATT-01 reconciliation against the phones, writing the lines). Target: < 30 s.
The peer, timed in the same run, is PostgreSQL itself adding up each agent's
logged-in seconds per day over the same rows: the floor of merely reading them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ccops_bench \\
        .venv/bin/python benchmarks/attendance_month.py [--agents 3000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import platform
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from postgres import fresh_database  # noqa: E402

MONTH = dt.date(2026, 10, 1)
TARGET_SECONDS = 30.0
PER_DAY = 48  # half-hour intervals of the published demand


def seed(agents: int) -> tuple[int, int]:
    """The center, the vendor's agents in teams of 20, five approved weekly rosters;
    returns (vendor id, administrator id)."""
    from django.contrib.auth import get_user_model

    from ccops.org.models import Organisation, Person, Profile, Queue, SeatType, Site, Team
    from ccops.planning.models import PublishedDemand, Roster, RosterShift

    client = Organisation.objects.create(code="CLIENT", name="client", kind="client")
    vendor = Organisation.objects.create(code="VA", name="vendor", kind="vendor")
    site = Site.objects.create(code="S1", name="site", level=Site.Level.values[0], city="city")
    seat = SeatType.objects.create(
        code="GEN", name="general", min_knowledge_score=80, min_typing_cpm=60, max_lookup_seconds=40
    )
    queue = Queue.objects.create(code="Q-GEN", name="general", seat_type=seat)
    teams = Team.objects.bulk_create(
        Team(organisation=vendor, site=site, code=f"T{t:03d}", name=f"team {t}", queue=queue)
        for t in range(agents // 20 + 1)
    )
    people = Person.objects.bulk_create(
        Person(
            organisation=vendor,
            team=teams[i // 20],
            site=site,
            employee_no=f"VA{i:05d}",
            name=f"agent {i}",
            hire_date=dt.date(2025, 1, 1),
        )
        for i in range(agents)
    )
    admin = get_user_model().objects.create_superuser("bench", password=None)
    Profile.objects.create(user=admin, organisation=client, role="admin")
    rnd = random.Random(1999)
    first_monday = MONTH - dt.timedelta(days=MONTH.weekday())
    shifts = []
    for week in range(5):
        monday = first_monday + dt.timedelta(weeks=week)
        demand = PublishedDemand.objects.create(
            organisation=vendor,
            seat_type=seat,
            site=site,
            week_start=monday,
            interval_minutes=30,
            required=[0] * (7 * PER_DAY),
        )
        roster = Roster.objects.create(
            demand=demand, organisation=vendor, number=1, state="approved", options={}
        )
        for person in people:
            off = rnd.sample(range(7), 2)
            for d in range(7):
                if d in off:
                    continue
                start = rnd.choice(range(7 * 60, 14 * 60, 60))
                minutes = rnd.choice((480, 540))
                shifts.append(
                    RosterShift(
                        roster=roster,
                        person=person,
                        day=monday + dt.timedelta(days=d),
                        code=f"S{start // 60:02d}",
                        start_minute=start,
                        minutes=minutes,
                        breaks=[
                            start + 90,
                            start + 240 + (60 if minutes > 480 else 0),
                            start + 390,
                        ],
                        lunch=start + 180 if minutes > 480 else None,
                        lunch_minutes=30 if minutes > 480 else 0,
                    )
                )
    RosterShift.objects.bulk_create(shifts, batch_size=5000)
    return vendor.pk, admin.pk


def states_and_punches(url: str, vendor_id: int) -> tuple[int, int]:
    """Clock punches and agent states for every shift, loaded with COPY: most agents
    on time, some late, a few absent; on the phones in calls and after-call work,
    not ready on their breaks and lunch (some overrun)."""
    import psycopg

    from ccops.org.models import Person
    from ccops.planning.models import RosterShift

    rnd = random.Random(7)
    ids = dict(Person.objects.filter(organisation_id=vendor_id).values_list("employee_no", "pk"))
    punches, states = io.StringIO(), io.StringIO()
    n_punches = n_states = 0
    rows = RosterShift.objects.filter(roster__organisation_id=vendor_id).values_list(
        "person__employee_no", "day", "start_minute", "minutes", "breaks", "lunch"
    )
    for code, day, start_minute, minutes, breaks, lunch in rows.iterator(chunk_size=10000):
        if rnd.random() < 0.01:
            continue  # absent
        person = ids[code]
        start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC) + dt.timedelta(
            minutes=start_minute - 480
        )  # local 08:00 is 00:00 UTC in Asia/Shanghai
        late = rnd.choice((7, 12, 35)) if rnd.random() < 0.04 else -rnd.randint(1, 10)
        clock_in = start + dt.timedelta(minutes=late)
        early = 6 if rnd.random() < 0.02 else -rnd.randint(1, 5)
        clock_out = start + dt.timedelta(minutes=minutes - early)
        punches.write(f"{vendor_id}\t{person}\t{clock_in.isoformat()}\tin\t\n")
        punches.write(f"{vendor_id}\t{person}\t{clock_out.isoformat()}\tout\t\n")
        n_punches += 2
        away = [(start + dt.timedelta(minutes=b - start_minute), 15) for b in breaks]
        if lunch is not None:
            away.append((start + dt.timedelta(minutes=lunch - start_minute), 30))
        away.sort()
        moment = clock_in + dt.timedelta(minutes=2)
        for leave, length in [*away, (clock_out - dt.timedelta(minutes=1), 0)]:
            while moment < leave:  # calls and after-call work until the break
                talk = dt.timedelta(seconds=rnd.randint(2400, 5400))  # calls and ready time
                wrap = dt.timedelta(seconds=rnd.randint(60, 180))
                for state, span in (("on_call", talk), ("acw", wrap)):
                    end = min(moment + span, leave)
                    states.write(
                        f"{vendor_id}\t{person}\t{state}\t\t{moment.isoformat()}\t{end.isoformat()}\n"
                    )
                    n_states += 1
                    moment = end
                    if moment >= leave:
                        break
            if length:
                back = leave + dt.timedelta(minutes=length + rnd.choice((0, 0, 0, 1, 8)))
                states.write(
                    f"{vendor_id}\t{person}\tnot_ready\tbreak\t{leave.isoformat()}\t{back.isoformat()}\n"
                )
                n_states += 1
                moment = back
        states.write(f"{vendor_id}\t{person}\tlogged_out\t\t{moment.isoformat()}\t\\N\n")
        n_states += 1
    with psycopg.connect(url) as conn:
        with conn.cursor().copy(
            "COPY intake_clockpunch (organisation_id, person_id, punched_at, direction, device) "
            "FROM STDIN"
        ) as copy:
            copy.write(punches.getvalue())
        with conn.cursor().copy(
            "COPY intake_agentstate (organisation_id, person_id, state, reason, started_at, "
            "ended_at) FROM STDIN"
        ) as copy:
            copy.write(states.getvalue())
        conn.execute("ANALYZE")
    return n_punches, n_states


def time_peer(url: str, vendor_id: int) -> float:
    """PostgreSQL adding up each agent's logged-in seconds per day over the month."""
    import psycopg

    with psycopg.connect(url) as conn:
        started = time.perf_counter()
        conn.execute(
            "SELECT person_id, date(started_at AT TIME ZONE 'Asia/Shanghai'), "
            "sum(extract(epoch FROM ended_at - started_at)) FROM intake_agentstate "
            "WHERE organisation_id = %s AND state <> 'logged_out' "
            "AND started_at >= %s AND started_at < %s GROUP BY 1, 2",
            (vendor_id, MONTH - dt.timedelta(days=1), dt.date(2026, 11, 2)),
        ).fetchall()
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=3000)
    args = parser.parse_args()
    url = fresh_database("attendance_month.py")
    t0 = time.perf_counter()
    vendor_id, admin_id = seed(args.agents)
    n_punches, n_states = states_and_punches(url, vendor_id)
    print(
        f"{platform.node()} {platform.machine()}, {time.strftime('%Y-%m-%d')}: seeded "
        f"{args.agents:,} agents, {n_punches:,} punches, {n_states:,} agent states "
        f"in {time.perf_counter() - t0:.0f} s"
    )
    from django.contrib.auth import get_user_model
    from django.db import connection

    from ccops.attendance.summary import do_compute_summary
    from ccops.org.models import Organisation

    connection.close()
    admin = get_user_model().objects.get(pk=admin_id)
    vendor = Organisation.objects.get(pk=vendor_id)
    started = time.perf_counter()
    summary = do_compute_summary(vendor, MONTH, acting_user=admin)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = summary.lines.all()
    fined = sum(1 for line in lines if line.fine_total)
    checks = sum(len(line.discrepancies) for line in lines)
    peer = time_peer(url, vendor_id)
    print(f"summary: {lines.count():,} agents, {fined:,} with fines, {checks:,} things to check")
    print(
        f"end to end: {seconds:.2f} s (target < {TARGET_SECONDS:.0f} s), peak RSS {peak:,.0f} MiB"
    )
    print(f"peer, PostgreSQL adding up logged-in seconds per agent-day: {peer:.2f} s")
    print(f"ratio summary/peer: {seconds / peer:.1f}x")
    ok = seconds < TARGET_SECONDS
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

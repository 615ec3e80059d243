"""``manage.py demo_data``: fill an empty database with the demo contact center."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccops.demo.generate import DemoError, build_demo_center, existing_data, reset_demo_data


class Command(BaseCommand):
    help = (
        "Build the demo contact center (organisations, people, logins, ACD history, "
        "agent detail). Refuses to touch a database that already has people unless "
        "--reset is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
        parser.add_argument(
            "--weeks",
            type=int,
            default=12,
            help="weeks of ACD history ending yesterday (default 12)",
        )
        parser.add_argument(
            "--detail-days",
            type=int,
            default=14,
            help="recent days with shifts, states, calls, punches (default 14)",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="first delete existing demo-kind data (audit rows stay)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            if options["reset"]:
                deleted = reset_demo_data()
                self.stdout.write(f"reset: deleted {sum(deleted.values())} rows")
            elif clash := existing_data():
                raise CommandError(
                    f"The database already has {', '.join(clash)}; "
                    "run with --reset to replace them with the demo."
                )
            summary = build_demo_center(
                seed=options["seed"], weeks=options["weeks"], detail_days=options["detail_days"]
            )
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        for label, count in summary.counts.items():
            self.stdout.write(f"{label:<22} {count:>9,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"demo center built in {time.perf_counter() - started:.1f} s; logins:"
            )
        )
        for username, password, role, org in summary.logins:
            self.stdout.write(f"{username} / {password}  {role}  {org}")

"""`manage.py bench`: dashboard and summary timings on province-scale synthetic data.

Never touches the real database. The command creates a throw-away database
beside it (SQLite: a file per checkout in the temporary directory; PostgreSQL:
`<name>_bench` on the server that DATABASE_URL names), runs itself again there with `--in-place`
(migrate, load_plan, generate, measure), then drops it unless `--keep`.
`--keep` then `--reuse` measures again on the data of the earlier run (a million
entries take minutes to generate): only what a larger size needs is added.
"""

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tptto_monitor.bench.data import COUNTRY_REGENCIES

BENCH_SUFFIX = "_bench"


def bench_sqlite() -> Path:
    """A throw-away file per checkout, so that two checkouts on one machine never share it."""
    checkout = hashlib.sha256(str(Path(settings.BASE_DIR).resolve()).encode()).hexdigest()[:8]
    return Path(tempfile.gettempdir()) / f"tppo{BENCH_SUFFIX}_{checkout}.sqlite3"


def bench_pg(source: str) -> str:
    """The bench database beside DATABASE_URL's (tppo → tppo_bench): benches started from different
    databases of one server never drop each other's."""
    return f"{source}{BENCH_SUFFIX}"


DEFAULT_SIZES = [10_000, 100_000, 1_000_000]


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be whole numbers separated by commas; got {text!r}") from None
    if not sizes or any(s < 1 for s in sizes):
        raise argparse.ArgumentTypeError(f"sizes must be positive; got {text!r}")
    return sizes


class Command(BaseCommand):
    help = (
        "Benchmark the dashboard pages (regency, pillar, province, national) and annual summaries on "
        "10k/100k/1M synthetic entries over 22 real regencies (--regencies: up to Indonesia's 514)."
    )
    # The URLconf may be half-written while the pages are built; the bench reports that itself.
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=parse_sizes, default=DEFAULT_SIZES, help="e.g. 10000,100000")
        parser.add_argument("--runs", type=int, default=7, help="timed runs per page (median; after one warm-up)")
        parser.add_argument("--file-runs", type=int, default=3, help="timed runs per PDF/XLSX summary")
        parser.add_argument(
            "--regencies",
            type=int,
            default=22,
            help="plans, on real regencies: the real plan's province first, then the others' (at most 514)",
        )
        parser.add_argument("--no-files", action="store_true", help="skip the PDF/XLSX summaries")
        parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
        parser.add_argument(
            "--reuse", action="store_true", help="measure on the entries a --keep run left in the bench database"
        )
        parser.add_argument("--no-imports", action="store_true", help="skip the import timings (50/500/5,000 rows)")
        parser.add_argument("--imports-only", action="store_true", help="only the import timings")
        parser.add_argument("--import-sizes", type=parse_sizes, default=[50, 500, 5000], help="rows per import file")
        parser.add_argument(
            "--generate-only", action="store_true", help="grow the data and stop (--keep it, then --reuse)"
        )
        parser.add_argument("--in-place", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["runs"] < 1 or options["file_runs"] < 1 or options["regencies"] < 1:
            raise CommandError("--runs, --file-runs and --regencies must be at least 1")
        if options["regencies"] > COUNTRY_REGENCIES:
            raise CommandError(f"--regencies: Indonesia has {COUNTRY_REGENCIES} regencies and cities")
        if options["in_place"]:
            return self.run_here(options)
        return self.spawn(options)

    # -- parent: make the bench database, run there, clean up ----------------

    def spawn(self, options):
        db = settings.DATABASES["default"]
        engine = db["ENGINE"]
        reuse = options["reuse"]
        if engine.endswith("sqlite3"):
            for suffix in ("", "-wal", "-shm", "-journal") if not reuse else ():
                Path(f"{bench_sqlite()}{suffix}").unlink(missing_ok=True)
            url = f"sqlite:///{bench_sqlite()}"
        elif engine.endswith("postgresql"):
            if db["NAME"].endswith(BENCH_SUFFIX):
                raise CommandError(
                    f"DATABASE_URL names a bench database ({db['NAME']}); name the one it is made beside"
                )
            if not (reuse and self._pg_exists(db)):
                self._pg_admin(db, f"CREATE DATABASE {bench_pg(db['NAME'])}", drop_first=True)
            parts = urlsplit(os.environ["DATABASE_URL"])
            url = urlunsplit(parts._replace(path=f"/{bench_pg(db['NAME'])}"))
        else:
            raise CommandError(f"bench runs on SQLite or PostgreSQL, not {engine}")
        self.stderr.write(f"Benchmark database: {url.split('@')[-1]}")
        command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench", "--in-place"]
        command += ["--sizes", ",".join(map(str, options["sizes"])), "--runs", str(options["runs"])]
        command += ["--file-runs", str(options["file_runs"]), "--regencies", str(options["regencies"])]
        command += [flag for flag in ("--no-files", "--generate-only") if options[flag[2:].replace("-", "_")]]
        command += [flag for flag in ("--no-imports", "--imports-only") if options[flag[2:].replace("-", "_")]]
        command += ["--import-sizes", ",".join(map(str, options["import_sizes"]))]
        try:
            code = subprocess.call(command, env={**os.environ, "DATABASE_URL": url})  # noqa: S603
        finally:
            if not options["keep"]:
                if engine.endswith("postgresql"):
                    self._pg_admin(db, None, drop_first=True)
                else:
                    bench_sqlite().unlink(missing_ok=True)
        if code:
            raise CommandError(f"the benchmark failed (exit status {code})")

    @staticmethod
    def _pg_connect(db: dict):
        import psycopg2

        conn = psycopg2.connect(
            dbname=db["NAME"], user=db.get("USER") or None, password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None, port=db.get("PORT") or None,
        )  # fmt: skip
        conn.autocommit = True
        return conn

    def _pg_admin(self, db: dict, statement: str | None, drop_first: bool) -> None:
        conn = self._pg_connect(db)
        try:
            with conn.cursor() as cursor:
                if drop_first:
                    cursor.execute(f"DROP DATABASE IF EXISTS {bench_pg(db['NAME'])} WITH (FORCE)")
                if statement:
                    cursor.execute(statement)
        finally:
            conn.close()

    def _pg_exists(self, db: dict) -> bool:
        conn = self._pg_connect(db)
        try:
            with conn.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [bench_pg(db["NAME"])])
                return cursor.fetchone() is not None
        finally:
            conn.close()

    # -- child: inside the bench database -------------------------------------

    def run_here(self, options):
        name = str(connection.settings_dict["NAME"])
        is_bench = (connection.vendor == "sqlite" and Path(name).resolve() == bench_sqlite().resolve()) or (
            connection.vendor == "postgresql" and name.endswith(BENCH_SUFFIX)
        )
        if not is_bench:
            raise CommandError(
                f"--in-place runs only in the bench database ({bench_sqlite()} or <name>{BENCH_SUFFIX}), not {name}"
            )
        from indicators.plans.loader import load_plan
        from tptto_monitor.bench import timing

        call_command("migrate", interactive=False, verbosity=0)
        load_plan()
        if not options["no_imports"]:
            from programs.models import Plan
            from tptto_monitor.bench import imports

            imports.run(Plan.objects.default(), options["import_sizes"], say=lambda text: self.stdout.write(text))
            if options["imports_only"]:
                return
        timing.run(
            options["sizes"],
            runs=options["runs"],
            file_runs=options["file_runs"],
            regencies=options["regencies"],
            files=not options["no_files"],
            measure=not options["generate_only"],
            out=self.stdout,
        )

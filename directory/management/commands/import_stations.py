"""Import a CSV list of real police stations: every row validated, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.services import STATION_COLUMNS, STATION_OPTIONAL, stations_import


class Command(BaseCommand):
    help = (
        "Import police stations from a CSV file with columns "
        + ", ".join(STATION_COLUMNS)
        + " and optionally "
        + ", ".join(STATION_OPTIONAL)
        + ". Stations are matched by code; nothing is written if any row is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        result = stations_import(file)
        if result.errors:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(result.errors)} problem(s) found; nothing was imported.")
        self.stdout.write(self.style.SUCCESS(f"Imported {result.created} new and updated {result.updated} existing station(s)."))

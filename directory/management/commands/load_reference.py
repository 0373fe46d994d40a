"""Load the shipped reference data (states, districts, countries, agencies); safe to run again."""

from django.core.management.base import BaseCommand

from directory.services import reference_data_load


class Command(BaseCommand):
    help = "Load states, districts (LGD codes), INTERPOL member countries and agencies from directory/data."

    def handle(self, *args, **options):
        report = reference_data_load()
        summary = ", ".join(f"{name}: {created} new, {updated} updated" for name, (created, updated) in report.items())
        self.stdout.write(f"Reference data loaded ({summary}).")

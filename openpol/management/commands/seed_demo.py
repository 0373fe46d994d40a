"""Create the clearly fake demo offices and accounts; a second run changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from openpol import demo
from records.demo import seed_records


class Command(BaseCommand):
    help = "Create demo unit offices, police stations and one account per role (demo mode only)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is only loaded in demo mode (DEMO_MODE=1); never on a production system.")
        offices = demo.seed_offices()
        created = demo.seed_accounts()
        requests = demo.seed_requests()
        records = seed_records()
        made = ", ".join(f"{n} {kind}" for kind, n in records.items()) or "none (they exist)"
        self.stdout.write(
            f"Demo data: {offices['units']} unit offices, {offices['stations']} stations, {len(created)} accounts and "
            f"{requests} requests created (existing ones left as they were); national records: {made}."
        )

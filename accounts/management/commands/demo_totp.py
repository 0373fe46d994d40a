"""Print the current second-factor code of a demo account, so demo users need no phone."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from accounts.models import User
from accounts.services import confirmed_totp_device


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account (demo mode only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Codes are printed only in demo mode; real officers use their authenticator app.")
        user = User.objects.filter(username=username, email__endswith="@demo.openpol.invalid").first()
        if user is None:
            raise CommandError(f"No demo account is called {username!r}.")
        device = confirmed_totp_device(user)
        if device is None:
            raise CommandError(f"{username} has no authenticator yet: sign in and set one up first.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        seconds_left = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}  (valid for about {seconds_left} more seconds)")

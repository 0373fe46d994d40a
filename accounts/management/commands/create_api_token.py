"""Make a scoped, expiring API token for a user and print it once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import User


class Command(BaseCommand):
    help = "Create an API token (Authorization: Bearer ...) for USERNAME. Scopes: " + ", ".join(services.API_SCOPES)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="API token", help="What the token is for.")
        parser.add_argument("--scope", action="append", dest="scopes", help="Repeat for several (default: directory:read, users:read).")
        parser.add_argument("--days", type=int, default=None, help="Lifetime in days (1-365, default 90).")

    def handle(self, *args, username: str, name: str, scopes: list[str] | None, days: int | None, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        try:
            token = services.api_token_create(user=user, name=name, scopes=scopes or ["directory:read", "users:read"], days=days)
        except ValidationError as error:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from error
        self.stdout.write(token)
        self.stderr.write("Keep this token secret: it is shown only now. Send it as 'Authorization: Bearer <token>'.")

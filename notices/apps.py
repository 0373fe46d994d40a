from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "notices"

    def ready(self):
        from notices import screening
        from records import crossmatch

        crossmatch.register(screening.KIND)  # its items are screened against the national records

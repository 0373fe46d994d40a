from django.apps import AppConfig


class BroadcastConfig(AppConfig):
    name = "broadcast"

    def ready(self):
        from broadcast import screening
        from records import crossmatch

        crossmatch.register(screening.KIND)  # its items are screened against the national records

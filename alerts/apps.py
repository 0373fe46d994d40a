from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"

    def ready(self):
        from alerts import screening
        from records import crossmatch

        crossmatch.register(screening.KIND)  # its items are screened against the national records

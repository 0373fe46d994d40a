from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Background work"

    def ready(self):
        from jobs import services

        services.connect_signals()

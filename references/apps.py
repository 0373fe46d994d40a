from django.apps import AppConfig


class ReferencesConfig(AppConfig):
    name = "references"

    def ready(self):
        from records import crossmatch
        from references import screening

        crossmatch.register(screening.KIND)  # its items are screened against the national records

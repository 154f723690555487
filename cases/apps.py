from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _grant_after_migrate(sender, using="default", **kwargs) -> None:
    # After every migrate (the test database's too): all tables exist by now. Imported
    # here because models cannot be imported before the app registry is ready.
    from cases.dbroles import apply_grants

    apply_grants(using=using)


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases and meetings"

    def ready(self) -> None:
        post_migrate.connect(_grant_after_migrate, sender=self,
                             dispatch_uid="cases.grant_after_migrate")

"""`migrate` as the owner role, then the app role's grants (cases/dbroles.py).

Django's own command, run with the DATABASE_OWNER_URL credentials when they are set:
the app role that web, worker and beat use cannot create or alter tables.
"""

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS

from cases.dbroles import use_owner_connection


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        if options.get("database", DEFAULT_DB_ALIAS) == DEFAULT_DB_ALIAS:
            use_owner_connection()
        # The grants follow in cases' post_migrate handler (cases/apps.py).
        return super().handle(*args, **options)

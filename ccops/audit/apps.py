from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ccops.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from ccops.audit import purge  # noqa: F401  (registers the SQLite function)

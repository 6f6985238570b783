"""Delete the findings of web-page return checks whose keeping time has passed (run daily, e.g. from cron).

The page itself also purges whenever it is opened; this covers quiet weeks.
"""

from django.core.management.base import BaseCommand

from outstanding.returns.services import return_validations_purge


class Command(BaseCommand):
    help = "Delete the findings of DfE return checks kept longer than OUTSTANDING_RETURNS_KEEP_DAYS."

    def handle(self, *args: object, **options: object) -> None:
        count = return_validations_purge()
        self.stdout.write(f"Deleted {count} expired return check(s).")

from django.core.management.base import BaseCommand

from joinedup.notifications.models import Notification, Status
from joinedup.notifications.services import notifications_send


class Command(BaseCommand):
    help = "Send closed-loop notifications still waiting, and retry failed ones (never resends a sent one)."

    def handle(self, *args, **options) -> None:
        counts = notifications_send()
        stuck = Notification.objects.filter(status=Status.SENDING).count()
        self.stdout.write(f"Sent {counts['sent']}, failed {counts['failed']}.")
        if stuck:
            self.stdout.write(
                f"{stuck} notification(s) were being sent when a previous run stopped: check them in the admin "
                "before setting them back to failed, so nobody is told twice."
            )

"""Print the code the demo's authenticator key gives now: `make demo-code` (never in production)."""

from django.core.management.base import BaseCommand

from joinedup.core.environment import refuse_in_production
from joinedup.demo.two_factor import demo_code


class Command(BaseCommand):
    help = "Print the two-factor code for the demo users now (the demo key in var/demo_totp_key)."

    def handle(self, *args: object, **options: object) -> None:
        refuse_in_production("demo_code")
        self.stdout.write(demo_code())

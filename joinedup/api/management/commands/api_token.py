from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from joinedup.api.services import api_token_issue
from joinedup.organisations.selectors import memberships_for_user


class Command(BaseCommand):
    help = "Issue an API token for USERNAME, acting in one of their organisations and roles."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--organisation", help="Organisation name, when the user has several memberships")

    def handle(self, *args, username: str, organisation: str | None, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user is called {username!r}.")
        memberships = memberships_for_user(user=user)
        if organisation:
            memberships = memberships.filter(organisation__name=organisation)
        chosen = list(memberships[:2])
        if not chosen:
            raise CommandError(f"{username} has no membership{' in ' + organisation if organisation else ''}.")
        if len(chosen) > 1:
            names = ", ".join(m.organisation.name for m in memberships_for_user(user=user))
            raise CommandError(f"{username} belongs to several organisations ({names}); pass --organisation.")
        _token, key = api_token_issue(membership=chosen[0])
        self.stdout.write(key)

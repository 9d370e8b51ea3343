from django.apps import apps
from django.core.management.base import BaseCommand

from joinedup.core.environment import refuse_in_production
from joinedup.demo.demo import load_demo
from joinedup.demo.need import load_need_demo
from joinedup.demo.two_factor import demo_key_base32
from joinedup.directory.seed import load_seed


class Command(BaseCommand):
    help = "Load the demo partnership (idempotent) and print the demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=300, help="How many synthetic people (default 300)")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, people: int, seed: int, **options):
        refuse_in_production("The demo")
        result = load_demo(people=people, seed=seed)
        self.stdout.write(
            self.style.SUCCESS(f"Demo partnership ready: {result.people} referrals ({result.created} new).")
        )
        self.stdout.write("Sign in at /sign-in/ with any of these, password: " + result.password)
        for username, name, role in result.users:
            self.stdout.write(f"  {username:<20} {name:<32} {role}")
        self.stdout.write(
            "Two-factor sign-in (every role but the analyst): add this key to an authenticator app once, as a\n"
            f"time-based key, for all the demo users: {demo_key_base32()}\n"
            "or run `make demo-code` for the code it shows now."
        )
        self.stdout.write(
            "The person's own pages (issue 20): /you/sign-in/ with either email address; the sign-in link and\n"
            "code are printed in the server's output (the console email backend):"
        )
        for email, name in result.people_you:
            self.stdout.write(f"  {email:<32} {name}")
        self.stdout.write("API token for the GP system: python manage.py api_token demo-gp-system")
        # The directory's seed arrives by data migration; refreshing here picks up later edits to the seed file.
        directory_services = load_seed(lambda name: apps.get_model("directory", name))
        self.stdout.write(f"Directory of provision: {directory_services} programmes; public search at /directory/.")
        for line in load_need_demo():  # issue 16: the open data behind /need/
            self.stdout.write(line)

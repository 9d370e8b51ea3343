from django.core.management.base import BaseCommand, CommandError

from joinedup.outcomes.selectors import tallies_differences
from joinedup.outcomes.services import tallies_rebuild


class Command(BaseCommand):
    help = "Check the dashboard's monthly tallies against the records (--check), or recount them (--rebuild)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--check", action="store_true", help="Report any tally that disagrees with a recount")
        group.add_argument("--rebuild", action="store_true", help="Recount every tally from the records")

    def handle(self, *args, **options):
        if options["rebuild"]:
            rows = tallies_rebuild()
            self.stdout.write(f"Recounted the tallies: {rows} monthly figures.")
            return
        differences = tallies_differences()
        for (measure, partner, month), stored, counted in differences:
            self.stdout.write(
                f"{measure} {partner or '(no partner)'} {month:%Y-%m}: stored {stored}, counted {counted}"
            )
        if differences:
            raise CommandError(f"{len(differences)} tallies disagree with the records; run `tallies --rebuild`.")
        self.stdout.write("The tallies agree with the records.")

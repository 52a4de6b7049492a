"""``manage.py verify_audit``: recompute the audit log's hash chains.

Prints one line per chain (each awarding authority, and the platform's entries of no
authority): OK with its number of entries, or the FIRST broken link (entry id, time, what
differs). Exits with status 1 when any chain is broken.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from awards.services.audit import verify_chains


class Command(BaseCommand):
    help = "Verify the hash chains of the audit log; exit 1 at the first broken link of a chain."

    def add_arguments(self, parser):
        parser.add_argument(
            "--authority", type=int, action="append", help="only this authority's chain (by id)"
        )

    def handle(self, *args, **options):
        reports = verify_chains(options["authority"])
        broken = 0
        for report in reports:
            if report.ok:
                self.stdout.write(f"OK      {report.label}: {report.entries} entries")
                continue
            broken += 1
            link = report.broken
            when = (
                timezone.localtime(link.created_at).isoformat(timespec="seconds")
                if link.created_at
                else "-"
            )
            self.stdout.write(
                f"BROKEN  {report.label}: entry #{link.entry_id} at {when}: {link.problem}"
            )
        if broken:
            raise CommandError(f"{broken} audit chain(s) broken", returncode=1)

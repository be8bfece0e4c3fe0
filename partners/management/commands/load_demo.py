from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from partners import demo


class Command(BaseCommand):
    help = (
        "Load the demo programme: the article's Switzerland with two distributors, 43 accredited resellers, "
        "6 certified partners, one enterprise solution partner, two years of purchases and demo logins "
        f"(password {demo.DEMO_PASSWORD}). Idempotent: a second run creates nothing. "
        "Demo accounts exist only where the demo is loaded, never in production: the command refuses "
        "unless DEBUG is on, and refuses when the database holds partners that are not demo partners. "
        "--force overrides both."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off or next to real partners. This creates logins with a published password.",
        )

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: the demo creates logins with a published password. "
                "Use a development setup (DJANGO_DEBUG=1), or pass --force if you really mean it."
            )
        foreign = list(demo.foreign_partners().order_by("name").values_list("name", flat=True)[:4])
        if foreign and not force:
            names = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
            raise CommandError(
                f"Refusing to load demo data: the database holds partners that are not demo partners ({names}). "
                "Pass --force to load the demo next to them."
            )
        try:
            summary = demo.demo_load()
        except ValidationError as error:  # another distributor serves a demo territory
            raise CommandError(f"Demo data not loaded: {' '.join(error.messages)}") from error
        except demo.DemoError as error:
            raise CommandError(f"Demo data not loaded: {error}") from error

        self.stdout.write("Demo data loaded:")
        for kind, outcomes in summary.counts.items():
            counts = ", ".join(
                f"{outcomes[outcome]} {outcome}"
                for outcome in ["created", "updated", "removed", "unchanged"]
                if outcomes[outcome] or outcome != "removed"
            )
            self.stdout.write(f"  {kind:<32}{counts}")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {demo.DEMO_PASSWORD})"))
        for email, role in summary.logins:
            self.stdout.write(f"  {email:<26}{role}")

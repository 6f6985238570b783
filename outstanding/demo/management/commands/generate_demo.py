import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from outstanding.demo.generator import DEMO_PASSWORD, DemoRefused, generate_demo


class Command(BaseCommand):
    help = "Fill an empty database with the seeded synthetic demo partnership (never in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", default="tri-borough")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--scale", type=float, default=1.0, help="multiplies the volume of everything")

    def handle(self, *args, partnership: str, seed: int, scale: float, **options) -> None:
        started = time.perf_counter()
        try:
            summary = generate_demo(
                partnership=partnership, seed=seed, scale=scale, progress=lambda line: self.stdout.write(line)
            )
        except DemoRefused as refused:
            raise CommandError(str(refused)) from refused
        took = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready in {took:.1f}s: {summary.councils} councils, {summary.teams} teams, "
                f"{summary.staff} staff (seed {seed}, scale {scale})."
            )
        )
        for slug, caseload in sorted(summary.caseloads.items()):
            self.stdout.write(f"  {slug}: about {caseload:.1f} open cases per social worker")
        self.stdout.write(f"Demo sign-ins (password {DEMO_PASSWORD}):")
        for name in sorted(summary.sign_ins):
            self.stdout.write(f"  {name}")

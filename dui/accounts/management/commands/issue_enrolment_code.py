"""Issue an enrolment code from the command line: the first administrator of a new
installation (no director yet to issue one), or a last resort. Whoever runs manage.py on the
server already holds every key; the code is journaled like any other (no acting user)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from dui.accounts import services
from dui.accounts.models import User
from dui.accounts.second_factor import grouped


class Command(BaseCommand):
    help = "Émet un code d'enrôlement au second facteur pour un professionnel (affiché une fois)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="identifiant du professionnel")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Aucun professionnel avec l'identifiant « {username} ».")
        try:
            with transaction.atomic():
                code, secret = services._issue(issued_by=None, user=user, channel="code")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        until = timezone.localtime(code.expires_at).strftime("%d/%m/%Y %H:%M")
        self.stdout.write(f"Code d'enrôlement de {user.username} : {grouped(secret, 4)}")
        self.stdout.write(f"Valable une fois, jusqu'au {until}. Il ne sera plus affiché.")

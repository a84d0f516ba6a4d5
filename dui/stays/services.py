"""Writes on stays. The admission brick adds admission, transfer and discharge here."""

from django.utils.translation import gettext as _

from .models import Stay


def stays_reassign(*, kept, merged, acting_user) -> None:
    """Merge of two records (people.services.person_merge): the stays follow the kept record."""
    for stay in Stay.objects.filter(person=merged):
        stay.person = kept
        stay._history_user = acting_user
        stay._change_reason = _("Fusion du dossier %(id)s") % {"id": merged.public_id}
        stay.save(update_fields=["person", "updated_at"])

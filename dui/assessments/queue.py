"""« À valider » and drafts: the assessments waiting for someone.

- The validation queue of a user: the drafts of the instruments his profession validates
  (`Instrument.validate_professions`, e.g. the GIR by the médecin coordonnateur: CASF art.
  R314-170 and D312-158 3°), in a category he writes, of persons he sees in the
  establishments he is assigned to. Validating is then one tap from the queue.
- The drafts of a list of (person, instrument) pairs: the due list shows « Reprendre le
  brouillon » instead of « Remplir », and the « new » page resumes the draft instead of
  starting a second blank form.

Every read goes through `persons_visible_to`; each function is one query (plus the user's
assignments and rights, cached for the request), whatever the number of drafts.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dui.access.policy import (
    active_assignments,
    persons_visible_to,
    reading_assignments,
    user_rights_in,
)
from dui.accounts.models import ProfessionCode

from .instruments import latest_instruments
from .models import Assessment, AssessmentStatus

QUEUE_PAGE_SIZE = 50


def _profession(user) -> str:
    profession = getattr(user, "profession", None)
    return profession.code if profession else ""


def validated_by_label(instrument) -> str:
    """Who validates an instrument, as the fill form says it: « Médecin coordonnateur ou
    Médecin », or « toute profession qui écrit cette partie du dossier »."""
    codes = instrument.validate_professions
    if codes is None:
        return str(_("toute profession qui écrit cette partie du dossier"))
    labels = [str(ProfessionCode(code).label) for code in sorted(codes) if code in ProfessionCode]
    if len(labels) == 1:
        return labels[0]
    return str(format_lazy("{} {} {}", ", ".join(labels[:-1]), _("ou"), labels[-1]))


def validated_codes(user) -> set[str]:
    """Codes of the instruments the user's profession validates (no query)."""
    profession = _profession(user)
    return {
        i.code
        for i in latest_instruments()
        if i.validate_professions is not None and profession in i.validate_professions
    }


def to_validate(*, user):
    """Drafts waiting for this user's validation: instruments his profession is named for
    (instruments any profession may validate are validated by whoever fills them, and queue
    for no one), in a category he writes in the draft's establishment, for persons he sees.
    Oldest first: the one that waits longest comes first."""
    codes = validated_codes(user)
    reading_assignments(user)
    establishments = {a.establishment_id for a in active_assignments(user)}
    wanted = []
    for establishment_id in establishments:
        rights = user_rights_in(user, establishment_id)
        for instrument in latest_instruments():
            if instrument.code in codes and rights.get(instrument.category, (False, False))[1]:
                wanted.append((establishment_id, instrument.code))
    if not wanted:
        return Assessment.objects.none()
    scope = Q()
    for establishment_id, code in wanted:
        scope |= Q(establishment_id=establishment_id, instrument_code=code)
    return (
        Assessment.objects.filter(scope, status=AssessmentStatus.DRAFT)
        # Per draft (EXISTS on the person's key), not `person IN (every visible person)`.
        .filter(Exists(persons_visible_to(user=user).filter(pk=OuterRef("person_id"))))
        .select_related("person", "assessed_by")
        .order_by("assessed_on", "pk")
    )


def drafts_by_pair(*, persons, codes) -> dict[tuple[int, str], Assessment]:
    """{(person pk, instrument code): the draft in progress} — the latest when there are
    several — for these persons and instruments (one query). Corrections of a validated
    assessment are drafts too: they are resumed the same way."""
    if not persons or not codes:
        return {}
    drafts = (
        Assessment.objects.filter(
            person__in=persons, instrument_code__in=codes, status=AssessmentStatus.DRAFT
        )
        .select_related("assessed_by")
        .order_by("assessed_on", "pk")
    )
    return {(d.person_id, d.instrument_code): d for d in drafts}


def draft_of(*, person, code) -> Assessment | None:
    """The draft in progress of this instrument for this person (the latest), if any."""
    return (
        Assessment.objects.filter(
            person=person, instrument_code=code, status=AssessmentStatus.DRAFT
        )
        .select_related("assessed_by")
        .order_by("-assessed_on", "-pk")
        .first()
    )

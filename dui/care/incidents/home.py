"""What falls and wounds say about each person on « Ma journée » and in the record header:
« Plaie stade 3 (sacrum) », « 2 chutes en 12 mois ». Two queries for the whole list."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from dui.access.models import InformationCategory
from dui.access.policy import user_rights_in
from dui.core import dates
from dui.core.home import Fact
from dui.people.record import Badge

from . import rules
from .models import SHORT_STAGES, Fall, Wound
from .selectors import with_last_assessment

CARE = InformationCategory.CARE
# The worst first: a higher category (or an unknown depth) is shown before a lower one.
STAGE_ORDER = {"4": 0, "unstageable": 1, "deep_tissue": 2, "3": 3, "2": 4, "1": 5, "": 6, None: 6}


def _wound_label(wound) -> str:
    stage = SHORT_STAGES.get(wound.last_stage or "")
    what = _("Escarre %(stage)s") % {"stage": stage} if stage else wound.get_kind_display()
    if stage and stage.startswith("stade"):
        what = _("Plaie %(stage)s") % {"stage": stage}
    return f"{what} ({wound.site_label.lower()})"


def _open_wounds(person_ids, establishment=None):
    wounds = Wound.objects.filter(
        person_id__in=person_ids, healed_on__isnull=True, entered_in_error=False
    )
    if establishment is not None:
        wounds = wounds.filter(establishment=establishment)
    return sorted(
        with_last_assessment(wounds).only(
            "person_id", "kind", "body_site", "body_site_detail", "public_id"
        ),
        key=lambda w: (STAGE_ORDER.get(w.last_stage, 6), w.pk),
    )


def _fall_counts(person_ids, establishment=None) -> dict[int, int]:
    on = dates.today(establishment)
    since = dates.start_of_day(rules.months_before(on, rules.REPEATED_FALLS_MONTHS), establishment)
    return dict(
        Fall.objects.filter(
            person_id__in=person_ids, entered_in_error=False, occurred_at__gte=since
        )
        .values("person_id")
        .annotate(n=Count("pk"))
        .values_list("person_id", "n")
    )


def _falls_label(n: int) -> str:
    return _("%(n)s chutes en 12 mois") % {"n": n} if n > 1 else _("1 chute en 12 mois")


def incident_facts(request, persons, establishment) -> dict:
    """Per person: each open wound (the worst first), and the falls of the last 12 months
    when there are two or more (HAS/SFGG 2009 « chutes répétées »)."""
    if not user_rights_in(request.user, establishment.pk)[CARE][0]:
        return {}
    by_person = {p.pk: p for p in persons}
    facts: dict[int, list] = {}
    for person_id, n in _fall_counts(list(by_person), establishment).items():
        if n >= rules.REPEATED_FALLS_COUNT:
            url = reverse("care:incidents", kwargs={"person_id": by_person[person_id].public_id})
            facts.setdefault(person_id, []).append(Fact(_falls_label(n), "warn", url))
    for wound in _open_wounds(list(by_person), establishment):
        url = reverse(
            "care:incidents_wound",
            kwargs={"person_id": by_person[wound.person_id].public_id, "wound_id": wound.public_id},
        )
        level = "danger" if wound.last_stage in ("3", "4", "unstageable", "deep_tissue") else "warn"
        facts.setdefault(wound.person_id, []).append(Fact(_wound_label(wound), level, url))
    return facts


def incident_badges(person, access) -> list:
    """Header badges: the person's open pressure ulcers and other wounds (one query)."""
    if not access.can_read(CARE):
        return []
    url = reverse("care:incidents", kwargs={"person_id": person.public_id})
    return [
        Badge(
            _wound_label(w),
            "danger" if w.last_stage in ("3", "4", "unstageable", "deep_tissue") else "warn",
            url=url,
        )
        for w in _open_wounds([person.pk])
    ]

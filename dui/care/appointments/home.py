"""What external care adds to « Ma journée » (dui.core.home): « N rendez-vous extérieurs
aujourd'hui » in the user's unit (→ the agenda of the day), and on each person of the unit's
day list who goes out today, « RDV extérieur 14:30 (Dr Martin) » — one query for the whole list."""

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import ngettext

from dui.access.models import InformationCategory
from dui.access.policy import user_rights_in
from dui.core import dates
from dui.core.home import Fact, Todo

from . import selectors


def today_appointment_facts(request, persons, establishment) -> dict:
    """{person pk: [Fact]} for today's appointments still to happen. Care information: shown
    to who reads care in the establishment (the partner's name, never the medical reason)."""
    if (
        not persons
        or not user_rights_in(request.user, establishment.pk)[InformationCategory.CARE][0]
    ):
        return {}
    by_pk = {p.pk: p for p in persons}
    zone = dates.zone_of(establishment)
    facts: dict = {}
    for event in selectors.today_appointments(by_pk, establishment):
        appointment = getattr(event, "appointment", None)
        who = appointment.partner.name if appointment and appointment.partner_id else event.label
        time = timezone.localtime(event.starts_at, zone).strftime("%H:%M")
        facts.setdefault(event.person_id, []).append(
            Fact(
                f"RDV extérieur {time} ({who})",
                "warn",
                reverse(
                    "care:appointments_list", kwargs={"person_id": by_pk[event.person_id].public_id}
                ),
                title=appointment.transport_line if appointment else "",
            )
        )
    return facts


def today_appointments_todo(request) -> list[Todo]:
    """« N rendez-vous extérieurs aujourd'hui » in the acting assignment's unit (or its
    establishment), still to happen → the agenda of the day. One query (plus the rights)."""
    assignment = getattr(request, "assignment", None) or None
    if assignment is None:
        return []
    establishment = assignment.establishment
    if not user_rights_in(request.user, establishment.pk)[InformationCategory.CARE][0]:
        return []
    count = selectors.today_unit_appointments(
        user=request.user, establishment=establishment, unit=assignment.unit
    ).count()
    label = ngettext(
        "%(n)s rendez-vous extérieur aujourd'hui",
        "%(n)s rendez-vous extérieurs aujourd'hui",
        count,
    ) % {"n": count}
    url = reverse("care:appointments_agenda") + "?" + urlencode({"jours": 1})
    return [Todo(label, count, url, level="neutral", order=40)]

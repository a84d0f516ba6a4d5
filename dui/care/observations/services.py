"""Writes of the measurements and the care alerts.

A measurement is never deleted: a wrong one is marked *entered in error* with a reason and stays
in the history (DESIGN §4.4). Saving measurements runs the alert rules in the same transaction
(`alerts.after_observation`): no one types an alert."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.models import AccessAction, InformationCategory
from dui.core import dates
from dui.people.services import move_rows_on_merge

from . import alerts
from .measures import MEASURES, Measure, warning_of
from .models import CareAlert, Observation, UndernutritionEtiology

CARE = InformationCategory.CARE
NOT_WRITTEN = _(
    "Votre profession ne peut pas saisir les soins de cette personne, "
    "ou l'accompagnement de cette personne est terminé."
)
NOT_ACKNOWLEDGED = _(
    "Votre profession ne peut pas prendre en compte les alertes de soins de cette personne."
)
STALE_OBSERVATION = _(
    "Cette mesure a été modifiée par quelqu'un d'autre pendant votre saisie : rechargez la page."
)
STALE_ALERT = _("Cette alerte a déjà été prise en compte ou modifiée : rechargez la page.")
IN_FUTURE = _("L'heure de la mesure ne peut être dans le futur.")
ENTRY_FIELDS = ("measure", "value", "value2", "method", "bristol", "period_hours")


def _establishment(access):
    assignment = access.acting_assignment
    return assignment.establishment


@transaction.atomic
def observations_record(*, acting_user, person, occurred_at, entries: list[dict]) -> dict:
    """Record one or several measures taken at the same time (one transaction: all or none).

    Each entry: `measure` and `value` (+ `value2` diastolic, `method`, `bristol`,
    `period_hours`). The UCUM unit is set here from the measures table, never typed; the
    warning (out of the normal range) is computed here and saved with the value.
    Returns {"observations": [...], "alerts": [...]}."""
    access = writes.require_write(acting_user, person, CARE, NOT_WRITTEN)
    if not entries:
        raise ValidationError(_("Saisissez au moins une mesure."))
    if occurred_at > dates.now():
        raise ValidationError({"occurred_at": IN_FUTURE})
    establishment = _establishment(access)
    saved, raised = [], []
    for entry in entries:
        observation = Observation(person=person, establishment=establishment)
        writes.assign(observation, entry, ENTRY_FIELDS)
        if observation.measure not in MEASURES:
            raise ValidationError(_("Mesure inconnue."))
        observation.unit_code = MEASURES[observation.measure].ucum
        observation.occurred_at = occurred_at
        observation.warning = warning_of(
            observation.measure,
            observation.value,
            value2=observation.value2,
            bristol=observation.bristol,
            period_hours=observation.period_hours,
        )
        if observation.measure == Measure.BLOOD_PRESSURE and not observation.warning:
            observation.warning = _diastolic_warning(observation.value2)
        writes.create(observation, acting_user=acting_user, person=person)
        saved.append(observation)
    for observation in saved:
        raised.extend(alerts.after_observation(observation))
    return {"observations": saved, "alerts": raised}


def _diastolic_warning(value2) -> str:
    """Diastolic out of the usual 40–110 mmHg (convention: NEWS2 scores the systolic only)."""
    if value2 is not None and (value2 < 40 or value2 > 110):
        return _("Diastolique hors des valeurs habituelles (40–110 mmHg, convention).")
    return ""


@transaction.atomic
def observation_mark_entered_in_error(
    *, acting_user, observation: Observation, reason: str, expected_version
) -> Observation:
    writes.require_write(acting_user, observation.person, CARE, NOT_WRITTEN)
    observation = writes.lock(
        observation, expected_version=expected_version, stale_message=STALE_OBSERVATION
    )
    reason = writes.required_reason(reason, _("Indiquez pourquoi cette mesure est une erreur."))
    if observation.entered_in_error:
        raise ValidationError(_("Cette mesure est déjà marquée comme saisie par erreur."))
    observation.entered_in_error = True
    observation.entered_in_error_reason = reason
    writes.save(
        observation,
        acting_user=acting_user,
        reason=_("Saisie par erreur : %(reason)s") % {"reason": reason},
    )
    journal.record(
        user=acting_user, action=AccessAction.AMEND, person=observation.person, obj=observation
    )
    return observation


@transaction.atomic
def alert_acknowledge(*, acting_user, alert: CareAlert, action_taken: str, expected_version):
    """Who, when and what was done: the alert leaves « Ma journée » and the header. Refused
    (journaled by the 403 handler) to those who do not write care for this person."""
    writes.require_write(acting_user, alert.person, CARE, NOT_ACKNOWLEDGED)
    alert = writes.lock(alert, expected_version=expected_version, stale_message=STALE_ALERT)
    action_taken = writes.required_reason(
        action_taken, _("Indiquez ce qui a été fait."), field="action_taken"
    )
    if not alert.is_open:
        raise ValidationError(STALE_ALERT)
    alert.acknowledged_at = dates.now()
    alert.acknowledged_by = acting_user
    alert.action_taken = action_taken
    writes.save(alert, acting_user=acting_user, reason=_("Alerte prise en compte"))
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=alert.person, obj=alert)
    return alert


MERGED_DUPLICATE = _(
    "Fusion des dossiers : la même alerte est ouverte sur le dossier conservé (%(id)s)."
)


def alerts_merge(*, kept, merged, acting_user) -> None:
    """Person merge (inside its transaction): the merged record's alerts follow the kept one,
    acknowledged ones included. An open alert of a kind already open on the kept record is
    closed first by the merge, saying so (one open alert per kind): none is lost."""
    open_kinds = set(
        CareAlert.objects.filter(
            person=kept, acknowledged_at__isnull=True, entered_in_error=False
        ).values_list("kind", flat=True)
    )
    for alert in CareAlert.objects.select_for_update().filter(
        person=merged, kind__in=open_kinds, acknowledged_at__isnull=True, entered_in_error=False
    ):
        alert.acknowledged_at = dates.now()
        alert.acknowledged_by = acting_user
        alert.action_taken = MERGED_DUPLICATE % {"id": kept.public_id}
        writes.save(alert, acting_user=acting_user, reason=_("Fusion des dossiers"))
    move_rows_on_merge(CareAlert, kept=kept, merged=merged, acting_user=acting_user)


@transaction.atomic
def undernutrition_etiology_record(*, acting_user, person, data: dict) -> dict:
    """Record the etiological criterion of undernutrition (who, when). With the phenotypic
    criterion already met, the diagnosis and its severity follow (HAS 2019 / HAS-FFN 2021);
    the open « dénutrition à confirmer » alert is then settled by this record."""
    writes.require_write(acting_user, person, CARE, NOT_WRITTEN)
    etiology = UndernutritionEtiology(person=person)
    writes.assign(etiology, data, ("reduced_intake", "reduced_absorption", "aggression", "comment"))
    etiology.noted_on = data.get("noted_on") or dates.today()
    if etiology.noted_on > dates.today():
        raise ValidationError({"noted_on": _("Cette date ne peut être dans le futur.")})
    writes.create(etiology, acting_user=acting_user, person=person)
    result = alerts.nutrition_status(person=person)
    open_alert = CareAlert.objects.filter(
        person=person,
        kind="undernutrition_to_confirm",
        acknowledged_at__isnull=True,
        entered_in_error=False,
    ).first()
    if open_alert is not None and result is not None and result.undernourished:
        from ..nutrition import SEVERITY_LABELS

        alert_acknowledge(
            acting_user=acting_user,
            alert=open_alert,
            action_taken=_("Critère étiologique enregistré : %(s)s.")
            % {"s": SEVERITY_LABELS[result.severity]},
            expected_version=open_alert.version,
        )
    return {"etiology": etiology, "result": result}

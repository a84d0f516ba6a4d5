"""The terms of the contract: which document a stay gets (contrat de séjour, DIPC or contrat de
soutien et d'aide par le travail), its delays, and what a frozen price line is.

Texts (CASF, partie réglementaire; read in etalab/codes-juridiques-francais article-d311.md and
on Légifrance, « version en vigueur au 16 avril 2024 »):
- D311 I: a contrat de séjour for a « séjour continu ou discontinu d'une durée prévisionnelle
  supérieure à deux mois » in the establishments of L312-1 I it lists; I al. 2: a refusal to
  sign the contract « il est procédé à l'établissement du document individuel de prise en
  charge »;
- D311 II: otherwise a DIPC (stay of two months or less, services at home or in ordinary
  settings), « établi et signé par le directeur », which the person or her representative may
  countersign;
- D311-0-1 and annexe 3-9: in an ESAT the contract is the « contrat de soutien et d'aide par le
  travail »;
- D311 III: handed over at the latest 15 days after admission, signed within the month;
- D311 V: an avenant within six months sets the objectives and services, updated every year.

Settled by the texts read: the two-month threshold, the refusal → DIPC, the DIPC signed by the
director, the 15-day / one-month / six-month / yearly delays (D311), the 15-day withdrawal
(L311-4-1 II, post-2020 wording), the EHPAD socle (L342-2, L342-3 « prix global », annexe 2-3-1
parts I–II read, the rest of its list by its title). Cautious choices (non vérifié): the list of
DIPC-only categories (the L312-1 I numbers differ between D311 versions: services at home or in
ordinary settings here); an ESAT's contract refused becomes a DIPC like any contrat de séjour;
a stay of exactly two months is a DIPC (« supérieure à deux mois » read strictly); the ESAT
model (annexe 3-9) as stored before the 2022–2024 ESAT reforms.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from dui.core import dates
from dui.organisation.models import EstablishmentCategory

from .models import ContractKind, PriceUnit

# D311 II: services at home or in ordinary settings draw up a DIPC whatever the duration.
DIPC_CATEGORIES = {
    EstablishmentCategory.SESSAD,
    EstablishmentCategory.SSIAD,
    EstablishmentCategory.SAVS,
    EstablishmentCategory.SAMSAH,
}
# D311 I: a contract for a stay whose planned duration is over two months.
CONTRACT_MIN_MONTHS = 2
DELIVERY_DAYS = 15  # D311 III « au plus tard dans les quinze jours qui suivent l'admission »
SIGNATURE_MONTHS = 1  # D311 III « signé dans le mois qui suit l'admission »
OBJECTIVES_MONTHS = 6  # D311 V « dans le délai maximum de six mois »
OBJECTIVES_UPDATE_MONTHS = 12  # D311 V « Chaque année »
WITHDRAWAL_DAYS = 15  # L311-4-1 II: délai de rétractation

PRICE_UNITS = dict(PriceUnit.choices)


def is_short_stay(started_on: date | None, planned_end: date | None) -> bool:
    """A stay whose planned duration is two months or less (D311 I: a contract is for a
    planned duration « supérieure à deux mois »): its planned end is on or before the same day
    two months after the entry. No planned end: a permanent stay."""
    if started_on is None or planned_end is None:
        return False
    return planned_end <= dates.add_months(started_on, CONTRACT_MIN_MONTHS)


def contract_kind_for(
    establishment, *, started_on=None, planned_end=None, refused: bool = False
) -> str:
    """The document a stay gets (D311 I–II, D311-0-1). A refusal to sign the contract makes it
    a DIPC (D311 I al. 2) — an ESAT's contract too (cautious choice: D311 I al. 2 speaks of the
    contrat de séjour, which the ESAT's contract is)."""
    if refused or establishment.category in DIPC_CATEGORIES:
        return ContractKind.DIPC
    if is_short_stay(started_on, planned_end):
        return ContractKind.DIPC
    if establishment.category == EstablishmentCategory.ESAT:
        return ContractKind.ESAT
    return ContractKind.CONTRACT


def contract_kind_of_stay(stay, *, refused: bool = False) -> str:
    return contract_kind_for(
        stay.establishment,
        started_on=stay.started_on,
        planned_end=stay.planned_end,
        refused=refused,
    )


def delivery_due_by(started_on: date) -> date:
    return started_on + timedelta(days=DELIVERY_DAYS)


def contract_due_by(kind: str, started_on: date) -> date:
    """The day by which the document is complete: a contract signed within the month of the
    admission (D311 III); a DIPC drawn up and handed over within 15 days (D311 III)."""
    if kind == ContractKind.DIPC:
        return delivery_due_by(started_on)
    return dates.add_months(started_on, SIGNATURE_MONTHS)


def objectives_due_by(started_on: date, last_objectives_on: date | None = None) -> date:
    """The avenant setting objectives and services: six months after the admission, then a
    year after the last one (D311 V)."""
    if last_objectives_on is None:
        return dates.add_months(started_on, OBJECTIVES_MONTHS)
    return dates.add_months(last_objectives_on, OBJECTIVES_UPDATE_MONTHS)


def contract_label(kind: str) -> str:
    """How the contract names itself in its text."""
    return {
        ContractKind.CONTRACT: _("contrat de séjour"),
        ContractKind.DIPC: _("document individuel de prise en charge"),
        ContractKind.ESAT: _("contrat de soutien et d'aide par le travail"),
    }[ContractKind(kind)]


@dataclass(frozen=True)
class Deadline:
    """One delay of the contract and where it stands on `today`."""

    code: str
    label: str
    due_by: date
    done_on: date | None
    article: str
    today: date

    @property
    def late(self) -> bool:
        return self.done_on is None and self.due_by < self.today

    @property
    def done_late(self) -> bool:
        return self.done_on is not None and self.done_on > self.due_by


def contract_deadlines(contract, *, today: date, amendments=None) -> list[Deadline]:
    """The delays of a contract counted from the stay's entry day (a planned stay: its future
    entry day), with the day each was met: handed over (15 days), signed (one month; a DIPC:
    signed by the director), the avenant on objectives and services (six months) and its yearly
    update (D311 III, V)."""
    started = contract.stay.started_on
    amendments = list(contract.amendments.all() if amendments is None else amendments)
    objectives = sorted(a.effective_on for a in amendments if a.sets_objectives)
    lines = [
        Deadline(
            "delivery",
            _("Remis à la personne"),
            delivery_due_by(started),
            contract.delivered_on,
            "CASF D311 III",
            today,
        )
    ]
    if contract.kind == ContractKind.DIPC:
        lines.append(
            Deadline(
                "director",
                _("Établi et signé par le directeur"),
                delivery_due_by(started),
                contract.director_signed_on,
                "CASF D311 II",
                today,
            )
        )
    else:
        lines.append(
            Deadline(
                "signature",
                _("Signé"),
                contract.due_by,
                contract.signed_on,
                "CASF D311 III",
                today,
            )
        )
    first = objectives[0] if objectives else None
    lines.append(
        Deadline(
            "objectives",
            _("Avenant objectifs et prestations"),
            objectives_due_by(started),
            first,
            "CASF D311 V",
            today,
        )
    )
    if first is not None:
        lines.append(
            Deadline(
                "objectives_update",
                _("Réactualisation annuelle des objectifs et prestations"),
                objectives_due_by(started, objectives[-1]),
                None,
                "CASF D311 V",
                today,
            )
        )
    return lines

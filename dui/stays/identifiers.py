"""Business identifiers of exported objects (TDDUI). Pure Python, no Django.

TDDUI identifies each object as `3` + FINESS + `/` + the person's local identifier + `-PREFIX-`
+ a number, e.g. « 3480787529/147720425367411-PA-21564655 » (Profiles/TDDUISlotPresenceAbsence.fsh,
invariant SlotPresenceAbsenceIdentifierFormat: `^3[0-9]{9}/[A-Za-z0-9]+-PA-[A-Za-z0-9]+$`;
TDDUIEncounterSejour: « 3+FINESS/identifiantLocalUsagerESSMS-SEJOUR-numeroDossier »). The local
identifier and the number come from public UUIDs written in hex without hyphens (DESIGN §5:
never a database key): stable, alphanumeric, unique.

Kept here until the interop brick exists (GLOSSARY: `export_identifier()`, interop); it then
moves there and the stays brick imports it.
"""

import re

_ALPHANUMERIC = re.compile(r"^[A-Za-z0-9]+$")


def export_identifier(*, finess: str, local_id: str, prefix: str, number: str) -> str:
    for name, value in (("local_id", local_id), ("prefix", prefix), ("number", number)):
        if not _ALPHANUMERIC.match(value or ""):
            raise ValueError(f"{name} must be alphanumeric for a TDDUI identifier: {value!r}")
    return f"3{finess}/{local_id}-{prefix}-{number}"


def entry_identifier(entry, *, finess: str, prefix: str) -> str:
    """The business identifier of one entry of a person's record (a stay, an event, a note…):
    3 + FINESS / the person's public id - PREFIX - the entry's public id. `entry.person` must be
    loaded."""
    return export_identifier(
        finess=finess,
        local_id=entry.person.public_id.hex,
        prefix=prefix,
        number=entry.public_id.hex,
    )

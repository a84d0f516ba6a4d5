"""Data of issue 11, without loss:

- the first birth first name becomes a trait of its own: rows written before get the first word
  of their birth first names, as every screen derived it until now (a composed first name
  written with a space is to be corrected on the identity form, as a strict trait);
- identity documents take the FR Core « mode de validation » codes: passport → PA, identity
  card → CN, residence permit → CS, family book → LEP, birth certificate → AN, other stays
  « other » (the two middle ones never validated an identity, and are still recorded only with
  what the RNIV exceptions require when entered again);
- protection measures: a « sauvegarde de justice » exercised by someone (a relative or a
  mandataire was recorded) becomes « sauvegarde avec mandataire spécial », the others stay
  simple; the former « mesure d'accompagnement (MASP / MAJ) » becomes a MAJ when a mandataire
  judiciaire exercises it (a MAJ is a judicial measure entrusted to an MJPM, C. civ. 495-6),
  a MASP otherwise (a contract with the département, CASF L271-1). Nothing else changes: the
  new facts (scope of the judge's decision on personal acts, listed acts, 472 al. 2) start at
  their defaults — the person decides personal matters alone (C. civ. 459 al. 1) — until the
  judgement is read again.
The history rows are mapped the same way, so that the history reads in today's words.
"""

from django.db import migrations
from django.db.models import Q

EVIDENCE = {
    "passport": "PA",
    "identity_card": "CN",
    "residence_permit": "CS",
    "family_book": "LEP",
    "birth_certificate": "AN",
}
BATCH = 2000


def _first_word(value: str) -> str:
    return next(iter(" ".join((value or "").split()).split(" ")), "")


def first_names_forward(apps, schema_editor):
    # The history rows too, so that the history does not show the trait appearing from nothing.
    for name in ("Person", "HistoricalPerson"):
        model = apps.get_model("people", name)
        rows = model.objects.filter(first_birth_first_name="").only("pk", "first_names")
        batch = []
        for row in rows.iterator(chunk_size=BATCH):
            row.first_birth_first_name = _first_word(row.first_names)
            batch.append(row)
            if len(batch) >= BATCH:
                model.objects.bulk_update(batch, ["first_birth_first_name"])
                batch = []
        if batch:
            model.objects.bulk_update(batch, ["first_birth_first_name"])


def kinds_forward(apps, schema_editor):
    for name in ("IdentityEvidence", "HistoricalIdentityEvidence"):
        model = apps.get_model("people", name)
        for old, new in EVIDENCE.items():
            model.objects.filter(kind=old).update(kind=new)
    for name in ("LegalProtection", "HistoricalLegalProtection"):
        model = apps.get_model("people", name)
        exercised = Q(representative_contact__isnull=False) | Q(
            representative_partner__isnull=False
        )
        model.objects.filter(exercised, kind="sauvegarde").update(kind="sauvegarde_mandataire")
        model.objects.filter(kind="accompagnement", representative_partner__isnull=False).update(
            kind="maj"
        )
        model.objects.filter(kind="accompagnement").update(kind="masp")


def kinds_backward(apps, schema_editor):
    for name in ("IdentityEvidence", "HistoricalIdentityEvidence"):
        model = apps.get_model("people", name)
        for old, new in EVIDENCE.items():
            model.objects.filter(kind=new).update(kind=old)
        # Codes that had no former equivalent were recorded as « other » before.
        model.objects.exclude(kind__in=[*EVIDENCE, "other"]).update(kind="other")
    for name in ("LegalProtection", "HistoricalLegalProtection"):
        model = apps.get_model("people", name)
        model.objects.filter(kind="sauvegarde_mandataire").update(kind="sauvegarde")
        model.objects.filter(kind__in=["masp", "maj"]).update(kind="accompagnement")


class Migration(migrations.Migration):
    dependencies = [("people", "0010_protection_parental_authority_identity")]

    operations = [
        migrations.RunPython(first_names_forward, migrations.RunPython.noop),
        migrations.RunPython(kinds_forward, kinds_backward),
    ]

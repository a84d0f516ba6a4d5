"""Existing data, carried over without loss:

- an orientation recorded as free text gets its national type (TRE_R420) when the text names
  one type without doubt (« MAS », « IME », « SESSAD »…); its text stays as the précision. A
  text that names none or several (« FAM ou MAS ») keeps a blank type: the page shows the text
  and asks to say the type, and the admission check treats it as « type non précisé »;
- an application made from an inquiry gets the inquiry's requester (kind, name, organisation)
  as its applicant; the others were made by the person herself, as far as the file says (no
  address was ever recorded: the missing-pieces letter asks for one);
- an opinion keeps the profession its author has now (the only one known).
"""

import re

from django.db import migrations

# Whole words of the old free text → TRE_R420 code. Checked in this order; a text matching
# two different codes is left untyped.
LEGACY_TYPES = [
    (r"\bIME\b|m[ée]dico[- ][ée]ducatif", "7.1"),
    (r"\bIEM\b|[ée]ducation motrice", "7.2"),
    (r"\bITEP\b|th[ée]rapeutique, [ée]ducatif", "7.6"),
    (r"\bSESSAD\b", "7.8"),
    (r"\bSAFEP\b", "7.9"),
    (r"\bSSAD\b", "7.12"),
    (r"\bESAT\b|aide par le travail|\bCAT\b", "11.5"),
    (r"\bFAM\b|\bEAM\b|accueil m[ée]dicalis[ée]", "13.2"),
    (r"\bMAS\b|accueil sp[ée]cialis[ée]", "13.3"),
    (r"\bSAVS\b", "13.4"),
    (r"\bSAMSAH\b", "13.5"),
    (r"foyer (de vie|occupationnel|d'h[ée]bergement)", "13.1"),
]


def legacy_kind(text: str) -> str:
    found = {code for pattern, code in LEGACY_TYPES if re.search(pattern, text or "", re.I)}
    return found.pop() if len(found) == 1 else ""


def forwards(apps, schema_editor):
    Orientation = apps.get_model("admissions", "Orientation")
    for orientation in Orientation.objects.filter(kind=""):
        kind = legacy_kind(orientation.detail)
        if kind:
            Orientation.objects.filter(pk=orientation.pk).update(kind=kind)

    AdmissionRequest = apps.get_model("admissions", "AdmissionRequest")
    for application in AdmissionRequest.objects.filter(inquiry__isnull=False).select_related(
        "inquiry"
    ):
        inquiry = application.inquiry
        AdmissionRequest.objects.filter(pk=application.pk).update(
            applicant_kind=inquiry.requester_kind,
            applicant_name=inquiry.requester_name[:150],
            applicant_organisation=inquiry.requester_organisation[:150],
        )

    EvaluationOpinion = apps.get_model("admissions", "EvaluationOpinion")
    for opinion in EvaluationOpinion.objects.filter(author_profession="").select_related(
        "author__profession"
    ):
        profession = opinion.author.profession
        if profession is not None:
            EvaluationOpinion.objects.filter(pk=opinion.pk).update(
                author_profession=profession.code
            )


class Migration(migrations.Migration):
    dependencies = [
        ("admissions", "0008_admission_rules_and_orientation_types"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

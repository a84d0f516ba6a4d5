from django.db import migrations

PROFESSIONS = [
    ("as", "Aide-soignant(e)"),
    ("aes", "Accompagnant(e) éducatif et social"),
    ("amp", "Aide médico-psychologique"),
    ("ide", "Infirmier(e) diplômé(e) d'État"),
    ("idec", "Infirmier(e) coordinateur(trice)"),
    ("medecin_coordonnateur", "Médecin coordonnateur"),
    ("medecin", "Médecin"),
    ("pharmacien", "Pharmacien(ne)"),
    ("psychologue", "Psychologue"),
    ("educateur_specialise", "Éducateur(trice) spécialisé(e)"),
    ("moniteur_educateur", "Moniteur(trice)-éducateur(trice)"),
    ("assistant_service_social", "Assistant(e) de service social"),
    ("ergotherapeute", "Ergothérapeute"),
    ("kinesitherapeute", "Masseur-kinésithérapeute"),
    ("secretaire", "Secrétaire / accueil"),
    ("cadre_sante", "Cadre de santé"),
    ("chef_service", "Chef(fe) de service"),
    ("directeur", "Directeur(trice)"),
    ("administrateur", "Administrateur(trice) du système"),
]


def create(apps, schema_editor):
    Profession = apps.get_model("accounts", "Profession")
    for code, label in PROFESSIONS:
        Profession.objects.update_or_create(code=code, defaults={"label": label})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

"""What the journal of accesses shows for an entry's object (issue 12, item 7): French words,
never the internal names it stores (`page:people:record`, `people.Person`,
`access.BreakGlass`). The stored code stays as it is (it is hashed into the chain and exported).

- `app.Model` → the model's French verbose name (Django's app registry: no brick imported);
- `page:<url name>` → « Page : <title> », the titles below (the pages a professional reads or
  is refused), then the menu's entries;
- the events of the sessions and accounts (`accounts.login:password`…) → their own words.
"""

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dui.core.navigation import page_labels

PAGE_TITLES = {
    "core:home": gettext_lazy("Ma journée"),
    # The record (people, documents, coordination).
    "people:list": gettext_lazy("Recherche de personnes"),
    "people:break_glass_by_identity": gettext_lazy("Accès exceptionnel par l'identité"),
    "people:record": gettext_lazy("Synthèse du dossier"),
    "people:birthplaces": gettext_lazy("Recherche d'un lieu de naissance"),
    "people:create": gettext_lazy("Nouveau dossier"),
    "people:identity": gettext_lazy("Identité"),
    "people:identity_edit": gettext_lazy("Modification de l'identité"),
    "people:identity_evidence": gettext_lazy("Contrôle d'une pièce d'identité"),
    "people:identity_ins": gettext_lazy("Identité nationale de santé (INS)"),
    "people:merge": gettext_lazy("Fusion de dossiers"),
    "people:history": gettext_lazy("Historique du dossier"),
    "people:entourage": gettext_lazy("Entourage et protection"),
    "people:contact_create": gettext_lazy("Ajout d'un proche ou d'un contact"),
    "people:contact_update": gettext_lazy("Modification d'un proche ou d'un contact"),
    "people:contact_end": gettext_lazy("Fin d'un lien avec un proche"),
    "people:contact_error": gettext_lazy("Proche saisi par erreur"),
    "people:trusted_person_designate": gettext_lazy("Désignation de la personne de confiance"),
    "people:trusted_person_revoke": gettext_lazy("Révocation de la personne de confiance"),
    "people:protection_create": gettext_lazy("Nouvelle mesure de protection"),
    "people:protection_update": gettext_lazy("Modification d'une mesure de protection"),
    "people:protection_end": gettext_lazy("Fin d'une mesure de protection"),
    "people:protection_error": gettext_lazy("Mesure de protection saisie par erreur"),
    "people:protection_partner_create": gettext_lazy("Nouveau mandataire"),
    "people:parental_authority_create": gettext_lazy("Autorité parentale"),
    "people:parental_authority_update": gettext_lazy("Modification de l'autorité parentale"),
    "people:parental_authority_end": gettext_lazy("Fin de l'autorité parentale"),
    "people:parental_authority_error": gettext_lazy("Autorité parentale saisie par erreur"),
    "people:alerts": gettext_lazy("Alertes"),
    "people:alert_create": gettext_lazy("Nouvelle alerte"),
    "people:alert_end": gettext_lazy("Fin d'une alerte"),
    "people:administrative": gettext_lazy("Données administratives"),
    "people:administrative_edit": gettext_lazy("Modification des données administratives"),
    "people:social_aid_create": gettext_lazy("Nouvelle aide sociale"),
    "people:social_aid_edit": gettext_lazy("Modification d'une aide sociale"),
    "people:social_aid_mark_in_error": gettext_lazy("Aide sociale saisie par erreur"),
    "documents:list": gettext_lazy("Documents"),
    "documents:upload": gettext_lazy("Ajout d'un document"),
    "documents:file": gettext_lazy("Lecture d'un document"),
    "documents:thumbnail": gettext_lazy("Vignette d'un document"),
    "documents:entered_in_error": gettext_lazy("Document saisi par erreur"),
    "coordination:partner_list": gettext_lazy("Partenaires"),
    "coordination:partner_create": gettext_lazy("Nouveau partenaire"),
    "coordination:partner_edit": gettext_lazy("Modification d'un partenaire"),
    # The pathway.
    "care:allergies": gettext_lazy("Allergies et intolérances"),
    "care:allergy_create": gettext_lazy("Nouvelle allergie ou intolérance"),
    "care:allergy_error": gettext_lazy("Allergie saisie par erreur"),
    "care:background_medical": gettext_lazy("Antécédents et vaccinations"),
    "care:background_history_create": gettext_lazy("Nouvel antécédent"),
    "care:background_history_end": gettext_lazy("Antécédent terminé"),
    "care:background_vaccination_create": gettext_lazy("Nouvelle vaccination"),
    "care:background_care": gettext_lazy("Appareils, régime et directives anticipées"),
    "care:background_device_create": gettext_lazy("Nouvel appareil"),
    "care:background_device_remove": gettext_lazy("Appareil retiré"),
    "care:background_diet_record": gettext_lazy("Régime et texture"),
    "care:background_directive_record": gettext_lazy("Directives anticipées"),
    "care:background_statement_record": gettext_lazy("Aucune allergie connue"),
    "care:background_entry_error": gettext_lazy("Contexte de soins saisi par erreur"),
    "care:notes_timeline": gettext_lazy("Transmissions de la personne"),
    "care:notes_create": gettext_lazy("Nouvelle transmission"),
    "care:notes_versions": gettext_lazy("Versions d'une transmission"),
    "care:notes_amend": gettext_lazy("Modification d'une transmission"),
    "care:notes_error": gettext_lazy("Transmission saisie par erreur"),
    "care:notes_handover": gettext_lazy("Relève"),
    "care:notes_mark_read": gettext_lazy("Transmission marquée comme lue"),
    "care:notes_mark_all_read": gettext_lazy("Transmissions marquées comme lues"),
    "care:notes_focuses": gettext_lazy("Cibles des transmissions"),
    "care:appointments_list": gettext_lazy("Rendez-vous extérieurs"),
    "care:appointments_create": gettext_lazy("Nouveau rendez-vous"),
    "care:appointments_edit": gettext_lazy("Modification d'un rendez-vous"),
    "care:appointments_cancel": gettext_lazy("Annulation d'un rendez-vous"),
    "care:appointments_outcome": gettext_lazy("Compte rendu d'un rendez-vous"),
    "care:appointments_error": gettext_lazy("Rendez-vous saisi par erreur"),
    "care:appointments_agenda": gettext_lazy("Agenda de l'unité"),
    "care:plan": gettext_lazy("Plan de soins"),
    "care:plan_line_create": gettext_lazy("Nouveau soin prévu"),
    "care:plan_line_change": gettext_lazy("Modification d'un soin prévu"),
    "care:plan_line_stop": gettext_lazy("Arrêt d'un soin prévu"),
    "care:plan_tasks": gettext_lazy("Soins du jour"),
    "care:plan_task_record": gettext_lazy("Traçabilité d'un soin"),
    "care:plan_record_amend": gettext_lazy("Correction d'une traçabilité"),
    "care:plan_day_print": gettext_lazy("Plan de soins du jour (impression)"),
    "care:plan_day_pdf": gettext_lazy("Plan de soins du jour (PDF)"),
    "care:obs_list": gettext_lazy("Constantes"),
    "care:obs_new": gettext_lazy("Saisie de mesures"),
    "care:obs_error": gettext_lazy("Mesure saisie par erreur"),
    "care:obs_charts": gettext_lazy("Courbes des constantes"),
    "care:obs_etiology": gettext_lazy("Critère étiologique de dénutrition"),
    "care:obs_alert_ack": gettext_lazy("Prise en compte d'une alerte de soins"),
    "care:obs_alerts": gettext_lazy("Alertes de l'unité"),
    "care:obs_round": gettext_lazy("Tournée de mesures"),
    "care:obs_settings": gettext_lazy("Réglages du dossier de soins"),
    "care:incidents": gettext_lazy("Chutes et plaies"),
    "care:incidents_fall_create": gettext_lazy("Déclaration de chute"),
    "care:incidents_fall": gettext_lazy("Chute"),
    "care:incidents_fall_amend": gettext_lazy("Modification d'une chute"),
    "care:incidents_fall_follow_up": gettext_lazy("Suivi d'une chute"),
    "care:incidents_wound_create": gettext_lazy("Nouvelle plaie"),
    "care:incidents_wound": gettext_lazy("Plaie"),
    "care:incidents_wound_assess": gettext_lazy("Évaluation d'une plaie"),
    "care:incidents_wound_heal": gettext_lazy("Plaie cicatrisée"),
    "care:incidents_wound_lines": gettext_lazy("Soins liés à une plaie"),
    "care:incidents_entry_error": gettext_lazy("Chute ou plaie saisie par erreur"),
    "care:incidents_open_wounds": gettext_lazy("Plaies en cours"),
    "assessments:list": gettext_lazy("Évaluations"),
    "assessments:new": gettext_lazy("Nouvelle évaluation"),
    "assessments:preview": gettext_lazy("Calcul d'une évaluation"),
    "assessments:detail": gettext_lazy("Évaluation"),
    "assessments:validate": gettext_lazy("Validation d'une évaluation"),
    "assessments:correct": gettext_lazy("Correction d'une évaluation"),
    "assessments:error": gettext_lazy("Évaluation saisie par erreur"),
    "assessments:due": gettext_lazy("Évaluations à faire"),
    "assessments:instrument_history": gettext_lazy("Historique d'une grille"),
    "stays:occupancy": gettext_lazy("Occupation"),
    "stays:attendance": gettext_lazy("Présences et absences"),
    "stays:attendance_absence_new": gettext_lazy("Nouvelle absence"),
    "stays:attendance_validate": gettext_lazy("Validation des présences"),
    "stays:attendance_error": gettext_lazy("Présence saisie par erreur"),
    "reporting:gmp": gettext_lazy("GMP"),
    "admissions:inquiry_list": gettext_lazy("Demandes à relancer"),
    "admissions:inquiry_new": gettext_lazy("Nouvelle demande de renseignement"),
    "admissions:inquiry_close": gettext_lazy("Clôture d'une demande de renseignement"),
    "admissions:inquiry_convert": gettext_lazy("Transformation en demande d'admission"),
    "admissions:pipeline_board": gettext_lazy("Demandes d'admission"),
    "admissions:pipeline_list": gettext_lazy("Demandes d'admission (liste)"),
    "admissions:waiting_list": gettext_lazy("Liste d'attente"),
    "admissions:waiting_list_policy": gettext_lazy("Règles de la liste d'attente"),
    "admissions:waiting_rank": gettext_lazy("Rang sur la liste d'attente"),
    "admissions:application_detail": gettext_lazy("Demande d'admission"),
    "admissions:application_transition": gettext_lazy("Étape d'une demande d'admission"),
    "admissions:application_piece_expect": gettext_lazy("Pièce attendue"),
    "admissions:application_piece_receive": gettext_lazy("Pièce reçue"),
    "admissions:application_orientation": gettext_lazy("Orientation MDPH"),
    "admissions:application_orientation_override": gettext_lazy("Dérogation à l'orientation"),
    "admissions:application_applicant": gettext_lazy("Demandeur"),
    "admissions:application_opinion": gettext_lazy("Avis sur la demande"),
    "admissions:application_visit_plan": gettext_lazy("Visite de pré-admission"),
    "admissions:application_visit_report": gettext_lazy("Compte rendu de visite"),
    "admissions:application_decision": gettext_lazy("Décision d'admission"),
    "admissions:admission_settings": gettext_lazy("Réglages des admissions"),
    "admissions:letters": gettext_lazy("Courriers"),
    "admissions:letter_templates": gettext_lazy("Modèles de courrier"),
    "admissions:letter_template": gettext_lazy("Modèle de courrier"),
    "admissions:letter_template_preview": gettext_lazy("Aperçu d'un modèle de courrier"),
    "admissions:admit": gettext_lazy("Admission sur une place"),
    "admissions:welcome": gettext_lazy("Accueil"),
    "admissions:contract": gettext_lazy("Contrat"),
    "admissions:contract_action": gettext_lazy("Étape du contrat"),
    "admissions:contracts_overdue": gettext_lazy("Contrats en retard"),
    "admissions:price_list_new": gettext_lazy("Nouvelle grille tarifaire"),
    "admissions:price_list_edit": gettext_lazy("Modification d'une grille tarifaire"),
    # Access, accounts.
    "access:break_glass_open": gettext_lazy("Ouverture d'un accès exceptionnel"),
    "access:break_glass_review_list": gettext_lazy("Accès exceptionnels à revoir"),
    "access:break_glass_review": gettext_lazy("Revue d'un accès exceptionnel"),
    "access:person_journal": gettext_lazy("Journal des accès d'une personne"),
    "access:professional_list": gettext_lazy("Journal des accès"),
    "access:professional_journal": gettext_lazy("Journal des accès d'un professionnel"),
    "access:category_matrix": gettext_lazy("Droits par profession"),
    "accounts:second_factor_professionals": gettext_lazy("Second facteur : professionnels"),
    "accounts:second_factor_exemptions": gettext_lazy("Second facteur : exemptions"),
}

# Codes that are not a model nor a page: the events of sessions, accounts and merges.
EVENT_LABELS = {
    "access.journal": gettext_lazy("Journal des accès"),
    "accounts.login:password": gettext_lazy("Connexion par mot de passe"),
    "accounts.login:totp": gettext_lazy("Connexion : code de l'application"),
    "accounts.login:recovery_code": gettext_lazy("Connexion : code de secours"),
    "accounts.login:exemption": gettext_lazy("Connexion sans second facteur (exemption)"),
    "accounts.second_factor": gettext_lazy("Second facteur"),
    "accounts.second_factor:revoked": gettext_lazy("Second facteur révoqué"),
    "accounts.session:no_assignment": gettext_lazy("Session fermée : aucune affectation en cours"),
    "people.merge": gettext_lazy("Fusion de dossiers"),
    "documents.Document.thumbnail": gettext_lazy("Vignette d'un document"),
}


def page_title(url_name: str) -> str:
    return str(PAGE_TITLES.get(url_name) or page_labels().get(url_name) or "")


def object_type_label(code: str) -> str:
    """The French words for a journal entry's object type (empty for an empty code)."""
    if not code:
        return ""
    if code in EVENT_LABELS:
        return str(EVENT_LABELS[code])
    if code.startswith("page:"):
        title = page_title(code.removeprefix("page:"))
        return _("Page : %(title)s") % {"title": title} if title else _("Page de l'application")
    if code.startswith("accounts.login:"):
        return _("Connexion")
    try:
        model = apps.get_model(code)
    except (LookupError, ValueError):
        return _("Autre")
    return capfirst(model._meta.verbose_name)

"""The default French wording of each letter, used while the establishment has not written its
own (LetterTemplate). Same limited syntax as the establishment's templates: {{ variable }},
{% if %} and {% for %} only, on the variables listed in letters.VARIABLES."""

from django.utils.translation import gettext_lazy as _

from .models import LetterKind

DEFAULT_TITLES = {
    LetterKind.ACKNOWLEDGEMENT: _("Accusé de réception de votre demande d'admission"),
    LetterKind.MISSING_PIECES: _("Pièces manquantes à votre dossier d'admission"),
    LetterKind.ACCEPTANCE: _("Réponse favorable à votre demande d'admission"),
    LetterKind.REFUSAL: _("Réponse à votre demande d'admission"),
    LetterKind.MDPH_NOTICE: _("Suite réservée à une orientation de la CDAPH"),
    LetterKind.CONTRACT: _("Contrat de séjour"),
}

DEFAULT_BODIES = {
    LetterKind.ACKNOWLEDGEMENT: (
        "{{ civilite }},\n\n"
        "Nous avons bien reçu le {{ demande_recue_le }} la demande d'admission de "
        "{{ personne_prenom }} {{ personne_nom }}, {{ personne_nee }} le "
        "{{ personne_date_naissance }}, {{ etablissement_a }}.\n\n"
        "Le dossier va être étudié par notre équipe. Nous reviendrons vers vous dès que "
        "possible.\n\n"
        "Nous vous prions d'agréer, {{ civilite }}, l'expression de nos salutations "
        "distinguées."
    ),
    LetterKind.MISSING_PIECES: (
        "{{ civilite }},\n\n"
        "Le dossier de demande d'admission de {{ personne_prenom }} {{ personne_nom }}, "
        "reçu le {{ demande_recue_le }}, est incomplet. Pour que nous puissions l'étudier, "
        "merci de nous faire parvenir :\n"
        "{% for piece in pieces_manquantes %}- {{ piece }}\n{% empty %}- (aucune pièce)\n"
        "{% endfor %}\n"
        "Nous vous prions d'agréer, {{ civilite }}, l'expression de nos salutations "
        "distinguées."
    ),
    LetterKind.ACCEPTANCE: (
        "{{ civilite }},\n\n"
        "Nous avons le plaisir de vous informer que la commission d'admission "
        "{{ etablissement_de }} a donné une réponse favorable à la demande d'admission de "
        "{{ personne_prenom }} {{ personne_nom }} ({{ accueil }}).\n\n"
        "Nous prendrons contact avec vous pour convenir de la date d'entrée.\n\n"
        "Nous vous prions d'agréer, {{ civilite }}, l'expression de nos salutations "
        "distinguées."
    ),
    LetterKind.REFUSAL: (
        "{{ civilite }},\n\n"
        "Nous avons étudié avec attention la demande d'admission de {{ personne_prenom }} "
        "{{ personne_nom }}, reçue le {{ demande_recue_le }}. Nous sommes au regret de vous "
        "informer que nous ne pouvons pas y donner une suite favorable, pour le motif "
        "suivant :\n\n{{ motif_refus }}\n\n"
        "Vous pouvez contester cette décision auprès de la direction de l'établissement. "
        "Nous restons à votre disposition pour vous orienter vers d'autres solutions.\n\n"
        "Nous vous prions d'agréer, {{ civilite }}, l'expression de nos salutations "
        "distinguées."
    ),
    # CASF R146-36: what became of the CDAPH's designation, with the available capacity and
    # the number of persons waiting.
    LetterKind.MDPH_NOTICE: (
        "Madame, Monsieur,\n\n"
        "Par décision du {{ orientation_decision_du }}{% if orientation_reference %} "
        "(référence {{ orientation_reference }}){% endif %}, la commission des droits et de "
        "l'autonomie des personnes handicapées a orienté {{ personne_prenom }} "
        "{{ personne_nom }}, {{ personne_nee }} le {{ personne_date_naissance }}, vers : "
        "{{ orientation_type }}.\n\n"
        "En application de l'article R146-36 du code de l'action sociale et des familles, nous "
        "vous informons de la suite réservée à cette désignation : la demande d'admission reçue "
        "le {{ demande_recue_le }} n'a pas pu être acceptée par {{ etablissement_le }} "
        "(décision du {{ date_decision }}), pour le motif suivant :\n\n{{ motif_refus }}\n\n"
        "Places disponibles à ce jour : {{ places_disponibles }}. Personnes en attente "
        "d'admission : {{ personnes_en_attente }}.\n\n"
        "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations "
        "distinguées."
    ),
    LetterKind.CONTRACT: (
        "Le présent {{ contrat_type }} est établi entre la direction {{ etablissement_de }} "
        "et {{ personne_prenom }} {{ personne_nom }}, {{ personne_nee }} le "
        "{{ personne_date_naissance }}, avec sa participation (article L311-4 du code de "
        "l'action sociale et des familles). {{ parties }}\n\n"
        "Il définit les objectifs et la nature de l'accompagnement ({{ accueil }}) à compter "
        "du {{ date_entree }}, dans le respect des principes déontologiques et éthiques, des "
        "recommandations de bonnes pratiques professionnelles et du projet d'établissement.\n\n"
        "Le livret d'accueil, le règlement de fonctionnement et la charte des droits et "
        "libertés de la personne accueillie sont remis avec le présent document.\n\n"
        "Toute modification fera l'objet d'un avenant."
    ),
}


def default_title(kind: str) -> str:
    return str(DEFAULT_TITLES[kind])


def default_body(kind: str) -> str:
    return DEFAULT_BODIES[kind]

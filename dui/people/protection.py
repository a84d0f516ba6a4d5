"""Who signs and who is informed, per legal protection measure — shown in the record header.

Sources (Code civil unless stated): tutelle art. 440 al. 3 and 473 (the tutor represents the
person; art. 457-1 and 459: the person is informed and decides personal matters as far as their
state allows); curatelle art. 440 al. 1, 467 and 472 (the person acts, assisted by the curator,
who countersigns); habilitation familiale art. 494-1 and 494-8 (assistance or representation, as
the judgement says); sauvegarde de justice art. 435 (the person keeps the exercise of their
rights; a mandataire spécial acts only for the acts the judge lists); mandat de protection
future art. 477 and 479 (the mandataire represents within the mandate); MASP (CASF L271-1) and
MAJ (art. 495) take no capacity away. The judgement always prevails: its reference is recorded
with the measure.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import ProtectionKind


@dataclass(frozen=True)
class SigningRule:
    signs: str
    informed: str


_RULES = {
    ProtectionKind.TUTELLE: SigningRule(
        _("le tuteur signe pour la personne"),
        _("la personne est informée et consultée"),
    ),
    ProtectionKind.CURATELLE_SIMPLE: SigningRule(
        _("la personne signe, avec le curateur"),
        _("le curateur est informé de tout acte important"),
    ),
    ProtectionKind.CURATELLE_RENFORCEE: SigningRule(
        _("la personne signe, avec le curateur"),
        _("le curateur, qui gère les ressources, est informé"),
    ),
    ProtectionKind.HABILITATION_ASSISTANCE: SigningRule(
        _("la personne signe, avec la personne habilitée"),
        _("la personne habilitée est informée"),
    ),
    ProtectionKind.HABILITATION_REPRESENTATION: SigningRule(
        _("la personne habilitée signe pour la personne"),
        _("la personne est informée et consultée"),
    ),
    ProtectionKind.SAUVEGARDE: SigningRule(
        _("la personne signe elle-même"),
        _("le mandataire spécial, pour les actes fixés par le juge"),
    ),
    ProtectionKind.MANDAT_PROTECTION_FUTURE: SigningRule(
        _("le mandataire signe, dans les limites du mandat"),
        _("la personne est informée et consultée"),
    ),
    ProtectionKind.ACCOMPAGNEMENT: SigningRule(
        _("la personne signe elle-même"),
        _("le service qui exerce la mesure est informé"),
    ),
}


def signing_rule(kind: str) -> SigningRule:
    return _RULES[ProtectionKind(kind)]

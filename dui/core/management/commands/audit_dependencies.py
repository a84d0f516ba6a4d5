"""`make audit`: audit the installed dependencies (the pinned requirements of pyproject.toml and
what they pull in) for known vulnerabilities, with pip-audit.

pip-audit needs a vulnerability database (PyPI's JSON API or OSV) over the network. Where it
cannot reach it, it skips each package ("could not be audited") and still prints "No known
vulnerabilities found", exiting 0: a false all-clear. This command reads pip-audit's JSON
report instead and fails unless every dependency was really audited.

Exit codes: 0 audited, nothing known; 1 vulnerabilities found; 2 audit impossible.
"""

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

SERVICES = ("pypi", "osv")


@dataclass
class AuditReport:
    audited: list = field(default_factory=list)
    vulnerable: list = field(default_factory=list)  # (name, version, vulnerability dict)
    unaudited: list = field(default_factory=list)  # (name, reason)


def read_report(report: dict) -> AuditReport:
    """pip-audit's JSON report, sorted into what was audited, found vulnerable, or skipped."""
    result = AuditReport()
    for dependency in report.get("dependencies", []):
        name = dependency.get("name", "?")
        if dependency.get("skip_reason"):
            result.unaudited.append((name, dependency["skip_reason"]))
            continue
        result.audited.append(name)
        for vulnerability in dependency.get("vulns", []):
            result.vulnerable.append((name, dependency.get("version", "?"), vulnerability))
    return result


class Command(BaseCommand):
    help = "Recherche les vulnérabilités connues des dépendances installées (pip-audit)."

    def add_arguments(self, parser):
        parser.add_argument("--service", choices=SERVICES, default="pypi")
        parser.add_argument("--timeout", type=int, default=30)
        parser.add_argument(
            "--pip-audit",
            dest="pip_audit",
            help="Chemin de pip-audit (par défaut celui de l'environnement virtuel).",
        )

    def handle(self, *args, service="pypi", timeout=30, pip_audit=None, **options):
        beside = Path(sys.executable).with_name("pip-audit")
        executable = pip_audit or (str(beside) if beside.exists() else shutil.which("pip-audit"))
        if not executable:
            raise CommandError(
                "pip-audit n'est pas installé : lancez « make install ».", returncode=2
            )
        command = [
            executable,
            "--format",
            "json",
            "--skip-editable",  # the project itself is not on PyPI
            "--progress-spinner",
            "off",
            "--vulnerability-service",
            service,
            "--timeout",
            str(timeout),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        try:
            report = read_report(json.loads(done.stdout or "{}"))
        except json.JSONDecodeError:
            report = AuditReport()
        if not report.audited and not report.vulnerable:
            if report.unaudited:
                cause = (
                    f"aucune des {len(report.unaudited)} dépendances n'a pu être auditée auprès "
                    f"de {service}"
                )
            else:
                errors = [line for line in (done.stderr or "").splitlines() if "rror" in line]
                cause = f"pip-audit n'a pas pu consulter {service}" + (
                    f" ({errors[-1].strip()[:200]})" if errors else ""
                )
            raise CommandError(
                f"Audit impossible : {cause} — base de vulnérabilités injoignable (réseau ?). "
                "Aucune conclusion ne peut être tirée.",
                returncode=2,
            )
        if report.unaudited:
            names = ", ".join(name for name, _reason in report.unaudited[:10])
            more = len(report.unaudited) - 10
            raise CommandError(
                f"Audit incomplet : {len(report.unaudited)} dépendance(s) n'ont pas pu être "
                f"auditées auprès de {service} ({names}{f' et {more} autres' if more > 0 else ''}"
                "). Aucune conclusion ne peut être tirée.",
                returncode=2,
            )
        for name, version, vulnerability in report.vulnerable:
            fixes = ", ".join(vulnerability.get("fix_versions", [])) or "aucune"
            self.stderr.write(
                f"{name} {version} : {vulnerability.get('id', '?')} "
                f"(corrigée en : {fixes}) — {vulnerability.get('description', '')[:200]}"
            )
        if report.vulnerable:
            raise CommandError(
                f"{len(report.vulnerable)} vulnérabilité(s) connue(s) dans les dépendances : "
                "mettez à jour les versions épinglées dans pyproject.toml.",
                returncode=1,
            )
        self.stdout.write(
            f"Aucune vulnérabilité connue : {len(report.audited)} dépendances auditées "
            f"auprès de {service}."
        )

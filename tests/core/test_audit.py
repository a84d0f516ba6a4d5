"""`make audit` (issue 10, finding 11): pip-audit prints "No known vulnerabilities found" and
exits 0 when it could reach no vulnerability database — each package "could not be audited".
The project's command reads its report and never turns an audit that did not happen into an
all-clear. pip-audit itself is replaced here by small scripts that answer as it does."""

import json
import stat
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def fake_pip_audit(tmp_path, *, report: dict | None, exit_code: int, stderr: str = ""):
    script = tmp_path / "pip-audit"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        f"sys.stdout.write({json.dumps(json.dumps(report)) if report is not None else repr('')})\n"
        f"sys.stderr.write({stderr!r})\n"
        f"sys.exit({exit_code})\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def audit(tmp_path, **fake):
    out, err = StringIO(), StringIO()
    call_command(
        "audit_dependencies",
        "--pip-audit",
        fake_pip_audit(tmp_path, **fake),
        stdout=out,
        stderr=err,
    )
    return out.getvalue()


def skipped(name):
    return {
        "name": name,
        "skip_reason": f"Dependency not found on PyPI and could not be audited: {name}",
    }


def test_an_audit_without_access_to_the_vulnerability_database_fails_and_says_why(tmp_path):
    report = {"dependencies": [skipped("django"), skipped("pillow")], "fixes": []}

    with pytest.raises(CommandError) as refused:
        audit(tmp_path, report=report, exit_code=0, stderr="No known vulnerabilities found\n")

    assert refused.value.returncode == 2
    assert "Audit impossible : aucune des 2 dépendances n'a pu être auditée" in str(refused.value)
    assert "Aucune conclusion ne peut être tirée" in str(refused.value)


def test_an_unreachable_service_fails_and_says_why(tmp_path):
    with pytest.raises(CommandError) as refused:
        audit(
            tmp_path,
            report=None,
            exit_code=1,
            stderr="requests.exceptions.ConnectionError: api.osv.dev unreachable\n",
        )

    assert refused.value.returncode == 2
    assert "pip-audit n'a pas pu consulter pypi (requests.exceptions.ConnectionError" in str(
        refused.value
    )


def test_a_partly_audited_environment_is_not_an_all_clear(tmp_path):
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.19", "vulns": []},
            skipped("weasyprint"),
        ]
    }

    with pytest.raises(CommandError, match="Audit incomplet : 1 dépendance") as refused:
        audit(tmp_path, report=report, exit_code=0)
    assert refused.value.returncode == 2


def test_known_vulnerabilities_are_listed_with_their_fixed_versions(tmp_path):
    report = {
        "dependencies": [
            {
                "name": "pillow",
                "version": "9.0.0",
                "vulns": [
                    {
                        "id": "PYSEC-2022-42",
                        "fix_versions": ["9.0.1"],
                        "description": "Buffer overflow",
                    }
                ],
            },
            {"name": "django", "version": "5.2.19", "vulns": []},
        ]
    }
    err = StringIO()

    with pytest.raises(CommandError, match="1 vulnérabilité") as refused:
        call_command(
            "audit_dependencies",
            "--pip-audit",
            fake_pip_audit(tmp_path, report=report, exit_code=1),
            stdout=StringIO(),
            stderr=err,
        )

    assert refused.value.returncode == 1
    assert "pillow 9.0.0 : PYSEC-2022-42 (corrigée en : 9.0.1) — Buffer overflow" in err.getvalue()


def test_a_complete_clean_audit_says_how_many_dependencies_were_audited(tmp_path):
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.19", "vulns": []},
            {"name": "pillow", "version": "13.0.0", "vulns": []},
        ]
    }

    assert "Aucune vulnérabilité connue : 2 dépendances auditées auprès de pypi." in audit(
        tmp_path, report=report, exit_code=0
    )

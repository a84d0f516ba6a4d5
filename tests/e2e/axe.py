"""axe-core in the browser tests (issue 12, item 8): accessibility as a test.

axe-core comes from the `axe-playwright-python` test dependency (it ships `axe.min.js`, no CDN).
Playwright evaluates it through the DevTools protocol, so the page's strict CSP (no inline
script) does not have to be loosened for it.
"""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

# WCAG 2.1 A and AA, the RGAA's reference (RGAA 4.1 maps onto WCAG 2.1 AA), plus axe's best
# practices; only the serious and critical impacts fail a test.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}
# Experimental in axe-core, so off by default, but a criterion of WCAG 2.1 (2.5.3, label in
# name) that the issue found broken on every page: turned on.
EXTRA_RULES = {"label-content-name-mismatch": {"enabled": True}}

_axe = Axe()


def serious_violations(page: Page) -> list[dict]:
    """The serious or critical violations axe-core finds on the page as it is now."""
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": TAGS},
            "rules": EXTRA_RULES,
            "resultTypes": ["violations"],
        },
    )
    return [v for v in results.response["violations"] if v["impact"] in FAILING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']} — {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(
                f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1]}"
            )
    return "\n".join(lines)


def assert_no_serious_violations(page: Page) -> None:
    """Fail with axe-core's own words when the page has a serious or critical violation."""
    violations = serious_violations(page)
    assert not violations, f"axe-core sur {page.url} :\n{describe(violations)}"

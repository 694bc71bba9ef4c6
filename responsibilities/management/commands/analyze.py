import json

from responsibilities.comparison import finding_json, public_finding
from responsibilities.management.workspace_command import WorkspaceCommand
from responsibilities.selectors import analysis_for


class Command(WorkspaceCommand):
    help = "Gaps and overlaps of a workspace through one framework (the primary one unless --framework)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The workspace's name (case-insensitive).")
        parser.add_argument("--framework", help="A framework slug or alias (default: the workspace's primary framework).")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, name, framework, format, **options):
        workspace = self.workspace_named(name)
        analysis = analysis_for(workspace, self.framework_named(workspace, framework))
        if format == "json":
            self.stdout.write(json.dumps(_as_json(workspace, analysis), indent=2, ensure_ascii=False))
        else:
            self._text(workspace, analysis)

    def _text(self, workspace, analysis):
        coverage = analysis.coverage
        self.stdout.write(f"{workspace.name} through {analysis.framework.title} ({analysis.framework.slug})")
        self.stdout.write(
            f"coverage: {coverage.covered}/{coverage.elements} elements covered ({coverage.percent}%), "
            f"{coverage.owned} owned ({coverage.owned_percent}%)"
        )
        for category in analysis.categories:
            c = category.coverage
            self.stdout.write(f"  {category.element.name}: {c.covered}/{c.elements} covered, {c.owned} owned")
        counts = analysis.counts()
        self.stdout.write("findings: " + ", ".join(f"{n} {severity}" for severity, n in counts.items()))
        for finding in analysis.findings:
            self.stdout.write(f"  [{finding.severity}] {finding.kind}: {finding.message}")
        if analysis.roadmap:
            self.stdout.write("roadmap:")
            for step in analysis.roadmap:
                self.stdout.write(f"  {step.number}. {step.title} ({len(step.findings)} finding(s), {step.severity})")


def _as_json(workspace, analysis) -> dict:
    coverage = analysis.coverage
    return {
        "workspace": workspace.name,
        "framework": analysis.framework.slug,
        "coverage": {
            "elements": coverage.elements, "covered": coverage.covered,
            "owned": coverage.owned, "percent": coverage.percent,
        },
        "findings": [public_finding(finding_json(finding)) for finding in analysis.findings],
    }

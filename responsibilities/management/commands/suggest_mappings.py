import json

from responsibilities.management.workspace_command import WorkspaceCommand
from responsibilities.matching import PROBABLY_RIGHT
from responsibilities.selectors import mapping_suggestions
from responsibilities.services import mappings_accept

MAX_LIMIT = 50


class Command(WorkspaceCommand):
    help = (
        "Suggest framework elements for a workspace's activities (those with no mapping in that "
        "framework unless --all); --apply maps each to its top suggestion at --min-score or above."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The workspace's name (case-insensitive).")
        parser.add_argument("--framework", help="A framework slug or alias (default: the workspace's primary framework).")
        parser.add_argument("--limit", default="3", help=f"Suggestions per activity, 1 to {MAX_LIMIT} (default 3).")
        parser.add_argument("--all", dest="include_mapped", action="store_true", help="Also activities already mapped in that framework.")
        parser.add_argument("--apply", action="store_true", help="Map each listed activity to its top suggestion.")
        parser.add_argument(
            "--min-score", default=str(PROBABLY_RIGHT),
            help=f"With --apply: the lowest score applied, 0 to 1 (default {PROBABLY_RIGHT}).",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, name, framework, limit, include_mapped, apply, min_score, format, **options):
        limit = self._number(limit, "--limit", int, 1, MAX_LIMIT)
        min_score = self._number(min_score, "--min-score", float, 0.0, 1.0)
        workspace = self.workspace_named(name)
        chosen = self.framework_named(workspace, framework)
        suggestions = mapping_suggestions(workspace, chosen, include_mapped=include_mapped, limit=limit)
        applied, batch = [], None
        if apply:
            applied = [
                (item.activity, item.candidates[0])
                for item in suggestions
                if item.candidates and item.candidates[0].score >= min_score
            ]
            batch = mappings_accept(
                workspace=workspace, choices=[(activity, best.element) for activity, best in applied], by=None
            )
        if format == "json":
            document = _as_json(workspace, chosen, suggestions)
            if apply:
                document["applied"] = [
                    {"activity": activity.name, "reference": best.element.reference, "score": best.score}
                    for activity, best in applied
                ]
                document["batch"] = str(batch) if batch else None
            self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
        else:
            self._text(workspace, chosen, suggestions, include_mapped)
            if apply:
                self._applied(applied, batch, min_score)

    def _number(self, raw, option, kind, low, high):
        try:
            value = kind(raw)
        except (TypeError, ValueError):
            value = None
        if value is None or value != value or not low <= value <= high:  # value != value: NaN
            what = "a whole number" if kind is int else "a number"
            self.fail(f"{option} must be {what} from {low} to {high}; got {raw!r}.")
        return value

    def _text(self, workspace, framework, suggestions, include_mapped):
        which = "activities" if include_mapped else f"activities with no mapping in {framework.slug}"
        self.stdout.write(f"{workspace.name} through {framework.title} ({framework.slug}): {len(suggestions)} {which}")
        for item in suggestions:
            mapped = f"  [mapped: {', '.join(e.reference for e in item.mapped)}]" if item.mapped else ""
            self.stdout.write(f"{item.activity.name}{mapped}")
            if not item.candidates:
                self.stdout.write("    no suggestion")
            for candidate in item.candidates:
                why = f"  ({', '.join(candidate.why)})" if candidate.why else ""
                self.stdout.write(
                    f"    {candidate.score:.2f}  {candidate.element.reference}  {candidate.element.name}{why}"
                )

    def _applied(self, applied, batch, min_score):
        if batch is None:
            self.stdout.write(f"Applied nothing: no top suggestion scores {min_score} or above.")
            return
        self.stdout.write(f"Mapped {len(applied)} activities to their top suggestion (batch {batch}):")
        for activity, best in applied:
            self.stdout.write(f"    {activity.name} -> {best.element.reference} {best.element.name} ({best.score:.2f})")


def _as_json(workspace, framework, suggestions) -> dict:
    return {
        "workspace": workspace.name,
        "framework": framework.slug,
        "suggestions": [
            {
                "activity": item.activity.name,
                "candidates": [
                    {
                        "reference": candidate.element.reference,
                        "element_name": candidate.element.name,
                        "score": candidate.score,
                        "why": list(candidate.why),
                    }
                    for candidate in item.candidates
                ],
            }
            for item in suggestions
        ],
    }

"""Starter templates: workspace documents shipped with the app, chosen by size and market.

April Dunford, "How Do CMOs Define Product Marketing?": in a small company product marketing
is all of marketing; in a large one product marketing owns segments, strategy and messaging
while a corporate marketing group runs programs, brand and agencies. The article says B2C may
split differently but not how, so a B2C workspace starts from the same document as a B2B one
of its size, unless a `{size}-b2c.yaml` is added beside them.
"""

from dataclasses import dataclass
from pathlib import Path

STARTER_DIR = Path(__file__).resolve().parent / "starter_documents"


@dataclass(frozen=True)
class Starter:
    size: str
    title: str
    path: Path


STARTERS = {
    "startup": Starter("startup", "Startup: product marketing is all of marketing", STARTER_DIR / "startup.yaml"),
    "scale-up": Starter(
        "scale-up", "Scale-up: product marketing leads, a marketing team starts to run programs",
        STARTER_DIR / "scale-up.yaml",
    ),
    "enterprise": Starter(
        "enterprise",
        "Enterprise: product marketing owns segments, strategy and messaging; corporate marketing runs programs, brand and agencies",
        STARTER_DIR / "enterprise.yaml",
    ),
}


def starter_for(size: str, market: str) -> Path | None:
    specific = STARTER_DIR / f"{size}-{market}.yaml"
    if specific.is_file():
        return specific
    starter = STARTERS.get(size)
    return starter.path if starter else None

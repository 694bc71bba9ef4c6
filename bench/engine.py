"""The findings engine alone, on plain data: 5,000 activities x 20 roles x 3 mappings each.

No database and no Django: `python bench/engine.py`. The target is under 100 ms.
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from responsibilities.analysis import (  # noqa: E402
    ActivityIn,
    CrosswalkIn,
    ElementIn,
    FrameworkIn,
    PersonIn,
    RoleIn,
    WorkspaceIn,
    analyze,
)

ACTIVITIES, ROLES, MAPPINGS = 5000, 20, 3
ARCHETYPES = ["pm", "pmm", "marcom", "sales", "engineering", "cs", "design", "exec", "other"]
LETTERS = ["R", "A", "A/R", "C", "I", "", "", ""]


def world():
    elements = []
    for c in range(7):  # Pragmatic-sized: 7 categories, 37 items
        elements.append(ElementIn(f"fw:c{c}", f"Category {c}", essential=c % 2 == 0, accountable="pm" if c < 3 else "pmm"))
        for i in range(5 + c % 2):
            elements.append(
                ElementIn(f"fw:c{c}-{i}", f"Item {c}.{i}", parent=f"fw:c{c}", essential=i == 0,
                          accountable=ARCHETYPES[(c + i) % 3])
            )
    refs = [e.ref for e in elements] + [f"other:x{i}" for i in range(40)]
    crosswalks = tuple(CrosswalkIn(elements[i].ref, f"other:x{i}", "related") for i in range(40))
    framework = FrameworkIn("fw", "Bench framework", "bench", tuple(elements), crosswalks)
    roles = tuple(RoleIn(f"r{i}", f"Role {i}", ARCHETYPES[i % len(ARCHETYPES)]) for i in range(ROLES))
    activities = tuple(
        ActivityIn(
            key=f"a{n}", name=f"Activity {n}",
            elements=tuple(refs[(n * 7 + k * 13) % len(refs)] for k in range(MAPPINGS)),
            raci=tuple(
                (role.key, LETTERS[(n + j) % len(LETTERS)]) for j, role in enumerate(roles) if LETTERS[(n + j) % len(LETTERS)]
            ),
        )
        for n in range(ACTIVITIES)
    )
    people = tuple(PersonIn(f"p{i}", f"Person {i}", (f"r{i}", f"r{(i + 1) % ROLES}")) for i in range(ROLES))
    return WorkspaceIn(roles=roles, activities=activities, people=people, size="scale-up"), framework


def main():
    workspace, framework = world()
    analyze(workspace, framework)
    engine, with_roadmap = [], []
    for _ in range(15):
        start = time.perf_counter()
        analysis = analyze(workspace, framework)
        engine.append((time.perf_counter() - start) * 1000)
        _ = analysis.roadmap  # worked out on first read
        with_roadmap.append((time.perf_counter() - start) * 1000)
    p50 = statistics.median(engine)
    print(
        f"engine-{ACTIVITIES}x{ROLES}x{MAPPINGS}            p50 {p50:7.1f} ms   max {max(engine):7.1f} ms   "
        f"findings {len(analysis.findings)}  {'ok' if p50 < 100 else 'OVER 100 ms'}"
    )
    print(
        f"engine-{ACTIVITIES}x{ROLES}x{MAPPINGS}+roadmap    p50 {statistics.median(with_roadmap):7.1f} ms   "
        f"max {max(with_roadmap):7.1f} ms   steps {len(analysis.roadmap)}"
    )


if __name__ == "__main__":
    main()

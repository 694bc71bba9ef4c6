"""The library's crosswalks, read as coverage (issue 11): only the same work covers.

Each case maps one activity to one element and reads the workspace through another
framework with the real library and the real engine.
"""

import pytest

from frameworks.models import Crosswalk, Element, Framework
from responsibilities.models import Activity, Workspace
from responsibilities.selectors import analysis_for


def covered_through(reference: str, framework_slug: str) -> set[str]:
    """Codes of `framework_slug` covered when one activity maps to `reference`."""
    slug, code = reference.split(":")
    workspace = Workspace.objects.create(name=f"Probe {reference}")
    activity = Activity.objects.create(workspace=workspace, name="Probe")
    activity.elements.add(Element.objects.get(framework__slug=slug, code=code))
    analysis = analysis_for(workspace, Framework.objects.get(slug=framework_slug))
    return {ref.split(":")[1] for ref, state in analysis.elements.items() if state.covered}


def test_mapping_reads_launch_does_not_cover_the_five_categories_launch_parts(db):
    covered = covered_through("read:launch", "five-categories")
    assert not covered & {"sales-support-materials", "analyst-relations", "press-releases"}


def test_a_part_covers_its_whole_across_frameworks(db):
    # Analyst relations is part of Read's engagement with key influencers, so of Launch.
    assert {"influencer-engagement", "launch"} <= covered_through("five-categories:analyst-relations", "read")


def test_equivalent_covers_both_ways(db):
    assert "go-to-market-strategy" in covered_through("read:go-to-market-strategy", "five-categories")
    assert {"go-to-market-strategy", "strategy"} <= covered_through("five-categories:go-to-market-strategy", "read")
    assert "launch" in covered_through("pragmatic:launch", "read")
    assert "launch" in covered_through("read:launch", "pragmatic")


def test_two_halves_of_one_job_are_related_and_do_not_cover(db):
    assert "web-site-content" not in covered_through("pmm-vs-marcom:web-pages", "five-categories")
    assert "web-pages" not in covered_through("five-categories:web-site-content", "pmm-vs-marcom")
    relation = Crosswalk.objects.get(source__code="web-pages", target__code="web-site-content").relation
    assert relation == "related"


def test_related_never_covers(db):
    assert covered_through("five-categories:purchase-motivators", "read") == set()


@pytest.mark.parametrize("relation", ["equivalent", "part_of", "related"])
def test_every_relation_is_used_and_every_link_joins_two_frameworks(db, relation):
    links = Crosswalk.objects.filter(relation=relation).select_related("source", "target")
    assert links.exists()
    assert all(link.source.framework_id != link.target.framework_id for link in links)

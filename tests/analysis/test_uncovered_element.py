from tests.analysis.builders import activity, everything_owned, kinds, run


def uncovered(analysis):
    return {finding.element: finding.severity for finding in kinds(analysis, "uncovered_element")}


def test_every_element_nobody_maps_to_is_flagged_essential_high():
    assert uncovered(run()) == {
        "fw:plan": "high", "fw:roadmap": "high", "fw:pricing": "medium",
        "fw:market": "medium", "fw:launch": "high", "fw:brand": "medium",
    }


def test_a_category_is_covered_through_its_children():
    result = uncovered(run(activity("Roadmap work", "fw:roadmap", pm="A/R")))
    assert "fw:plan" not in result and "fw:roadmap" not in result
    assert result["fw:pricing"] == "medium"


def test_excluded_elements_are_never_uncovered():
    assert not any(ref.startswith("fw:not-pmm") or ref == "fw:release" for ref in uncovered(run()))


def test_a_crosswalk_covers_and_says_so():
    analysis = run(activity("Branding", "other:branding", mc="A/R"))
    assert "fw:brand" not in uncovered(analysis)
    state = analysis.elements["fw:brand"]
    assert state.via == (("branding", "other:branding"),) and state.only_via_crosswalk


def test_a_clean_workspace_has_none():
    assert uncovered(run(*everything_owned())) == {}

from tests.analysis.builders import activity, kinds, person, run


def test_one_person_holding_pm_and_pmm_is_medium_and_cites_both_articles():
    [finding] = kinds(run(activity("X", "fw:launch", pmm="A/R"), people=[person("Dana", "pm", "pmm")]), "role_overload")
    assert (finding.severity, finding.person) == ("medium", "Dana")
    assert finding.roles == ("Product Manager", "Product Marketing")
    assert "April Dunford" in finding.source and "Product Management vs. Product Marketing" in finding.source


def test_other_combinations_are_fine():
    people = [person("Sam", "pmm", "mc"), person("Lee", "pm", "founder"), person("Ann", "pmm")]
    assert kinds(run(people=people), "role_overload") == []

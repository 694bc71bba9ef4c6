from responsibilities.analysis import RoleIn
from tests.analysis.builders import activity, kinds, run


def test_owners_of_two_archetypes_make_an_element_shared_info():
    analysis = run(activity("Brand book", "fw:brand", mc="A/R"), activity("Brand story", "fw:brand", pmm="A/R"))
    [finding] = kinds(analysis, "shared_element")
    assert (finding.element, finding.severity) == ("fw:brand", "info")
    assert set(finding.roles) == {"Corp Marketing", "Product Marketing"}
    assert "acceptable" in finding.message and "Crispin Read" in finding.source


def test_a_category_whose_items_have_different_owners_is_not_shared():
    analysis = run(activity("Launch", "fw:launch", pmm="A/R"), activity("Brand", "fw:brand", mc="A/R"))
    assert kinds(analysis, "shared_element") == []


def test_two_roles_of_one_archetype_are_not_shared():
    roles_pmm_twice = (RoleIn("a", "PMM East", "pmm"), RoleIn("b", "PMM West", "pmm"))
    analysis = run(activity("One", "fw:brand", a="A/R"), activity("Two", "fw:brand", b="A/R"), roles=roles_pmm_twice)
    assert kinds(analysis, "shared_element") == []

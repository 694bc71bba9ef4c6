from tests.analysis.builders import activity, kinds, run


def test_an_a_held_by_another_archetype_than_the_guidance_is_low():
    [finding] = kinds(run(activity("Roadmap", "fw:roadmap", pmm="A/R")), "split_mismatch")
    assert finding.severity == "low"
    assert finding.element == "fw:roadmap" and finding.roles == ("Product Marketing",)
    assert "Tiny framework puts Roadmap with PM" in finding.message
    assert finding.source == "Tiny Author, “Tiny source”"


def test_the_guided_archetype_holding_the_a_is_fine():
    assert kinds(run(activity("Roadmap", "fw:roadmap", pm="A/R")), "split_mismatch") == []


def test_no_guidance_or_no_a_means_no_mismatch():
    assert kinds(run(activity("Market", "fw:market", pm="A/R")), "split_mismatch") == []
    assert kinds(run(activity("Roadmap", "fw:roadmap", pmm="R")), "split_mismatch") == []


def test_in_a_startup_product_marketing_may_own_marcom_work():
    brand_by_pmm = activity("Brand", "fw:brand", pmm="A/R")
    assert kinds(run(brand_by_pmm, size="startup"), "split_mismatch") == []
    assert len(kinds(run(brand_by_pmm, size="enterprise"), "split_mismatch")) == 1


def test_exclusions_are_a_split_their_guidance_says_who_owns_them():
    [finding] = kinds(run(activity("Release management", "fw:release", pmm="A/R")), "split_mismatch")
    assert finding.element == "fw:release" and finding.roles == ("Product Marketing",)
    assert "is not product marketing" in finding.message and "PM" in finding.message
    assert kinds(run(activity("Release management", "fw:release", pm="A/R")), "split_mismatch") == []

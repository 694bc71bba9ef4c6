from tests.analysis.builders import activity, kinds, run


def test_an_a_held_by_another_archetype_than_the_guidance_is_low():
    [finding] = kinds(run(activity("Roadmap", "fw:roadmap", pmm="A/R")), "split_mismatch")
    assert finding.severity == "low"
    assert finding.element == "fw:roadmap" and finding.roles == ("Product Marketing",)
    assert "Tiny framework puts Roadmap with PM" in finding.message
    assert finding.source == "Tiny source (seed 999)"


def test_the_guided_archetype_holding_the_a_is_fine():
    assert kinds(run(activity("Roadmap", "fw:roadmap", pm="A/R")), "split_mismatch") == []


def test_no_guidance_or_no_a_means_no_mismatch():
    assert kinds(run(activity("Market", "fw:market", pm="A/R")), "split_mismatch") == []
    assert kinds(run(activity("Roadmap", "fw:roadmap", pmm="R")), "split_mismatch") == []


def test_in_a_startup_product_marketing_may_own_marcom_work():
    brand_by_pmm = activity("Brand", "fw:brand", pmm="A/R")
    assert kinds(run(brand_by_pmm, size="startup"), "split_mismatch") == []
    assert len(kinds(run(brand_by_pmm, size="enterprise"), "split_mismatch")) == 1

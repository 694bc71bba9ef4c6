from tests.analysis.builders import activity, kinds, run


def test_a_row_with_an_a_but_no_r_is_medium():
    [finding] = kinds(run(activity("Pricing", "fw:pricing", pm="A", pmm="C")), "no_responsible")
    assert finding.severity == "medium"


def test_ar_counts_as_responsible():
    assert kinds(run(activity("Pricing", "fw:pricing", pm="A/R")), "no_responsible") == []
    assert kinds(run(activity("Pricing", "fw:pricing", pm="A", pmm="R")), "no_responsible") == []

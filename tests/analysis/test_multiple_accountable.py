from tests.analysis.builders import activity, kinds, run


def test_two_as_are_high_and_name_both_roles():
    [finding] = kinds(run(activity("Pricing", "fw:pricing", founder="A", pmm="A/R")), "multiple_accountable")
    assert finding.severity == "high"
    assert finding.roles == ("Founder", "Product Marketing")
    assert finding.message == (
        "Pricing has two accountable owners (Founder, Product Marketing): a RACI row needs exactly one A."
    )


def test_one_a_with_others_responsible_is_fine():
    assert kinds(run(activity("Pricing", "fw:pricing", pm="A", pmm="R", mc="R")), "multiple_accountable") == []

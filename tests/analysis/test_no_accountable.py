from tests.analysis.builders import activity, everything_owned, kinds, run


def test_a_row_without_an_a_is_high():
    [finding] = kinds(run(activity("Pricing", "fw:pricing", pmm="R")), "no_accountable")
    assert finding.severity == "high"
    assert finding.activity == "pricing" and "Nobody is accountable for Pricing" in finding.message


def test_a_or_ar_counts_as_accountable():
    assert kinds(run(activity("Pricing", "fw:pricing", pmm="A", pm="R")), "no_accountable") == []
    assert kinds(run(activity("Pricing", "fw:pricing", pmm="A/R")), "no_accountable") == []


def test_a_clean_workspace_has_none():
    assert kinds(run(*everything_owned()), "no_accountable") == []

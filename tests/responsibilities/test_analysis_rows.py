"""Row rules of the findings engine, on plain data (no database)."""

from responsibilities.analysis import ActivityIn, RoleIn, activity_findings, severity_counts

ROLES = {
    "pm": RoleIn(key="pm", name="Product Manager", archetype="pm"),
    "pmm": RoleIn(key="pmm", name="Product Marketing", archetype="pmm"),
    "founder": RoleIn(key="founder", name="Founder", archetype="exec"),
}


def kinds(raci, elements=("read:launch",)):
    activity = ActivityIn(key="a1", name="Pricing", elements=tuple(elements), raci=tuple(raci))
    return [finding.kind for finding in activity_findings(activity, ROLES)]


def test_a_row_with_one_ar_has_no_findings():
    assert kinds([("pmm", "A/R")]) == []


def test_a_row_without_a_is_flagged_high():
    activity = ActivityIn(key="a1", name="Pricing", elements=("read:launch",), raci=(("pmm", "R"),))
    [finding] = activity_findings(activity, ROLES)
    assert (finding.kind, finding.severity) == ("no_accountable", "high")
    assert "Pricing" in finding.message


def test_two_accountables_are_flagged_with_their_names():
    activity = ActivityIn(key="a1", name="Pricing", elements=("read:launch",), raci=(("founder", "A"), ("pmm", "A/R")))
    [finding] = activity_findings(activity, ROLES)
    assert finding.kind == "multiple_accountable"
    assert finding.message == "Pricing has two accountable owners (Founder, Product Marketing): a RACI row needs exactly one A."
    assert finding.roles == ("Founder", "Product Marketing")


def test_ar_counts_as_both_a_and_r():
    assert "no_responsible" not in kinds([("pmm", "A/R")])
    assert "no_accountable" not in kinds([("pmm", "A/R")])


def test_a_row_without_r_is_flagged_medium():
    assert kinds([("pmm", "A"), ("pm", "C")]) == ["no_responsible"]


def test_an_unmapped_activity_is_flagged_low():
    assert kinds([("pmm", "A/R")], elements=()) == ["unmapped_activity"]


def test_an_empty_row_has_every_row_finding():
    assert kinds([], elements=()) == ["no_accountable", "no_responsible", "unmapped_activity"]


def test_severity_counts():
    activity = ActivityIn(key="a1", name="X", raci=())
    assert severity_counts(activity_findings(activity, ROLES)) == {"high": 1, "medium": 1, "low": 1, "info": 0}

from tests.analysis.builders import activity, kinds, run


def test_an_element_done_without_an_a_is_flagged():
    analysis = run(activity("Launch work", "fw:launch", pmm="R"))
    unowned = {f.element: f.severity for f in kinds(analysis, "unowned_element")}
    assert unowned["fw:launch"] == "high"  # essential
    assert unowned["fw:market"] == "medium"  # the category, through its child
    launch = next(f for f in kinds(analysis, "unowned_element") if f.element == "fw:launch")
    assert "nobody is accountable" in launch.message and "name one owner for Launch" in launch.message


def test_one_accountable_activity_owns_the_element():
    analysis = run(activity("Launch work", "fw:launch", pmm="R"), activity("Launch plan", "fw:launch", pmm="A/R"))
    assert [f.element for f in kinds(analysis, "unowned_element")] == []


def test_uncovered_elements_are_not_also_unowned():
    assert kinds(run(), "unowned_element") == []

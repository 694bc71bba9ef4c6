from tests.analysis.builders import activity, kinds, run


def test_a_role_that_is_only_consulted_or_informed_is_idle_info():
    analysis = run(activity("Launch", "fw:launch", pmm="A/R", pm="C", mc="I", founder="R"))
    idle = kinds(analysis, "idle_role")
    assert [f.roles for f in idle] == [("Product Manager",), ("Corp Marketing",)]
    assert all(f.severity == "info" for f in idle)


def test_a_or_r_anywhere_makes_a_role_busy():
    analysis = run(activity("Launch", "fw:launch", pmm="A", pm="R", mc="A/R", founder="R"))
    assert kinds(analysis, "idle_role") == []

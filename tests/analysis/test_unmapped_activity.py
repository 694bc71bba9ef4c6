from tests.analysis.builders import activity, kinds, run


def test_an_activity_mapped_nowhere_is_low_and_cites_read():
    [finding] = kinds(run(activity("Weekly sync", pmm="A/R")), "unmapped_activity")
    assert finding.severity == "low"
    assert finding.source.startswith("Crispin Read")


def test_a_mapping_to_any_framework_counts():
    assert kinds(run(activity("Branding", "other:branding", mc="A/R")), "unmapped_activity") == []

"""Common ground: the field's vocabulary and discriminating terms on pairs a maternity lead would
judge at a glance (the same change in other words, or two changes that look alike)."""

from __future__ import annotations

from driverkit.programme.common import TextItem, compare, find_clusters, normaliser


def change(member: str, text: str) -> TextItem:
    return TextItem(member, "change", "C1", text)


def score(a: str, b: str) -> float:
    return compare(change("a.yaml", a), change("b.yaml", b)).score


def joined(a: str, b: str, threshold: float = 70.0) -> bool:
    return len(find_clusters([change("a.yaml", a), change("b.yaml", b)], threshold=threshold)) == 1


def test_pph_and_postpartum_haemorrhage_in_labour_are_one_change_not_a_postnatal_one() -> None:
    assert joined("PPH risk assessment for women in labour",
                  "Postpartum haemorrhage risk assessment for every woman in labour", threshold=80.0)
    assert "postnatal" not in normaliser()("PPH risk assessment in labour").time


def test_thermal_care_means_name_hypothermia() -> None:
    means = "Plastic bag and woolly hat for babies under 32 weeks at birth"
    aim = "Hypothermia prevention bundle for babies under 32 weeks at birth"
    assert "hypothermia" in normaliser()(means).words
    assert score(means, aim) > score(means, "Donor breast milk for babies under 32 weeks")


def test_the_letters_and_digits_of_an_abbreviation_are_one_word() -> None:
    assert "hba1c" in normaliser()("HbA1c at 13 weeks postnatal").words
    # "news" is not the plural of "new": new mothers are not an early warning score
    assert "warning" not in normaliser()("Home visits for new mothers").words


def test_booking_and_36_weeks_are_two_time_points() -> None:
    match = compare(change("a.yaml", "CO test for all women at booking"), change("b.yaml", "CO test for all women at 36 weeks"))
    assert "booking vs 36 weeks" in match.why
    assert not joined("CO test for all women at booking", "CO test for all women at 36 weeks", threshold=60.0)


def test_in_pregnancy_and_after_the_birth_are_two_changes() -> None:
    pregnant = "Stop smoking advisor home visits for pregnant smokers"
    after = "Stop smoking advisor home visits for mothers who start smoking again after the birth"
    assert "antenatal vs postnatal" in compare(change("a.yaml", pregnant), change("b.yaml", after)).why
    assert not joined(pregnant, after, threshold=60.0)


def test_babies_whose_mothers_carry_a_condition_are_the_babies() -> None:
    assert normaliser()("Antibiotics for babies whose mothers carried group B strep").recipient == {"baby"}
    assert not joined("Intrapartum antibiotics for women who carry group B strep",
                      "Antibiotics for babies whose mothers carried group B strep", threshold=60.0)


def test_a_condition_and_its_general_name_are_one_condition_not_a_list() -> None:
    type_1 = "Continuous glucose monitors for type one diabetics in the diabetes clinic"
    assert normaliser()(type_1).condition == {"type 1 diabetes"}
    assert not joined(type_1, "Offer CGM to women with type 2 diabetes", threshold=60.0)
    assert joined(type_1, "CGM for pregnant women with T1DM", threshold=70.0)


def test_new_words_of_the_field_join_their_paraphrases() -> None:
    assert joined("Weigh swabs to quantify blood loss at every birth", "QBL at all deliveries", threshold=75.0)
    assert joined("PReCePT: magnesium sulphate for women in preterm labour",
                  "Magnesium sulphate for neuroprotection in preterm labour", threshold=75.0)


def test_talking_it_over_afterwards_and_reminding_are_not_doing_the_thing() -> None:
    assert "debrief" in compare(change("a.yaml", "Neonatal transport team called within 30 minutes for babies under 27 weeks"),
                                change("b.yaml", "Neonatal transport team debrief after every transfer of a baby under 27 weeks")).why
    assert not joined("Text message support for pregnant women trying to quit smoking",
                      "Text message reminders of antenatal appointments for pregnant women who smoke", threshold=55.0)
    assert joined("Hot debrief after every massive obstetric haemorrhage",
                  "Debrief the team after each major PPH", threshold=55.0)


def test_after_the_birth_is_the_postnatal_period() -> None:
    assert normaliser()("Home visits for women who start smoking again after the birth").period == frozenset({"postnatal"})
    assert normaliser()("Home visits for pregnant smokers").period == frozenset({"antenatal"})

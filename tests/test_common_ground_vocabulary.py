"""Common ground: the field's vocabulary and discriminating terms on pairs a maternity lead would
judge at a glance (the same change in other words, or two changes that look alike)."""

from __future__ import annotations

from driverkit.programme.common import find_clusters
from driverkit.programme.likeness import TextItem, _wording, compare
from driverkit.programme.reading import normaliser


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


def test_the_babies_of_women_reviewed_are_the_babies_and_a_babys_death_names_no_recipient() -> None:
    assert normaliser()("Neonatal review of babies of women with GDM before discharge").recipient == {"baby"}
    assert not joined("Diabetes team review of women with GDM on the postnatal ward before discharge",
                      "Neonatal team review of babies of women with GDM on the postnatal ward before discharge",
                      threshold=60.0)
    assert normaliser()("Bereavement support after a baby's death").recipient == frozenset()
    assert not joined("Debrief for staff after a neonatal death", "Debrief for parents after a neonatal death",
                      threshold=60.0)
    assert joined("Bereavement support for parents after a neonatal death",
                  "Bereavement support after the death of a baby", threshold=70.0)


def test_two_drugs_for_one_condition_are_two_changes() -> None:
    match = compare(change("a.yaml", "Midwife-given magnesium sulphate loading dose in severe pre-eclampsia"),
                    change("b.yaml", "Midwife-given labetalol in severe pre-eclampsia"))
    assert "labetalol" in match.why and match.score < 55
    assert joined("Maternal collapse drill on delivery suite every month", "Monthly maternal collapse skills drill")
    assert not joined("Massive obstetric haemorrhage drill on delivery suite every month",
                      "Maternal collapse drill on delivery suite every month", threshold=60.0)


def test_what_an_audit_showed_and_a_compliance_target_are_no_audit_and_upskilling_is_training() -> None:
    assert normaliser()("An audit showed antibiotics took over two hours, so sepsis boxes on every ward").act == frozenset()
    assert normaliser()("PROMPT for all staff - target 90% compliance by March").act == {"train"}
    assert normaliser()("Upskill midwives to have the smoking conversation").act == {"train"}


def test_a_unit_an_admission_is_avoided_to_is_not_where_the_change_happens() -> None:
    assert normaliser()("Glucose gel to avoid NNU admission for hypos").setting == frozenset()
    assert normaliser()("Reduce term admissions to the neonatal unit").setting == frozenset()
    assert normaliser()("Admission to the neonatal unit for babies with glucose below 1.0").setting == {"neonatal unit"}


def test_two_triggers_of_one_warning_score_are_two_changes() -> None:
    assert normaliser()("Escalate a MEWS score of 5 or above").amount == {"from 5 score"}
    match = compare(change("a.yaml", "Escalate a MEWS score of 5 or above to the registrar"),
                    change("b.yaml", "Escalate a MEWS score of 7 or above to the registrar"))
    assert "from 5 score vs from 7 score" in match.why and match.score < 55


def test_whose_death_is_a_condition_of_its_own() -> None:
    assert normaliser()("Learning from every neonatal death").condition == {"neonatal death"}
    assert not joined("Learning from every baby death review", "Learning from every maternal death review", threshold=55.0)


def test_synonyms_of_a_contact_a_plural_in_aches_and_a_compliance_report_are_read_as_meant() -> None:
    match = compare(change("a.yaml", "Ask about smoking at every appointment"), change("b.yaml", "Ask about smoking at every visit"))
    assert "one sentence" not in match.why
    assert normaliser()("Backaches in pregnancy").words == normaliser()("Backache in pregnancy").words
    assert normaliser()("Monthly compliance report on fresh eyes CTG reviews").act == {"audit"}
    assert joined("Monthly compliance report on fresh eyes CTG reviews", "Monthly audit of fresh eyes CTG reviews", threshold=80.0)


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


def why(a: str, b: str) -> str:
    return compare(change("a.yaml", a), change("b.yaml", b)).why


def test_a_different_dose_threshold_or_duration_is_another_change_and_is_named() -> None:
    pairs = [
        ("Folic acid 5 mg daily for women with diabetes planning a pregnancy",
         "Folic acid 400 micrograms daily for women with diabetes planning a pregnancy", "5 mg vs 400 microgram"),
        ("Glucose gel for babies whose blood glucose is below 2.6 mmol/L",
         "Glucose gel for babies whose blood glucose is below 2.0 mmol/L", "under 2.6 mmol/l vs under 2.0 mmol/l"),
        ("Intravenous antibiotics for 36 hours for babies with suspected early-onset sepsis",
         "Intravenous antibiotics for 5 days for babies with suspected early-onset sepsis", "36 hours vs 5 days"),
        ("Call the registrar when blood loss reaches 1000 ml", "Call the registrar when blood loss reaches 1.5 litres",
         "1000 ml vs 1.5 litre"),
    ]
    for a, b, named in pairs:
        assert named in why(a, b)
        assert not joined(a, b, threshold=55.0)
    # The same amount in other units is the same amount.
    assert "vs" not in why("Oxytocin infusion for 4 hours after birth", "Oxytocin infusion for 240 minutes after birth")


def test_a_time_limit_is_a_target_not_another_change() -> None:
    # Trusts set "within 1 hour" or "within 2 hours" for one change: no amount tells these apart.
    assert joined("Skin-to-skin contact within 1 hour of birth for babies at risk of hypoglycaemia",
                  "Skin-to-skin contact within the first 2 hours of birth for babies at risk of hypoglycaemia", threshold=80.0)


def test_gestations_are_compared_to_the_day_and_ages_after_the_birth_are_not_gestations() -> None:
    # Under 34 weeks ends at 33+6: not the late preterm 34+0 to 36+6.
    assert "under 34 weeks vs 34+0 to 36+6 weeks" in why("Antenatal steroids for women at risk of birth under 34 weeks",
                                                         "Antenatal steroids for women at risk of birth at 34+0 to 36+6 weeks")
    # Weeks after the birth are an age, and 13 weeks is 3 months.
    after = normaliser()("HbA1c 13 weeks after the birth for women who had gestational diabetes")
    assert after.time == {"13 weeks postnatal"} and after.period == {"postnatal"}
    assert joined("HbA1c 13 weeks after the birth for women who had gestational diabetes",
                  "HbA1c 3 months postpartum for women who had gestational diabetes", threshold=80.0)
    assert normaliser()("Babies born at 37 weeks or more").condition == {"term"}


def test_who_does_it_and_for_whom_are_named() -> None:
    assert "midwife vs health visitor (-30)" in why("Smoking status recorded by the midwife at the new birth visit",
                                                    "Smoking status recorded by the health visitor at the new birth visit")
    # Lists of staff are who is there, not one role against another.
    assert "vs" not in why("PROMPT for all midwives, obstetricians and anaesthetists every year",
                           "Annual PROMPT for midwives, obstetricians and anaesthetists")
    assert "staff vs mother" in why("Debrief for staff after a stillbirth", "Debrief for women after a stillbirth")


def test_what_is_measured_and_which_emergency_are_named() -> None:
    assert "temperature vs blood glucose" in why("Check the temperature of every baby admitted to the neonatal unit",
                                                 "Check the blood glucose of every baby admitted to the neonatal unit")
    assert "shoulder dystocia vs breech" in why("Monthly skills drill for shoulder dystocia on labour ward",
                                                "Monthly skills drill for vaginal breech birth on labour ward")
    assert not joined("Consultant present at every category 1 caesarean", "Consultant present at every full dilatation caesarean",
                      threshold=55.0)
    assert "in utero transfer vs ex utero transfer" in why("In utero transfer to a level 3 unit for births under 27 weeks",
                                                           "Ex utero transfer to a level 3 unit for babies born under 27 weeks")


def test_what_a_text_sets_itself_against_is_not_what_it_says() -> None:
    every = "CO test at every antenatal appointment, not just at booking"
    assert normaliser()(every).time == {"antenatal", "every contact"}
    assert "antenatal and every contact vs booking" in why(every, "CO test for every woman at booking")
    assert not joined(every, "CO test for every woman at booking", threshold=55.0)


def test_plurals_in_es_and_hyphenated_prefixes_are_read_as_one_word() -> None:
    assert "box" in normaliser()("Sepsis boxes on every ward").words
    assert normaliser()("Nicotine patches on the ward").words == normaliser()("Nicotine patch on the ward").words
    assert normaliser()("Multi-disciplinary skills drills").words == normaliser()("MDT skills drills").words
    assert "intrapartum" in normaliser()("IAP for women in preterm labour").words


def test_weeks_of_a_treatment_are_how_long_not_a_gestation() -> None:
    assert normaliser()("Offer 12 weeks of NRT to pregnant smokers").time == frozenset()
    assert normaliser()("Offer 12 weeks of NRT to pregnant smokers").amount == {"12 weeks"}
    assert normaliser()("HbA1c at 13 weeks of pregnancy").time == {"13 weeks"}


def test_ordinals_hours_and_the_aim_of_magnesium_sulphate_are_read_as_meant() -> None:
    assert normaliser()("BM check prior to the 2nd feed").time == {"second feed"}
    assert "second" not in normaliser()("Glucose checks for babies below the 2nd centile").words
    assert normaliser()("Feed in the 1st hr").words == normaliser()("Feed within one hour").words
    assert "neuroprotection" in normaliser()("MgSO4 for all women in established preterm labour").words
    assert "previous" in normaliser()("Early GTT for prev GDM").words


def test_every_contact_is_a_time_point_of_its_own() -> None:
    every = "Routine CO monitoring at every ANC appt"
    assert normaliser()(every).time >= {"every contact"}
    assert normaliser()("CO test for every woman at her booking appointment").time == {"booking"}
    assert not joined(every, "CO test for every pregnant woman at the 36 week appointment", threshold=55.0)
    assert joined(every, "Carbon monoxide testing at each antenatal visit", threshold=80.0)


def test_words_written_like_the_field_are_read_as_written() -> None:
    # "co-" in lower case is a prefix, not carbon monoxide; PROMPT in capitals is the course.
    assert "carbon" not in normaliser()("Co-located diabetes and antenatal clinics").words
    assert "carbon" in normaliser()("CO-validated quit at 4 weeks").words
    assert joined("All midwives attend PROMPT every year", "Annual obstetric emergency training for all midwives", threshold=75.0)
    assert "emergency" not in normaliser()("GP prompt to check HbA1c after gestational diabetes").words
    # Trimesters are times of pregnancy: booking is in the first.
    assert joined("Retinal screening in the first trimester for women with pre-existing diabetes",
                  "Retinal screening at booking for women with pre-existing diabetes", threshold=70.0)


def test_a_count_and_a_limit_with_its_side_are_amounts() -> None:
    # How many doses or readings, and on which side of a limit, are two changes.
    assert "2 doses vs 4 doses" in why("Buccal glucose gel: at most 2 doses, then a neonatal review",
                                       "Buccal glucose gel: at most 4 doses, then a neonatal review")
    assert "2 consecutive vs 3 consecutive" in why("Stop glucose checks after 2 consecutive normal pre-feed values",
                                                   "Stop glucose checks after 3 consecutive normal pre-feed values")
    assert "under 4 ppm vs from 4 ppm" in why("Incentive voucher when the CO reading is <4ppm",
                                              "Incentive voucher when the CO reading is 4ppm or above")
    assert "vs" not in why("Opt-out referral when the CO reading is ≥4ppm", "Opt-out referral when the CO reading is 4ppm or above")
    # Two limits on one side are two thresholds, in weeks too.
    assert "under 28 weeks vs under 32 weeks" in why("Consultant neonatologist attends every birth under 28 weeks",
                                                     "Consultant neonatologist attends every birth under 32 weeks")
    assert not joined("Consultant neonatologist attends every birth under 28 weeks",
                      "Consultant neonatologist attends every birth under 32 weeks", threshold=55.0)


def test_one_term_that_differs_keeps_look_alikes_apart_at_55() -> None:
    pairs = [
        ("Offer a CO breath test at every appointment to women who smoke",
         "Offer a CO breath test at every appointment to women who don't smoke", "smokers vs non-smokers"),
        ("Wait 60 seconds before clamping the cord at caesarean section",
         "Wait 60 seconds before clamping the cord at vaginal birth", "caesarean vs vaginal birth"),
        ("Audit the giving of magnesium sulphate to women in preterm labour",
         "Audit the giving of antenatal steroids to women in preterm labour", "magnesium sulphate vs antenatal steroids"),
        ("Psychology follow-up for parents after a stillbirth", "Psychology follow-up for staff after a stillbirth",
         "parent vs staff"),
        ("Review every term admission for jaundice", "Review every term admission for respiratory distress",
         "jaundice and term vs respiratory distress and term"),
        ("SBAR handover at each change of shift on the postnatal ward",
         "SBAR handover when transferring women from the postnatal ward", "postnatal and shift change vs postnatal and transfer"),
        ("Plastic wrap for babies under 30 weeks at birth", "Plastic wrap for babies under 30 weeks during transfer",
         "birth and under 30 weeks vs transfer and under 30 weeks"),
        ("Paediatrician talks to the parents before a birth at 23 weeks",
         "Paediatrician talks to the parents after a birth at 23 weeks", "23 weeks and antenatal vs 23 weeks and postnatal"),
    ]
    for a, b, named in pairs:
        assert named in why(a, b), (a, b)
        assert not joined(a, b, threshold=55.0), (a, b)


def test_who_it_is_for_is_read_past_its_qualifiers() -> None:
    # "alongside the woman", "of diabetic mothers" qualify; "at 1 hour of age for babies" names the babies.
    assert normaliser()("Partners who smoke offered NRT alongside the pregnant woman").recipient == {"partner"}
    assert normaliser()("Glucose check at 2 hours of age for babies of mothers with diabetes").recipient == {"baby"}
    assert normaliser()("Monthly teaching on CTG review for all labour ward staff").act == {"train"}


def test_a_history_a_risk_and_a_condition_looked_for_are_not_the_condition() -> None:
    assert "gestational diabetes in a previous pregnancy vs obesity" in why("OGTT at 16 weeks for women with previous GDM",
                                                                            "OGTT at 16 weeks for women with a BMI over 35")
    # Looking for a condition is not caring for those who have it.
    assert not joined("HbA1c at booking to find undiagnosed type 2 diabetes in women at risk",
                      "HbA1c at booking for women with type 2 diabetes", threshold=55.0)
    # At risk of a condition, against the condition or another one: a weak sign; named by one text only, none.
    assert "hypoglycaemia risk vs diabetes (-10)" in why("Antenatal colostrum harvesting for babies at risk of hypoglycaemia",
                                                        "Antenatal colostrum harvesting for women with diabetes")
    assert "vs" not in why("Skin-to-skin straight after birth to prevent hypothermia", "Skin-to-skin straight after birth")
    # Against the same condition said to be had, a risk is another population.
    assert "hypoglycaemia vs hypoglycaemia risk (-60)" in why("Feeding review for babies treated for hypoglycaemia",
                                                             "Feeding review for babies at risk of hypoglycaemia")


def test_in_labour_is_neither_pregnancy_nor_after_the_birth() -> None:
    labour = "Hourly capillary glucose in labour for women with diabetes"
    assert normaliser()(labour).period == {"in labour"}
    assert "in labour vs postnatal" in why(labour, "Capillary glucose at 1 hour of age for babies of women with diabetes")
    assert "antenatal vs in labour" in why("PPH risk assessment at 36 weeks", "PPH risk assessment on admission in labour")


def test_what_a_text_adds_itself_to_or_goes_without_is_not_what_it_says() -> None:
    assert normaliser()("CO test at the 36 week appointment as well as at booking").time == {"36 weeks"}
    assert normaliser()("CO testing at every appointment (currently booking only)").time == {"every contact"}
    assert "gp" not in normaliser()("NRT from the maternity team, no GP prescription needed").staff
    # "Unless she declines" is an opt-out referral, not women who decline.
    opting_out = normaliser()("Women who smoke referred to the stop smoking service unless they actively decline")
    assert not opting_out.refusal and "opt" in opting_out.words


def test_the_field_s_abbreviations_and_names() -> None:
    same = [
        ("PN ward", "Postnatal ward"), ("SSC in theatre", "Skin to skin in theatre"),
        ("Service users co-design changes with the MNVP", "Coproduction of changes with the Maternity Voices Partnership"),
        ("VRIII in labour for women with diabetes", "Variable rate intravenous insulin infusion in labour for women with diabetes"),
        ("CO screening at the initial antenatal assessment", "CO test at booking"),
        ("Planning pregnancy clinic for women with diabetes", "Preconception clinic for women with diabetes"),
        ("Practical Obstetric Multi-Professional Training for all staff", "PROMPT for all staff"),
        ("Hypostop on the postnatal ward", "Dextrose gel on the postnatal ward"),
    ]
    normalise = normaliser()
    for a, b in same:
        assert normalise(a).words == normalise(b).words, (a, b)
    # AN in capitals is antenatal; "an" is a word.
    assert normalise("AN clinic for women with diabetes").time == {"antenatal"}
    assert not normalise("An app for women with diabetes").time
    # OBS Cymru is the Welsh haemorrhage strategy, not only measuring the loss.
    assert "quantified" not in normalise("PPH risk tool from OBS Cymru").words


def test_an_acronym_spelled_letter_by_letter_is_the_acronym() -> None:
    assert "sbar" in normaliser()("Structured communication (S-B-A-R) for escalation calls").words
    assert "sbar" in normaliser()("S.B.A.R. for escalation calls").words
    assert normaliser()("Skin-to-skin after the birth").words == normaliser()("Skin to skin after the birth").words


def test_a_mothers_own_milk_is_for_the_baby() -> None:
    own = "Mother's own colostrum given within 6 hours of birth to babies <32 weeks"
    assert normaliser()(own).recipient == {"baby"}
    assert joined(own, "Early maternal breast milk (within 6 hours) for babies born before 32 weeks", threshold=80.0)


def test_babies_born_to_women_with_a_condition_are_the_babies() -> None:
    babies = "Blood cultures before antibiotics for babies born to women with intrapartum pyrexia"
    assert normaliser()(babies).recipient == {"baby"}
    assert "mother vs baby" in why("Blood cultures before antibiotics for women with intrapartum pyrexia", babies)


def test_a_drug_for_women_at_risk_of_a_condition_is_not_the_treatment_of_it() -> None:
    assert not joined("Tranexamic acid within 3 hours for women with postpartum haemorrhage",
                      "Tranexamic acid at caesarean section for women at high risk of postpartum haemorrhage",
                      threshold=55.0)
    # Keeping preterm babies warm "to prevent hypothermia" is still thermal care.
    assert joined("Plastic bag and hat at delivery for preterm babies to prevent hypothermia",
                  "Polythene wrap for babies under 32 weeks", threshold=65.0)


def test_a_word_of_time_or_a_shared_condition_is_rewording_not_a_swap() -> None:
    assert joined("Tranexamic acid within 3 hours of postpartum haemorrhage",
                  "Improve TXA administration in obstetric haemorrhage", threshold=80.0)
    assert joined("Offer CGM to all pregnant women with type 1 diabetes", "CGM for T1 mums from booking", threshold=80.0)
    # The generic name of a service is its form: "care" is not swapped for "counselling clinic".
    assert joined("Preconception care for women with pre-existing diabetes",
                  "Pre-pregnancy counselling clinic for women with type 1 and type 2 diabetes", threshold=80.0)


def test_three_words_in_the_place_of_one_in_a_long_kept_sentence_are_another_change() -> None:
    assert "in one sentence" in why("Stratify smoking at booking data by ethnicity",
                                    "Stratify smoking at booking data by deprivation quintile (IMD)")
    assert not joined("Non-executive maternity safety champion to meet frontline staff monthly",
                      "Non-executive maternity safety champion to meet MNVP service users monthly", threshold=55.0)
    # Two texts that only end differently are reworded, not swapped (the example programme's CO at booking).
    assert joined("Every woman has a carbon monoxide reading at booking, with the result explained",
                  "Carbon monoxide is measured at the first visit and smokers are put in touch with support", threshold=75.0)


def test_what_a_change_spares_people_and_where_a_team_starts_from_are_not_what_it_does() -> None:
    spared = normaliser()("Same day nicotine replacement from maternity so women don't have to wait for a GP prescription")
    assert "gp" not in spared.staff and "prescription" not in spared.words
    assert "gp" not in normaliser()("Supply NRT directly from maternity so women do not need a GP prescription").staff
    baseline = normaliser()("Increase uptake of rtCGM in T1 pregnancies - currently 60%").words
    assert "60" not in baseline and "currently" not in baseline
    # But who they spare is still said: a referral for women "who do not have a GP" keeps its GP.
    assert "gp" in normaliser()("Direct referral for women who do not have a GP").words
    # And women currently smoking are smokers, not a status quo.
    assert not joined("Offer NRT to all women currently smoking at booking",
                      "Offer NRT to all women who quit before booking", threshold=55.0)


def test_how_a_team_frames_a_change_is_not_what_is_swapped() -> None:
    assert joined("Early TXA for PPH", "Improve TXA administration in obstetric haemorrhage", threshold=80.0)
    # Words that say which way, or what is done, still make a swap.
    assert not joined("Reduce the threshold for escalation", "Increase the threshold for escalation", threshold=55.0)
    assert not joined("Use of fundal pressure in the second stage", "Avoid fundal pressure in the second stage",
                      threshold=55.0)
    assert not joined("Offer CO testing at booking", "Mandate CO testing at booking", threshold=55.0)
    assert not joined("Respiratory rate of the baby recorded every hour", "Respiratory effort of the baby recorded every hour",
                      threshold=55.0)
    assert "early vs late" in why("Neonatal antibiotics within 1 hour for suspected early onset sepsis",
                                  "Neonatal antibiotics within 1 hour for suspected late onset sepsis")


def test_a_referral_withdrawn_only_if_she_declines_is_an_opt_out() -> None:
    opt_out = normaliser()("Every smoker referred to the tobacco dependence advisor; the referral is only withdrawn "
                           "if she actively declines after a conversation")
    assert opt_out.refusal == frozenset() and {"opt", "out"} <= opt_out.words
    # A plan for women who decline, or may decline, is for women who decline.
    assert normaliser()("Personalised care plan if a woman declines induction of labour").refusal == {"declining"}
    assert normaliser()("Support for women who may decline blood products").refusal == {"declining"}


def test_numbers_in_words_are_numbers() -> None:
    assert normaliser()("Stop monitoring after two consecutive pre-feed readings").amount == \
        normaliser()("Stop monitoring after 2 consecutive pre-feed readings").amount != frozenset()
    assert "1" in normaliser()("Cold debrief one week after every emergency caesarean").words
    assert "1" not in normaliser()("One to one care in labour").words
    assert normaliser()("Antibiotics within twenty-four hours").words == normaliser()("Antibiotics within 24 hours").words
    assert normaliser()("Baby checks two hourly").words == normaliser()("Baby checks 2 hourly").words


def test_high_blood_sugar_is_not_low_and_a_joint_clinic_keeps_its_period() -> None:
    assert normaliser()("Reduce maternal hyperglycaemia during labour").condition == {"hyperglycaemia"}
    assert not joined("Joint diabetes antenatal clinic at the community hub",
                      "Joint diabetes postnatal clinic at the community hub", threshold=55.0)


def test_an_opt_out_she_can_decline_and_neonatal_counselling_are_read_as_meant() -> None:
    assert normaliser()("Automatic referral if CO is 4ppm or above - she can decline but the referral is sent "
                        "by default").refusal == frozenset()
    assert "baby" not in normaliser()("Improve % of families receiving neonatal counselling before preterm birth").recipient
    assert normaliser()("Skin-to-skin contact immediately after birth").time == {"birth"}


def test_a_moment_is_compared_with_weeks_whatever_period_both_name() -> None:
    assert "booking" in why("Universal carbon monoxide screening at the first antenatal (booking) visit",
                            "CO test at the 16 week antenatal check")


def test_magnesium_sulphate_for_eclampsia_is_not_neuroprotection() -> None:
    assert "neuroprotection" not in normaliser()("Magnesium sulphate for seizure prophylaxis").words
    assert "neuroprotection" not in normaliser()("Magnesium sulphate in severe pre-eclampsia").words
    assert "neuroprotection" in normaliser()("MgSO4 for all women delivering below 30 weeks").words


def test_a_course_for_pregnant_women_is_her_care_not_staff_training() -> None:
    assert normaliser()("Antenatal hand expressing skills course for pregnant women").act == frozenset()
    assert normaliser()("Staff training on how to talk to women about smoking").act == {"train"}
    assert joined("QI training for frontline staff", "Build QI capability - staff through an improvement skills course",
                  threshold=80.0)


def test_only_opposite_ways_are_contrary() -> None:
    # Two ways of going down, or a framing word against a mandate, are the same change.
    assert joined("Reduce unnecessary antibiotics for babies", "Avoid unnecessary antibiotics for babies", threshold=75.0)
    assert joined("Reduce use of fundal pressure in the second stage", "Avoid fundal pressure in the second stage",
                  threshold=80.0)
    assert joined("Ensure CO testing at booking", "Mandate CO testing at booking", threshold=80.0)


def test_who_a_text_is_for_survives_what_is_read_away() -> None:
    # An opt-out that says women can decline is still an opt-out; "can decline" alone is not.
    assert normaliser()("Opt-out referral to the stop smoking service; women can decline").refusal == frozenset()
    assert normaliser()("Women can decline CO testing").refusal == {"declining"}
    assert normaliser()("Referral unless she actively and explicitly declines").refusal == frozenset()
    # "Currently" before who, not where the team starts from.
    assert "smoking" in normaliser()("Offer NRT to women who are currently a smoker at booking").words
    assert "ecigarette" in normaliser()("CO testing for women currently using e-cigarettes").words
    # The "do" before what is spared goes with it.
    assert "do" not in normaliser()("So women do not need a GP prescription").words
    # Training for staff who help mothers is staff training.
    assert normaliser()("Breastfeeding training for maternity support workers to help mothers").act == {"train"}
    assert normaliser()("Train healthcare assistants to support mothers with feeding").act == {"train"}
    # Two capitals around a hyphen are an acronym; seizure prophylaxis is eclampsia prevention.
    assert "carbon" in normaliser()("C-O testing at booking").words
    assert joined("Magnesium sulphate for seizure prophylaxis", "Magnesium sulphate for eclampsia prevention",
                  threshold=80.0)


def test_a_change_done_with_the_mother_for_the_baby_names_either() -> None:
    assert joined("Magnesium sulphate for neuroprotection to all eligible mothers <30 weeks",
                  "Reduce missed opportunities for MgSO4 in babies born at less than 30 weeks", threshold=80.0)
    assert joined("Early maternal breast milk for babies <34 weeks",
                  "Mothers of babies under 34 weeks supported to express within 2 hours of birth", threshold=75.0)
    # Other changes for the mother and for the baby stay two.
    assert "mother vs baby" in why("Blood cultures before antibiotics for women with intrapartum pyrexia",
                                   "Blood cultures before antibiotics for babies born to women with intrapartum pyrexia")


def test_a_compliance_figure_soon_after_booking_type_1_2_and_caffeine_citrate_are_read_as_meant() -> None:
    assert normaliser()("Multi-professional emergency training (PROMPT) compliance 90%").act == {"train"}
    assert normaliser()("Early glucose tolerance test soon after booking").time == {"early pregnancy"}
    assert not "early pregnancy vs 16 weeks" in why("Early OGTT soon after booking for women with previous GDM",
                                                    "Early OGTT at 16 weeks for women with previous GDM")
    assert normaliser()("Pre-pregnancy clinic for women with type 1/2 diabetes").condition == {"pre-existing diabetes"}
    assert normaliser()("Caffeine citrate within 24h of birth").words == normaliser()("Caffeine within 24h of birth").words


def test_training_delivered_is_offered_and_as_well_is_also() -> None:
    # Training, sessions and care are delivered without a birth; a baby is still delivered.
    assert "birth" not in normaliser()("Midwives not confident raising smoking - deliver VBA sessions").words
    assert "birth" not in normaliser()("VBA training delivered by the stop smoking team").words
    assert normaliser()("Women who deliver before 32 weeks").time == {"under 32 weeks"}
    assert normaliser()("Skin to skin care at delivery").time == {"birth"}
    # "as well," is "also": what follows is said ("as well as" still adds to another text).
    assert "nicotine" in normaliser()("Refer smoking partners to the TDA as well, with NRT for them too").words
    assert "booking" not in normaliser()("CO test at 36 weeks as well as at booking").time


def test_scans_visits_registrars_and_saying_no_are_read_as_meant() -> None:
    assert "dating scan vs anomaly scan" in why("VBA by sonographers at the dating scan",
                                                "VBA by sonographers at the 20 week anomaly scan")
    assert "dating scan vs 36 weeks" in why("CO test at the 12 week scan", "CO test at 36 weeks")
    assert normaliser()("VBA by health visitors at the 6 week check").period == {"postnatal"}
    assert normaliser()("VBA by health visitors at the new birth visit").period == {"postnatal"}
    assert "sonographer vs health visitor" in why("Very brief advice given by sonographers",
                                                  "Very brief advice given by health visitors")
    assert normaliser()("Safety huddle with the obs reg").staff == {"registrar"}
    assert normaliser()("Time to treat severe HTN").words == normaliser()("Time to treat severe hypertension").words
    # Saying no against a default is opting out, as declining is.
    assert normaliser()("Referral to the TDA unless she says no").refusal == frozenset()
    assert normaliser()("Default referral: women have to say no rather than yes").refusal == frozenset()
    assert normaliser()("Support for women who say no to referral").refusal == {"declining"}


def test_brands_colloquial_words_and_other_meanings_of_a_word_are_read_as_meant() -> None:
    read = normaliser()
    assert read("Roll out BirthRate Plus on the labour ward").words == read("Use the acuity tool on the labour ward").words
    assert read("Women blow into the monitor at booking").words >= {"carbon", "monoxide"}
    assert read("Nicorette gum on the postnatal ward").medicine == read("NRT on the postnatal ward").medicine
    # Cooling a baby's brain is no hypothermia to prevent; a brain bleed is no haemorrhage of the mother.
    assert "hypothermia" not in read("Therapeutic hypothermia for babies with HIE").condition
    assert "haemorrhage" not in read("Reduce brain bleeds in babies under 30 weeks").condition
    assert joined("Default referral to the stop smoking service for smokers at booking",
                  "Opt-out referral to the stop smoking service for smokers at booking", threshold=95.0)


def test_start_and_stop_the_way_a_woman_is_seen_and_what_a_baby_is_fed_tell_changes_apart() -> None:
    assert "start vs stop" in why("Start caffeine in preterm babies once they develop apnoeas",
                                  "Stop caffeine in preterm babies once they have been apnoea-free for 5 days")
    assert "start vs stop" not in why("Caffeine started within 24 hours of birth", "Start caffeine within 24 hours of birth")
    assert "telephone vs in person" in why("Dedicated midwife for maternity telephone triage",
                                           "Dedicated midwife for face-to-face maternity triage")
    assert "breast milk vs formula" in why("Give expressed colostrum by syringe if an at-risk baby is not feeding",
                                           "Give formula by cup if an at-risk baby is not feeding")


def test_conditions_a_text_names_itself_come_before_the_aims_of_its_means() -> None:
    # Growth scans are for small babies in both; the women's diabetes is what differs.
    assert "pre-existing diabetes vs gestational diabetes" in why(
        "Growth scans every 4 weeks from 28 weeks for women with pre-existing diabetes",
        "Growth scans every 4 weeks from 28 weeks for women with gestational diabetes")
    # A text naming no condition of its own still meets one whose means name the same aim.
    assert joined("Buccal dextrose gel as first-line treatment", "Glucose gel for babies with hypoglycaemia", threshold=60.0)
    read = normaliser()
    assert read("Women with GDM in a previous pregnancy offered an early OGTT").condition == {
        "gestational diabetes in a previous pregnancy"}
    assert read("Birth before 39 weeks for women with pre-gestational diabetes").condition == {"pre-existing diabetes"}
    assert "neonatal team vs consultant" in why("Consultant neonatologist present at all births below 27 weeks",
                                                "Consultant obstetrician present at all births below 27 weeks")


def test_a_delivery_suite_women_who_have_declined_and_other_words_near_a_new_rule_keep_their_meaning() -> None:
    read = normaliser()
    assert read("Delivery suite support worker on every shift").words == read("Labour ward support worker on every shift").words
    assert read("Intrapartum care: delivery of the baby").time == read("Intrapartum care: birth of the baby").time
    assert "provide" not in read("Post delivery care").words | read("Operational delivery network support").words
    # "have declined" is women who declined, not "have to say no" against a default.
    assert read("Follow up women who have declined the opt-out referral").refusal == {"declining"}
    assert not read("Training in person-centred care").channel and not read("Video laryngoscopy in theatre").channel
    assert "hybrid" not in read("Closed loop communication in obstetric emergencies").words
    assert read("Haemabate for PPH").medicine == read("Carboprost for PPH").medicine != read("Carbetocin for PPH").medicine


def test_lists_set_aside_courses_for_staff_and_moments_after_birth_are_read_as_meant() -> None:
    read = normaliser()
    # "not only at booking and 36 weeks": the whole list is what the text sets itself against.
    assert read("CO test at every antenatal appointment, not only at booking and 36 weeks").time == {
        "antenatal", "every contact"}
    assert read("QI fundamentals course for midwives, neonatal nurses and doctors").act == {"train"}
    assert read("VBA training compliance for midwifery staff to reach 95% by year end").act == {"train"}
    assert read("Women restart smoking once baby arrives").recipient == {"mother"}
    assert not read("Reduce extremely preterm births outside a tertiary neonatal centre").recipient
    # The first feed is after the birth.
    assert "postnatal vs first feed" not in why("Babies at risk of hypoglycaemia to feed within the first hour after birth",
                                                "Early first feed (<1hr) for babies on the hypoglycaemia pathway")
    assert read("Post-event team huddle after all 2222 calls").act == {"debrief"}


def test_a_starter_pack_and_the_stop_smoking_service_say_nothing_of_starting_or_stopping() -> None:
    assert "start vs stop" not in why("Offer a free vape starter kit to pregnant smokers who prefer it to NRT",
                                      "E-cigarettes offered to pregnant smokers through the stop smoking service")


def test_a_unit_after_a_number_an_eligible_woman_and_a_verified_quit_are_no_swap_another_unit_is() -> None:
    assert "in one sentence" not in why("Caffeine citrate within 24h of birth for babies under 30 weeks",
                                        "Caffeine started within 24 hours for babies under 30 weeks")
    assert "in one sentence" not in why("Magnesium sulphate for neuroprotection to all eligible mothers <30 weeks",
                                        "MgSO4 given before preterm birth under 30/40")
    assert joined("Financial incentives for pregnant women who stop smoking, verified by CO",
                  "Financial incentives for pregnant women who stop smoking, validated by CO", threshold=95.0)


def test_every_visit_in_pregnancy_a_training_module_a_past_gdm_and_an_admission_before_it_happens() -> None:
    read = normaliser()
    assert "every contact vs antenatal" not in why("Vouchers for women who stay smokefree, confirmed by a CO test at each visit",
                                                   "Financial incentive scheme for CO-validated abstinence during pregnancy")
    assert "every contact vs booking" in why("CO test at every visit", "CO test at booking")
    assert read("All maternity staff to complete the NCSCT very brief advice module").act == {"train"}
    assert read("OGTT as soon as possible after booking for women who had gestational diabetes before").condition == {
        "gestational diabetes in a previous pregnancy"}
    assert read("OGTT as soon as possible after booking").time == {"early pregnancy"}
    assert read("Magnesium for brain protection of babies born before 30 weeks").words >= {"neuroprotection"}
    assert not read("Use oral glucose gel before admitting hypoglycaemic babies to NNU").setting
    assert "in one sentence" not in why("Support mothers of preterm babies to express within 2 hours of birth",
                                        "Increase the proportion of mothers of preterm babies expressing within 2 hours of birth")


def test_how_long_a_thing_lasts_a_previous_babys_infection_and_a_mental_health_team_are_read() -> None:
    read = normaliser()
    assert "16 hours vs 24 hours" in why("Offer 16-hour nicotine patches to pregnant smokers",
                                         "Offer 24-hour nicotine patches to pregnant smokers")
    assert read("Caffeine started within 24 hours for babies under 30 weeks").amount == frozenset()  # a target
    assert read("Intrapartum antibiotics for women whose previous baby had invasive GBS disease").condition == {
        "group b strep in a previous pregnancy"}
    assert "mental health team" in read("Support delivered by the perinatal mental health team").staff
    assert "haemorrhage vs regional anaesthesia" in why("Postnatal observations 4 hourly for 24 hours after PPH",
                                                        "Postnatal observations 4 hourly for 24 hours after epidural")


def test_after_a_review_targets_ages_clauses_and_courses_of_a_drug_are_no_new_terms() -> None:
    read = normaliser()
    assert "week vs day" in why("Follow-up phone call 2 weeks after discharge from NNU",
                                "Follow-up phone call 2 days after discharge from NNU")
    assert read("24 hour access to the perinatal mental health team").amount == frozenset()
    assert read("Report compliance with VTE assessment for women over 40").act == {"audit"}
    assert "number vs leaflet" in why("Dedicated triage number on the pregnancy app",
                                      "Dedicated triage leaflet on the pregnancy app")
    assert "refer" in read("CO test at every antenatal appointment, not just at booking and 36 weeks, "
                           "and refer smokers to the stop smoking service").text
    assert read("Hypothermia prevention before NNU admission in theatre").setting == {"theatre"}
    assert read("Complete course of antenatal steroids: a prompt for obstetric doctors").act == frozenset()
    assert read("Digital maternity record module for personalised care plans").act == frozenset()
    assert read("Debrief for when staff have been involved in a traumatic birth").recipient == {"staff"}


def test_stopping_a_medicine_the_staff_trained_a_bundle_given_and_each_uterotonic_by_its_name() -> None:
    read = normaliser()
    # Stopping a medicine is not giving it, even when the other text says no "start".
    assert "stop vs doing it" in why("Stop offering antenatal steroids before planned caesarean section at 37-38 weeks",
                                     "Offer antenatal steroids before planned caesarean section at 37-38 weeks")
    assert "doing it vs stop" in why("Early caffeine for babies under 30 weeks",
                                     "Caffeine stopped at 34 weeks corrected age for babies born under 30 weeks")
    # but stopping early glucose checks to do them later is the same change as checking later
    assert "doing it" not in why("Stop routine 1 hour glucose checks; first pre-feed BG at 2-4 hours",
                                 "Pre-feed blood glucose checks for at-risk babies, the first before the second feed")
    # and a stop said of something else, or denied, or a switch to what the other gives, is none
    for stop, other in (("Early tranexamic acid to help stop the bleeding in PPH", "Tranexamic acid within 1 hour of PPH"),
                        ("Atosiban to stop contractions", "Atosiban for threatened preterm labour"),
                        ("Continue aspirin until birth, do not stop at 36 weeks", "Aspirin 150 mg from 12 weeks until birth"),
                        ("Switch from metformin to insulin and stop metformin", "Insulin for GDM not controlled by metformin")):
        assert "stop" not in why(stop, other), stop
    # When staff are trained, those trained are who receives the change: as much as any recipient;
    # not who trains them.
    assert score("Train midwives to take heel-prick glucose samples",
                 "Train maternity support workers to take heel-prick glucose samples") < 50
    assert "(-30)" in why("PROMPT training for all maternity staff, delivered by the practice development midwife",
                          "PROMPT training for all maternity staff, led by a consultant obstetrician")
    assert score("Midwives to take heel-prick glucose samples",
                 "Maternity support workers to take heel-prick glucose samples") > \
        score("Train midwives to take heel-prick glucose samples",
              "Train maternity support workers to take heel-prick glucose samples")
    # Trained coaches are who does it, not a training change; staff trained in it are.
    assert read("Access to trained QI coaches for all project leads").act == frozenset()
    assert read("Trained maternity support workers to do CO testing at booking").act == frozenset()
    for training in ("All staff trained in PROMPT", "Increase the number of NLS trained midwives to 90%",
                     "Midwives trained by specialist midwives in fetal monitoring", "Obstetricians trained to peer review CTGs"):
        assert read(training).act == {"train"}, training
    # A care bundle or a treatment delivered is given, not a birth; a delivery bundle is for a birth.
    assert "birth" not in read("Maternal sepsis 6 bundle delivered within 1 hour").words
    assert "birth" not in read("IV antibiotic treatment delivered within the hour").words
    assert read("Instrumental delivery bundle").mode == {"instrumental birth"}
    # Carbetocin is not an oxytocin infusion, though each is a uterotonic.
    assert "carbetocin vs oxytocin" in why("Carbetocin for the third stage at caesarean section",
                                           "Oxytocin infusion for the third stage at caesarean section")
    assert score("Carbetocin at caesarean section", "Uterotonic at caesarean section") >= 80
    assert read("Syntocinon infusion for the third stage").medicine == {"oxytocin"}
    # Syntometrine holds ergometrine; and a consultant for a doctor stays a swap (only a drug's kind is none).
    assert score("Avoid ergometrine in women with pre-eclampsia", "Avoid syntometrine in women with pre-eclampsia") >= 80
    assert "in one sentence" in why("Consultant review within 30 minutes of a red flag",
                                    "Doctor review within 30 minutes of a red flag")


def test_a_word_written_in_two_is_read_as_one_in_the_phrases_that_hold_it() -> None:
    normalise = normaliser()
    team = normalise("Smokefree pregnancy team sees every woman who smokes").text
    assert normalise("Smoke-free pregnancy team sees every woman who smokes").text == team
    assert normalise("Smoke free pregnancy team sees every woman who smokes").text == team
    assert "stop smoking service" in team


def test_brand_names_and_more_abbreviations_are_read_as_what_they_name() -> None:
    assert score("Offer Champix to women who smoke after the birth", "Offer varenicline to women who smoke after the birth") >= 90
    assert score("Fragmin for 6 weeks after a caesarean", "LMWH for 6 weeks after a caesarean") >= 90
    assert score("Referral to the TTD service at booking", "Referral to the tobacco dependence service at booking") >= 90
    # an antepartum haemorrhage is not a postpartum one
    assert score("APH risk assessment at booking", "Antepartum haemorrhage risk assessment at booking") >= 90
    assert score("APH risk assessment at booking", "PPH risk assessment at booking") < 50


def test_two_wordings_of_a_change_of_the_field_sharing_few_words_are_found_and_the_reason_says_so() -> None:
    patches = "Patches and gum given to mums on the day rather than waiting for a script"
    supplied = "Supply free NRT directly to pregnant women at the first TDA contact"
    found = compare(change("a.yaml", patches), change("b.yaml", supplied))
    assert found.score >= 70 and "both name the change 'nrt supplied directly by maternity'" in found.why
    assert "nrt supplied directly by maternity" in normaliser()(patches).changes
    window = compare(change("a.yaml", "ACS in the right window"),
                     change("b.yaml", "Optimise the timing of antenatal steroids so babies are born within 7 days of the first dose"))
    assert window.score >= 65 and "+18 of it as both name the change 'antenatal steroids in the optimal window" in window.why
    assert joined(patches, supplied, threshold=70.0)


def test_a_change_both_name_gives_nothing_when_a_term_or_the_means_tell_them_apart() -> None:
    caesarean = "Tranexamic acid prophylaxis at caesarean birth for women at high risk of PPH"
    vaginal = "Tranexamic acid prophylaxis at vaginal birth for women at high risk of PPH"
    normalise = normaliser()
    assert normalise(caesarean).changes & normalise(vaginal).changes
    found = compare(change("a.yaml", caesarean), change("b.yaml", vaginal))
    assert found.score < 50 and "name the change" not in found.why and "caesarean vs vaginal birth" in found.why
    # exactly the score of the two texts as if the change were not named
    unnamed = _wording(normalise(caesarean), normalise(vaginal), unnamed=True)[0] - 60
    assert found.score == round(unnamed, 1) < round(_wording(normalise(caesarean), normalise(vaginal))[0] - 60, 1)
    # a poster on it and a sticker for it: two changes, whatever else they share
    poster, sticker = "Posters in clinic rooms about growth scans for women with diabetes", "Sticker in the notes: extra ultrasound checks when mum has diabetes"
    assert normalise(poster).changes & normalise(sticker).changes and "name the change" not in compare(change("a.yaml", poster), change("b.yaml", sticker)).why
    assert "name the change" in compare(change("a.yaml", poster), change("b.yaml", "Poster explaining extra ultrasound checks when mum has diabetes")).why


def test_a_change_named_adds_less_the_more_two_texts_share_already() -> None:
    normalise = normaliser()
    alike = normalise("Antenatal steroids given within 7 days of birth"), normalise("Antenatal steroids given within 7 days of the birth, audited monthly")
    apart = normalise("ACS in the right window"), normalise("Optimise the timing of antenatal steroids so babies are born within 7 days of the first dose")
    gains = [_wording(*pair)[0] - _wording(*pair, unnamed=True)[0] for pair in (alike, apart)]
    assert all(pair[0].changes & pair[1].changes for pair in (alike, apart))
    assert _wording(*alike, unnamed=True)[0] > _wording(*apart, unnamed=True)[0] and gains[0] < gains[1]


def test_the_changes_of_the_field_are_written_as_normalised_words() -> None:
    from driverkit.programme.changes import CHANGES

    assert len(CHANGES) >= 150
    for name, groups in CHANGES.items():
        assert groups and all(groups), name
        for phrase in (phrase for group in groups for phrase in group):
            assert phrase == phrase.strip() and phrase.lower() == phrase and "  " not in phrase, (name, phrase)
            assert not set(phrase) & set(",;:()'\"!?"), (name, phrase)
            # a phrase normalisation would rewrite could never be found in a text
            assert f" {phrase} " in f" {normaliser()(phrase).text} ", (name, phrase)


def test_how_often_after_a_number_and_how_long_ago_are_amounts() -> None:
    read = normaliser()
    assert "4 weeks vs 2 weeks" in why("4-weekly growth scans from 28 weeks for women with pre-existing diabetes",
                                       "2-weekly growth scans from 28 weeks for women with pre-existing diabetes")
    # Written either way, how often is one amount: no difference, and the two are joined.
    assert read("4-weekly growth scans").amount == read("growth scans every 4 weeks").amount == {"4 weeks"}
    assert joined("4-weekly growth scans from 28 weeks for women with pre-existing diabetes",
                  "Growth scans every 4 weeks from 28 weeks for women with pre-existing diabetes", threshold=80.0)
    assert read("3 monthly HbA1c for women with gestational diabetes").amount == {"3 months"}
    # "hourly" is every hour, with a number or without: a MEWS every hour is not one every 4 hours.
    assert read("Acuity tool completed 12-hourly on delivery suite").amount == {"12 hours"}
    assert read("Hourly CBG in labour").amount == read("CBG every hour in labour").amount == {"1 hour"}
    assert "1 hour vs 4 hours" in why("Women with a PPH over 1 litre have MEWS observations hourly",
                                      "Women with a PPH over 1 litre have MEWS observations 4-hourly")
    assert "7 days vs 14 days" in why("Rescue course of steroids if the first course was more than 7 days ago",
                                      "Rescue course of steroids if the first course was more than 14 days ago")
    # A frequency with no number is wording, as before ("weekly huddle" against "daily huddle").
    assert read("Weekly safety huddle on labour ward").amount == frozenset()


def test_an_opt_in_referral_is_not_an_opt_out_one_nor_a_cold_debrief_a_hot_one() -> None:
    read = normaliser()
    assert "opt-out vs opt-in" in why("Opt-out referral to stop smoking support for pregnant women who smoke",
                                      "Opt-in referral to stop smoking support for pregnant women who smoke")
    # Moving from one to the other, or setting one against the other, is an opt-out referral.
    assert read("Move from opt-in to opt-out referral for pregnant smokers").consent == {"opt-out"}
    assert read("Referral to the tobacco dependence team (opt out, not opt in)").consent == {"opt-out"}
    assert read("Refer every smoker to the stop smoking service unless she declines").consent == {"opt-out"}
    assert joined("Opt-out referral to the stop smoking service for all women with CO of 4ppm or above",
                  "Move from opt-in to opt-out referral for pregnant smokers", threshold=50.0)
    assert "debrief vs cold debrief" in why("Hot debrief straight after every obstetric emergency",
                                            "Cold debrief a week after every obstetric emergency")


def test_a_number_read_as_how_often_is_no_label_dose_or_count_and_weeks_are_days_as_amounts() -> None:
    read = normaliser()
    # A label, a dose and a count before the word are not how often.
    assert read("Band 7 hourly fresh eyes on labour ward").amount == frozenset()
    assert read("Level 3 hourly observations").amount == frozenset()
    assert read("Aspirin 150 daily").amount == read("3 daily safety huddles").amount == frozenset()
    # An ordinal, half an hour, and "each" are read.
    assert read("Growth scans every 2nd week").amount == read("Growth scans every other week").amount == {"2 weeks"}
    assert read("Observations every second hour").amount == {"2 hours"}
    assert read("Half-hourly observations").amount == {"0.5 hours"}
    assert "vs" not in why("Half-hourly observations after a PPH", "Observations every 30 minutes after a PPH")
    assert read("Observations each hour").amount == {"1 hour"}
    # An amount of weeks is no gestation: "for 2 weeks" is "for 14 days", and 3 months are 12 weeks.
    assert "vs" not in why("Antenatal steroids for 14 days", "Antenatal steroids for 2 weeks")
    assert "vs" not in why("NRT for 12 weeks", "NRT for 3 months")
    assert "2 weeks vs 4 weeks" in why("Rescue course if the first course was more than 2 weeks ago",
                                       "Rescue course if the first course was more than 4 weeks ago")
    # A text naming opt-in and opt-out moves from one to the other.
    assert read("Switched from opt-in to an opt-out referral for smokers").consent == {"opt-out"}
    assert read("Referral to stop smoking: we no longer ask women to opt in").consent == {"opt-out"}


def test_a_registrar_is_not_a_consultant_and_births_at_term_are_not_preterm_births() -> None:
    read = normaliser()
    # Two grades of doctor are two changes, at the full penalty; a team against a grade costs less.
    found = why("Obstetric registrar reviews every woman who triggers on MEOWS",
                "Obstetric consultant reviews every woman who triggers on MEOWS")
    assert "registrar vs consultant (-60)" in found
    assert "(-30)" in why("Midwife reviews every woman who triggers on MEOWS",
                          "Obstetric consultant reviews every woman who triggers on MEOWS")
    # "At term" names the babies born at term, as "term babies" does.
    assert read("Cord gases for every birth at term").condition == {"term"}
    assert "preterm vs term" in why("Deferred cord clamping for babies born under 34 weeks",
                                    "Deferred cord clamping for babies born at term")


def test_more_conditions_and_groups_of_women_are_read() -> None:
    read = normaliser()
    assert read("Observations for babies whose mothers had a fever in labour").condition == {"maternal fever"}
    assert read("Observations for babies after maternal pyrexia").condition == {"maternal fever"}
    assert read("NEWTT2 for babies born after prolonged rupture of membranes").condition == {"prolonged rupture of membranes"}
    assert read("Young parents' quit clinic for pregnant teenagers").condition == {"teenage pregnancy"}
    assert read("Easy read leaflet for women with a learning disability").condition == {"learning disability"}
    assert read("Large print leaflet for women with a visual impairment").condition == {"visual impairment"}
    assert read("Continuity teams for women living in deprived areas").condition == {"deprivation"}
    # Two groups of women are two changes.
    assert "learning disability vs visual impairment" in why(
        "Birth choices leaflet in easy read for women with a learning disability",
        "Birth choices leaflet in braille for women with a visual impairment")
    # Data stratified by deprivation names no women.
    assert read("Stratify the data by deprivation quintile").condition == frozenset()


def test_group_or_one_to_one_where_a_report_goes_and_when_a_project_measures() -> None:
    read = normaliser()
    assert read("Group education session for women newly diagnosed with GDM").format == {"group"}
    assert "group vs one to one" in why("Group education session for women newly diagnosed with GDM",
                                        "One-to-one education session for women newly diagnosed with GDM")
    assert "lmns vs trust board" in why("Smoking at delivery rates reported each quarter to the LMNS board",
                                        "Smoking at delivery rates reported each quarter to the trust board")
    # A report to the board by the safety champions goes to the board: no difference with the champions' own.
    assert "vs" not in why("Safety champions report the dashboard to the trust board",
                           "Every month the safety champions report the dashboard to the trust board")
    assert "project start vs project end" in why("Safety culture survey of the team before the project starts",
                                                 "Safety culture survey of the team at the end of the project")
    assert read("Baseline survey of safety culture").time == {"project start"}


def test_the_hours_a_service_is_there() -> None:
    read = normaliser()
    assert read("Telephone triage line staffed 24/7").cover == {"all hours"}
    assert read("Consultant on labour ward 24 hours a day, 7 days a week").cover == {"all hours"}
    assert read("24 hour consultant presence on delivery suite").cover == {"all hours"}
    assert read("Telephone triage line staffed from 8am to 8pm").cover == {"set hours"}
    assert read("Consultant on labour ward 98 hours a week").cover == {"set hours"}
    assert read("Consultant on labour ward 168 hours a week").cover == {"all hours"}
    # How soon, how long and when are not hours of cover.
    for text in ("Glucose check within 24 hours", "Observations for 24 hours", "Steroids 24 hours to 7 days before birth",
                 "Review 24 hours after the birth", "Safety huddle at 8am and 8pm", "24-hour nicotine patches",
                 "Within 24 hours consultant review of every readmission", "After 24 hours a repeat bilirubin",
                 "Patch worn to cover 24 hours", "Launched 24/7/2025", "Audit of weekday and weekend births",
                 "7.5 hours a week of protected time", "A 37.5 hours a week post"):
        assert read(text).cover == frozenset(), text
    # "7 days a week" is no day after the birth.
    assert read("Consultant on labour ward 24 hours a day, 7 days a week").time == frozenset()
    assert "all hours vs set hours" in why("Telephone triage line staffed by a midwife 24/7",
                                           "Telephone triage line staffed by a midwife from 8am to 8pm")


def test_how_a_medicine_is_given() -> None:
    assert "combination vs single product" in why("Combination NRT offered to every pregnant smoker",
                                                  "Single-product NRT offered to every pregnant smoker")
    assert "less invasive vs intubated" in why("Surfactant by LISA for babies under 32 weeks on CPAP",
                                               "Surfactant through an endotracheal tube for babies under 32 weeks")


def test_the_new_readings_keep_quiet_where_the_words_mean_something_else() -> None:
    read = normaliser()
    # A body that funds, agrees or co-produces a change is not where a report goes.
    assert read("LMNS-funded tobacco dependence advisor in the antenatal clinic").forum == frozenset()
    assert read("Leaflet for women with a learning disability, co-produced with the MNVP").forum == frozenset()
    assert read("Share learning from PMRT reviews with the LMNS board").forum == {"lmns"}
    assert read("Standardised PPH proforma agreed at the governance meeting").forum == frozenset()
    assert read("Smoking rates reported to the trust board and the LMNS").forum == {"trust board", "lmns"}
    # A group that plans, and one-to-one care in labour (a staffing ratio), are no way of seeing women.
    assert read("Leaflet redesigned through MNVP focus group sessions").format == frozenset()
    assert read("Risk group clinic for women with twins").format == frozenset()
    assert read("One-to-one care in established labour").format == frozenset()
    assert read("Weekly 1:1 sessions with the tobacco dependence advisor").format == {"one to one"}
    # "Combination" and "dual" are how NRT is given only when they say it of NRT.
    assert read("A combination of text reminders and phone calls").giving == frozenset()
    assert read("Dual heart rate monitoring in labour").giving == frozenset()
    assert read("Dual NRT for every pregnant smoker").giving == {"combination"}
    # Clinical baselines are no project's start; babies deprived of oxygen are no deprived area.
    assert read("Baseline bloods for women with pre-eclampsia").time == frozenset()
    assert "deprivation" not in read("Cooling for babies deprived of oxygen at birth").condition
    # A list of days keeps its days.
    assert {"day 3", "day 10"} <= read("Weigh the baby on day 3 and day 10").time
    # A senior doctor may be a registrar or a consultant: no grade against either, but a junior
    # doctor is another grade.
    assert "vs" not in why("Registrar review within 30 minutes of a MEOWS trigger",
                           "Senior doctor review within 30 minutes of a MEOWS trigger")
    assert "senior doctor vs junior doctor (-60)" in why("Senior doctor reviews every woman with a PPH",
                                                        "Junior doctor reviews every woman with a PPH")
    assert read("Senior midwife review").text.startswith("senior")  # no misspelt "sensor" (a glucose sensor)
    # A condition guessed from a means (a temperature check, read as for hypothermia) against one
    # named costs as a condition named by one text only, not as two conditions.
    assert "hypothermia vs maternal fever (-10)" in why(
        "Antibiotics for babies whose mothers had a temperature over 38C in labour",
        "Antibiotics for babies born after maternal pyrexia")
    # "Seen by" is "reviewed by".
    assert read("Babies seen by the neonatal team").text == read("Babies reviewed by the neonatal team").text
    # A fever in labour and pyrexia are one condition, in the words of either.
    assert read("Antibiotics for babies after maternal pyrexia").condition == read(
        "Antibiotics for babies after a fever in labour").condition == {"maternal fever"}


def test_a_gestation_from_term_is_term_and_a_one_sided_condition_still_lets_a_swap_count() -> None:
    read = normaliser()
    assert "term" in read("Induction of labour from 39 weeks").condition
    assert "term" not in read("CO test at 36 weeks").condition
    # A limit said after an amount by one text ("1 minute or more") is the amount reworded, not a
    # word swapped; the other side of the same limit is another change.
    assert score("Deferred cord clamping for at least 60 seconds for all babies born at term",
                 "Delayed cord clamping of 1 minute or more for term babies") >= 80
    assert "more vs less" in why("Babies weighing 2 kg or more are checked at birth",
                                 "Babies weighing 2 kg or less are checked at birth")
    # One text names a group of women the vocabulary knows, the other one it does not: the word
    # swapped still tells them apart.
    assert score("Specialist midwife for women with a learning disability",
                 "Specialist midwife for women with autism") < 50


def test_grades_and_hours_as_trusts_abbreviate_them() -> None:
    read = normaliser()
    assert read("SpR review in triage").staff == read("StR review in triage").staff == {"registrar"}
    assert "registrar vs consultant" in why("ST3+ doctor reviews every woman with reduced fetal movements",
                                            "Consultant reviews every woman with reduced fetal movements")
    assert "junior doctor vs registrar" in why("FY2 doctor clerks every woman admitted for induction",
                                               "Registrar clerks every woman admitted for induction")
    assert read("Triage line open Mon-Fri").cover == read("Triage line open 9am-5pm").cover == {"set hours"}
    assert read("Women in IMD decile 1 postcodes").condition == {"deprivation"}
    assert read("Triage line open 24/7/365").cover == read("Consultant cover around the clock").cover == {"all hours"}
    assert read("Triage line Mon to Fri").cover == read("Triage line Monday-Friday").cover == {"set hours"}
    assert read("Triage line from 8am till 8pm").cover == {"set hours"}


def test_groups_and_risks_written_with_a_number_and_hours_written_short() -> None:
    read = normaliser()
    named = read("Antibiotics for babies born after prolonged rupture of membranes")
    for text in ("Antibiotics for babies born after ROM >18h", "Antibiotics for babies born after ROM over 24 hours",
                 "Antibiotics for babies born after membranes ruptured for more than 18 hours",
                 "Antibiotics for babies born after PROM >24h", "Antibiotics for babies born after 18 hours of ROM",
                 "Antibiotics for babies born more than 18 hours after rupture of membranes"):
        assert read(text).condition == named.condition == {"prolonged rupture of membranes"}, text
        assert score(text, "Antibiotics for babies born after prolonged rupture of membranes") == 100, text
    teenage = read("Quit clinic for teenage mothers")
    for text in ("Quit clinic for under 20s", "Quit clinic for under-20s", "Quit clinic for mums under 20",
                 "Quit clinic for mothers aged under 20", "Quit clinic for mothers under the age of 18",
                 "Quit clinic for mothers aged 19 and under", "Quit clinic for women aged 16-19", "Quit clinic for teen mums",
                 "Quit clinic for young mums", "Quit clinic for young pregnant women", "Quit clinic for under 18's",
                 "Quit clinic for under 20’s"):
        assert read(text).condition == teenage.condition == {"teenage pregnancy"}, text
    assert read("Clinic open 9-5").cover == read("Triage line 9-5pm").cover == read("Midwife 9 till 5").cover == {"set hours"}
    # What else the words say stays: the action, who receives it, another risk.
    assert score("Women with ROM offered induction after 24 hours", "Women with ROM offered antibiotics after 24 hours") < 50
    assert "mother vs baby" in why("ROM: offer antibiotics to mother if 24 hours", "ROM: offer antibiotics to baby if 24 hours")
    assert read("ROM and pyrexia in labour over 18 hours: sepsis screen for baby").condition >= {"maternal fever"}
    # Not a group, a risk nor hours: a gestation, a rupture too recent or an action within some
    # hours of it, another age, a range of readings, a change in number, a count, two times of day.
    for text, term in (("Scan for women under 20 weeks", "condition"), ("Mothers under 20 weeks", "condition"),
                       ("Review after ROM at 12 hours", "condition"), ("ROM less than 24 hours: no antibiotics", "condition"),
                       ("Membranes ruptured under 18 hours before birth", "condition"),
                       ("Induction of labour within 24 hours of ROM", "condition"),
                       ("Physio to assess ROM 24 hours after birth", "condition"),
                       ("Spontaneous ROM: send home for 24 hours if clear liquor", "condition"),
                       ("Young mums under 25 offered a family nurse", "condition"), ("Under 16s referred to safeguarding", "condition"),
                       ("BMI under 18 at booking", "condition"), ("Refer when CO is 9-5 ppm", "cover"),
                       ("Reduce waits from 9 to 5 hours", "cover"), ("Increased from 9 to 5 clinics a week", "cover"),
                       ("Ratio of 9 to 5 midwives on nights", "cover"), ("Observations at 8am, 8pm", "cover"),
                       ("Observations at 8am,8pm and midnight", "cover")):
        assert getattr(read(text), term) <= {"preterm"}, text
    assert read("Clinic open from 9-5").cover == read("Clinic open from 9 to 5 pm").cover == {"set hours"}
    for text in ("Babies under the age of 19 weeks", "Infants under the age of 18 months", "Children under 18 years"):
        assert read(text).condition == frozenset(), text
    # "Prolonged" is said once, and a sentence may end where a reading would look further.
    assert read("Prolonged spontaneous ROM >24h").text == "spontaneous prolonged rupture membrane"
    for text in ("Babies of mothers with ROM observed for 24 hours after", "Young mothers: obs for 24 hours after",
                 "over 24 hours of", "ROM", "aged 19 and", "under the age of", "Young", "Clinic 9 to"):
        read(text)


def test_high_blood_pressure_is_hypertension() -> None:
    for text in ("Refer women with high BP to day assessment", "Refer women with raised blood pressure to day assessment",
                 "Refer women with elevated BP to day assessment", "Refer hypertensive women to day assessment"):
        assert read_condition(text) == {"hypertension"}, text
        assert score(text, "Refer women with hypertension to day assessment") == 100, text
    # Blood pressure measured, and a medicine for it, are not the condition.
    assert read_condition("Check blood pressure at every visit") == read_condition("Antihypertensive review at discharge") == frozenset()
    assert score("Refer women with high BP to day assessment", "Refer women with low BP to day assessment") < 80


def test_a_time_within_hours_of_birth_is_a_time_point_a_few_hours_apart_one_target() -> None:
    assert normaliser()("Skin to skin within 1 hour of birth").time == {"within 1 hour postnatal"}
    # Another order of time is another change ...
    assert "within 2 hours postnatal vs within 24 hours postnatal" in why(
        "Feeding support worker to see babies within 2 hours of birth", "Feeding support worker to see babies within 24 hours of birth")
    assert score("First feed within 1 hour of birth", "First feed within 12 hours of birth") < 50
    # ... but trusts set one target apart by a few times ("within 2 hours", "within 6 hours"),
    # and a time said once is no difference.
    assert score("Skin to skin within 1 hour of birth", "Skin to skin within 2 hours of birth") >= 80
    assert score("Mothers supported to express within 2 hours of birth", "Mothers supported to express within 6 hours of birth") >= 80
    assert score("Tranexamic acid within 1 hour of birth", "Tranexamic acid within 3 hours of birth") >= 80
    assert score("Maternal observations within 1 hour after birth", "Maternal observations within 4 hours after birth") < 50
    # Said as "after birth", or "of the birth", it is the same time; "for the first hour" is how long.
    assert normaliser()("Fed within 1 hour after birth").time == normaliser()("Fed within 1 hour of the birth").time \
        == {"within 1 hour postnatal"}
    assert normaliser()("Skin to skin for the first hour of life").time == frozenset()
    for text, hours in (("Feed in the first 24 hours of life", "24 hours"), ("Feed <1hr of birth", "1 hour"),
                        ("Observations in the first 2 hours after birth", "2 hours")):
        assert normaliser()(text).time == {f"within {hours} postnatal"}, text
    assert score("Buccal colostrum within 2 hours of birth", "Buccal colostrum within 3 hours of life") >= 80
    assert "postnatal vs" not in why("Skin to skin within 1 hour of birth", "Skin to skin for every baby")
    # "In the first hour of life" is within an hour of the birth too.
    assert normaliser()("Skin to skin in the first hour of life").time == {"within 1 hour postnatal"}


def test_care_offered_to_staff_is_for_the_staff_not_for_the_parents() -> None:
    assert "staff vs parent" in why("Debrief offered to staff involved after a stillbirth", "Debrief offered to parents after a stillbirth")
    assert score("Offer a psychological debrief to staff after a traumatic birth",
                 "Offer a birth reflections debrief to women after a traumatic birth") < 50
    # A team where a woman is sent, or a referral to a midwife, is no care for staff.
    assert normaliser()("CGM offered to all, the diabetes team to supply sensors").recipient == frozenset()
    assert normaliser()("Offer referral to the specialist midwife").recipient == frozenset()
    assert normaliser()("Handover given to the community midwife on discharge").recipient == frozenset()
    # Care given to women by midwives is for the women.
    assert normaliser()("Debrief offered to women by midwives after a traumatic birth").recipient == {"mother"}
    assert score("Debrief offered to women by midwives after a traumatic birth", "Debrief for midwives after a traumatic birth") < 50
    assert "staff" in normaliser()("Debrief offered to anaesthetists after a PPH").recipient


def test_a_temperature_taken_for_a_fever_is_not_for_hypothermia_and_the_baby_born_to_her_is_the_baby() -> None:
    mother = normaliser()("Maternal sepsis screening for every woman with a temperature of 38C or more in labour")
    baby = normaliser()("Early-onset sepsis screening for every baby born to a woman with a temperature of 38C or more in labour")
    assert "hypothermia" not in mother.condition | baby.condition
    assert mother.recipient == {"mother"} and baby.recipient == {"baby"}
    assert normaliser()("Temperature check on admission to NNU").condition == {"hypothermia"}


def test_the_plural_of_a_number_is_no_word() -> None:
    assert normaliser()("Women over 40's offered aspirin").text == normaliser()("Women over 40s offered aspirin").text \
        == "over 40 offer aspirin"


def read_condition(text: str) -> frozenset[str]:
    return normaliser()(text).condition


def test_the_staff_trained_are_who_receives_a_training_not_who_leads_it() -> None:
    # Training one group of staff is not training another, however the training is named ...
    assert score("NLS training for all midwives", "NLS training for all neonatal nurses") < 50
    assert "midwife vs maternity support worker (-60)" in why("CO monitoring training for midwives",
                                                               "CO monitoring training for maternity support workers")
    # ... but who leads or delivers the same training is a detail of it.
    assert "(-60)" not in why("PROMPT training facilitated by obstetricians", "PROMPT training facilitated by midwives")
    assert "(-60)" not in why("Fetal monitoring training led by the fetal wellbeing midwife",
                              "Fetal monitoring training led by an obstetric consultant")


def test_a_grade_of_the_neonatal_team_is_not_another_grade_nor_the_obstetric_registrar() -> None:
    # The registrar at every birth under 32 weeks is not the consultant.
    assert "registrar of the neonatal team vs consultant of the neonatal team (-60)" in why(
        "Neonatal registrar present at all births under 32 weeks", "Neonatal consultant present at all births under 32 weeks")
    assert score("Neonatal registrar present at all births under 32 weeks",
                 "Neonatal consultant present at all births under 32 weeks") < 50
    # Either grade is of the neonatal team: "the neonatal team" names both.
    assert score("Neonatal registrar to attend every birth under 27 weeks", "Neonatal team to attend every birth under 27 weeks") >= 90
    assert normaliser()("Neonatal consultant/registrar to meet parents before a preterm birth").staff == {
        "consultant of the neonatal team", "registrar of the neonatal team"}
    assert normaliser()("Paediatric reg to review babies on the hypo pathway").staff == {"registrar of the neonatal team"}
    assert normaliser()("Consultant neonatologist to counsel parents").staff == {"consultant of the neonatal team"}
    assert normaliser()("Consultant paediatrician to attend").staff == {"consultant of the neonatal team"}
    assert normaliser()("NNU reg to review").staff == normaliser()("Neonatal SpR to review").staff == {"registrar of the neonatal team"}
    assert normaliser()("Neonatal registrar or consultant to attend").staff == {
        "consultant of the neonatal team", "registrar of the neonatal team"}
    # two grades apart beside staff both name
    assert score("Obstetric registrar and neonatal registrar to attend every preterm birth",
                 "Obstetric registrar and neonatal consultant to attend every preterm birth") < 50
    # A neonatal registrar is still not the obstetric registrar (who is "the registrar" in maternity).
    assert "registrar vs registrar of the neonatal team" in why("Review by the obstetric registrar within 30 minutes",
                                                                 "Review by the neonatal registrar within 30 minutes")


def test_staff_a_change_is_for_are_who_receives_it_as_the_staff_trained_are() -> None:
    # A programme for one group of staff is not the same programme for another ...
    assert "midwife vs neonatal team (-60)" in why("Preceptorship programme for newly qualified midwives",
                                                   "Preceptorship programme for newly qualified neonatal nurses")
    assert score("Wellbeing support for midwives after a traumatic birth",
                 "Wellbeing support for anaesthetists after a traumatic birth") < 50
    # ... while who does a change for the women is a detail of it, written after "for" too.
    assert "(-30)" in why("CO monitoring at booking by the midwife", "CO monitoring at booking by the maternity support worker")
    assert "(-30)" in why("Time for midwives to complete CO testing at every appointment",
                          "Time for MSWs to complete CO testing at every appointment")
    assert "(-30)" in why("Aspirin for all high risk women, midwife to prescribe at booking",
                          "Aspirin for all high risk women, obstetrician to prescribe at booking")


def test_two_groups_of_women_or_babies_in_one_sentence_are_two_changes() -> None:
    # An ethnic group is a group of women, as deprivation is.
    assert normaliser()("Continuity of carer teams for Black and Asian women").condition == {"ethnic minority"}
    assert normaliser()("MCoC prioritised for BAME women").condition == {"ethnic minority"}
    assert score("Continuity of carer teams for Black and Asian women",
                 "Continuity of carer teams for women living in the most deprived areas") < 50
    # Two words for one group are no swap; a place named black is no group.
    assert score("Early OGTT at 16 weeks for Black women", "Early OGTT at 16 weeks for BAME women") >= 80
    assert normaliser()("Black Country LMNS: smoking cessation support for pregnant women").condition == frozenset()
    # A risk against a condition that may be its risk factor stays weak evidence.
    assert score("Blood glucose monitoring for babies at risk of hypoglycaemia",
                 "Blood glucose monitoring for babies of diabetic mothers") >= 50
    # One condition shared, and a risk at the birth of each its own.
    assert score("Neonatal sepsis calculator used for babies born to mothers with intrapartum fever",
                 "Neonatal sepsis calculator used for babies born after prolonged rupture of membranes") < 50
    # but a risk of the condition against the condition is not two groups
    assert score("Start aspirin 150 mg at 12 weeks for women with pre-existing diabetes",
                 "Pre-existing diabetes = high risk for PET -> start low dose aspirin at 12 wks") >= 60


def test_stopping_a_medicine_is_read_past_its_dose_and_a_centile_is_an_amount() -> None:
    assert "doing it vs stop" in why("Aspirin 150mg from 12 weeks for women with pre-existing diabetes",
                                     "Aspirin 150mg stopped at 36 weeks for women with pre-existing diabetes")
    assert "stop vs doing it" in why("Aspirin 150mg/day stopped 36/40", "Aspirin 150mg/day from 12/40")
    # "2nd centile" is 2 centiles, not a word "nd", and "under the 2nd centile" a limit; kilograms
    # against centiles are two thresholds.
    assert normaliser()("Babies under the 2nd centile started on the hypoglycaemia pathway").amount == {"under 2 centile"}
    assert "under 2 centile vs under 10 centile" in why("Babies under the 2nd centile started on the hypoglycaemia pathway",
                                                        "Babies under the 10th centile started on the hypoglycaemia pathway")
    assert "kg vs centile in one sentence" in why("Blood glucose monitoring for all babies with birthweight below 2.5kg",
                                                  "Blood glucose monitoring for all babies with birthweight below the 2nd centile")
    # the same weight in grams is the same threshold
    assert score("Blood glucose monitoring for babies under 2.5kg", "Blood glucose monitoring for babies weighing less than 2500 g") >= 70


def test_half_an_hour_is_30_minutes_and_a_centile_may_come_first() -> None:
    assert normaliser()("Skin to skin within half an hour of birth").time == normaliser()("Skin to skin within 30 minutes of birth").time
    assert normaliser()("Review within an hour and a half").text == normaliser()("Review within 90 minutes").text
    # how often stays how often, and a half of something is no time
    assert normaliser()("Half-hourly observations for 2 hours").amount == {"0.5 hours", "2 hours"}
    assert normaliser()("Half of all women offered a CO test").amount == frozenset()
    assert normaliser()("Customised birthweight centile <10th: serial growth scans").amount == {"under 10 centile"}


def test_an_age_said_as_hours_of_life_is_an_age() -> None:
    assert normaliser()("First blood glucose at 2-4 hours of life").time == {"2 to 4 hours postnatal"}
    assert "1 hour postnatal vs 2 to 4 hours postnatal" in why("First blood glucose at 1 hour of age",
                                                                "First blood glucose at 2-4 hours of life")
    # a time within stays a time within
    assert normaliser()("Feed within 1 hour of birth").time == {"within 1 hour postnatal"}


def test_women_who_still_smoke_are_smokers() -> None:
    assert normaliser()("Repeat CO test at every antenatal appointment for women who still smoke").status == {"smokers"}


def test_a_misspelt_word_of_the_field_is_read_as_it_but_an_english_word_is_not() -> None:
    read = normaliser()
    # slips: read as the word meant
    assert read("Carbon monoxdie test at booking").text == read("Carbon monoxide test at booking").text
    assert read("Hypoglycemia policy for jaundiced babies").condition >= {"jaundice"}
    # English words a slip from a word of the field are themselves
    assert read("Treat hypotension after a spinal").condition.isdisjoint({"hypertension"})
    assert "hypotension" in read("Treat hypotension after a spinal").condition
    assert "infection" not in read("Insulin injection training for midwives").words
    assert "managed" not in read("Ward manager to lead the huddle").words
    assert "continuity" not in read("Continuing NRT after the birth").words
    assert "started" not in read("NRT starter pack at the first visit").words
    # two forms of one word, and American and British spellings, are one word
    assert read("Women who declined the CO test").words >= read("Women who decline the CO test").words
    assert read("Ischemic changes on the CTG").text == read("Ischaemic changes on the CTG").text
    # real words kept on purpose as the slips they are read as
    assert read("Women who smoked at booking").status == read("Smokers at booking").status == {"smokers"}
    assert score("Elective caesarian list on Tuesdays", "Elective caesarean list on Tuesdays") == 100.0


def test_a_first_name_is_not_the_acronym_it_spells() -> None:
    read = normaliser()
    for name in ("Lisa (our tobacco dependence adviser) to run the clinic", "Smoking Clinic Run By Lisa", "Ask Lisa"):
        assert read(name).giving == frozenset() and "lisa" not in read(name).words, name
    # the acronym where the text speaks of what it names, however it is written
    for acronym in ("LISA for babies under 32 weeks", "lisa for babies under 32 weeks", "Lisa for babies under 32 weeks",
                    "Surfactant by Lisa", "Introduce Lisa on the neonatal unit"):
        assert read(acronym).giving == {"less invasive"}, acronym
    assert score("Lisa to run the smoking clinic on Mondays", "LISA for babies under 32 weeks") < 20


def test_the_midwife_in_charge_is_the_coordinator() -> None:
    assert score("Midwife in charge to review the CTG every hour", "Labour ward coordinator to review the CTG every hour") >= 80
    assert score("Fresh eyes CTG review by the midwife in charge", "Fresh eyes CTG review by the midwife in charge of the shift") == 100.0
    assert score("Escalate to the midwife in charge", "Escalate to the obstetric registrar") < 50
    # one in charge of something else leads it: the midwife who cares for her is no coordinator
    assert normaliser()("Midwife in charge of her care completes the CO test").staff == {"midwife"}
    assert score("Midwife in charge of her care completes the CO test", "Labour ward coordinator completes the CO test") < 50


def test_english_words_the_list_of_plain_words_misses_are_written_by_hand() -> None:
    read = normaliser()
    assert score("Women texted the day before their appointment", "Women tested the day before their appointment") < 80
    assert read("Rewarm babies on the neonatal unit").words.isdisjoint({"reward", "incentive"})
    assert "transitional care" not in read("Gentle transition at birth for every baby").setting
    assert read("Sterilisation of equipment").text != read("Stabilisation of equipment").text
    # and slips that look like English words but are the field's in this field
    assert read("Perinatal morality review every month").text == read("Perinatal mortality review every month").text
    assert read("Breach baby: offer ECV at 36 weeks").condition == {"breech"}


def test_a_low_blood_pressure_is_no_high_one() -> None:
    assert normaliser()("Hypotensive women reviewed within 30 minutes").condition == {"hypotension"}
    assert normaliser()("Low blood pressure after a spinal").condition >= {"hypotension"}
    assert score("Hypotensive women reviewed within 30 minutes", "Hypertensive women reviewed within 30 minutes") < 50
    # a condition and its opposite differ even beside a condition both name
    assert score("Phenylephrine infusion for hypotension at caesarean", "Phenylephrine infusion for hypertension at caesarean") < 50
    assert score("Glucose monitoring for hypoglycaemia in babies of diabetic mothers",
                 "Glucose monitoring for hyperglycaemia in babies of diabetic mothers") < 50
    assert score("Glucose monitoring for hypo and hyperglycaemia in labour", "Glucose monitoring for hypoglycaemia in labour") > 80


def test_characters_written_in_another_form_are_read_as_their_plain_form() -> None:
    read = normaliser()
    assert read("Treat hypo\u00adtension promptly").condition == {"hypotension"}  # a soft hyphen
    assert read("\ufb01rst contact NRT").text == read("first contact NRT").text  # the ligature fi
    assert read("\uff2c\uff29\uff33\uff21 for babies under 32 weeks").giving == {"less invasive"}  # full-width letters
    assert read("NRT\u200b at first contact").text == read("NRT at first contact").text  # a zero-width space


def test_two_forms_of_one_word_or_an_abbreviation_and_its_words_are_no_swap() -> None:
    assert score("LMNS to fund TDA post", "LMNS funding for TDA post") > 80
    assert score("IV iron clinic for anaemic women", "Intravenous iron clinic for anaemic women") == 100.0
    assert score("Hb check at 28 weeks", "Haemoglobin check at 28 weeks") == 100.0
    assert score("RFM leaflet given at booking", "RFM booklet given at booking") == 100.0
    assert score("Peer supporters for breastfeeding on the postnatal ward",
                 "Peer support volunteers for breastfeeding on the postnatal ward") == 100.0
    assert score("All staff to complete eLfH module on smoking in pregnancy",
                 "Staff complete the e-learning for healthcare smoking in pregnancy training") > 80
    assert score("Add misoprostol to the PPH box", "Add carboprost to the PPH box") < 50  # still a swap


def test_ordinary_words_that_look_like_terms_of_the_field() -> None:
    read = normaliser()
    assert read("Women can bring a pet photo to theatre").condition == frozenset()
    assert read("PET bloods at 36 weeks").condition == read("pet bloods at 36 weeks").condition == {"pre-eclampsia"}
    assert "home" not in read("Women OK to go home can be discharged by the midwife").setting
    assert score("Women OK to go home can be discharged by the midwife", "Midwife-led discharge from the postnatal ward") >= 50
    assert score("-----", "!!!") == 0.0  # no word: nothing alike


def test_weeks_beside_breastfeeding_are_weeks_after_the_birth() -> None:
    read = normaliser()
    assert read("Breastfeeding support at 6-8 weeks").time == {"6 to 8 weeks postnatal"}
    assert score("Breastfeeding support at 6-8 weeks", "Breastfeeding support at 6-8 weeks after birth") > 90
    assert read("Breastfeeding workshop at 34 weeks").time == {"34 weeks"}  # in pregnancy
    assert read("Donor milk for babies born under 32 weeks").time == {"under 32 weeks"}


def test_staff_asked_are_whom_a_survey_is_about_and_a_bmi_is_an_amount() -> None:
    assert normaliser()("Survey staff about stop smoking support").recipient == {"staff"}
    assert normaliser()("Feedback from midwives on triage").recipient == {"staff"}
    assert score("Survey women about stop smoking support", "Survey staff about stop smoking support") < 50
    # staff named before what they are asked, not the staff who give feedback to women
    assert normaliser()("Staff feedback via QR code on the postnatal ward").recipient == {"staff"}
    assert normaliser()("Midwife feedback to women on their CO reading").recipient == {"mother"}
    assert "staff" not in normaliser()("Midwives ask about smoking and take a CO reading at every booking appointment").recipient
    assert score("Service user feedback via QR code on the postnatal ward", "Staff feedback via QR code on the postnatal ward") < 50
    assert normaliser()("GTT for women with BMI over 30").amount == {"from 30 kg/m2"}
    assert normaliser()("75g OGTT at 26 weeks").amount == {"75 g"}  # a mass, no body mass index
    assert score("GTT for women with BMI over 30", "GTT for women with BMI over 40") < 50
    assert score("GTT for women with BMI over 30", "GTT for women with a BMI of 30 kg/m2 or more") > 50


def test_a_condition_said_not_to_be_there_is_another_group() -> None:
    read = normaliser()
    assert read("Women with no history of GDM offered OGTT").condition == {"gestational diabetes (none)"}
    assert read("Non-diabetic women offered OGTT").condition == {"diabetes (none)"}
    assert read("Women with diabetes and no history of pre-eclampsia").condition == {"diabetes", "pre-eclampsia (none)"}
    assert score("Women with no history of GDM offered OGTT", "Women with GDM offered OGTT") < 50
    assert score("Women with no history of GDM offered OGTT", "OGTT offered to women with no history of GDM") > 90


def test_a_buddy_is_the_fresh_eyes_of_a_ctg_review_only_beside_a_ctg() -> None:
    read = normaliser()
    assert "fresh eyes ctg review" in read("Hourly buddy review of CTGs").changes
    assert score("CTG buddy system on delivery suite", "Fresh eyes review of the CTG every hour") >= 70
    # a buddy for new staff, or for pregnant smokers, is no second look at a CTG
    assert read("Buddy system for newly qualified midwives in their first year").changes == frozenset()
    assert read("Buddy system for newly qualified midwives on the intrapartum ward").changes == frozenset()
    assert read("Buddy system for fetal medicine midwives").changes == frozenset()
    assert "fresh eyes ctg review" in read("Buddy review of the fetal heart monitoring every hour").changes
    assert score("Buddy system for newly qualified midwives in their first year", "Fresh eyes review of the CTG every hour") < 20


def test_a_wards_smoking_policy_is_not_nrt_for_inpatients() -> None:
    read = normaliser()
    for other in ("Ward smoking policy displayed on every maternity ward", "Smoking status of parents asked at every neonatal unit admission"):
        assert "nrt for inpatients" not in read(other).changes, other
    for treatment in ("NRT on the ward for admitted smokers", "Inpatient smokers offered replacement therapy on admission",
                      "Inpatient smoking cessation pathway"):
        assert "nrt for inpatients" in read(treatment).changes, treatment


def test_breastfeeding_at_discharge_is_in_the_first_days_and_discharge_home_is_a_discharge() -> None:
    read = normaliser()
    assert score("Breastfeeding rates at discharge from the postnatal ward", "Breastfeeding rates at 6-8 weeks") < 20
    assert score("Breastfeeding rates at discharge from the postnatal ward", "Breastfeeding rates on discharge home") > 80
    # from the neonatal unit a baby may be weeks old: the discharge says no age there
    assert "0 to 7 days postnatal" not in read("Breastfeeding at discharge from the neonatal unit").time
    # going home is where the discharge leads, not care at home; unless the care goes home with them
    assert "home" not in read("Infant feeding review before discharge home").setting
    assert score("Infant feeding review before discharge home", "Infant feeding review before discharge from the postnatal ward") > 80
    assert "home" in read("Discharged home with phototherapy").setting
    assert score("Discharge home visit by community midwife within 24 hours", "Community midwife home visit the day after discharge") > 80
    # the community midwife discharges at 10 days or later
    assert "0 to 7 days postnatal" not in read("Breastfeeding rates at discharge from community midwifery care").time


def test_life_support_courses_are_told_apart_and_a_course_is_training() -> None:
    assert score("Annual newborn life support (NLS) training for midwives", "Annual adult basic life support training for midwives") < 50
    assert score("NLS training for all midwives", "ALS training for all midwives") < 50
    assert score("BLS for all maternity staff", "Basic life support training for all maternity staff") > 80
    assert score("ALSO training for obstetric registrars", "ALS training for obstetric registrars") < 50
    # a course, a teaching session, a workshop are training when staff are trained
    assert score("NLS training for all midwives", "Newborn life support course for every midwife") >= 80
    assert score("PROMPT training for all staff", "PROMPT course for all staff") >= 80
    assert score("Sepsis teaching session for midwives", "Sepsis workshop for midwives") >= 80
    # a life support given at a birth is no training; a full course of a medicine is no course
    assert normaliser()("NLS provided by the ANNP at every preterm birth").act == frozenset()
    assert normaliser()("Full course of NRT for pregnant smokers").act == frozenset()


def test_an_annp_works_at_the_neonatal_registrars_tier() -> None:
    assert normaliser()("ANNP to attend every preterm birth").staff == {"registrar of the neonatal team"}
    assert score("ANNP to attend every preterm birth under 32 weeks", "Neonatal consultant to attend every preterm birth under 32 weeks") < 50
    assert score("ANNP to attend every preterm birth under 32 weeks", "Neonatal registrar to attend every preterm birth under 32 weeks") > 90


def test_the_first_hours_of_life_are_not_the_discharge() -> None:
    assert score("Infant feeding team review within 6 hours of birth for babies on the hypoglycaemia pathway",
                 "Infant feeding team review before discharge home for babies on the hypoglycaemia pathway") < 50
    # weeks after the birth are not read so: a letter at discharge may ask for a test at 13 weeks
    assert "differs" not in compare(change("a.yaml", "HbA1c at 13 weeks after discharge"), change("b.yaml", "HbA1c at 13 weeks postnatal")).why


def test_a_range_of_centiles_is_a_range_and_below_the_centile_is_a_limit() -> None:
    read = normaliser()
    assert read("Growth scans for babies between the 10th-90th centile").amount == {"10 to 90 centile"}
    assert read("EFW between the 3rd and 10th centile").amount == {"3 to 10 centile"}
    assert read("Birthweight below the 3rd centile").amount == read("Birthweight <3rd centile").amount == {"under 3 centile"}
    assert score("EFW between the 3rd and 10th centile: fortnightly scans", "EFW below the 3rd centile: fortnightly scans") < 50
    assert score("EFW 3rd-10th centile: fortnightly scans", "EFW between the 3rd and 10th centiles: scans every 2 weeks") > 80
    assert read("Weight between the 0.4th and 2nd centile").amount == {"0.4 to 2 centile"}
    # numbers too long to be centiles are read without harm
    for text in ("3 to " + "9" * 5000 + "th centile", "1" * 5000 + " and 3rd centile", "9" * 5000 + "-3th centile"):
        assert read(text).text


def test_a_carbon_monoxide_alarm_at_home_is_not_a_breath_test() -> None:
    assert "carbon monoxide test" not in normaliser()("Free CO alarms for the homes of pregnant women").text
    assert score("Free carbon monoxide alarms from the fire service for homes of pregnant women",
                 "Free carbon monoxide monitors for stop smoking advisors working with pregnant women") < 50
    assert score("CO detectors for homes", "Carbon monoxide alarms given to pregnant women to fit in their homes") > 80

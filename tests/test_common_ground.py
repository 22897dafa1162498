"""Common ground across a programme's projects: the planted overlaps of examples/programme
(README, "Planted overlaps"), with the texts copied here as plain items."""

from __future__ import annotations

import random

import pytest

from driverkit.programme.common import Cluster, MatchStats, find_clusters, near_matches
from driverkit.programme.likeness import TextItem, compare, word_weights
from driverkit.programme.reading import LIGHT, normaliser

RIVERSIDE = "trusts/riverside.yaml"
NORTHGATE = "trusts/northgate.yaml"
EASTFIELD = "trusts/eastfield.yaml"
WESTMOOR = "trusts/westmoor.yaml"
HILLCREST = "trusts/wave2-hillcrest.yaml"
SOUTHBAY = "trusts/wave2-southbay.yaml"
LAKESIDE = "trusts/wave2-lakeside.yaml"
REGIONAL = "regional-smokefree.yaml"


def change(member: str, id: str, text: str, *serves: str) -> TextItem:
    return TextItem(member, "change", id, text, tuple(serves))


def measure(member: str, id: str, text: str) -> TextItem:
    return TextItem(member, "measure", id, text)


# Overlap 1: carbon monoxide test at booking with opt-out referral, in four trusts.
CO_AT_BOOKING = [
    change(RIVERSIDE, "C1.1.1", "CO monitoring for all women at booking, opt-out referral", "S1.1"),
    change(NORTHGATE, "C1.1.1", "Carbon monoxide screening at booking appointment with automatic referral to the quit team", "S1.1"),
    change(WESTMOOR, "C1.1.1", "Every woman offered a CO breath test at her booking visit; smokers referred to the "
           "stop-smoking service unless they opt out", "S1.1", "S1.2"),
    change(SOUTHBAY, "C1.1.1", "Carbon monoxide breath test for every woman at the booking appointment, with referral to "
           "stop-smoking support unless she declines", "S1.1"),
]
# Overlap 2: plastic wrap and thermal mattress for babies born before 32 weeks, in three trusts.
THERMAL_CARE = [
    change(NORTHGATE, "C2.1.1", "Polythene bag and hat at delivery, and a thermal mattress on the resuscitaire, for babies "
           "born before 32 weeks", "S2.3"),
    change(EASTFIELD, "C1.1.1", "Wrap very preterm babies (under 32 weeks) in a plastic bag straight after birth and put them "
           "on a heated gel mattress", "S2.3"),
    change(HILLCREST, "C1.1.1", "Thermal mattress and polyethylene wrap for all births under 32 weeks' gestation", "S2.3"),
]
# Overlap 3: look-alikes that are different changes.
CO_AT_36_WEEKS = change(LAKESIDE, "C1.1.1", "Carbon monoxide test repeated at the 36-week antenatal appointment for every woman",
                        "S1.1")
GLUCOSE_MOTHER = change(EASTFIELD, "C2.1.1", "Oral glucose tolerance test for the mother at 24 to 28 weeks, booked at the "
                        "booking appointment when she has a risk factor", "S3.1")
GLUCOSE_BABY = change(HILLCREST, "C2.1.1", "Heel-prick blood glucose test for the baby before the second feed when a risk "
                      "factor is present", "S4.1")
# Related, but not planted: pairs that may look related and are not the same change.
RELATED = [
    (change(REGIONAL, "C4.1", "Household members who smoke offered a referral at the same time as the pregnant woman"),
     change(RIVERSIDE, "C1.2.1", "Midwife asks at booking who else at home smokes and gives each of them the "
            "stop-smoking service's number", "S1.3")),
    (change(RIVERSIDE, "C2.1.1", "Referral sent from the maternity record to the stop-smoking service by secure email, "
            "replacing the faxed form"),
     change(LAKESIDE, "C1.2.1", "Stop-smoking service referral form added to the antenatal clinic's electronic order list")),
    (change(REGIONAL, "C2.1", "A specialist stop-smoking adviser in every maternity unit, funded by the programme for "
            "three years"),
     change(NORTHGATE, "C1.2.1", "Quit team adviser at the antenatal clinic on Tuesday and Thursday mornings to see women "
            "on the day of referral", "S1.2")),
]
# Other change ideas of the same trusts, as background.
OTHER_CHANGES = [
    change(RIVERSIDE, "C1.1.2", "Carbon monoxide reading made a required field of the electronic booking record", "S1.1"),
    change(RIVERSIDE, "C2.2.1", "Stop-smoking adviser phones each woman the day before her first appointment"),
    change(RIVERSIDE, "C2.2.2", "Nicotine replacement therapy given at the first stop-smoking appointment, to take home that day"),
    change(WESTMOOR, "C1.1.2", "Smoking status and the latest carbon monoxide reading printed on the front of the hand-held notes",
           "S1.1", "S1.2"),
    change(EASTFIELD, "C1.1.2", "Thermometer on the wall of every birth room and theatre, with the 23 C target printed beside it",
           "S2.3"),
    change(EASTFIELD, "C2.1.2", "Text-message reminder to the woman the week before her glucose tolerance test", "S3.1"),
    change(HILLCREST, "C2.3.1", "Skin-to-skin contact and a first feed within one hour for babies at risk, prompted on the "
           "birth checklist", "S4.2"),
    change(LAKESIDE, "C3.1.2", "Continuous glucose monitoring for every pregnant woman with type 1 diabetes", "S3.2"),
    change(NORTHGATE, "C2.2.1", "Transport incubator switched on and warming when the labour ward calls the neonatal team to a "
           "preterm birth", "S2.3"),
]
MEASURES = [
    measure(NORTHGATE, "L4", "Hyperthermia on admission to the neonatal unit"),
    measure(EASTFIELD, "L3", "Hyperthermia on admission to the neonatal unit"),
    measure(HILLCREST, "L4", "Hyperthermia on admission to the neonatal unit"),
    measure("national.yaml", "M7", "Hypothermia on admission to the neonatal unit"),
    measure(RIVERSIDE, "L1", "Carbon monoxide reading recorded at booking"),
    measure(SOUTHBAY, "L1", "Carbon monoxide reading at booking"),
    measure(WESTMOOR, "L1", "Carbon monoxide test at booking"),
    measure(RIVERSIDE, "L3", "Women declining the carbon monoxide reading at booking"),
    measure(WESTMOOR, "L4", "Women declining the carbon monoxide test at booking"),
    measure(LAKESIDE, "L4", "Women declining the carbon monoxide test at 36 weeks"),
]

ALL = (CO_AT_BOOKING + THERMAL_CARE + [CO_AT_36_WEEKS, GLUCOSE_MOTHER, GLUCOSE_BABY]
       + [item for pair in RELATED for item in pair] + OTHER_CHANGES + MEASURES)


def ids(cluster: Cluster) -> set[tuple[str, str]]:
    return {(item.member, item.id) for item in cluster.items}


def cluster_of(clusters: list[Cluster], item: TextItem) -> Cluster | None:
    found = [cluster for cluster in clusters if item in cluster.items]
    assert len(found) <= 1
    return found[0] if found else None


@pytest.fixture(scope="module")
def clusters() -> list[Cluster]:
    return find_clusters(ALL)


def test_the_four_wordings_of_co_at_booking_are_one_cluster(clusters: list[Cluster]) -> None:
    cluster = cluster_of(clusters, CO_AT_BOOKING[0])
    assert cluster is not None
    assert ids(cluster) == {(item.member, item.id) for item in CO_AT_BOOKING}
    assert cluster.members == (NORTHGATE, RIVERSIDE, SOUTHBAY, WESTMOOR)
    assert cluster.kind == "change"
    assert cluster.label in {item.text for item in CO_AT_BOOKING}
    # Three joins for four items, each above the threshold and explained.
    assert len(cluster.matches) == 3
    assert all(match.score >= 80 and match.why for match in cluster.matches)


def test_the_three_wordings_of_thermal_care_are_one_cluster(clusters: list[Cluster]) -> None:
    cluster = cluster_of(clusters, THERMAL_CARE[0])
    assert cluster is not None
    assert ids(cluster) == {(item.member, item.id) for item in THERMAL_CARE}
    assert len(cluster.members) == 3


def test_the_36_week_test_is_not_the_test_at_booking(clusters: list[Cluster]) -> None:
    assert cluster_of(clusters, CO_AT_36_WEEKS) is None
    for item in CO_AT_BOOKING:
        assert compare(item, CO_AT_36_WEEKS).score < 80


def test_the_mothers_glucose_test_and_the_babys_heel_prick_are_not_merged(clusters: list[Cluster]) -> None:
    mother, baby = cluster_of(clusters, GLUCOSE_MOTHER), cluster_of(clusters, GLUCOSE_BABY)
    assert mother is None or GLUCOSE_BABY not in mother.items
    assert baby is None or GLUCOSE_MOTHER not in baby.items
    match = compare(GLUCOSE_MOTHER, GLUCOSE_BABY)
    assert match.score < 50
    assert "mother vs baby" in match.why


def test_related_but_not_planted_pairs_are_not_merged(clusters: list[Cluster]) -> None:
    for a, b in RELATED:
        assert compare(a, b).score < 80
        found = cluster_of(clusters, a)
        assert found is None or b not in found.items


def test_only_the_planted_changes_and_the_common_measures_cluster(clusters: list[Cluster]) -> None:
    assert sorted(sorted(ids(cluster)) for cluster in clusters) == sorted([
        sorted((item.member, item.id) for item in CO_AT_BOOKING),
        sorted((item.member, item.id) for item in THERMAL_CARE),
        sorted([(EASTFIELD, "L3"), (HILLCREST, "L4"), (NORTHGATE, "L4")]),  # hyperthermia: not hypothermia
        sorted([(RIVERSIDE, "L1"), (SOUTHBAY, "L1"), (WESTMOOR, "L1")]),  # a carbon monoxide reading at booking
        sorted([(RIVERSIDE, "L3"), (WESTMOOR, "L4")]),  # declining it at booking: not at 36 weeks, not taking it
    ])


def test_identical_texts_score_100() -> None:
    a = measure(NORTHGATE, "L4", "Hyperthermia on admission to the neonatal unit")
    b = measure(EASTFIELD, "L3", "Hyperthermia on admission to the neonatal unit")
    match = compare(a, b)
    assert match.score == 100
    assert "Same words" in match.why


def test_the_differing_time_points_are_named() -> None:
    booking = change(SOUTHBAY, "C1", "Carbon monoxide test at the booking appointment for every woman")
    later = change(LAKESIDE, "C1", "Carbon monoxide test at the 36-week antenatal appointment for every woman")
    match = compare(booking, later)
    assert "differs: booking vs 36 weeks" in match.why
    assert match.score < 70
    # The same wording with the same time point is a match.
    assert compare(booking, change(LAKESIDE, "C2", "Carbon monoxide test for every woman at booking")).score >= 90
    # The planted pair: named as well.
    assert "booking vs 36 weeks" in compare(CO_AT_BOOKING[0], CO_AT_36_WEEKS).why


def test_training_staff_in_a_change_is_not_the_change() -> None:
    doing = change(RIVERSIDE, "C1", "CO monitoring for all women at booking")
    training = change(NORTHGATE, "C1", "Train every community midwife in CO monitoring at booking")
    match = compare(doing, training)
    assert "doing it vs train (-60)" in match.why
    assert match.score < 50
    assert find_clusters([doing, training], threshold=50) == []


def test_babies_at_term_and_preterm_babies_differ_even_in_a_list_of_conditions() -> None:
    preterm = change(RIVERSIDE, "C1", "Donor breast milk for preterm babies with jaundice")
    term = change(NORTHGATE, "C1", "Donor breast milk for term babies with jaundice or hypoglycaemia")
    match = compare(preterm, term)
    assert "preterm vs" in match.why and "term (-60)" in match.why
    assert match.score < 50


def test_a_different_setting_costs_as_much_as_another_time_point() -> None:
    labour_ward = change(RIVERSIDE, "C1", "Safety huddle twice daily on labour ward")
    neonatal_unit = change(NORTHGATE, "C1", "Safety huddle twice daily on the neonatal unit")
    match = compare(labour_ward, neonatal_unit)
    assert "labour ward vs neonatal unit (-60)" in match.why
    assert match.score < 50


def test_one_thing_swapped_in_one_sentence_is_another_change() -> None:
    cards = change(RIVERSIDE, "C1", "Sepsis flowchart printed on lanyard cards for all midwives")
    posters = change(NORTHGATE, "C1", "Sepsis flowchart printed on posters for all midwives")
    match = compare(cards, posters)
    assert "lanyard card vs poster in one sentence (-60)" in match.why
    assert match.score < 50


def test_local_detail_typos_and_general_words_are_no_swap() -> None:
    april = change(RIVERSIDE, "C1", "Hand-held sepsis flowchart cards, pilot on ward 7 from April")
    june = change(NORTHGATE, "C1", "Hand-held sepsis flowchart cards, pilot on ward 12 from June")
    typo = change(EASTFIELD, "C1", "Hand-held sepsis flowchrat cards, pilot on ward 7 from April")
    bundle = change(WESTMOOR, "C1", "Hand-held sepsis flowchart bundle, pilot on ward 7 from April")
    for other in (june, typo, bundle):
        match = compare(april, other)
        assert "one sentence" not in match.why
        assert match.score >= 80


def test_words_said_in_another_place_are_no_swap() -> None:
    first = change(RIVERSIDE, "C1", "Carbon monoxide screening at booking with automatic referral to the quit team")
    last = change(NORTHGATE, "C1", "Every woman offered a CO test at booking; smokers referred to the stop-smoking "
                                   "service unless they opt out")
    match = compare(first, last)
    assert "one sentence" not in match.why
    assert match.score >= 80


def test_admission_to_a_unit_is_no_swap_for_the_unit() -> None:
    unit = TextItem(NORTHGATE, "driver", "P2", "Preterm babies stay warm from birth to the neonatal unit", ("S2.3",))
    admission = TextItem(HILLCREST, "driver", "P1", "Preterm babies stay warm from birth to admission", ("S2.3",))
    match = compare(unit, admission)
    assert "one sentence" not in match.why and match.score >= 80


def test_a_shared_served_driver_adds_a_small_bonus_and_says_so() -> None:
    a, b = CO_AT_BOOKING[0], CO_AT_BOOKING[1]
    with_serves = compare(a, b)
    without = compare(TextItem(a.member, a.kind, a.id, a.text), TextItem(b.member, b.kind, b.id, b.text))
    assert with_serves.score == pytest.approx(min(100.0, without.score + 5), abs=0.11)
    assert "S1.1" in with_serves.why and "S1.1" not in without.why


def test_items_of_one_member_never_cluster_alone() -> None:
    text = "Carbon monoxide test for every woman at booking"
    same_member = [change(RIVERSIDE, "C1", text), change(RIVERSIDE, "C2", text), change(RIVERSIDE, "C3", text + "s")]
    assert find_clusters(same_member) == []
    # With another member, one item of each: never two of one member in a cluster.
    [cluster] = find_clusters(same_member + [change(NORTHGATE, "C9", text)])
    assert cluster.members == (NORTHGATE, RIVERSIDE)
    assert len(cluster.items) == 2


def test_kinds_are_not_compared_with_each_other() -> None:
    text = "Hyperthermia on admission to the neonatal unit"
    assert find_clusters([measure(NORTHGATE, "L4", text), TextItem(EASTFIELD, "driver", "P1", text)]) == []


def test_the_order_is_deterministic(clusters: list[Cluster]) -> None:
    shuffled = list(ALL)
    random.Random(7).shuffle(shuffled)
    assert find_clusters(shuffled) == clusters
    assert [len(cluster.members) for cluster in clusters] == sorted((len(c.members) for c in clusters), reverse=True)
    for cluster in clusters:
        assert list(cluster.items) == sorted(cluster.items, key=lambda item: (item.member, item.id))


def test_a_vocabulary_extends_the_built_in_one() -> None:
    a = change(RIVERSIDE, "C9", "Golden hour bundle on the neonatal unit")
    b = change(HILLCREST, "C9", "Stabilisation in the first hour after admission to the neonatal unit")
    assert find_clusters([a, b]) == []
    vocabulary = {"golden hour": "first hour stabilisation", "stabilisation in the first hour": "first hour stabilisation"}
    [cluster] = find_clusters([a, b], vocabulary=vocabulary)
    assert cluster.members == (RIVERSIDE, HILLCREST)


def test_a_programme_adds_its_own_changes_and_may_replace_a_shipped_one() -> None:
    a = change(RIVERSIDE, "C9", "Butterfly sticker on the cot of a surviving twin")
    b = change(HILLCREST, "C9", "Purple ribbon on the cot card when one baby of a multiple birth has died")
    own = {"twin loss marked on the cot": [["Cots", "cot cards"], ["butterflies", "purple ribbon"]]}  # written as a team writes
    plain, named = compare(a, b), compare(a, b, known_changes=own)
    assert named.score >= plain.score + 15 and "both name the change 'twin loss marked on the cot'" in named.why
    booking = "CO monitoring for all women at booking"
    assert "carbon monoxide test at booking" in normaliser()(booking).changes
    # A change only one of two texts names counts against them, and the reason says how much.
    c = change(RIVERSIDE, "C8", "Stop-smoking service referral form added to the electronic order list")
    d = change(HILLCREST, "C8", "Opt-out referral to the stop smoking service for all smokers at booking")
    ours = {"electronic referral to the stop-smoking service": [["electronic order list"], ["stop smoking service"]]}
    assert compare(c, d, known_changes=ours).score < compare(c, d).score
    assert "of it as they name different changes, 'electronic referral to the stop-smoking service' against 'opt-out " \
        in compare(c, d, known_changes=ours).why
    assert "of it as only one names the change 'opt-out referral to the stop smoking service'" in compare(c, d).why
    e = change(WESTMOOR, "C8", "Referral sent by secure email to the stop smoking service, opt-out at booking")
    both = compare(c, e, known_changes={"electronic referral": [["secure email", "electronic order list"], ["stop smoking service"]]})
    assert "of it as both name the change 'electronic referral', less as only one names 'opt-out referral to the" in both.why
    # A phrase is found as read and as written: a team writes it as its texts say it.
    ours = normaliser(known_changes={"first hour checklist": [["first hour"], ["checklist"]],
                                     "referral to stop smoking": [["stop smoking"], ["referral"]],
                                     "emergency drills": [["PROMPT"], "all staff"],  # one phrase may be written alone
                                     "trained staff at births": [["trained staff"], ["birth"]], "none": []})
    assert ours("A checklist for care in the first hour of life").changes == {"first hour checklist"}
    assert "referral to stop smoking" in ours("Opt-out referral to the stop smoking service").changes
    assert ours("PROMPT training for all staff annually").changes == {"emergency drills"}
    # read alone, "trained staff" is "staff": found only as written, not in every text naming staff
    assert ours("Trained staff at every birth").changes == {"trained staff at births"}
    assert ours("Staff at every birth").changes == frozenset()
    # A sign with a stroke is no accent: "not less than 34 weeks" is not "under 34 weeks".
    assert normaliser()("Glucose test for babies born \u226e34 weeks").time == {"34 weeks"}
    assert normaliser()("\u0153dema") == normaliser()("oedema")
    accented = normaliser(known_changes={"cafe drop-in": [["café", "caff"], ["drop in", "drop-in session"]]})
    assert accented("Cafe style drop in session on the ward").changes == {"cafe drop-in"}
    replaced = normaliser(known_changes={"carbon monoxide test at booking": [["carbon monoxide"], ["booking"], ["every contact"]]})
    assert "carbon monoxide test at booking" not in replaced(booking).changes


def test_the_shipped_vocabulary_knows_the_field() -> None:
    a = change(RIVERSIDE, "C9", "Buccal dextrose gel as the first treatment for low blood glucose")
    b = change(HILLCREST, "C9", "Oral glucose gel as the first treatment for hypoglycaemia")
    [cluster] = find_clusters([a, b])
    assert cluster.members == (RIVERSIDE, HILLCREST)


def test_the_threshold_is_checked() -> None:
    with pytest.raises(ValueError):
        find_clusters(ALL, threshold=101)


def test_look_alikes_do_not_chain() -> None:
    """B matches A and C, A and C are far apart: once the best pair is joined, the third (with an
    average under the threshold against the two) stays out, where single linkage would chain all three."""
    a = change("a.yaml", "C1", "Carbon monoxide test at booking with opt-out referral to the quit team and nicotine "
               "replacement therapy")
    b = change("b.yaml", "C1", "Carbon monoxide test at booking with opt-out referral and a poster")
    c = change("c.yaml", "C1", "Carbon monoxide test at booking with a poster")
    ab, bc, ac = compare(a, b).score, compare(b, c).score, compare(a, c).score
    assert min(ab, bc) >= 80 > ac and (ab + ac) / 2 < 80 and (bc + ac) / 2 < 80
    [cluster] = find_clusters([a, b, c])
    best = ("a.yaml", "b.yaml") if ab >= bc else ("b.yaml", "c.yaml")
    assert cluster.members == best
    assert [(match.a.member, match.b.member) for match in cluster.matches] == [best]


def test_two_amounts_of_one_measure_do_not_meet_through_a_third_text() -> None:
    """A 1000 ml and a 500 ml trigger both match texts about measuring blood loss well enough that
    the second would join the first's cluster on average; their own score, under the threshold
    because of the amounts, keeps it out."""
    high, low = (change(f"{name}.yaml", "C1", f"Call the obstetric registrar when measured blood loss reaches {amount} ml")
                 for name, amount in (("high", 1000), ("low", 500)))
    measuring = [change(f"m{n}.yaml", "C1", text) for n, text in enumerate([
        "Measure blood loss by weighing swabs at every birth", "Quantified blood loss at every birth instead of estimating it",
        "Weigh pads and swabs to measure blood loss after every birth"])]
    match = compare(high, low)
    assert match.score < 55 and "1000 ml vs 500 ml" in match.why
    together = [high, *measuring]
    assert sum(compare(low, other).score for other in together) / len(together) >= 55
    clusters = find_clusters([high, low, *measuring], threshold=55.0)
    assert not any({"high.yaml", "low.yaml"} <= set(cluster.members) for cluster in clusters)
    assert any({"high.yaml", "m0.yaml"} <= set(cluster.members) for cluster in clusters)


def random_items(members: int, per_member: int, seed: int = 3) -> list[TextItem]:
    """Texts of 6 to 14 words drawn from 3,000 made-up words, a few common and most rare (Zipf
    weights), as in a real programme's vocabulary."""
    rnd = random.Random(seed)
    syllables = ["ba", "de", "ki", "lo", "mu", "na", "pe", "ri", "so", "tu", "va", "ze", "gar", "hol", "ment"]
    words = sorted({"".join(rnd.choices(syllables, k=rnd.randint(2, 4))) for _ in range(4000)})[:3000]
    rnd.shuffle(words)
    weights = [1 / (rank + 10) for rank in range(len(words))]
    items = []
    for m in range(members):
        for c in range(per_member):
            text = " ".join(rnd.choices(words, weights, k=rnd.randint(6, 14)))
            items.append(change(f"trusts/m{m:04d}.yaml", f"C{c}", text))
    return items


def test_the_pairs_scored_grow_far_less_than_the_square_of_the_items() -> None:
    small, large = MatchStats(), MatchStats()
    find_clusters(random_items(20, 25) + CO_AT_BOOKING, stats=small)
    clusters = find_clusters(random_items(200, 25) + CO_AT_BOOKING, stats=large)
    n_small, n_large = small.items, large.items
    assert n_large > 5000
    all_pairs = n_large * (n_large - 1) / 2
    assert large.pairs_scored < all_pairs / 100
    # Ten times the items: far fewer than a hundred times the pairs.
    assert large.pairs_scored < 25 * max(small.pairs_scored, n_small)
    # The planted cluster is still found among the noise.
    assert any(ids(cluster) == {(item.member, item.id) for item in CO_AT_BOOKING} for cluster in clusters)


def test_many_copies_of_one_text_are_scored_once() -> None:
    text = "Carbon monoxide test for every woman at booking, with opt-out referral"
    items = [change(f"trusts/m{m:04d}.yaml", "C1", text) for m in range(3000)]
    stats = MatchStats()
    [cluster] = find_clusters(items, stats=stats)
    assert len(cluster.members) == 3000
    assert stats.distinct_texts == 1
    assert stats.pairs_scored == 0


def test_short_wordings_sharing_one_common_word_are_still_compared() -> None:
    # "debrief" is in 14 texts: too common to be a blocking key on its own for a long text, but
    # two short wordings that share only it are compared, and found.
    wards = ["ward 7", "the birth centre", "the antenatal ward", "delivery suite", "triage", "the NNU", "ward 20",
             "MAU", "the day unit", "theatres", "the postnatal ward", "transitional care"]
    topics = ["beds", "sickness", "flow", "escalation", "delays", "cots", "transfers", "outliers", "discharges",
              "theatre lists", "rota gaps", "agency cover"]
    items = [change(f"trusts/m{n:02d}.yaml", "C1", f"Debrief on {ward} to review staffing, acuity and {topic}")
             for n, (ward, topic) in enumerate(zip(wards, topics))]
    short = [change(RIVERSIDE, "C1", "Debriefs"), change(NORTHGATE, "C1", "Debrief at every handover")]
    [cluster] = find_clusters(items + short)
    assert ids(cluster) == {(item.member, item.id) for item in short}


def test_near_matches_list_what_the_groups_miss_for_people_to_decide() -> None:
    items = [
        change(RIVERSIDE, "C1", "Keep babies under 32 weeks warm at birth"),
        change(NORTHGATE, "C1", "Polyethylene wrap at births under 32 weeks"),
        change(EASTFIELD, "C1", "Carbon monoxide test for every woman at booking"),
        change(WESTMOOR, "C1", "CO test at booking for all women"),
    ]
    clusters = find_clusters(items, threshold=80.0)
    assert [sorted(i.member for i in c.items) for c in clusters] == [[EASTFIELD, WESTMOOR]]
    near = near_matches(items, clusters, 55.0)
    assert [(m.a.member, m.b.member) for m in near] == [(NORTHGATE, RIVERSIDE)]
    assert 55.0 <= near[0].score < 80.0 and near[0].why
    # one decided different is not asked again; nothing below the score is listed
    assert near_matches(items, clusters, 55.0, different=[[(RIVERSIDE, "C1"), (NORTHGATE, "C1")]]) == []
    assert near_matches(items, clusters, near[0].score + 1) == []
    with pytest.raises(ValueError):
        near_matches(items, clusters, 120.0)
    with pytest.raises(ValueError):
        near_matches(items, clusters, 30.0)  # below 50 most pairs are different changes


def test_a_pair_decided_different_keeps_its_groups_out_of_the_review() -> None:
    # riverside and northgate are one group; eastfield was decided different from riverside, so
    # "northgate and eastfield are the same" could not be kept and is not asked.
    items = [
        change(RIVERSIDE, "C1", "Carbon monoxide test for every woman at booking"),
        change(NORTHGATE, "C1", "CO test at booking for all women"),
        change(EASTFIELD, "C1", "CO monitoring at the booking appointment, results in the notes"),
    ]
    different = [[(RIVERSIDE, "C1"), (EASTFIELD, "C1")]]
    clusters = find_clusters(items, threshold=95.0, different=different)
    assert [sorted(i.member for i in c.items) for c in clusters] == [[NORTHGATE, RIVERSIDE]]
    assert near_matches(items, clusters, 50.0) and not near_matches(items, clusters, 50.0, different=different)


def test_words_common_to_many_texts_weigh_less() -> None:
    # In a programme of 320 texts that all name a carbon monoxide reading, those words say little
    # about which change a text is: two texts sharing only them score lower than on their own.
    many = [change(f"trusts/t{i}.yaml", "C1", f"Carbon monoxide reading recorded by team{i}") for i in range(320)]
    weights = word_weights(many)
    assert weights is not None and weights["carbon"] < 0.2 and weights["team7"] == LIGHT
    a = change(RIVERSIDE, "C9", "Carbon monoxide reading with a window sticker for smokers")
    b = change(NORTHGATE, "C9", "Carbon monoxide reading with a fridge magnet on second-hand smoke")
    assert compare(a, b, weights=weights).score < compare(a, b).score - 10
    assert [cluster.members for cluster in find_clusters([a, b], threshold=45)] == [(NORTHGATE, RIVERSIDE)]
    assert not [cluster for cluster in find_clusters(many + [a, b], threshold=45) if RIVERSIDE in cluster.members]
    # Too few texts to tell a common word from a rare one: every word weighs as it does alone.
    assert word_weights(many[:100]) is None


def test_the_groups_keep_exactly_the_joins_people_decided_that_settle_keeps() -> None:
    # DK810 and the review start from `settle`: what it drops must be what the groups leave out,
    # and what it keeps must be joined, whatever the decisions (chains, contradictions, kinds
    # mixed in one decision, one member twice, elements no text has).
    from driverkit.programme.decisions import settle

    draw = random.Random(7)
    texts = ["CO test at booking", "Carbon monoxide screening at booking", "CO reading at 36 weeks", "Heel prick glucose for babies",
             "Thermal mattress under 32 weeks", "Smoking status on the notes"]
    for _ in range(150):
        items = [TextItem(f"m{m}", kind, f"{kind[0].upper()}{k}", draw.choice(texts))
                 for m in range(5) for kind in ("change", "driver") for k in range(2)]
        keys = [(item.member, item.id) for item in items] + [("m9", "C0")]  # one element that has no text
        same = [draw.sample(keys, draw.randint(2, 4)) for _ in range(draw.randint(0, 6))]
        different = [draw.sample(keys, draw.randint(2, 3)) for _ in range(draw.randint(0, 3))]
        settled = settle(same, different, {(item.member, item.id): item.kind for item in items})
        clusters = find_clusters(items, threshold=80.0, same=same, different=different)
        group_of = {(item.member, item.id): number for number, cluster in enumerate(clusters) for item in cluster.items}
        for _, a, b in settled.joins:
            assert a in group_of and group_of[a] == group_of.get(b), (same, different)
        for dropped in settled.dropped:
            assert dropped.a not in group_of or group_of[dropped.a] != group_of.get(dropped.b), (same, different)


def test_the_search_finds_every_pair_that_scores_over_the_threshold_when_the_texts_name_changes_of_the_field() -> None:
    # One text names a change the other does not (the recording of the reading, the result
    # explained), and both name one more (a test at booking): all their words say less than
    # their own words, and the search must not stop at the lower figure.
    a = change(RIVERSIDE, "C1", "Carbon monoxide reading recorded at booking")
    b = change(NORTHGATE, "C1", "Every woman has a carbon monoxide reading at booking, with the result explained")
    score = compare(a, b).score
    assert score >= 80
    assert [sorted(i.member for i in c.items) for c in find_clusters([a, b], threshold=80.0)] == [[NORTHGATE, RIVERSIDE]]
    assert [m.score for m in near_matches([a, b], [], 70.0)] == [score]
    # the cutoff of the search never hides a score at or above it
    from driverkit.programme.likeness import _text_score
    from driverkit.programme.reading import normaliser

    texts = [normaliser()(text) for text in (
        "Carbon monoxide reading recorded at booking", "CO test at booking, result explained to the woman",
        "Opt-out referral to the stop smoking service at booking", "NRT given on the day by the maternity team",
        "Patches and gum handed out at the first appointment", "Antenatal steroids in the optimal window",
        "ACS within 7 days of birth", "Posters about growth scans for women with diabetes",
        "Sticker in the notes for growth scans in diabetes", "Every woman has a CO reading at booking, recorded on BadgerNet")]
    for x in texts:
        for y in texts:
            full = _text_score(x, y)[0]
            for cutoff in (50.0, 65.0, 75.0):
                assert (_text_score(x, y, cutoff)[0] >= cutoff) == (full >= cutoff), (x.text, y.text, cutoff)

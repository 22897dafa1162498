"""How alike two texts of a programme are: a score from 0 to 100, and why.

1. The wording score weighs the words the two normalised texts share
   (driverkit.programme.reading): a word of the field counts 1, another word `LIGHT`; among
   many texts (a programme's), a word common to them weighs less (see `word_weights`). It is the
   mean of the share of the shorter text found in the other and of the share of both (see
   `_wording`).
2. The terms that tell changes apart (the time point, an amount, the recipient, the condition,
   how the baby is born, whether the women smoke, what is given or fed and how, what is measured,
   the transfer, the setting, the period, how the woman is seen and referred, in a group or one to
   one, the hours a service is there, where a report goes, what the team does and who does it)
   are compared; so is starting a medicine or a check against stopping it, and giving a
   medicine against stopping it. When both texts
   name one of these and they have nothing in common, the score loses `DIFFERS_PENALTY`
   (`SETTING_PENALTY` for the setting, `STAFF_PENALTY` for who does it, but `DIFFERS_PENALTY`
   for one grade of doctor against another), so that two texts alike
   in every word but one such term stay below a threshold of 50; an audit, staff training or a
   refusal ("women declining the test") in one text only costs the same, and so do two texts
   placed in different periods (in pregnancy, in labour, after the birth); a condition named by
   one text only costs `ONE_SIDED_PENALTY`. A condition named as a risk is not the condition
   itself: against it, or against another condition that may be a risk factor of it, it costs
   `ONE_SIDED_PENALTY`, against it said to be had as much as any difference, and named by one
   text only nothing; a condition looked for ("undiagnosed type 2 diabetes") differs from the
   same condition known. Babies at term and preterm babies differ even in a list of conditions,
   and other conditions are compared apart from them ("term admissions for jaundice" is not "for
   respiratory distress"); a list of three or more conditions, medicines, measures or staff is
   read as a list (risk factors, a bundle, who attends), not as what the change is about.
   Amounts of one measure are compared in one unit (240 minutes are 4 hours), gestations to the
   day (under 34 weeks is not 34+0); two limits on one side are two thresholds (under 27 weeks
   is not under 32 weeks). A time limit ("within 1 hour") is a target, not an amount. Before the
   birth, what is done for the baby is done with the mother: there a baby and a mother are no
   two recipients. Two sentences alike but for a word or two swapped in place ("smoking" for
   "physical activity") cost `SWAP_PENALTY`, even beside a condition named by one text only.
   The explanation names the terms ("differs: booking
   vs 36 weeks", "5 mg vs 400 microgram").
3. Structural evidence: two items that serve the same programme element, or report the same
   shared measure, gain `STRUCTURE_BONUS` (once).
4. A change of the field both texts name (driverkit.programme.changes) counts in the wording as
   words of the field they share, less the more their own words say already (`CHANGE_DAMPING`),
   and not at all when a term tells them apart or each names another means of carrying it out
   (a poster against a sticker); the explanation says what it gave ("+6 of it as both name the
   change 'nrt supplied directly by maternity'"). A change one text names and the other does not
   counts as words the other lacks, unless they share a change: then they score at most what
   their own words alone give.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import chain
from typing import Iterable, Mapping, Optional, Sequence

from rapidfuzz.distance import DamerauLevenshtein

from driverkit.programme.reading import (
    _AMOUNT,
    _CONTACTS,
    _IMPLIES,
    _MEDICINE,
    _NONE,
    _POPULATION,
    _SETTING,
    _UNITS,
    LIGHT,
    KnownChanges,
    Normalised,
    _number,
    _singular,
    normaliser,
)

# A named difference keeps two texts alike in every other word (100), with the structural bonus,
# below 50: where the curve of precision and recall is best since common words weigh less.
DIFFERS_PENALTY = 60.0
STAFF_PENALTY = 30.0
ONE_SIDED_PENALTY = 10.0
SETTING_PENALTY = 60.0
SWAP_PENALTY = 60.0
STRUCTURE_BONUS = 5.0
# Two times within which something is done after the birth are one target, set apart by trusts,
# when neither is this many times the other: within 2 against 6 hours, not 1 against 4 nor 2 against 24.
WITHIN_FACTOR = 4.0
# A change of the field two texts both name (driverkit.programme.changes) is evidence for texts
# that say it in other words; two texts alike in wording already need it less, and look-alikes
# that differ in what their wording does not tell would be pushed together by it. It adds its
# full part below a wording of 33 without it, half at 67, nothing at 100: the part kept is
# min(1, CHANGE_DAMPING * (1 - wording / 100)).
CHANGE_DAMPING = 1.5
_FRAME = 0.65  # the share of a sentence kept in place, around a swap of words (see `_swaps`)
_TYPO_SIMILARITY = 0.75
_SWAP_WORDS = 2  # the most words on either side of a swap
# Words kept in place that let a swap take one word more ("by ethnicity" vs "by deprivation quintile").
_LONG_SWAP_FRAME = 4
_FORMS = frozenset("bundle pathway policy guideline guidance protocol process programme project plan system tool "
                   "toolkit approach initiative scheme framework model package care service".split())
# Words that place a change in time or against a limit: one of them in the place of a noun is
# the sentence reworded ("TXA within 3 hours of PPH" vs "TXA administration in PPH"), not a swap.
_PREPOSITIONS = frozenset("within before after under below above over from during until following".split())
# How a team frames a change rather than what it is: "improve TXA administration" is "early TXA".
_FRAMING = frozenset("improve ensure increase reduce implement introduce embed promote optimise standardise roll "
                     "new use offer uptake eligible likely proportion percentage".split())
# Which way a swap goes (see `_contrary`): framing or not, "reduce" is not "increase", "use" not
# "avoid"; and a mandate is not an offer.
_UP = frozenset({"increase", "raise", "higher", "more", "use", "offer", "promote", "start"})
_DOWN = frozenset({"reduce", "decrease", "lower", "fewer", "less", "avoid", "stop", "ban", "withhold"})
_MANDATE = frozenset({"mandate", "mandatory"})
_MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                     "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                     "sept", "oct", "nov", "dec"})
_GESTATION_GROUPS = frozenset({"term", "preterm"})
# Conditions that are the opposite of each other.
_OPPOSITES = (frozenset({"hypoglycaemia", "hyperglycaemia"}), frozenset({"hypothermia", "hyperthermia"}),
              frozenset({"hypotension", "hypertension"}))
# Groups of women and risks at the birth: who a change is for, never its aim.
_POPULATIONS = frozenset(_POPULATION.values())
# The grades of doctors that tell two changes apart ("senior doctor": a registrar or a consultant).
_GRADES = frozenset({"junior doctor", "senior doctor", "registrar", "consultant"})
_NEONATAL_GRADES = frozenset({"registrar of the neonatal team", "consultant of the neonatal team"})
# Named moments of pregnancy as gestations (weeks), to compare with a text that writes weeks:
# booking is by 10 weeks and before 13, so "CO test at booking" is not "CO test at 36 weeks".
_MOMENT_WEEKS = {"booking": (0.0, 13.0), "early pregnancy": (0.0, 16.0), "mid pregnancy": (13.0, 28.0),
                 "dating scan": (10.0, 14.0), "anomaly scan": (18.0, 21.0),
                 "late pregnancy": (28.0, 42.0),
                 "antenatal": (0.0, 42.0)}
# The time points that are whole periods, against the precise moments within them.
_PERIODS = frozenset({"antenatal", "postnatal", "in labour"})
_UNIT_NAMES = {name: (name, measure, size) for name, measure, size in _UNITS.values()}


@dataclass(frozen=True)
class TextItem:
    member: str
    """The member project: its file path relative to the programme."""
    kind: str
    """"change", "driver" or "measure"."""
    id: str
    """The element id in its file."""
    text: str
    serves: tuple[str, ...] = ()
    """Programme element ids it serves (e.g. ("S1.1",)): structural evidence."""
    measures: tuple[str, ...] = ()
    """Shared measure references it is attached to: structural evidence."""


@dataclass(frozen=True)
class Match:
    a: TextItem
    b: TextItem
    score: float
    """0 to 100."""
    why: str
    """One sentence: the signals and what they gave, naming the terms that differ when any."""


# A difference of two texts: what differs ("booking vs 36 weeks"), what it costs, and the kind of term.
Difference = tuple[str, float, str]
# Words of changes done with the mother for the baby (see `_differences`).
_DYAD = frozenset({"magnesium", "neuroprotection", "steroid", "milk", "expressing", "clamping"})


# Word rarity (see `word_weights`): a word in at most `COMMON_SHARE` of a programme's texts of a
# kind weighs fully, a commoner one less and less; not at all among `RARITY_FROM` distinct texts
# or fewer, fully from `RARITY_FULL`, in proportion between (no score jumps when a member is added).
COMMON_SHARE = 0.01
RARITY_FROM = 100
RARITY_FULL = 300
Weights = Mapping[str, float]
"""What each word of a collection of texts weighs when they are compared among themselves (see
`word_weights`). It holds every word of those texts; `_wording` weighs a word of another text as
that word weighs alone."""


def _word_weights(texts: Iterable[Normalised]) -> Optional[dict[str, float]]:
    """What each word of these texts weighs among them: 1 for a word of the field, `LIGHT` for
    another, times its rarity: 1 for a word in at most `COMMON_SHARE` of the texts, less for a
    commoner one, (1 + ln(1 / share)) / (1 + ln(1 / COMMON_SHARE)) (a word in one text in ten
    weighs 0.59 of its weight, in every other text 0.30). Words common to many texts say less
    about which change a text is: the subject of a workstream ("carbon monoxide", "preterm"), a
    word of the setting everyone names. None for `RARITY_FROM` distinct texts or fewer: too few to
    tell a common word from a rare one, so every word weighs as it does alone; from there to
    `RARITY_FULL` texts, rarity counts in proportion."""
    distinct = set(texts)
    if len(distinct) <= RARITY_FROM:
        return None
    counts: Counter[str] = Counter()
    heavy: set[str] = set()
    for text in distinct:
        counts.update(text.words)
        heavy.update(text.heavy)
    strength = min(1.0, (len(distinct) - RARITY_FROM) / (RARITY_FULL - RARITY_FROM))
    top = 1.0 + math.log(1.0 / COMMON_SHARE)
    return {word: (1.0 if word in heavy else LIGHT)
            * (1.0 - strength * (1.0 - min(1.0, (1.0 + math.log(len(distinct) / count)) / top)))
            for word, count in counts.items()}


def _weighed(text: Normalised, weights: Optional[Weights], words: Optional[frozenset[str]] = None) -> float:
    """The weight of a text's words, or of those of them in `words` (`weights`: None, each as it
    weighs alone). A sum of floats over a set is exact (fsum): the order of a set's words changes
    from one run to the next, and a last bit can decide a tie."""
    if not weights:
        if words is None:
            return text.weight
        heavy = len(words & text.heavy)
        return heavy + LIGHT * (len(words) - heavy)
    words = text.words if words is None else words
    try:  # the words of the texts the weights were worked out on, the common case
        return math.fsum([weights[word] for word in words])
    except KeyError:
        return math.fsum([weights[word] if word in weights else 1.0 if word in text.heavy else LIGHT for word in words])


def _wording(a: Normalised, b: Normalised, weights: Optional[Weights] = None, unnamed: bool = False) -> tuple[float, float, float]:
    """The wording score of two normalised texts (0 to 100), with its two parts.

    Both parts weigh the shared words, a word of the field counting 1 and any other word `LIGHT`
    (a ward's name, a month, "target"). "Shared" is the part of the shorter text found in the
    other: 100 for a short wording of a long one ("CO monitoring at booking" against a full
    sentence of it), but too kind to a text that adds one word which changes everything.
    "Whole" compares both texts entire (Dice), so it drops with every word one of them adds.
    Their mean keeps a short and a long wording of one idea close, while a generic text does
    not match every longer text that contains it. The changes of the field a text names count
    among its words (see `reading.change_words`): two texts naming one change share them, two
    naming different changes are the further apart. `unnamed`: as if they named none."""
    words_a, words_b = (_own_words(a), _own_words(b)) if unnamed else (a.words, b.words)
    if words_a == words_b:  # the same words; two texts with no word at all ("-----") say nothing alike
        return (100.0, 100.0, 100.0) if words_a else (0.0, 0.0, 0.0)
    common = words_a & words_b
    if not common:
        return 0.0, 0.0, 0.0
    if unnamed:
        weight_a, weight_b = _weighed(a, weights, words_a), _weighed(b, weights, words_b)
    else:
        weight_a, weight_b = _weighed(a, weights), _weighed(b, weights)
    shared_weight = _weighed(a, weights, common)
    shared = 100.0 * shared_weight / min(weight_a, weight_b)
    whole = 100.0 * 2 * shared_weight / (weight_a + weight_b)
    return (shared + whole) / 2, shared, whole


def _differences(a: Normalised, b: Normalised) -> list[Difference]:
    """The discriminating terms that tell two texts apart, as ("x vs y", penalty, kind of term)."""
    found = []
    for name, penalty in (("time", DIFFERS_PENALTY), ("amount", DIFFERS_PENALTY), ("recipient", DIFFERS_PENALTY),
                          ("condition", DIFFERS_PENALTY), ("observation", DIFFERS_PENALTY),
                          ("transfer", DIFFERS_PENALTY), ("setting", SETTING_PENALTY),
                          ("act", DIFFERS_PENALTY), ("status", DIFFERS_PENALTY), ("mode", DIFFERS_PENALTY),
                          ("medicine", DIFFERS_PENALTY), ("channel", DIFFERS_PENALTY), ("consent", DIFFERS_PENALTY),
                          ("format", DIFFERS_PENALTY), ("giving", DIFFERS_PENALTY), ("forum", DIFFERS_PENALTY),
                          ("cover", DIFFERS_PENALTY), ("course", DIFFERS_PENALTY),
                          ("staff", STAFF_PENALTY)):
        left, right = getattr(a, name), getattr(b, name)
        if name == "time":  # gestations, ages after the birth and named moments are compared apart
            split = [_time_kinds(side) for side in (left, right)]
            differ = any(x and y and not _compatible(x, y) for x, y in zip(split[0][:2], split[1][:2]))
            # Named moments: the precise ones apart from the periods ("postnatal" of "postnatal
            # ward" does not make the change of shift a transfer).
            moments = [side[2] - _PERIODS or side[2] for side in split]
            if moments[0] and moments[1] and (moments[0] & _PERIODS or moments[1] & _PERIODS):
                moments = [side[2] for side in split]
            differ = differ or bool(moments[0] and moments[1] and not _compatible(*moments))
            # The first hours of life against the discharge: "feeding review within 6 hours of birth"
            # is not "feeding review before discharge" (ages in weeks are not read so: a letter at
            # discharge may ask for a test at 13 weeks).
            differ = differ or any(after and not other_after and "discharge" in other_moments and _in_first_day(after)
                                   for (_, after, _), (_, other_after, other_moments) in ((split[0], split[1]), (split[1], split[0])))
            # Every contact against a gestation: "CO test at every visit" is not "CO test at 36 weeks".
            differ = differ or any(sides[2] - _PERIODS == {"every contact"} and other[0]
                                   for sides, other in ((split[0], split[1]), (split[1], split[0])))
            # Moments only against weeks only (a period aside, it spans them all): the moment as the
            # weeks it spans ("booking" vs "36 weeks", "first antenatal visit" vs "16 week antenatal check").
            for (weeks, _, _), side in ((split[0], left), (split[1], right)):
                other_weeks, other_after, other = split[1] if side is left else split[0]
                precise = other - _PERIODS
                if weeks and not side - weeks - _PERIODS and precise and not other_weeks and not other_after:
                    spans = [_MOMENT_WEEKS[moment] for moment in precise if moment in _MOMENT_WEEKS]
                    ranges = [r for r in (_weeks(point) for point in weeks) if r is not None]
                    if spans and len(spans) == len(precise) and not any(
                            low <= r[1] and r[0] <= high for low, high in spans for r in ranges):
                        differ = True
        elif name == "condition":
            # Babies born at term and preterm babies are two populations, listed or not. Other
            # conditions are compared apart from them ("term admissions for jaundice" is not "for
            # respiratory distress"), unless one text lists them: then they are risk factors, not
            # what the change is about.
            differ = bool({"term", "preterm"} <= left | right and not ({"term", "preterm"} & left & right))
            # So are a condition and its opposite, beside another condition both name: "phenylephrine
            # for hypotension at caesarean" is not "for hypertension at caesarean".
            differ = differ or any(left & pair and right & pair and not left & right & pair for pair in _OPPOSITES)
            # Conditions named in a text's own words are compared first: "growth scans for women
            # with gestational diabetes" is not "with pre-existing diabetes", though growth scans
            # are for small babies in both.
            guessed = False  # one side's conditions are only what its means aim at
            if a.aimed or b.aimed:
                own = (left - a.aimed, right - b.aimed)
                if own[0] and own[1]:
                    left, right = own
                guessed = bool(own[0]) != bool(own[1])
            if not differ and len(left) <= 2 and len(right) <= 2:
                others = [side - _GESTATION_GROUPS for side in (left, right)]
                if not (others[0] and others[1]):
                    others = [left, right]
                if others[0] and others[1]:
                    match = _conditions_match(*others, a.having | b.having)
                    differ = match == "differ"
                    if match == "same":
                        # one shared, and another each of its own that differ: "sepsis calculator for
                        # babies born to mothers with a fever" is not "after prolonged rupture of membranes"
                        own_extra = [frozenset(x for x in side if x in _POPULATIONS and not _compatible(frozenset({x}), other))
                                     for side, other in ((others[0], others[1]), (others[1], others[0]))]
                        differ = bool(own_extra[0] and own_extra[1]
                                      and _conditions_match(own_extra[0], own_extra[1], a.having | b.having) == "differ")
                    if match == "weak" or (differ and guessed):
                        # a risk against another condition, which may be a risk factor of it; or a
                        # condition named against one guessed from a means ("temperature over 38"
                        # checks are read as for hypothermia)
                        penalty = ONE_SIDED_PENALTY
                        differ = True
        elif name in ("observation", "staff", "medicine") and (len(left) > 2 or len(right) > 2):
            differ = False  # a list: "temperature, heart rate and breathing"; "midwives, doctors and anaesthetists"
        elif name == "staff":
            # "a doctor" beside a grade ("ST3+ doctor", "FY2 doctor") is that grade
            left, right = (side - {"doctor"} if side & _GRADES else side for side in (left, right))
            differ = bool(left and right and not _compatible(left, right))
            if differ and not (left | right) - _GRADES:
                penalty = DIFFERS_PENALTY  # a review by the registrar is not one by the consultant
            elif left & _NEONATAL_GRADES and right & _NEONATAL_GRADES and not _compatible(left & _NEONATAL_GRADES, right & _NEONATAL_GRADES):
                # so is one by the neonatal team's, even beside other staff both name ("and the obstetric registrar")
                differ, penalty = True, DIFFERS_PENALTY
        elif name == "amount":  # amounts of one measure only: "12 hours" vs "24 hours", not "5 mg" vs "24 hours"
            differ = False
            for measure in {_quantity(x)[0] for x in left} & {_quantity(y)[0] for y in right}:
                left = frozenset(x for x in getattr(a, name) if _quantity(x)[0] == measure)
                right = frozenset(y for y in getattr(b, name) if _quantity(y)[0] == measure)
                if not _compatible(left, right, amounts=True):
                    differ = True
                    break
        elif name == "recipient" and (a.period == b.period == {"antenatal"} or not _DYAD.isdisjoint(a.words & b.words)):
            # Before the birth what is done for the baby is done with the mother: "colostrum
            # harvesting for women with diabetes" is "colostrum ready for babies at risk"; and some
            # changes are for both, whoever a text names: magnesium sulphate given to the mother
            # "for babies born under 30 weeks", her milk expressed for her baby, the cord clamped.
            unborn = [frozenset("mother" if r == "baby" else r for r in side) for side in (left, right)]
            differ = bool(left and right and not _compatible(*unborn))
        elif name == "act":  # auditing the training is not training: "audit and train" is not "train"
            differ = bool(left and right and left != right)
        else:
            differ = bool(left and right and not _compatible(left, right))
        if differ and name == "staff" and (_trains_staff(a) and _trains_staff(b) or a.served and b.served and not _compatible(a.served, b.served)):
            penalty = DIFFERS_PENALTY  # the staff trained, or those it is for, are who receives the change
        if differ:
            found.append((f"{' and '.join(sorted(left))} vs {' and '.join(sorted(right))}", penalty, name))
    # Auditing a change, or training staff in it, is another change than doing it: in one text
    # only, either costs as much as two different time points.
    if bool(a.act) != bool(b.act):
        act = sorted(a.act or b.act)
        found.append((f"{' and '.join(act)} vs doing it" if a.act else f"doing it vs {' and '.join(act)}",
                      DIFFERS_PENALTY, "act"))
    # A condition named by one text only is weaker evidence ("glucose test for women at risk"
    # may or may not be about gestational diabetes), so it costs less.
    if bool(a.condition) != bool(b.condition) and not all(c.endswith(" risk") for c in a.condition or b.condition):
        named = a.condition or b.condition
        found.append((f"{' and '.join(sorted(named))} vs no condition" if a.condition
                      else f"no condition vs {' and '.join(sorted(named))}", ONE_SIDED_PENALTY, "one-sided condition"))
    if a.period and b.period and not a.period & b.period:
        found.append((f"{' and '.join(sorted(a.period))} vs {' and '.join(sorted(b.period))}", DIFFERS_PENALTY,
                      "period"))
    if a.refusal != b.refusal:
        found.append(("declining vs not declining" if a.refusal else "not declining vs declining", DIFFERS_PENALTY,
                      "refusal"))
    # Starting a medicine or a check is not stopping it ("start caffeine once apnoeas begin" vs
    # "stop caffeine once apnoea-free"); nor is giving a medicine ("stop offering steroids before
    # an elective caesarean at term", see `_stopped`).
    if a.medicine & b.medicine or a.observation & b.observation:
        started = _started(a), _started(b)
        if set(started) == {"start", "stop"}:
            found.append((f"{started[0]} vs {started[1]}", DIFFERS_PENALTY, "start or stop"))
        elif started[0] != started[1]:
            stops = _stopped(a, b), _stopped(b, a)
            if any(stops):
                found.append(("stop vs doing it" if stops[0] else "doing it vs stop", DIFFERS_PENALTY, "start or stop"))
    # A condition named by one text only is weak evidence: a word swapped in the same sentence
    # may still tell them apart ("for women with a learning disability" vs "with autism").
    if all(kind == "one-sided condition" for _, _, kind in found):
        found.extend(_swaps(a, b))
    return found


def _started(text: Normalised) -> str:
    """"start" or "stop" when a text says one of them and not the other, else "" ("stop" of the
    stop-smoking service or of stop smoking is no stopping of a medicine, a starter pack no start)."""
    if "start" not in text.words and "stop" not in text.words:
        return ""
    words = text.text.split()
    start = any(word == "start" and words[i + 1:i + 2] not in (["kit"], ["pack"]) for i, word in enumerate(words))
    stop = any(word == "stop" and words[i + 1:i + 2] != ["smoking"] for i, word in enumerate(words))
    return "start" if start and not stop else "stop" if stop and not start else ""


def _trains_staff(text: Normalised) -> bool:
    """Whether a text is staff being trained, said first ("train midwives to...") or right after
    the training ("NLS training for midwives"): the staff it names are then those trained, not who
    trains them ("training delivered by the consultant", "PROMPT training led by obstetricians")."""
    return "train" in text.act and (text.text.startswith("train ") or any(f"train {staff}" in text.text for staff in text.staff))


# The words of a dose between a medicine and its stopping: "aspirin 150 mg/day", "gentamicin 5 mg/kg IV".
_DOSE_WORDS = frozenset(_UNITS) | {"daily", "intravenous", "oral", "im", "od", "bd", "nocte"}  # "IV" is read "intravenous"
# After "stop", the words that say a medicine is no longer given ("stop offering steroids").
_GIVING = frozenset({"offer", "use", "prescribe", "routine"})
_NOT = frozenset({"not", "dont", "never", "no"})
_WHEN = frozenset({"when", "once", "after", "before", "from", "by"})


def _stopped(text: Normalised, other: Normalised) -> bool:
    """Whether `text` stops giving every medicine it shares with `other`, which says nothing of
    starting or stopping: "stop offering antenatal steroids before an elective caesarean", "caffeine
    stopped at 34 weeks" against giving them. Not a stop said of something else ("stop the
    bleeding", "to stop contractions", "women who want to stop"), nor one denied ("do not stop
    aspirin at 36 weeks"), nor a switch that starts what the other gives ("stop metformin, start
    insulin" against insulin). A check stopped is often only moved ("stop 1 hour glucose checks;
    first check before the second feed"), so only medicines count."""
    shared = text.medicine & other.medicine
    if not shared or "start" in other.words or "stop" in other.words:
        return False
    words = text.text.split()
    stopped: set[str] = set()
    for i, word in enumerate(words):
        if word != "stop" or (i and words[i - 1] in _NOT):
            continue
        # the medicines named after it ("stop offering steroids"), or the one just before when a
        # time or nothing follows ("caffeine stopped at 34 weeks", not "atosiban to stop contractions")
        after = {medicine for medicine in shared
                 if _MEDICINE_WORDS[medicine] & {w for w in words[i + 1:i + 4] if w not in _GIVING}}
        if not after and i and (i + 1 == len(words) or words[i + 1][0].isdigit() or words[i + 1] in _WHEN):
            # the word before, or before its dose ("aspirin 150 mg stopped at 36 weeks")
            before = next((w for w in reversed(words[max(0, i - 5):i]) if not _AMOUNT.match(w) and w not in _DOSE_WORDS), "")
            after = {medicine for medicine in shared if before in _MEDICINE_WORDS[medicine]}
        stopped.update(after)
    return bool(stopped) and stopped == shared


# Each medicine term by the words that name it in a normalised text.
_MEDICINE_WORDS = {term: frozenset(word for phrase, named in _MEDICINE.items() if named == term for word in phrase.split())
                   for term in set(_MEDICINE.values())}


def _swaps(a: Normalised, b: Normalised) -> list[Difference]:
    """One or two words that take the place of one or two others in one sentence ("add
    misoprostol to the PPH box" vs "add carboprost to the PPH box"), when at least `_FRAME` of the
    longer text is the same words in the same order, or when that replacement is all that differs
    and at least two words stay the same (a short sentence). With `_LONG_SWAP_FRAME` words or more
    kept, three words may take the place of others inside the sentence ("champion to meet frontline
    staff monthly" vs "to meet MNVP service users monthly") or of one word ("stratify smoking data by
    ethnicity" vs "by deprivation quintile (IMD)"); two texts that only end differently ("with the
    result explained", "and smokers are put in touch with support") are reworded, not swapped.

    Two trusts with the same change mostly word it afresh, or keep one wording and add local
    detail; a sentence kept word for word but for one thing in one place is more often another
    change (another drug, place, tool or group). Known synonyms are one word by now; no swap is
    made by a typo, by a drug's kind for the drug ("uterotonic" for "carbetocin"), by the form a
    change takes ("bundle" vs "pathway"), by numbers and months (local detail; amounts are read as
    amounts), by the time words of two texts that both name a time, or by a word the other text
    says in another place. Words that place a change in time
    ("within"), frame it ("improve", "uptake") or name a condition both texts name are part of
    a rewording but are never what is swapped."""
    left, right = a.text.split(), b.text.split()
    if not left or not right or _kept_at_most(left, right) < 2 and _shared_at_most(left, right) < _FRAME * max(len(left), len(right)):
        return []  # too few words can stay in place for either test below: no alignment needed (the slow part)
    opcodes = SequenceMatcher(None, left, right, autojunk=False).get_opcodes()
    same = sum(i2 - i1 for tag, i1, i2, _, _ in opcodes if tag == "equal")
    only_swapped = [tag for tag, *_ in opcodes if tag != "equal"] == ["replace"]
    if same < _FRAME * max(len(left), len(right)) and not (only_swapped and same >= 2):
        return []
    # Two texts that both name a time were compared as terms, which knows that booking is in
    # early pregnancy: their time words are no swap.
    timed = {_singular(word) for point in chain(a.time, b.time) for word in point.split()} if a.time and b.time else set()
    # Words part of the rewording but never what is swapped: those that place the change in time,
    # those that frame it, and the words of a condition both texts name ("T1 mums" is "women with T1DM").
    shared = a.condition & b.condition
    shared_conditions = {_singular(word) for condition in shared for word in condition.split()}
    if shared:  # and the words that name it ("Black women" against "BAME women": one group)
        shared_conditions |= {word for word, condition in _POPULATION.items() if condition in shared}
    unswapped = _PREPOSITIONS | _FRAMING | shared_conditions
    if "senior doctor" in a.staff | b.staff and _compatible(a.staff, b.staff):
        # a senior doctor is a registrar or a consultant: compared as staff, no swap
        unswapped = unswapped | {word for term in a.staff | b.staff for word in term.split()}
    if "every contact" in a.time and "every contact" in b.time:
        timed |= _CONTACTS  # "at every visit" is "at every appointment"
    for tag, i1, i2, j1, j2 in opcodes:
        if tag != "replace":
            continue
        # A unit next to a number is an amount, compared as one ("4 hours" is "240 minutes").
        counted = any(_AMOUNT.match(word) for word in chain(left[max(0, i1 - 1):i2], right[max(0, j1 - 1):j2]))
        if i1 and j1 and left[i1 - 1] == right[j1 - 1] and _AMOUNT.match(left[i1 - 1]):
            # one number kept, its unit replaced: "2 weeks after discharge" against "2 days" (two
            # numbers, "240 minutes" against "4 hours", are compared as amounts)
            units = [{_UNITS[word][0] for word in side if word in _UNITS} for side in (left[i1:i2], right[j1:j2])]
            if units[0] and units[1] and units[0].isdisjoint(units[1]):
                return [_swapped(sorted(units[0]), sorted(units[1]))]
        # Two amounts of other measures in one place, neither a time: "birthweight below 2.5 kg"
        # against "below the 2nd centile" are two thresholds (each is compared as an amount only
        # with its own measure).
        measures = [{_UNITS[word][1] for k, word in enumerate(side) if word in _UNITS and k and _AMOUNT.match(side[k - 1])}
                    for side in (left[max(0, i1 - 1):i2], right[max(0, j1 - 1):j2])]
        if measures[0] and measures[1] and measures[0].isdisjoint(measures[1]) and "time" not in measures[0] | measures[1]:
            return [_swapped([word for word in left[i1:i2] if word in _UNITS], [word for word in right[j1:j2] if word in _UNITS])]
        # A limit said after an amount by one text only ("1 minute or more" against "at least 60
        # seconds") is the amount reworded; "2 kg or more" against "2 kg or less" is swapped.
        limits = [any(_limit(left, k) for k in range(i1, i2)), any(_limit(right, k) for k in range(j1, j2))]
        reworded = limits[0] != limits[1]
        old = [word for k, word in enumerate(left[i1:i2], i1)
               if not _says_little(word, counted) and word not in timed and not (reworded and _limit(left, k))]
        new = [word for k, word in enumerate(right[j1:j2], j1)
               if not _says_little(word, counted) and word not in timed and not (reworded and _limit(right, k))]
        inside = i2 < len(left) and j2 < len(right)  # words kept after it too, not a different ending
        limit = _SWAP_WORDS + 1 if same >= _LONG_SWAP_FRAME and (inside or min(len(old), len(new)) <= 1) else _SWAP_WORDS
        if len(old) > limit or len(new) > limit:
            continue  # a whole part reworded
        if _contrary(old, new):  # "reduce" against "increase", "use" against "avoid": never framing
            return [_swapped(old, new)]
        old = [word for word in old if word not in unswapped]
        new = [word for word in new if word not in unswapped]
        # A word the other text says elsewhere was moved, not replaced ("opt out" said last).
        old = [word for word in old if word not in b.words]
        new = [word for word in new if word not in a.words]
        if not old or not new:
            continue  # nothing said in its place
        if len(old) == len(new) == 1 and (DamerauLevenshtein.normalized_similarity(old[0], new[0]) >= _TYPO_SIMILARITY
                                          or _kind_of_drug(old[0], new[0]) or _one_word(old[0], new[0])):
            continue  # a typo, a drug's kind for the drug ("uterotonic" for "carbetocin"), or another form ("fund", "funding")
        if (old == ["admission"] and " ".join(new) in _SETTING) or (new == ["admission"] and " ".join(old) in _SETTING):
            continue  # "from birth to admission" is "from birth to the neonatal unit" (every setting
            # word read as no swap merged more look-alikes: a hard negative more at 80 on the fourth corpus)
        return [_swapped(old, new)]
    return []


_LIMIT_WORDS = frozenset({"more", "less", "over", "above", "below", "under"})


def _limit(words: list[str], k: int) -> bool:
    """Whether the k-th word says which side of an amount just before it is meant ("1 minute or
    more", read "60 second more"): part of the amount, never what is swapped."""
    return words[k] in _LIMIT_WORDS and k > 0 and (words[k - 1] in _UNITS or _AMOUNT.match(words[k - 1]) is not None)


def _kept_at_most(left: list[str], right: list[str]) -> int:
    """How many words the alignment can keep around one replaced part at most: the words the two
    texts start with and end with alike (the kept words of such an alignment are at their ends)."""
    start = next((k for k, (x, y) in enumerate(zip(left, right)) if x != y), min(len(left), len(right)))
    end = next((k for k, (x, y) in enumerate(zip(reversed(left), reversed(right))) if x != y), min(len(left), len(right)))
    return start + end


def _shared_at_most(left: list[str], right: list[str]) -> int:
    """How many words an alignment can keep in place at most: the words the two texts share, each
    as often as the text that says it less often."""
    return sum((Counter(left) & Counter(right)).values())


_FORM_ENDINGS = frozenset({"s", "es", "d", "ed", "ing", "ment"})


def _one_word(x: str, y: str) -> bool:
    """Whether two words are forms of one ("fund" and "funding", "audit" and "audited")."""
    short, long = sorted((x, y), key=len)
    return len(short) >= 4 and long.startswith(short) and long[len(short):] in _FORM_ENDINGS


def _kind_of_drug(x: str, y: str) -> bool:
    """Whether one of two medicines is the kind of the other ("uterotonic" of "carbetocin"); a
    consultant for a doctor stays a swap."""
    return x in _MEDICINE_TERMS and y in _MEDICINE_TERMS and (x in _IMPLIES.get(y, ()) or y in _IMPLIES.get(x, ()))


_MEDICINE_TERMS = frozenset(_MEDICINE.values())


def _swapped(old: list[str], new: list[str]) -> Difference:
    return f"{' '.join(old)} vs {' '.join(new)} in one sentence", SWAP_PENALTY, "swap"


def _contrary(old: list[str], new: list[str]) -> bool:
    """Whether the two sides of a swap go opposite ways ("reduce" against "increase", "use" against
    "avoid"; "reduce use" goes down as "avoid" does), or one offers what the other mandates."""
    def way(side: set[str]) -> str:
        return "down" if side & _DOWN else "up" if side & _UP else ""

    left, right = set(old), set(new)
    ways = {way(left), way(right)}
    return ways == {"up", "down"} or bool(("offer" in left and right & _MANDATE) or ("offer" in right and left & _MANDATE))


def _says_little(word: str, counted: bool) -> bool:
    """A word that does not make a swap: the form a change takes ("bundle", "pathway"), local
    detail, a number, or a unit beside one (`counted`)."""
    return (word in _FORMS or word in _MONTHS or (counted and word in _UNITS)
            or _AMOUNT.match(word) is not None)


# The kinds of term whose difference keeps two texts out of one cluster when they do not match on
# their own (see `_Kind._linkage` in driverkit.programme.common): numbers, read reliably.
_APART = frozenset({"amount"})


def _apart(differs: list[Difference]) -> bool:
    """Whether the differences of two texts say they are two changes whatever else they share."""
    return any(kind in _APART for _, _, kind in differs)


def _conditions_match(left: frozenset[str], right: frozenset[str], having: frozenset[str] = _NONE) -> str:
    """"same" when two sets of conditions name a common one, "differ" when not. A risk of a
    condition against a condition is "weak": another may be a risk factor of it ("hypoglycaemia
    risk" and "diabetes"), the same its aim ("babies on the hypo pathway"); but against the same
    condition said to be had (in `having`: "babies treated for hypoglycaemia") it differs. A
    condition looked for is not the same condition known ("type 2 diabetes (undiagnosed)" and
    "type 2 diabetes")."""
    found = "differ"
    for x in left:
        for y in right:
            (x_base, x_how), (y_base, y_how) = _condition_how(x), _condition_how(y)
            same = _compatible(frozenset({x_base}), frozenset({y_base}))
            if same and (x_how == y_how or {x_how, y_how} == {"risk", "undiagnosed"}):
                return "same"
            if "" in (x_how, y_how) and x_how != y_how \
                    and not (same and ("undiagnosed" in (x_how, y_how) or (x if not x_how else y) in having)):
                found = "weak"
    return found


def _condition_how(condition: str) -> tuple[str, str]:
    """A condition as named and how: ("hypoglycaemia", "risk"), ("diabetes", "undiagnosed"), ("jaundice", "")."""
    if condition.endswith(" risk"):
        return condition[:-5], "risk"
    if condition.endswith(" (undiagnosed)"):
        return condition[:-14], "undiagnosed"
    return condition, ""


def _time_kinds(points: frozenset[str]) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Time points as gestations, ages after the birth and named moments, to be compared apart."""
    after = frozenset(p for p in points if p.endswith(" postnatal") and (p[0].isdigit() or p.startswith("within ")))
    weeks = frozenset(p for p in points if (p[0].isdigit() or p.startswith(("under ", "from "))) and p not in after)
    return weeks, after, points - weeks - after


def _in_first_day(ages: frozenset[str]) -> bool:
    """Whether every age after the birth is within its first 24 hours ("within 6 hours postnatal")."""
    for age in ages:
        measure, _, _, hours = _quantity(age.removeprefix("within "))
        if measure != "time" or hours > 24:
            return False
    return True


def _weeks(point: str) -> Optional[tuple[float, float]]:
    """A gestation as a range of weeks: "26 weeks" (26, 26), "24 to 28 weeks" (24, 28), "under 32 weeks" (0, 31.86),
    "from 37 weeks" (37, 42): under 32 weeks ends at 31+6, so it is not "32+0 to 33+6 weeks"."""
    if not point.endswith(" weeks"):
        return None
    numbers = [_number(n) for n in re.findall(r"\d+(?:\+\d+)?", point)]
    if not numbers:
        return None
    if point.startswith("under "):
        return 0.0, numbers[0] - 1 / 7
    return (numbers[0], 42.0) if point.startswith("from ") else (min(numbers), max(numbers))


@lru_cache(maxsize=4096)
def _quantity(term: str) -> tuple[str, str, float, float]:
    """An amount ("12 hours", "6.0 to 6.9 mmol/l") or an age after the birth ("6 weeks postnatal")
    as what it measures, its unit when that converts to no other, and its range in the measure's
    first unit (hours, ml, mg). Laboratory values are one measure in many units: "120 micromol/l"
    of creatinine and "30 mg/mmol" of albumin are two thresholds, not one."""
    words = term.removesuffix(" postnatal").split(" ")
    side = words.pop(0) if words[0] in ("under", "from") else ""
    unit, per = words[-1].partition("/")[::2]
    name, measure, size = _UNIT_NAMES.get(unit) or _UNIT_NAMES[unit[:-1]]
    exact = ""
    if measure == "concentration" or per in ("l", "dl", "mol", "mmol"):
        measure, exact, size = "laboratory value", words[-1], 1.0
    elif size is None:
        exact, size = name, 1.0
    elif per:
        measure += f"/{per}"
    numbers = [_number(n) * size for n in words[:-1] if n != "to"]
    if side == "under":  # below the limit, not at it
        return measure, exact, 0.0, min(numbers) * 0.99
    return measure, exact, min(numbers), float("inf") if side == "from" else max(numbers)


def _is_amount(term: str) -> bool:
    """An amount or an age in numbers, or a limit of one ("from 4 ppm"), rather than a named term."""
    return term.removeprefix("under ").removeprefix("from ")[0].isdigit()


def _compatible(left: frozenset[str], right: frozenset[str], amounts: bool = False) -> bool:
    """Two sets of terms name a common one: equal, or one a more specific form of the other
    ("gestational diabetes" and "diabetes"), or gestations or amounts that overlap. With `amounts`,
    weeks are how long or how often, not gestations: "for 2 weeks" is "for 14 days"."""
    def overlap(x: str, y: str) -> bool:
        if x.startswith("within ") or y.startswith("within "):
            # A time within which it is done after the birth, against another or an age: trusts set
            # such targets apart by a little ("within 2 hours", "within 6 hours"), not by WITHIN_FACTOR.
            if not (x.endswith(" postnatal") and y.endswith(" postnatal")):
                return False
            (mx, ux, _, hx), (my, uy, _, hy) = _quantity(x.removeprefix("within ")), _quantity(y.removeprefix("within "))
            return mx == my and ux == uy and hx < WITHIN_FACTOR * hy and hy < WITHIN_FACTOR * hx
        wx, wy = (None, None) if amounts else (_weeks(x), _weeks(y))
        # Two limits of one side are two thresholds: "under 27 weeks" is not "under 32 weeks",
        # "after 2 consecutive readings" not "after 3".
        same_side = x[0] == y[0] and x.startswith(("under ", "from ")) and y.startswith(("under ", "from "))
        if wx is not None and wy is not None:
            return wx == wy if same_side else wx[0] <= wy[1] and wy[0] <= wx[1]
        if _is_amount(x) and _is_amount(y) and wx is None and wy is None:
            (mx, ux, lx, hx), (my, uy, ly, hy) = _quantity(x), _quantity(y)
            if mx != my or ux != uy:
                return False
            # equal within rounding: 13 weeks is 3 months; a month is also 4 weeks ("12 weeks of NRT", "3 months")
            r = 1.1 if "month" in x or "month" in y else 1.005
            if same_side:  # the same limit, within rounding
                return lx <= ly * r and ly <= lx * r and (hx <= hy * r and hy <= hx * r or hx == hy)
            return lx <= hy * r and ly <= hx * r
        return False

    return any(x == y or x.endswith(" " + y) or y.endswith(" " + x) or y in _IMPLIES.get(x, ()) or x in _IMPLIES.get(y, ())
               or overlap(x, y) for x in left for y in right)


def _structure(a: TextItem, b: TextItem) -> list[str]:
    return sorted(set(a.serves) & set(b.serves)) + sorted(set(a.measures) & set(b.measures))


def _text_score(a: Normalised, b: Normalised, cutoff: float = 0.0,
                weights: Optional[Weights] = None) -> tuple[float, float, float, list[Difference]]:
    """The score of two texts without the structural evidence: wording less the differences."""
    wording, token_set, token_sort = _wording(a, b, weights)
    if a.changes.isdisjoint(b.changes):
        if wording < cutoff:
            return wording, token_set, token_sort, []  # penalties only lower it
        differs = _differences(a, b)
    else:
        # What the change both name adds to the wording: less the more their own words say
        # already (see `CHANGE_DAMPING`), and nothing when it should not count. Their own words
        # may say more than all of them, when each also names a change the other does not: the
        # score is then at most their own words'.
        plain = _wording(a, b, weights, unnamed=True)
        kept = min(1.0, CHANGE_DAMPING * (1.0 - plain[0] / 100.0))
        wording, token_set, token_sort = (low + (high - low) * kept for low, high in zip(plain, (wording, token_set, token_sort)))
        if max(wording, plain[0]) < cutoff:
            return wording, token_set, token_sort, []
        differs = _differences(a, b)
        if not _change_counts(a, b, differs):
            wording, token_set, token_sort = plain
    return max(0.0, wording - sum(difference[1] for difference in differs)), token_set, token_sort, differs


def _change_counts(a: Normalised, b: Normalised, differs: list[Difference]) -> bool:
    """Whether a change of the field both texts name counts in their score: not when a term tells
    them apart (it would say they are alike where they differ), nor when each names a means of
    carrying it out and none in common (a poster on it and a sticker for it are two changes)."""
    return not differs and not (a.means and b.means and a.means.isdisjoint(b.means))


def _own_words(text: Normalised) -> frozenset[str]:
    """A text's words without those that count the changes it names."""
    return text.words - text.counted if text.counted else text.words


def _explain(score: float, wording: float, token_set: float, token_sort: float, differs: list[Difference],
             shared: list[str], named: Sequence[str] = (), gain: float = 0.0,
             alone: tuple[Sequence[str], Sequence[str]] = ((), ())) -> str:
    """The reason of a match: `gain` is what the changes of the field gave the wording, those
    both texts name (`named`) and those each names alone (`alone`, which take away)."""
    if token_set == token_sort == 100.0:
        parts = ["Same words once normalised (100)"]
    else:
        parts = [f"Wording {wording:.0f} (shared {token_set:.0f}, whole {token_sort:.0f})"]
    if named and gain >= 0.5:  # within the wording: +12 of it as both name the change
        changes = " and ".join(f"'{change}'" for change in named)
        also = " and ".join(f"'{change}'" for change in (*alone[0], *alone[1]))
        parts[0] = (parts[0][:-1] + f"; +{gain:.0f} of it as both name the change{'s' if len(named) > 1 else ''} {changes}"
                    + (f", less as only one names {also})" if also else ")"))
    elif gain <= -0.5 and (alone[0] or alone[1]):  # -6 of it as only one names the change
        if alone[0] and alone[1]:
            said = "they name different changes, " + " against ".join(" and ".join(f"'{c}'" for c in side) for side in alone)
        else:
            changes = alone[0] or alone[1]
            said = f"only one names the change{'s' if len(changes) > 1 else ''} " + " and ".join(f"'{c}'" for c in changes)
        parts[0] = parts[0][:-1] + f"; -{-gain:.0f} of it as {said})"
    if differs:
        parts.append("differs: " + "; ".join(f"{what} (-{penalty:.0f})" for what, penalty, _ in differs))
    if shared:
        parts.append(f"both serve or report {', '.join(shared)} (+{STRUCTURE_BONUS:.0f})")
    return ", ".join(parts) + f": {score:.0f}."


def _score(na: Normalised, nb: Normalised, a: TextItem, b: TextItem,
           scored: Optional[tuple[float, float, float, list[Difference]]] = None, weights: Optional[Weights] = None) -> Match:
    """The match of two items; `scored`, when given, is `_text_score(na, nb, weights=weights)`
    worked out already."""
    text, token_set, token_sort, differs = scored or _text_score(na, nb, weights=weights)
    wording = (token_set + token_sort) / 2
    shared = _structure(a, b)
    score = min(100.0, text + (STRUCTURE_BONUS if shared else 0.0))
    named = sorted(na.changes & nb.changes)
    alone = (sorted(na.changes - nb.changes), sorted(nb.changes - na.changes))
    counts = _change_counts(na, nb, differs) if named else bool(alone[0] or alone[1])
    gain = wording - _wording(na, nb, weights, unnamed=True)[0] if counts else 0.0
    return Match(a, b, round(score, 1), _explain(score, wording, token_set, token_sort, differs, shared, named, gain, alone))


def word_weights(items: Iterable[TextItem], vocabulary: Optional[Mapping[str, str]] = None,
                 known_changes: Optional[KnownChanges] = None) -> Optional[dict[str, float]]:
    """What each word of the items' normalised texts weighs when they are compared among
    themselves, as `find_clusters` weighs the words of the items of one kind (pass items of one
    kind): a word common to many of them weighs less (see `_word_weights`); None when they are too
    few to say."""
    normalise = normaliser(vocabulary, known_changes)
    return _word_weights(normalise(item.text) for item in items)


def compare(a: TextItem, b: TextItem, vocabulary: Optional[Mapping[str, str]] = None,
            weights: Optional[Weights] = None, known_changes: Optional[KnownChanges] = None) -> Match:
    """Scores two items (0 to 100) and says why; `weights` (from `word_weights`) weighs their
    words as among the items it was worked out on, as `find_clusters` does. `vocabulary` and
    `known_changes`: a programme's own, added to the shipped ones (see `reading.Normaliser`)."""
    normalise = normaliser(vocabulary, known_changes)
    na, nb = normalise(a.text), normalise(b.text)
    return _score(na, nb, a, b, _text_score(na, nb, weights=weights), weights)

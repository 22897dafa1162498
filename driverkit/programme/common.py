"""Common ground across the projects of a programme: the same change idea, driver or measure
name written by different member projects, in the same words or in other words.

The module takes plain items (a member, a kind, an id, a text and some structural evidence) and
returns clusters of items from different members, each join explained. It knows nothing of the
project model, so that it can be tested and reused on its own.

How a pair is scored:

1. Each text is normalised: lower case, punctuation dropped, plurals made singular (crudely),
   gestations written one way ("<34/40", "before 34 weeks" and "under 34 wks" are "under 34
   week"; "37 weeks or more" is "from 37 week"), a misspelled word of the field read as the word
   meant ("monoxdie"), the field's vocabulary applied (driverkit.programme.vocabulary: "co" is
   "carbon monoxide", "quit team" is "stop smoking service", "mums" are women), what a text sets
   itself against, adds itself to or goes without dropped ("at every visit, not just at booking",
   "at 36 weeks as well as at booking", "currently booking only", "no GP prescription"), stop
   words dropped.
2. The wording score weighs the words the two texts share: a word of the field counts 1, a word
   the vocabulary does not know or one too general to tell changes apart (`GENERIC`: "care",
   "maternity", and "smoking", the subject of a whole workstream) counts `LIGHT`. It is the mean
   of the share of the shorter text found in the other and of the share of both (see `_wording`).
3. Discriminating terms are read from each text: the time point (booking, 36 weeks, 24 to 28
   weeks, the first trimester, second feed, the second stage of labour, 6 weeks postnatal, day
   5, at diagnosis, during a transfer, at the change of shift), an amount (a dose, a volume, a
   threshold with its side, how long or how often, how many: "5 mg", "below 2.0 mmol/l", "500
   ml", "for 12 hours", "every 15 minutes", "up to 2 doses"), the recipient (the mother, the
   baby, a partner, the parents, staff), the condition or population (gestational diabetes,
   preterm, shoulder dystocia, substance misuse, BMI over 30, GDM in an earlier pregnancy...),
   how the baby is born (caesarean, vaginal birth), whether the women smoke (smokers,
   non-smokers), what is given (antenatal steroids, magnesium sulphate, NRT...), what is
   measured (temperature, blood glucose, HbA1c, renal function...), which transfer (in utero, ex
   utero, back to the local unit), the setting (labour ward, postnatal ward, neonatal unit, birth
   centre...), what the team does about it (audit it, train or teach staff in it) and who does it
   (the midwife, the health visitor, the registrar...). When both texts name one of these and
   they have nothing in common, the score loses `DIFFERS_PENALTY` (`SETTING_PENALTY` for the
   setting, `STAFF_PENALTY` for who does it), so that two texts alike in every word but one such
   term stay below a threshold of 55; an audit, staff training or a refusal ("women declining the
   test") in one text only costs the same, and so do two texts placed in different periods (in
   pregnancy, in labour, after the birth); a condition named by one text only costs
   `ONE_SIDED_PENALTY`. A condition named as a risk ("babies at risk of hypoglycaemia", "to
   prevent hypothermia") is not the condition itself: against it, or against another condition
   that may be a risk factor of it, it costs `ONE_SIDED_PENALTY`, against it said to be had
   ("babies treated for hypoglycaemia") as much as any difference, and named by one text only
   nothing; a condition looked for ("undiagnosed type 2 diabetes") differs from the same
   condition known. Babies at term and preterm babies differ even in a list of conditions, and
   other conditions are compared apart from them ("term admissions for jaundice" is not "for
   respiratory distress"); a list of three or more conditions, medicines, measures or staff is
   read as a list (risk factors, a bundle, who attends), not as what the change is about.
   Amounts of one measure are compared in one unit (240 minutes are 4 hours), gestations to the
   day (under 34 weeks is not 34+0); two limits on one side are two thresholds (under 27 weeks is
   not under 32 weeks). A time limit ("within 1 hour") is a target, not an amount. Before the
   birth, what is done for the baby is done with the mother: there a baby and a mother are no
   two recipients. The explanation names the terms ("differs: booking vs 36 weeks", "5 mg vs 400
   microgram").
4. Structural evidence: two items that serve the same programme element, or report the same
   shared measure, gain `STRUCTURE_BONUS` (once).

Clusters grow by average linkage (see `find_clusters`), so look-alikes do not chain; nor does a
cluster take in a text whose amount differs from one of its texts that it does not match on its
own ("call the team at 500 ml" does not join a cluster holding "at 1000 ml" through a third
text about measuring blood loss).

Cost: identical normalised texts are scored once, and other texts only when they share a
blocking key (a rare word, a pair of their rarest words, or for a short text any of its rarer
words; a large block split again; see `_Kind._blocks`), so the number of pairs scored grows
about in proportion to the number of texts, not with its square. The candidates are listed
and weighed many at a time (numpy): a bound on the weight of their common words, worked out on
the words as bits, rules out most of them before any is compared word by word (`_Kind._reach_bounds`).
`MatchStats` counts them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from difflib import SequenceMatcher
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, combinations
from typing import Iterable, Mapping, Optional

import numpy as np

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from driverkit.programme.vocabulary import ALL, CASED, TOPICS

DIFFERS_PENALTY = 50.0
STAFF_PENALTY = 20.0
ONE_SIDED_PENALTY = 10.0
SETTING_PENALTY = 40.0
SWAP_PENALTY = 40.0
STRUCTURE_BONUS = 5.0
NEAR_LOWEST = 50.0
"""The lowest score `near_matches` searches from."""
LIGHT = 0.4  # the weight of a word the vocabulary does not know, against 1 for a word of the field

# Words of the field too general to tell one change from another: they weigh as little as words
# the vocabulary does not know.
GENERIC = frozenset(
    "woman baby pregnancy pregnant birth care midwife staff team service test offer use support all every "
    "patient clinic ward unit appointment risk management improve ensure increase reduce implement new "
    "maternity neonatal antenatal postnatal doctor nurse consultant registrar anaesthetist "
    "programme project process plan review record "
    "assessment system tool chart documented documentation bundle guideline pathway policy "
    # how often and how soon: the time terms below tell these apart, as wording they only pad
    "within week hour day minute second first early late daily weekly monthly annual "
    # the subject of a whole workstream: every change of it is about smoking and stopping it
    "smoking stop".split()
)

# A word of 6 letters or more that the field does not know may be a misspelling of one it does.
_TYPO_LENGTH = 6

# Blocking (see `_Kind._blocks`): a word in at most this many distinct texts of a kind is
# a key on its own; otherwise pairs of a text's rarest words are.
_RARE_DF = 10
_PREFIX = 7
# A text short enough to reach the cutoff with a partner sharing only `_FEW_SHARED` of its words
# also has each of its `_SHORT_PREFIX` rarest words as a key, when the word is in at most
# `_BLOCK_CAP` texts.
_FEW_SHARED = 2
_SHORT_PREFIX = 8
_BLOCK_CAP = 48
_SUB_PREFIX = 8
_WINDOW = 12
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
                     "new use offer uptake".split())
# Which way a swap goes (see `_contrary`): framing or not, "reduce" is not "increase", "use" not
# "avoid"; and a mandate is not an offer.
_UP = frozenset({"increase", "raise", "higher", "more", "use", "offer", "promote", "start"})
_DOWN = frozenset({"reduce", "decrease", "lower", "fewer", "less", "avoid", "stop", "ban", "withhold", "discontinue"})
_MANDATE = frozenset({"mandate", "mandatory"})
_MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                     "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                     "sept", "oct", "nov", "dec"})

# The field's abbreviations and synonyms (driverkit.programme.vocabulary); a programme adds its own.
VOCABULARY: dict[str, str] = dict(ALL)
# Acronyms that are also English words, read as acronyms only when written in capitals ("PROMPT").
_CASED = re.compile(r"\b(?:" + "|".join(map(re.escape, CASED)) + r")\b")

_STOP_WORDS = frozenset(
    "a an the and or of to for in on at by with from as is are be been being was were it its this that these those "
    "her his their she he they them we our you your who whom which when where while all every each any some "
    "has have had get gets got put then than there into onto so not no per also very just only straight "
    "unless until after before under about".split()
)

_IRREGULAR = {"news": "news", "women": "woman", "men": "man", "children": "child", "feet": "foot", "teeth": "tooth",
              "hrs": "hr", "aches": "ache", "niches": "niche", "creches": "creche", "tranches": "tranche", "caches": "cache"}
_KEEP_S = ("ss", "us", "is", "ous")

# Discriminating terms: category -> {phrase: what it names}. Phrases are in normalised words.
_RECIPIENT = {
    "mother": "mother", "woman": "mother", "maternal": "mother", "pregnant": "mother",
    "baby": "baby", "partner": "partner", "parent": "parent",
    "newborn early warning": "baby", "maternity early warning score": "mother",
}
_CONDITION = {
    "gestational diabete": "gestational diabetes", "diabete": "diabetes", "type 1 diabete": "type 1 diabetes",
    "type 2 diabete": "type 2 diabetes", "hypoglycaemia": "hypoglycaemia", "hypothermia": "hypothermia",
    "hyperthermia": "hyperthermia", "hyperglycaemia": "hyperglycaemia", "pre eclampsia": "pre-eclampsia", "sepsis": "sepsis",
    "haemorrhage": "haemorrhage", "jaundice": "jaundice", "preexisting diabete": "pre-existing diabetes",
    "preexisting diabetes": "pre-existing diabetes", "gestational diabetes": "gestational diabetes",
    "diabetes": "diabetes", "type 1 diabetes": "type 1 diabetes", "type 2 diabetes": "type 2 diabetes",
    "preterm": "preterm", "term admission": "term", "term baby": "term", "term infant": "term", "type 1": "type 1 diabetes",
    "type 2": "type 2 diabetes",
    "group b strep": "group b strep", "hypertension": "hypertension", "meconium": "meconium",
    # obstetric emergencies
    "shoulder dystocia": "shoulder dystocia", "cord prolapse": "cord prolapse", "breech": "breech",
    "maternal collapse": "maternal collapse", "woman collapse": "maternal collapse", "uterine rupture": "uterine rupture", "eclampsia": "eclampsia",
    # how the baby is born, as a population ("cord gases for every emergency caesarean")
    "caesarean": "caesarean", "emergency caesarean": "emergency caesarean", "elective caesarean": "elective caesarean",
    "category 1 caesarean": "category 1 caesarean", "full dilatation caesarean": "full dilatation caesarean",
    "previous caesarean": "previous caesarean",
    # the woman's health and circumstances
    "mental health": "mental health", "substance misuse": "substance misuse", "domestic abuse": "domestic abuse",
    "obesity": "obesity", "twin": "twins", "primip": "first pregnancy",
    "venous thromboembolism": "venous thromboembolism",
    "anaemia": "anaemia", "cholestasis": "cholestasis", "epilepsy": "epilepsy", "placenta praevia": "placenta praevia",
    "placenta accreta": "placenta accreta",
    # the baby's
    "small for gestational age": "small for gestational age", "large for gestational age": "large for gestational age",
    "macrosomia": "macrosomia", "polyhydramnio": "polyhydramnios", "reduced fetal movement": "reduced fetal movements",
    "weight loss": "weight loss", "neonatal abstinence": "neonatal abstinence",
    "hypoxic ischaemic encephalopathy": "hypoxic ischaemic encephalopathy",
    "respiratory distress": "respiratory distress", "infection": "infection",
    # whose death: the baby's or the mother's (the words before "death" name no recipient)
    "baby death": "neonatal death", "woman death": "maternal death", "mother death": "maternal death",
}
# A means with another use than the aim it names (vocabulary.TOPICS) when a text names these
# conditions or words: magnesium sulphate protects the preterm baby's brain, and prevents eclamptic
# seizures.
_OTHER_USES = {"neuroprotection": ("pre-eclampsia", "eclampsia", "seizure")}
# A condition of an earlier pregnancy is a risk factor of this one, not the condition itself:
# "early OGTT for women with previous GDM" is not "for women with GDM". (Read with the conditions;
# "prior" and "history" are no words of the field for it.)
_HISTORY = {f"{before} {phrase}": f"{name} in a previous pregnancy"
            for before in ("previous", "prior", "history of")
            for phrase, name in (("gestational diabete", "gestational diabetes"), ("gestational diabetes", "gestational diabetes"),
                                 ("pre eclampsia", "pre-eclampsia"), ("obstetric haemorrhage", "haemorrhage"),
                                 ("preterm birth", "preterm birth"), ("preterm", "preterm birth"),
                                 ("stillbirth", "stillbirth"), ("macrosomia", "macrosomia"),
                                 ("shoulder dystocia", "shoulder dystocia"),
                                 ("small for gestational age", "small for gestational age"))}
_GESTATION_GROUPS = frozenset({"term", "preterm"})
_PREVENTING = frozenset({"prevent", "preventing", "prevention", "avoid", "avoiding"})
_RISK_WORDS = frozenset({"risk", "undiagnosed"}) | _PREVENTING
_HAVING_WORDS = frozenset({"with", "treated", "having", "diagnosed", "known"})
# How the baby is born: "cord clamping at caesarean section" is not "at vaginal birth". (A
# caesarean is a condition too: "cord gases for every emergency caesarean".)
_MODE = {"caesarean": "caesarean", "emergency caesarean": "emergency caesarean",
         "elective caesarean": "elective caesarean", "category 1 caesarean": "category 1 caesarean",
         "full dilatation caesarean": "full dilatation caesarean", "vaginal birth": "vaginal birth",
         "instrumental birth": "instrumental birth", "previous caesarean": ""}  # a history, not how this baby is born
# Conditions that name one another: pre-existing diabetes is type 1 or type 2.
_IMPLIES = {"type 1 diabetes": {"pre-existing diabetes"}, "type 2 diabetes": {"pre-existing diabetes"},
            # the mother and her partner are the baby's parents, and speak for it
            "mother": {"parent"}, "partner": {"parent"}, "baby": {"parent"},
            "consultant": {"doctor"}, "registrar": {"doctor"}, "blood glucose": {"glucose"},
            "sepsis": {"infection"}, "group b strep": {"infection"},
            "labour ward": {"maternity ward"}, "postnatal ward": {"maternity ward"}, "antenatal ward": {"maternity ward"},
            "birth room": {"labour ward"}, "instrumental birth": {"vaginal birth"},
            "category 1 caesarean": {"emergency caesarean"}, "full dilatation caesarean": {"emergency caesarean"},
            # time: booking is early in pregnancy; the stages of labour are in labour
            "booking": {"early pregnancy"}, "discharge": {"postnatal"}, "first stage of labour": {"in labour"},
            "second stage of labour": {"in labour"}, "third stage of labour": {"in labour"}}
_SETTING = {
    "labour ward": "labour ward", "postnatal ward": "postnatal ward", "antenatal ward": "antenatal ward",
    "neonatal unit": "neonatal unit", "transitional care": "transitional care", "triage": "triage",
    "emergency department": "emergency department", "theatre": "theatre", "antenatal clinic": "antenatal clinic",
    "diabetes clinic": "diabetes clinic", "home": "home", "gp": "gp",
    "maternity ward": "maternity ward", "inpatient": "maternity ward",
    # where the baby is born, away from the theatre; and wards outside maternity
    "birth room": "birth room", "birth centre": "birth centre", "midwife led unit": "birth centre",
    "general ward": "general ward", "medical ward": "general ward", "surgical ward": "general ward",
}
# Who does it: two texts naming one each, and not the same, are two changes ("recorded by the
# midwife" vs "by the health visitor"; "escalate to the consultant" vs "to the registrar").
_STAFF = {
    "midwife": "midwife", "doctor": "doctor", "consultant": "consultant", "registrar": "registrar",
    "anaesthetist": "anaesthetist", "neonatal team": "neonatal team", "health visitor": "health visitor",
    "gp": "gp", "maternity support worker": "maternity support worker", "pharmacist": "pharmacist",
    "dietitian": "dietitian", "diabetes specialist nurse": "diabetes specialist nurse",
    "diabetes specialist midwife": "diabetes specialist midwife", "fetal monitoring lead": "fetal monitoring lead",
    "coordinator": "coordinator", "stop smoking service": "stop smoking service",
    "infant feeding team": "infant feeding team", "sonographer": "sonographer",
}
# What is measured or checked: the baby's temperature is not its blood glucose.
_OBSERVATION = {
    "temperature": "temperature", "blood glucose": "blood glucose", "glucose": "glucose",
    "blood pressure": "blood pressure", "heart rate": "heart rate", "fetal heart rate": "fetal heart rate",
    "oxygen saturation": "oxygen saturation", "respiratory rate": "respiratory rate", "lactate": "lactate",
    "bilirubin": "bilirubin", "hba1c": "hba1c", "carbon monoxide": "carbon monoxide", "weight": "weight",
    "creatinine": "creatinine", "urine": "urine", "cord blood gase": "cord blood gases", "ketone": "ketones",
    "renal function": "renal function", "kidney function": "renal function", "retinal": "retinal screening",
    "thyroid function": "thyroid function", "haemoglobin": "haemoglobin", "ferritin": "ferritin",
    "fetal fibronectin": "fetal fibronectin", "cervical length": "cervical length",
}
# What is given: antenatal steroids are not magnesium sulphate. Three or more are a list (a bundle).
_MEDICINE = {
    "antenatal steroid": "antenatal steroids", "magnesium sulphate": "magnesium sulphate",
    "nicotine replacement therapy": "nicotine replacement therapy", "ecigarette": "e-cigarettes",
    "varenicline": "varenicline", "aspirin": "aspirin", "insulin": "insulin", "metformin": "metformin",
    "tranexamic acid": "tranexamic acid", "uterotonic": "uterotonic", "antibiotics": "antibiotics",
    "lmwh": "heparin", "glucose gel": "glucose gel", "folic acid": "folic acid", "vitamin d": "vitamin d",
    "vitamin k": "vitamin k", "caffeine": "caffeine", "surfactant": "surfactant",
    "progesterone": "progesterone", "iron": "iron", "anti d": "anti-D",
    # for blood pressure, to stop contractions, and for bleeding after the birth
    "labetalol": "labetalol", "nifedipine": "nifedipine", "methyldopa": "methyldopa", "hydralazine": "hydralazine",
    "atosiban": "atosiban", "oxytocin": "oxytocin", "carbetocin": "carbetocin", "carboprost": "carboprost",
    "misoprostol": "misoprostol", "ergometrine": "ergometrine",
}
# Which transfer: of the mother before the birth, of the baby after it, or of the baby back to its local unit.
_TRANSFER = {"inutero transfer": "in utero transfer", "postnatal transfer": "ex utero transfer",
             "repatriation": "repatriation"}
# What the team does about the thing rather than the thing itself: check it afterwards, teach it,
# talk it over after the event, or remind people of it.
_ACT = {"audit": "audit", "train": "train", "debrief": "debrief", "debriefing": "debrief", "reminder": "remind",
        "remind": "remind", "reminding": "remind",
        # the forms staff training takes: a course, a drill, a simulation
        "emergency training": "train", "simulation": "train", "study day": "train"}
_REFUSAL = {"declining": "declining", "decline": "declining", "declined": "declining", "refused": "declining",
            "refusing": "declining", "refusal": "declining"}
_TIME_WORDS = {"booking": "booking", "discharge": "discharge", "first feed": "first feed",
               "second feed": "second feed", "third feed": "third feed", "early pregnancy": "early pregnancy",
               "late pregnancy": "late pregnancy", "postnatal": "postnatal", "antenatal": "antenatal",
               "intrapartum": "in labour", "at birth": "birth", "preconception": "preconception",
               "mid pregnancy": "mid pregnancy", "first stage of labour": "first stage of labour",
               "second stage of labour": "second stage of labour", "third stage of labour": "third stage of labour",
               "dating scan": "dating scan", "anomaly scan": "anomaly scan"}
# Moments of care: moving a woman or a baby, the change of shift, the diagnosis. Time points too,
# but their words weigh as other words do ("newly diagnosed" is no word of the field).
_MOMENTS = {"at transfer": "transfer", "shiftchange": "shift change", "at diagnosis": "diagnosis",
            "newly diagnosed": "diagnosis", "new birth visit": "new birth visit"}
# Named moments of pregnancy as gestations (weeks), to compare with a text that writes weeks:
# booking is by 10 weeks and before 13, so "CO test at booking" is not "CO test at 36 weeks".
_MOMENT_WEEKS = {"booking": (0.0, 13.0), "early pregnancy": (0.0, 16.0), "mid pregnancy": (13.0, 28.0),
                 "dating scan": (10.0, 14.0), "anomaly scan": (18.0, 21.0),
                 "late pregnancy": (28.0, 42.0),
                 "antenatal": (0.0, 42.0)}
# Words that place a change in pregnancy or after the birth: two texts placed only in one and only
# in the other are two changes ("home visits for pregnant smokers", "for new mothers after the birth").
_ANTENATAL_WORDS = frozenset({"pregnant", "pregnancy", "antenatal", "booking", "antenatal clinic", "antenatal ward",
                              "early pregnancy", "mid pregnancy", "late pregnancy", "dating scan", "anomaly scan"})
_POSTNATAL_WORDS = frozenset({"postnatal", "discharge", "postnatal ward", "new birth visit"})
# And in labour, between the two: "hourly blood glucose in labour" is neither.
_LABOUR_TIMES = frozenset({"in labour", "first stage of labour", "second stage of labour", "third stage of labour"})
# The time points that are whole periods, against the precise moments within them.
_PERIODS = frozenset({"antenatal", "postnatal", "in labour"})
# Units of amounts: word -> (unit as shown, what it measures, its size in the first unit of that
# measure, or None when it converts to no other: a millimole is not a milligram).
_UNITS = {
    "second": ("second", "time", 1 / 3600), "sec": ("second", "time", 1 / 3600),
    "minute": ("minute", "time", 1 / 60), "min": ("minute", "time", 1 / 60),
    "hour": ("hour", "time", 1.0), "hr": ("hour", "time", 1.0), "h": ("hour", "time", 1.0),
    "day": ("day", "time", 24.0), "week": ("week", "time", 168.0), "wk": ("week", "time", 168.0),
    "month": ("month", "time", 730.0), "year": ("year", "time", 8760.0),
    "ml": ("ml", "volume", 1.0), "litre": ("litre", "volume", 1000.0), "liter": ("litre", "volume", 1000.0),
    "mcg": ("microgram", "mass", 0.001), "microgram": ("microgram", "mass", 0.001), "mg": ("mg", "mass", 1.0),
    "g": ("g", "mass", 1000.0), "gram": ("g", "mass", 1000.0), "kg": ("kg", "mass", 1e6),
    "unit": ("unit", "dose", None), "iu": ("unit", "dose", None),
    "mmol": ("mmol", "concentration", None), "micromol": ("micromol", "concentration", None),
    "umol": ("micromol", "concentration", None), "ppm": ("ppm", "ppm", None),
    "c": ("°C", "temperature", None), "degree": ("°C", "temperature", None), "mmhg": ("mmHg", "pressure", None),
    # how many: "up to 2 doses", "after 3 consecutive readings"
    "dose": ("dose", "doses", None), "consecutive": ("consecutive", "consecutive", None),
    # an early warning score's trigger, written after the word: "a MEWS score of 5 or above"
    "score": ("score", "score", None),
}
_COUNTS = frozenset({"doses", "consecutive"})  # measures that count, with no limit to be above or below
_UNIT_NAMES = {name: (name, measure, size) for name, measure, size in _UNITS.values()}
# The unit an amount is per: "mmol/l", "mg/kg", "mg/mmol".
_PER_UNIT = {"l": "l", "litre": "l", "liter": "l", "dl": "dl", "mol": "mol", "mmol": "mmol", "kg": "kg"}
# Words before a number of weeks that make it a duration, not a gestation: "for 2 weeks".
_DURATION = frozenset({"within", "for", "every", "each", "over", "lasting", "per", "last", "next", "first"})
_NONE: frozenset[str] = frozenset()
_UNDER = frozenset({"before", "under", "below"})
# What a text sets itself against ("not just at booking", "rather than at 36 weeks"), or adds
# itself to ("as well as at booking"); also "currently" ("currently booking only") and "no" and
# "without" ("no GP prescription needed"), see `_unsaid`.
_NEGATIONS = frozenset({("not", "just"), ("not", "only"), ("rather", "than"), ("instead", "of"), ("as", "well"),
                        ("in", "addition")})
# What a change spares people, after "not" or "don't": "have to (wait for a GP prescription)".
_SPARED = frozenset({("have", "to"), ("need", "to"), ("need", "a"), ("need", "an")})
# A word of each (of a pair, the rarer): a text with none of them has nothing to drop.
_BUT_NOT = frozenset({"not", "t", "rather", "instead", "well", "addition", "currently", "no", "without"})
_CAN = frozenset({"can", "have", "has"})  # "she can decline", "women have to say no" (with a default named)
_CHOICE_WORDS = frozenset({"unless", "if"}) | _CAN  # a text with none of them opts no one out (see `_opting_out`)
_FROM = frozenset({"after", "over", "beyond", "above", "from"})
_OR_MORE = frozenset({("or", "more"), ("or", "over"), ("or", "above"), ("and", "over"), ("and", "above")})
# Words before a time that make it how long or how often: "for 12 hours", "every 15 minutes".
_HOW_LONG = frozenset({"for", "every", "each", "per", "lasting"})
# A recipient word just after these names whose the recipient is ("babies whose mothers", "babies
# of diabetic mothers") or whom it is compared with ("partners ... as the pregnant woman",
# "alongside the woman"), not a second recipient.
_QUALIFYING = frozenset({"whose", "of", "as", "alongside"})
# "every antenatal contact", "each community midwife visit", "all ANC appointments" (see `_every_contact`)
_EVERY = frozenset({"every", "each", "all"})
_CONTACTS = frozenset({"contact", "visit", "appointment", "encounter"})
_CONTACT_KINDS = frozenset({"antenatal", "clinic", "community", "midwife", "midwifery", "routine", "face", "to"})
# Words after "audit" that make it the evidence for a change, not the change: "audit showed".
_FINDING = frozenset({"show", "showed", "shown", "found", "revealed", "identified", "highlighted"})
# A recipient word just before these names whom a loss befell, not whom the change is for.
_LOSS = frozenset({"death", "loss"})
# Words of smoking and of its absence (see `_smoking_status`): "don't" is "don" and "t".
_SMOKE_WORDS = frozenset({"smoker", "smoke", "smoking", "nonsmoker"})
_NOT = frozenset({"not", "t", "never", "no"})
_NUMBER = re.compile(r"^\d+(?:\+\d+)?$")
_AMOUNT = re.compile(r"^\d+(?:\.\d+)?(?:\+\d+)?$")  # a number as written: "2.5", "34+6"
# A word with a digit after its letters is one word ("hba1c", "t1dm", "news2"); a number is one
# word with its decimals or its "+days" ("2.5", "34+6").
_WORD = re.compile(r"[a-z]+\d[a-z0-9]*|\d+(?:\.\d+)?(?:\+\d+)?|[a-z]+")
# "co-" before a word in lower case is a prefix ("co-locate", "Co-ordinator"); in capitals it is
# carbon monoxide ("CO-validated").
_CO_PREFIX = re.compile(r"\b([Cc]o)-(?=[a-z])")
_POSSESSIVE = re.compile(r"'s\b")
# An acronym letter by letter: "S-B-A-R", "C.O." (two letters in capitals only: "e.g." is no acronym).
_SPELLED_OUT = re.compile(r"\b(?:[A-Z](?:[-.][A-Z])+|[A-Za-z](?:[-.][A-Za-z]){2,})\b\.?")
# Where one may be, faster to look for: a letter between two stops, or two capitals around one.
_SPELLED_HINT = re.compile(r"[-.][A-Za-z][-.]|[A-Z][-.][A-Z]")
_DIGIT = re.compile(r"\d")
# A number in words before what it counts or measures ("one hour", "two doses", "three consecutive",
# "twenty-four hours", "two hourly").
_NUMBER_WORDS = {word: number for number, word in enumerate(
    "one two three four five six seven eight nine ten eleven twelve".split(), start=1)}
_TENS = {word: number for number, word in zip(range(20, 100, 10), "twenty thirty forty fifty sixty seventy eighty ninety".split())}
_NUMBER_WORD = re.compile(
    r"\b(?:(" + "|".join(_TENS) + r")(?:[\s-]+(" + "|".join(list(_NUMBER_WORDS)[:9]) + r"))?|(" + "|".join(_NUMBER_WORDS) + r"))"
    r"(?=[\s-]+(?:hours?|hourly|hrs?|minutes?|mins?|days?|weeks?|months?|years?|doses?|consecutive|readings?|times?)\b)")
_COUNTED = ("hour", "hr", "min", "day", "week", "month", "year", "dose", "consecutive", "reading", "time")


def _number_in_digits(found: re.Match) -> str:
    tens, unit, alone = found.groups()
    return str(_NUMBER_WORDS[alone] if alone else _TENS[tens] + (_NUMBER_WORDS[unit] if unit else 0))


# Gestations and ranges as clinicians write them, in words: "<34/40" is "under 34 weeks",
# "24-28 wks" is "24 to 28 weeks".
_WRITTEN_NUMBERS = [
    (re.compile(r"(?:<|\bless than\s)\s*(\d)"), r" under \1"),
    (re.compile(r"(?:\u2265|>=?|\bmore than\s|\bgreater than\s|\bat least\s)\s*(\d)"), r" from \1"),
    (re.compile(r"(\d+(?:\+\d)?)\s*/\s*40\b"), r"\1 weeks"),
    (re.compile(r"(\d)\s*(?:wks?|weeks?)\b"), r"\1 weeks"),
    (re.compile(r"(\d+(?:\+\d)?)\s*[-\u2013\u2014]\s*(\d)"), r"\1 to \2"),  # "24-28 weeks", "6.0-6.9 mmol/l"
    (re.compile(r"(\d+\+\d)(?!\d|\s*(?:to\b|weeks))"), r"\1 weeks"),  # "33+6" is a gestation
    # ordinals: "the 1st hour", "before the 2nd feed", "1st trimester" (a centile stays a number)
    *((re.compile(rf"\b{digit}{suffix}\b(?!\s*(?:centile|percentile))"), word)
      for digit, suffix, word in (("1", "st", "first"), ("2", "nd", "second"), ("3", "rd", "third"), ("4", "th", "fourth"))),
]


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


@dataclass(frozen=True)
class Cluster:
    kind: str
    items: tuple[TextItem, ...]
    """Sorted by (member, id)."""
    matches: tuple[Match, ...]
    """The pairs that joined it, in the order they joined."""
    label: str
    """A representative text: the item's text closest on average to the others (the medoid)."""
    confirmed: bool = False
    """Every join of it was decided by people (`same:` in the programme file), none suggested."""

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(sorted({item.member for item in self.items}))


@dataclass
class MatchStats:
    """What `find_clusters` did, for tests and benchmarks (pass one in to have it filled)."""

    items: int = 0
    distinct_texts: int = 0
    """Distinct (kind, normalised text): identical texts are scored once."""
    candidate_pairs: int = 0
    """Pairs of distinct texts sharing a blocking key."""
    pairs_scored: int = 0
    """Calls to the wording scorer, candidates and linkage checks together."""
    matches: int = 0
    """Item pairs at or above the threshold offered to the clustering."""


# A difference of two texts: what differs ("booking vs 36 weeks"), what it costs, and the kind of term.
Difference = tuple[str, float, str]


@dataclass(frozen=True)
class _Normalised:
    text: str
    """The normalised words, joined by spaces."""
    words: frozenset[str]
    heavy: frozenset[str]
    """The words that name things of the field (in the vocabulary): they weigh more than others."""
    time: frozenset[str]
    amount: frozenset[str]
    """Doses, volumes, thresholds, durations and frequencies in numbers: "5 mg", "2.0 mmol/l", "12 hours"."""
    recipient: frozenset[str]
    condition: frozenset[str]
    refusal: frozenset[str]
    setting: frozenset[str]
    period: frozenset[str]
    """"antenatal", "in labour", "postnatal", some or none: when the change happens, broadly."""
    act: frozenset[str]
    """What the team does about the thing: "audit" or "train" (nothing when it does the thing)."""
    staff: frozenset[str] = frozenset()
    """Who does it: "midwife", "health visitor", "consultant"..."""
    observation: frozenset[str] = frozenset()
    """What is measured or checked: "temperature", "blood glucose"..."""
    transfer: frozenset[str] = frozenset()
    """"in utero transfer", "ex utero transfer" or "repatriation"."""
    having: frozenset[str] = frozenset()
    """The conditions it says its women or babies have ("babies with hypoglycaemia", "treated for"),
    as against those it names as a risk or an aim."""
    medicine: frozenset[str] = frozenset()
    """What is given: "antenatal steroids", "magnesium sulphate", "glucose gel"..."""
    mode: frozenset[str] = frozenset()
    """How the baby is born: "caesarean", "vaginal birth"..."""
    status: frozenset[str] = frozenset()
    """Whether the women it is for smoke: "smokers", "non-smokers", "ex-smokers"."""
    weight: float = 0.0
    """The weight of all its words (see `_weight`)."""


# --- normalising ------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _singular(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("aches") and not word.endswith(("eaches", "oaches")):
        return word[:-1]  # headaches, backaches (but teaches, approaches)
    if len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes")):  # patches, boxes
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(_KEEP_S):
        return word[:-1]
    return word


def _read(text: str) -> tuple[list[str], bool]:
    """The words of a text as written, lower case, gestations in words; and whether it writes any
    number (in digits or in words)."""
    if "co-" in text or "Co-" in text:
        text = _CO_PREFIX.sub(r"\1", text)
    if ("-" in text or "." in text) and _SPELLED_HINT.search(text):
        text = _SPELLED_OUT.sub(lambda found: re.sub(r"[-.]", "", found.group(0)), text)
    if any(acronym in text for acronym in CASED) and not text.isupper():  # all in capitals, no word stands out
        text = _CASED.sub(lambda found: CASED[found.group(0)], text)
    text = text.lower().replace("\u2019", "'").replace("&", " and ")
    if "'" in text:
        text = _POSSESSIVE.sub("", text)
    digits = _DIGIT.search(text) is not None  # most texts have none
    # "one hour", "two consecutive readings": numbers in words are numbers (the units first: faster)
    if any(unit in text for unit in _COUNTED) and _NUMBER_WORD.search(text):
        text = _NUMBER_WORD.sub(_number_in_digits, text)
        digits = True
    if digits:
        for pattern, replacement in _WRITTEN_NUMBERS:
            text = pattern.sub(replacement, text)
    return _WORD.findall(text), digits


def _words(text: str) -> list[str]:
    return [_singular(word) for word in _read(text)[0]]


class _Phrases:
    """Replaces phrases (tuples of normalised words) by others, longest match first."""

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self.table: dict[tuple[str, ...], tuple[str, ...]] = {}
        for phrase, replacement in mapping.items():
            key = tuple(_words(phrase))
            if key:
                self.table[key] = tuple(_words(replacement))
        # A replacement is a final form: written as it is, it is kept ("stop smoking service" is
        # not read again as "stop smoking" and "service"), so each replacement stands for itself.
        for replacement in list(self.table.values()):
            if replacement:
                self.table.setdefault(replacement, replacement)
        self._index()
        # A replacement that another entry rewrites ("prompt" -> "obstetric emergency training"
        # -> "emergency training") goes straight to the final form.
        for key, replacement in list(self.table.items()):
            final = list(replacement)
            for _ in range(4):
                rewritten = self._pass(final)
                if rewritten == final:
                    break
                final = rewritten
            self.table[key] = tuple(final)
        for key, replacement in list(self.table.items()):
            if replacement:
                self.table.setdefault(replacement, replacement)
        self._index()

    def _index(self) -> None:
        # The lengths of the phrases starting with each word, longest first.
        self.starts: dict[str, list[int]] = defaultdict(list)
        for key in self.table:
            if len(key) not in self.starts[key[0]]:  # each length once: "carbon" starts 11 phrases of 3 lengths
                self.starts[key[0]].append(len(key))
        for sizes in self.starts.values():
            sizes.sort(reverse=True)

    def apply(self, words: list[str]) -> list[str]:
        # A replacement can complete another phrase ("co monitoring" -> "carbon monoxide
        # monitoring" -> "carbon monoxide test"): a few passes, until nothing changes.
        for _ in range(3):
            if self.starts.keys().isdisjoint(words):
                break
            replaced = self._pass(words)
            if replaced == words:
                break
            words = replaced
        return words

    def _pass(self, words: list[str]) -> list[str]:
        starts, table = self.starts, self.table
        out: list[str] = []
        done = 0  # words before this are in `out`
        for i, word in enumerate(words):
            if i < done or word not in starts:
                continue
            for size in starts[word]:
                replacement = table.get(tuple(words[i:i + size]))
                if replacement is not None:
                    out.extend(words[done:i])
                    out.extend(replacement)
                    done = i + size
                    break
        if not done:
            return words
        out.extend(words[done:])
        return out


def _delivering(words: list[str]) -> list[str]:
    """Training, care or a service delivered is offered, not a birth: "deliver VBA training", "the
    sessions are delivered by", "care delivery" (but "deliver the baby", "care at delivery")."""
    out = list(words)
    for i, word in enumerate(words):
        if word in _DELIVER and (not _SERVICES.isdisjoint(words[i + 1:i + 4])
                                 or (i and word != "deliver" and words[i - 1] in _SERVICES)):
            out[i] = "provide"
    return out


def _gestation(words: list[str]) -> list[str]:
    """Writes gestation thresholds one way: "before/under/below/less than 32 week" -> "under 32 week",
    "after/over/at least 37 week", "37 week or more" -> "from 37 week"."""
    if "week" not in words:
        return words
    out: list[str] = []
    i = 0
    while i < len(words):
        two = words[i:i + 2] in (["less", "than"], ["at", "least"], ["more", "than"])
        start = i + 2 if two else i + 1
        if (two or words[i] in _UNDER or words[i] in _FROM) and words[start + 1:start + 2] == ["week"] \
                and _NUMBER.match(words[start]):
            bound = "under" if words[i] in _UNDER or words[i] == "less" else "from"
            out.extend([bound, words[start], "week"])
            i = start + 2
        elif _NUMBER.match(words[i]) and words[i + 1:i + 2] == ["week"] and tuple(words[i + 2:i + 4]) in _OR_MORE:
            out.extend(["from", words[i], "week"])  # "37 weeks or more"
            i += 4
        else:
            out.append(words[i])
            i += 1
    return out


class _Terms:
    """Finds what a text names from a table of phrases; the longest phrase wins, so "gestational
    diabetes" is not also "diabetes"."""

    def __init__(self, table: Mapping[str, str]) -> None:
        self.single = {phrase: value for phrase, value in table.items() if " " not in phrase}
        multi = sorted(((phrase.split(), value) for phrase, value in table.items() if " " in phrase),
                       key=lambda entry: -len(entry[0]))
        # By first word, each with its place in `multi` (longest first), to try only the phrases
        # whose first word the text has, in the same order.
        self.by_first: dict[str, list[tuple[int, str, str, frozenset[str]]]] = defaultdict(list)
        for place, (phrase, value) in enumerate(multi):
            self.by_first[phrase[0]].append((place, " " + " ".join(phrase) + " ", value, frozenset(phrase)))
        self.single_words = frozenset(self.single)
        # A text without any of these has none of the phrases: the first word of each, or the word.
        self.triggers = frozenset(self.single) | frozenset(self.by_first)

    def find(self, words: list[str], present: Optional[frozenset[str]] = None) -> frozenset[str]:
        """The values of the phrases in `words` (`present`: the same words as a set, when at hand)."""
        present = frozenset(words) if present is None else present
        if self.triggers.isdisjoint(present):
            return _NONE
        found: set[str] = set()
        joined = ""
        firsts = present.intersection(self.by_first)
        # The phrases all of whose words the text has, longest first.
        candidates = [entry for word in firsts for entry in self.by_first[word] if entry[3] <= present]
        if len(firsts) > 1:
            candidates.sort()
        for _, needle, value, _ in candidates:
            joined = joined or " " + " ".join(words) + " "
            if needle in joined:
                found.add(value)
                joined = joined.replace(needle, " | ")
        if joined:
            present = frozenset(joined.split())
        for word in present & self.single_words:
            found.add(self.single[word])
        return frozenset(found) if found else _NONE


_TIME_TERMS = _Terms({**_TIME_WORDS, **_MOMENTS})
_RECIPIENT_TERMS = _Terms(_RECIPIENT)
_CONDITION_TERMS = _Terms({**_CONDITION, **_HISTORY})
_SETTING_TERMS = _Terms(_SETTING)
# Tables whose phrases never overlap, read in one pass: each value tagged with its table.
_KINDS = {"act": _ACT, "refusal": _REFUSAL, "staff": _STAFF, "observation": _OBSERVATION, "transfer": _TRANSFER,
          "mode": _MODE, "medicine": _MEDICINE}
_KIND_TERMS = _Terms({phrase: f"{kind}:{value}" for kind, table in _KINDS.items() for phrase, value in table.items()})
_NO_KINDS = dict.fromkeys(_KINDS, _NONE)
# What a team delivers when it delivers no baby (see `_delivering`).
_DELIVER = frozenset({"deliver", "delivered", "delivering", "delivery"})
_SERVICES = frozenset("train training session teaching education care service support advice intervention programme "
                      "course workshop simulation drill package".split())
# Words of changes done with the mother for the baby (see `_differences`).
_DYAD = frozenset({"magnesium", "neuroprotection", "steroid", "milk", "expressing", "clamping"})
_FAMILY = frozenset({"mother", "parent", "partner"})  # whom a course is for when it is no staff training
# "for staff", "for all midwives": the change is for the staff, not done by them.
_STAFF_WORDS = frozenset({"staff", "midwife", "doctor", "team", "colleague", "clinician", "student", "workforce", "nurse",
                          "assistant", "worker", "sonographer", "obstetrician"})


def _plural(unit: tuple[str, str, Optional[float]], number: str) -> str:
    return unit[0] + "s" if unit[1] in ("time", "doses") and number != "1" else unit[0]


def _numbers(words: list[str]) -> tuple[set[str], set[str]]:
    """The time points and the amounts a text writes in numbers.

    Time points: gestations ("36 weeks", "24 to 28 weeks", "under 32 weeks", "from 37 weeks"), ages
    after the birth ("6 weeks postnatal", "2 hours old", "10 days postnatal") and days ("day 5").
    Amounts: a dose, a volume or a threshold ("5 mg", "500 ml", "2.0 mmol/l"), how long or how
    often ("for 12 hours", "every 15 minutes"). A number of weeks is a gestation unless it is under
    4 or follows a word of duration ("for 6 weeks", "within 2 weeks"). Other times are no amount:
    "within 6 hours", "in the first 24 hours" are targets that trusts set differently for one
    change. Nor are temperatures: a room's and a baby's are both in one thermal care bundle."""
    time: set[str] = set()
    amounts: set[str] = set()
    for i, word in enumerate(words):
        if word == "day" and words[i + 1:i + 2] and _NUMBER.match(words[i + 1]) \
                and not (i and _AMOUNT.match(words[i - 1])):
            time.add(f"day {words[i + 1]}")
            continue
        if _AMOUNT.match(word) and _scored(words, i):
            side = "under " if words[i - 1] in _UNDER else "from " if words[i - 1] in _FROM \
                or tuple(words[i + 1:i + 3]) in _OR_MORE else ""
            amounts.add(f"{side}{word} score")
            continue
        unit = _UNITS.get(word)
        if unit is None or i == 0 or not _AMOUNT.match(words[i - 1]):
            continue
        start, high = i - 1, words[i - 1]
        if i >= 3 and words[i - 2] in ("to", "and") and _AMOUNT.match(words[i - 3]):
            start = i - 3
        number = high if start == i - 1 else f"{words[start]} to {high}"
        before = words[start - 1] if start else ""
        after = words[i + 1:i + 3]
        if unit[1] == "time":
            if after[:1] in (["postnatal"], ["old"]) or after == ["of", "age"]:
                time.add(f"{number} {_plural(unit, high)} postnatal")
            elif word == "week" and "." not in number and _number(words[start]) >= 4 and before not in _DURATION \
                    and not _lasting(after):
                time.add(f"{before} {high} weeks" if before in ("under", "from") else f"{number} weeks")
            elif before in _HOW_LONG or _lasting(after):
                amounts.add(f"{number} {_plural(unit, high)}")
        elif unit[1] != "temperature":
            per = _PER_UNIT.get(after[0]) if after else None
            # A limit has a side: "below 2.0 mmol/l" is not "2.0 mmol/l or more" (">=4ppm" is "from 4 ppm").
            end = i + 2 if per else i + 1
            side = "" if unit[1] in _COUNTS else "under " if before in _UNDER \
                else "from " if before in _FROM or tuple(words[end:end + 2]) in _OR_MORE else ""
            amounts.add(f"{side}{number} {_plural(unit, high)}" + (f"/{per}" if per else ""))
    return time, amounts


def _lasting(after: list[str]) -> bool:
    """Whether the two words after a time make it how long: "12 weeks of NRT", not "13 weeks of
    pregnancy" or "1 hour of birth"."""
    return after[:1] == ["of"] and after[1:2] not in (["pregnancy"], ["gestation"], ["age"], ["birth"], ["life"])


def _is_target(words: list[str], i: int) -> bool:
    """Whether the word at i (a compliance) is a target: next to a number ("90% compliance",
    "compliance 90%"), or before "target"."""
    return (bool(i and _AMOUNT.match(words[i - 1])) or words[i + 1:i + 2] == ["target"]
            or bool(words[i + 1:i + 2] and _AMOUNT.match(words[i + 1])))


def _scored(words: list[str], i: int) -> bool:
    """Whether the number at i is a score's trigger: "score of 5", "trigger of 2 or more", "score
    above 3"."""
    before = words[max(0, i - 2):i]
    if before[-1:] and (before[-1] == "of" or before[-1] in _FROM or before[-1] in _UNDER):
        before = before[:-1]
    return bool(before) and before[-1] in ("score", "trigger")


def _unsaid(words: list[str]) -> list[str]:
    """The words less the few after "not just", "not only", "rather than", "instead of", "as well
    as", "in addition to", "currently", "no", "without": what a text sets itself against, adds
    itself to or goes without ("CO test at every visit, not just at booking"; "at 36 weeks as
    well as at booking"; "no GP prescription needed"), what it spares people ("so women do not
    need a GP prescription", "don't have to wait for"), and where a team starts from ("currently
    60%")."""
    out = list(words)
    for i in range(len(words)):
        if words[i] == "currently":  # "currently 60%", "(currently booking only)": where the team starts from
            if words[i + 1:i + 2] and _AMOUNT.match(words[i + 1]):
                out[i:i + 2] = ["", ""]
            elif "only" in words[i + 1:i + 4]:
                end = i + 1 + words[i + 1:i + 4].index("only") + 1
                out[i:end] = [""] * (end - i)
            # otherwise it says who ("women currently smoking", "currently using e-cigarettes")
        elif words[i] in ("no", "without"):  # "no GP prescription needed"
            out[i + 1:i + 3] = [""] * len(out[i + 1:i + 3])
        elif words[i] in ("not", "t") and tuple(words[i + 1:i + 3]) in _SPARED:
            # "so women don't have to wait for a GP prescription", "do not need a GP prescription":
            # from the "do" or "don" before to what is spared
            end = i + (8 if words[i + 2] == "to" else 5)
            out[max(0, i - 1):end] = [""] * len(out[max(0, i - 1):end])
        elif i + 1 < len(words) and (words[i], words[i + 1]) in _NEGATIONS and (
                words[i] != "as" or words[i + 2:i + 3] == ["as"]):  # "as well as", not "as well,"
            out[i + 2:i + 5] = [""] * len(out[i + 2:i + 5])
    return out


def _time_points(words: list[str], present: frozenset[str], numbers: bool) -> tuple[frozenset[str], frozenset[str]]:
    """The time points of a text, and the amounts it writes in numbers (see `_numbers`; `numbers`:
    whether it has any)."""
    found = set(_TIME_TERMS.find(words, present))
    if not _EVERY.isdisjoint(present) and _every_contact(words):
        found.add("every contact")
    if not numbers:
        return frozenset(found), frozenset()
    time, amounts = _numbers(words)
    if any(point.endswith(" postnatal") for point in time):
        found.discard("postnatal")  # "12 hours postnatal" says it
    return frozenset(found | time), frozenset(amounts)


def _every_contact(words: list[str]) -> bool:
    """Whether a text is done at every contact ("CO test at every antenatal visit", "at each appt"),
    which is another time point than one contact: "CO test at 36 weeks"."""
    for i, word in enumerate(words):
        if word in _EVERY:
            for after in words[i + 1:i + 4]:
                if after in _CONTACTS:
                    return True
                if after not in _CONTACT_KINDS:
                    break
    return False


def _recipients(words: list[str], present: frozenset[str]) -> frozenset[str]:
    if not _LOSS.isdisjoint(present):  # "debrief for parents after a baby's death": the parents
        words = ["" if word in _RECIPIENT and words[i + 1:i + 2] and words[i + 1] in _LOSS else word
                 for i, word in enumerate(words)]
        present = frozenset(words)
    found = _RECIPIENT_TERMS.find(words, present)
    if "for" in present and not _STAFF_WORDS.isdisjoint(present):
        at = words.index("for")
        while at >= 0:
            if not _STAFF_WORDS.isdisjoint(words[at + 1:at + 5]):
                found = found | {"staff"}  # "debrief for staff", "teaching for labour ward staff"
                break
            at = words.index("for", at + 1) if "for" in words[at + 1:] else -1
    if len(found) < 2:
        return found
    main = {_RECIPIENT[word] for i, word in enumerate(words) if word in _RECIPIENT and not _qualified(words, i)}
    main |= found & {"staff"}
    if not main:  # every one qualified: the first names whom ("review of babies of women with GDM")
        main = {next((_RECIPIENT[word] for word in words if word in _RECIPIENT), "")} - {""}
    return frozenset(main) if main else found


def _unadmitted(words: list[str]) -> list[str]:
    """The words less the place an admission is avoided to ("glucose gel to avoid NNU admission",
    "reduce term admissions to NNU"): a change that keeps babies out of a unit is not done in it."""
    out = list(words)
    for i, word in enumerate(words):
        if (word in _PREVENTING or word == "reduce") and "admission" in words[i + 1:i + 4]:
            out[i + 1:i + 7] = [""] * len(out[i + 1:i + 7])
    return out


def _at_risk(words: list[str], condition: set[str]) -> set[str]:
    """The conditions, those a text names as a risk ("babies at risk of hypoglycaemia", "GDM risk
    factors") as "hypoglycaemia risk", and those it looks for ("to detect undiagnosed type 2
    diabetes") as "type 2 diabetes (undiagnosed)": women or babies at risk of a condition, or
    screened for it, are not those who have it."""
    risks: set[str] = set()
    undiagnosed: set[str] = set()
    for i, word in enumerate(words):
        if word == "risk":
            risks |= _CONDITION_TERMS.find(words[max(0, i - 3):i]) | _CONDITION_TERMS.find(words[i + 1:i + 7])
        elif word in _PREVENTING:  # "skin to skin to prevent hypothermia": the aim, for babies at risk of it
            risks |= _CONDITION_TERMS.find(words[i + 1:i + 5])
        elif word == "undiagnosed":
            undiagnosed |= _CONDITION_TERMS.find(words[i + 1:i + 4])
    undiagnosed &= condition
    risks = risks & condition - undiagnosed
    if not risks and not undiagnosed:
        return condition
    return condition - risks - undiagnosed | {f"{value} risk" for value in risks} \
        | {f"{value} (undiagnosed)" for value in undiagnosed}


def _risk_of(words: list[str]) -> bool:
    """Whether a text names a risk "of" something ("women at high risk of PPH"), not only people
    "at risk" ("at risk babies with low sugars")."""
    return any(word == "risk" and words[i + 1:i + 2] == ["of"] for i, word in enumerate(words))


def _having(words: list[str]) -> frozenset[str]:
    """The conditions a text says are had: "women with gestational diabetes", "babies treated for
    hypoglycaemia"."""
    found: set[str] = set()
    for i, word in enumerate(words):
        if word in _HAVING_WORDS:
            found |= _CONDITION_TERMS.find(words[i + 1:i + 4])
    return frozenset(found)


def _opting_out(words: list[str]) -> bool:
    """Whether every refusal a text names is her choice against a default, closely after "unless"
    or "only if" ("unless she actively declines", "withdrawn only if she declines"), or after "can"
    in a text that names the default ("she can decline but the referral is sent by default",
    "opt-out referral: women can decline", "automatic referral")."""
    default = "default" in words or "automatic" in words or "automatically" in words or any(
        word == "opt" and words[k + 1:k + 2] == ["out"] for k, word in enumerate(words))

    def chosen(i: int) -> bool:
        near = range(max(0, i - 4), i)
        return ("unless" in words[max(0, i - 6):i] or (default and any(words[k] in _CAN for k in near))
                or any(words[k] == "if" and "only" in words[max(0, k - 3):k] for k in near))  # "only withdrawn if she declines"

    return all(chosen(i) for i, word in enumerate(words) if word in _REFUSAL)


def _obese(words: list[str]) -> bool:
    """A body mass index of 30 or more: "bmi over 35", "bmi from 30" ("BMI>30")."""
    for i, word in enumerate(words):
        if word == "bmi":
            numbers = [w for w in words[i + 1:i + 4] if _AMOUNT.match(w)]
            if numbers and _number(numbers[0]) >= 30:
                return True
    return False


def _smoking_status(words: list[str]) -> frozenset[str]:
    """Whom a text names by whether they smoke, from its words as written: "women who smoke",
    "smokers" (not "smoking", the subject of a whole workstream), "non-smokers", "women who do not
    smoke", "ex-smokers"."""
    found = set()
    for i, word in enumerate(words):
        if word in _SMOKE_WORDS:
            before = words[max(0, i - 3):i]
            if word == "nonsmoker" or before[-1:] == ["non"] or not _NOT.isdisjoint(before):
                found.add("non-smokers")
            elif before[-1:] == ["ex"] or before[-1:] == ["former"]:
                found.add("ex-smokers")
            elif word == "smoker" or (word == "smoke" and before[-1:] in (["who"], ["that"])):
                found.add("smokers")
    return frozenset(found) if found else _NONE


def _qualified(words: list[str], i: int) -> bool:
    """Whether the recipient word at i follows a qualifying word closely ("babies of diabetic
    mothers"), in its own phrase: "at 1 hour of age for babies" names the babies."""
    before = words[max(0, i - 3):i]
    if before[-2:] in (["birth", "to"], ["born", "to"]):
        return True  # "babies born to women with pyrexia" are the babies
    if "for" in before:
        before = before[len(before) - before[::-1].index("for"):]
    return not _QUALIFYING.isdisjoint(before)


def _specific(condition: set[str]) -> frozenset[str]:
    """The conditions less those a more specific one names: "type 1 diabetes" and "diabetes" are
    one condition, not a list."""
    return frozenset(c for c in condition if not any(
        other != c and (other.endswith(" " + c) or c in _IMPLIES.get(other, ())) for other in condition))


def _after_the_birth(words: list[str]) -> bool:
    """"after (the) birth", "new mother": a change for the time after the baby is born."""
    for i, word in enumerate(words[:-1]):
        following = words[i + 1:i + 3]
        if word == "after" and (following[:1] == ["birth"] or following == ["the", "birth"]):
            return True
        if word == "new" and following[:1] == ["mother"]:
            return True
    return False


def _period(words: list[str], present: frozenset[str], time: frozenset[str], setting: frozenset[str]) -> frozenset[str]:
    found = set()
    if time:
        # a gestation is in pregnancy, an age ("at 1 hour of age") after the birth
        for point in time:
            if point[0].isdigit():
                found.add("postnatal" if point.endswith(" postnatal") else "antenatal")
        if not _LABOUR_TIMES.isdisjoint(time):
            found.add("in labour")
        named = time | setting
    else:
        named = setting
    if not _ANTENATAL_WORDS.isdisjoint(present) or not _ANTENATAL_WORDS.isdisjoint(named):
        found.add("antenatal")
    if not _POSTNATAL_WORDS.isdisjoint(present) or not _POSTNATAL_WORDS.isdisjoint(named) \
            or (("after" in present or "new" in present) and _after_the_birth(words)):
        found.add("postnatal")
    return frozenset(found)


class _Normaliser:
    def __init__(self, vocabulary: Optional[Mapping[str, str]] = None) -> None:
        table = {**VOCABULARY, **(vocabulary or {})}
        self.phrases = _Phrases(table)
        # The words of the field: what the vocabulary writes, and the terms that tell changes apart.
        # A word of a phrase it reads is not one of them by that alone: "whole" of "whole family",
        # "other" of "significant other" are plain words anywhere else.
        field_words = {word for value in self.phrases.table.values() for word in value}
        for terms in (_TIME_WORDS, _CONDITION, _SETTING, _ACT, _TRANSFER, _MODE):
            field_words.update(word for phrase in terms for word in phrase.split())
        # A number weighs as little as an unknown word: the gestations it writes are time terms.
        self.field_words = frozenset(word for word in field_words - _STOP_WORDS - GENERIC if not word[0].isdigit())
        # The words of the phrases it reads are written right too ("betamethasone"), to be read as written.
        read_words = {word for key in self.phrases.table for word in key} - _STOP_WORDS - GENERIC
        read_words = {word for word in read_words | self.field_words if not word[0].isdigit()}
        # Aims named by their means (vocabulary.TOPICS), as normalised phrases.
        self.topics = _Terms({" ".join(self.phrases.apply(_words(phrase))): " ".join(self.phrases.apply(_words(aim)))
                              for phrase, aim in TOPICS.items()})
        # Words written right: never read as another. Misspellings are read as the field's words.
        self.known = frozenset(read_words) | GENERIC | _STOP_WORDS
        self._spelling_targets: dict[str, list[str]] = defaultdict(list)  # by their first two letters
        for word in sorted(read_words):
            if len(word) >= _TYPO_LENGTH and word.isalpha():
                self._spelling_targets[word[:2]].append(word)
        self.spellings: dict[str, str] = {}
        self.spelled: dict[str, str] = {}  # a word as written -> singular and spelled right
        self.cache: dict[str, _Normalised] = {}

    def __call__(self, text: str) -> _Normalised:
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = self._normalise(text)
        return found

    def _spelled(self, word: str) -> str:
        """A word of the field misspelled ("monoxdie", "diabeties") as the word it was meant to be:
        the closest word of the field, when one is close enough."""
        if word in self.known or len(word) < _TYPO_LENGTH or not word.isalpha():
            return word
        found = self.spellings.get(word)
        if found is None:
            # One slip (a letter missing, added, changed, or two swapped), two in a long word, and
            # the first two letters right: "monoxdie", "diabeties", but not "needing" for "feeding".
            slips = 1 if len(word) < 10 else 2
            best = process.extractOne(word, self._spelling_targets.get(word[:2], []),
                                      scorer=DamerauLevenshtein.distance, score_cutoff=slips)
            found = self.spellings[word] = best[0] if best else word
        return found

    def _normalise(self, text: str) -> _Normalised:
        spelled = self.spelled
        words = []
        tokens, digits = _read(text)
        for token in tokens:
            word = spelled.get(token)
            if word is None:
                word = spelled[token] = self._spelled(_singular(token))
            words.append(word)
        status = _smoking_status(words) if not _SMOKE_WORDS.isdisjoint(words) else _NONE
        if "compliance" in words:  # "90% compliance" is a target; "compliance report" an audit
            words = [word for i, word in enumerate(words) if word != "compliance" or not _is_target(words, i)]
        if not _DELIVER.isdisjoint(words):
            words = _delivering(words)
        words = _gestation(self.phrases.apply(words))
        if not _BUT_NOT.isdisjoint(words):  # "at every visit, not just at booking": booking is not its time
            words = [word for word in _unsaid(words) if word]
        # Recipient words are read as a discriminating term, not as wording: "every woman" is
        # often a filler, and a mother-versus-baby difference is penalised on its own.
        kept = [word for word in words if word not in _STOP_WORDS and word not in _RECIPIENT]
        present = frozenset(words)
        time, amount = _time_points(words, present, digits)
        condition = set(_CONDITION_TERMS.find(words, present))
        # Named as a risk or as had, before the gestations and aims that add plain conditions.
        having = _NONE
        if condition:
            if not _RISK_WORDS.isdisjoint(present):
                condition = _at_risk(words, condition)
            if not _HAVING_WORDS.isdisjoint(present):
                having = _having(words) & condition
        if time and any(point.startswith("under ") and int(point.split()[1].split("+")[0]) < 37 for point in time):
            condition.add("preterm")  # "babies under 32 weeks" are preterm babies
            kept.append("preterm")
        if time and any(point.startswith("from ") and _number(point.split()[1]) >= 37 for point in time):
            condition.add("term")  # "babies from 37 weeks" are babies at term
        if digits and "bmi" in present and _obese(words):
            condition.add("obesity")  # "BMI over 35"
        risk_of = "risk" in present and _risk_of(words)
        for aim in sorted(self.topics.find(words, present)):
            uses = _OTHER_USES.get(aim, ())
            if uses and (any(found.startswith(uses) for found in condition) or not present.isdisjoint(uses)):
                continue  # magnesium sulphate in severe pre-eclampsia is for the mother's seizures
            kept.extend(aim.split())
            # glucose gel is for hypoglycaemia; TXA "for women at risk of PPH" is for the risk
            condition.update(found for found in _CONDITION_TERMS.find(aim.split())
                             if not (risk_of and f"{found} risk" in condition))
        setting = _SETTING_TERMS.find(_unadmitted(words) if "admission" in present else words)
        kinds = _NO_KINDS
        tags = _KIND_TERMS.find(words, present)
        if tags:
            kinds = dict(_NO_KINDS)
            for tagged in tags:
                kind, _, value = tagged.partition(":")
                if value:  # "previous caesarean" is no way to be born
                    kinds[kind] = kinds[kind] | {value}
            if kinds["refusal"] and not _CHOICE_WORDS.isdisjoint(present) and _opting_out(words):
                # "referred unless they actively decline" is an opt-out, not women who decline
                kinds["refusal"] = _NONE
                kept.extend(word for word in ("opt", "out") if word not in kept)
            if "audit" in kinds["act"] and all(words[i + 1:i + 2] and words[i + 1] in _FINDING
                                               for i, word in enumerate(words) if word == "audit"):
                kinds["act"] = kinds["act"] - {"audit"}  # "an audit showed...": why, not what
        recipient = _recipients(words, present)
        if "teach" in present and "staff" in recipient and "train" not in kinds["act"]:
            kinds = {**kinds, "act": kinds["act"] | {"train"}}  # teaching staff is training them
        elif ("train" in kinds["act"] and not recipient.isdisjoint(_FAMILY) and not kinds["staff"]
              and _STAFF_WORDS.isdisjoint(present)):
            kinds = {**kinds, "act": kinds["act"] - {"train"}}  # a skills course for pregnant women is her care
        words_set = frozenset(kept)
        heavy = words_set & self.field_words
        # Most terms are empty: one empty set for all of them pickles and loads as one, when a
        # member's texts come back from the process that normalised them.
        return _Normalised(
            text=" ".join(kept), words=words_set, heavy=heavy or _NONE, time=time or _NONE, amount=amount or _NONE,
            recipient=recipient or _NONE, condition=_specific(condition) if condition else _NONE,
            setting=setting or _NONE, period=_period(words, present, time, setting) or _NONE,
            weight=_weight(words_set, heavy), status=status, having=having or _NONE,
            **kinds)


@lru_cache(maxsize=8)
def _normaliser(vocabulary: Optional[tuple[tuple[str, str], ...]]) -> _Normaliser:
    return _Normaliser(dict(vocabulary) if vocabulary else None)


def normaliser(vocabulary: Optional[Mapping[str, str]] = None) -> _Normaliser:
    """The normaliser of a vocabulary, built once (its tables take a moment)."""
    return _normaliser(tuple(sorted(vocabulary.items())) if vocabulary else None)


# --- scoring ----------------------------------------------------------------------------------


def _weight(words: frozenset[str], heavy: frozenset[str]) -> float:
    return len(heavy) + LIGHT * (len(words) - len(heavy))


def _wording(a: _Normalised, b: _Normalised) -> tuple[float, float, float]:
    """The wording score of two normalised texts (0 to 100), with its two parts.

    Both parts weigh the shared words, a word of the field counting 1 and any other word `LIGHT`
    (a ward's name, a month, "target"). "Shared" is the part of the shorter text found in the
    other: 100 for a short wording of a long one ("CO monitoring at booking" against a full
    sentence of it), but too kind to a text that adds one word which changes everything.
    "Whole" compares both texts entire (Dice), so it drops with every word one of them adds.
    Their mean keeps a short and a long wording of one idea close, while a generic text does
    not match every longer text that contains it."""
    if a.words == b.words:
        return 100.0, 100.0, 100.0
    common = a.words & b.words
    if not common:
        return 0.0, 0.0, 0.0
    weight_a, weight_b = a.weight, b.weight
    heavy = len(common & a.heavy)
    shared_weight = heavy + LIGHT * (len(common) - heavy)
    shared = 100.0 * shared_weight / min(weight_a, weight_b)
    whole = 100.0 * 2 * shared_weight / (weight_a + weight_b)
    return (shared + whole) / 2, shared, whole


def _differences(a: _Normalised, b: _Normalised) -> list[Difference]:
    """The discriminating terms that tell two texts apart, as ("x vs y", penalty, kind of term)."""
    found = []
    for name, penalty in (("time", DIFFERS_PENALTY), ("amount", DIFFERS_PENALTY), ("recipient", DIFFERS_PENALTY),
                          ("condition", DIFFERS_PENALTY), ("observation", DIFFERS_PENALTY),
                          ("transfer", DIFFERS_PENALTY), ("setting", SETTING_PENALTY),
                          ("act", DIFFERS_PENALTY), ("status", DIFFERS_PENALTY), ("mode", DIFFERS_PENALTY),
                          ("medicine", DIFFERS_PENALTY),
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
            if not differ and len(left) <= 2 and len(right) <= 2:
                others = [side - _GESTATION_GROUPS for side in (left, right)]
                if not (others[0] and others[1]):
                    others = [left, right]
                if others[0] and others[1]:
                    match = _conditions_match(*others, a.having | b.having)
                    differ = match == "differ"
                    if match == "weak":  # a risk against another condition, which may be a risk factor of it
                        penalty = ONE_SIDED_PENALTY
                        differ = True
        elif name in ("observation", "staff", "medicine") and (len(left) > 2 or len(right) > 2):
            differ = False  # a list: "temperature, heart rate and breathing"; "midwives, doctors and anaesthetists"
        elif name == "amount":  # amounts of one measure only: "12 hours" vs "24 hours", not "5 mg" vs "24 hours"
            differ = False
            for measure in {_quantity(x)[0] for x in left} & {_quantity(y)[0] for y in right}:
                left = frozenset(x for x in getattr(a, name) if _quantity(x)[0] == measure)
                right = frozenset(y for y in getattr(b, name) if _quantity(y)[0] == measure)
                if not _compatible(left, right):
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
    if not found:
        found.extend(_swaps(a, b))
    return found


def _swaps(a: _Normalised, b: _Normalised) -> list[Difference]:
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
    made by a typo, by the form a change takes ("bundle" vs "pathway"), by numbers and months
    (local detail; amounts are read as amounts), by the time words of two texts that both name a
    time, or by a word the other text says in another place. Words that place a change in time
    ("within"), frame it ("improve", "uptake") or name a condition both texts name are part of
    a rewording but are never what is swapped."""
    left, right = a.text.split(), b.text.split()
    if not left or not right:
        return []
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
    shared_conditions = {_singular(word) for condition in a.condition & b.condition for word in condition.split()}
    unswapped = _PREPOSITIONS | _FRAMING | shared_conditions
    if "every contact" in a.time and "every contact" in b.time:
        timed |= _CONTACTS  # "at every visit" is "at every appointment"
    for tag, i1, i2, j1, j2 in opcodes:
        if tag != "replace":
            continue
        # A unit next to a number is an amount, compared as one ("4 hours" is "240 minutes").
        counted = any(_AMOUNT.match(word) for word in chain(left[i1:i2], right[j1:j2]))
        old = [word for word in left[i1:i2] if not _says_little(word, counted) and word not in timed]
        new = [word for word in right[j1:j2] if not _says_little(word, counted) and word not in timed]
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
        if len(old) == len(new) == 1 and DamerauLevenshtein.normalized_similarity(old[0], new[0]) >= _TYPO_SIMILARITY:
            continue
        if (old == ["admission"] and " ".join(new) in _SETTING) or (new == ["admission"] and " ".join(old) in _SETTING):
            continue  # "from birth to admission" is "from birth to the neonatal unit" (every setting
            # word read as no swap merged more look-alikes: a hard negative more at 80 on the fourth corpus)
        return [_swapped(old, new)]
    return []


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
# their own (see `_Kind._linkage`): numbers, read reliably.
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
    after = frozenset(p for p in points if p.endswith(" postnatal") and p[0].isdigit())
    weeks = frozenset(p for p in points if (p[0].isdigit() or p.startswith(("under ", "from "))) and p not in after)
    return weeks, after, points - weeks - after


def _number(text: str) -> float:
    """A number as written, days after the "+" of a gestation as sevenths: "33+6" is 33.86."""
    whole, _, days = text.partition("+")
    return float(whole) + (float(days) / 7 if days else 0.0)


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


def _compatible(left: frozenset[str], right: frozenset[str]) -> bool:
    """Two sets of terms name a common one: equal, or one a more specific form of the other
    ("gestational diabetes" and "diabetes"), or gestations or amounts that overlap."""
    def overlap(x: str, y: str) -> bool:
        wx, wy = _weeks(x), _weeks(y)
        # Two limits of one side are two thresholds: "under 27 weeks" is not "under 32 weeks",
        # "after 2 consecutive readings" not "after 3".
        same_side = x[0] == y[0] and x.startswith(("under ", "from ")) and y.startswith(("under ", "from "))
        if wx is not None and wy is not None:
            return wx == wy if same_side else wx[0] <= wy[1] and wy[0] <= wx[1]
        if _is_amount(x) and _is_amount(y) and wx is None and wy is None:
            (mx, ux, lx, hx), (my, uy, ly, hy) = _quantity(x), _quantity(y)
            if mx != my or ux != uy:
                return False
            if same_side:  # the same limit, within rounding
                return lx <= ly * 1.005 and ly <= lx * 1.005 and (hx <= hy * 1.005 and hy <= hx * 1.005 or hx == hy)
            return lx <= hy * 1.005 and ly <= hx * 1.005  # equal within rounding: 13 weeks is 3 months
        return False

    return any(x == y or x.endswith(" " + y) or y.endswith(" " + x) or y in _IMPLIES.get(x, ()) or x in _IMPLIES.get(y, ())
               or overlap(x, y) for x in left for y in right)


def _few_shared(text: _Normalised) -> float:
    """The weight of a text's `_FEW_SHARED` heaviest words."""
    heavy = min(_FEW_SHARED, len(text.heavy))
    return heavy + LIGHT * min(_FEW_SHARED - heavy, len(text.words) - len(text.heavy))


def _reach(cutoff: float, shared: float) -> float:
    """The largest weight of a text whose wording score can reach `cutoff` with a text it shares
    words of weight `shared` with (infinite at a cutoff of 50 or less).

    The best such partner holds those words only: "shared" is then 100 and "whole" is
    200 * shared / (weight + shared), so the wording is at least the cutoff c (as a fraction)
    while weight <= shared * (3 - 2c) / (2c - 1)."""
    c = cutoff / 100.0
    return shared * (3 - 2 * c) / (2 * c - 1) if c > 0.5 else float("inf")


def _structure(a: TextItem, b: TextItem) -> list[str]:
    return sorted(set(a.serves) & set(b.serves)) + sorted(set(a.measures) & set(b.measures))


def _text_score(a: _Normalised, b: _Normalised, cutoff: float = 0.0) -> tuple[float, float, float, list[Difference]]:
    """The score of two texts without the structural evidence: wording less the differences."""
    wording, token_set, token_sort = _wording(a, b)
    if wording < cutoff:
        return wording, token_set, token_sort, []  # penalties only lower it
    differs = _differences(a, b)
    return max(0.0, wording - sum(difference[1] for difference in differs)), token_set, token_sort, differs


def _explain(score: float, wording: float, token_set: float, token_sort: float, differs: list[Difference],
             shared: list[str]) -> str:
    if token_set == token_sort == 100.0:
        parts = ["Same words once normalised (100)"]
    else:
        parts = [f"Wording {wording:.0f} (shared {token_set:.0f}, whole {token_sort:.0f})"]
    if differs:
        parts.append("differs: " + "; ".join(f"{what} (-{penalty:.0f})" for what, penalty, _ in differs))
    if shared:
        parts.append(f"both serve or report {', '.join(shared)} (+{STRUCTURE_BONUS:.0f})")
    return ", ".join(parts) + f": {score:.0f}."


def _score(na: _Normalised, nb: _Normalised, a: TextItem, b: TextItem,
           scored: Optional[tuple[float, float, float, list[Difference]]] = None) -> Match:
    """The match of two items; `scored`, when given, is `_text_score(na, nb)` worked out already."""
    text, token_set, token_sort, differs = scored or _text_score(na, nb)
    wording = (token_set + token_sort) / 2
    shared = _structure(a, b)
    score = min(100.0, text + (STRUCTURE_BONUS if shared else 0.0))
    return Match(a, b, round(score, 1), _explain(score, wording, token_set, token_sort, differs, shared))


def compare(a: TextItem, b: TextItem, vocabulary: Optional[Mapping[str, str]] = None) -> Match:
    """Scores two items (0 to 100) and says why."""
    normalise = normaliser(vocabulary)
    return _score(normalise(a.text), normalise(b.text), a, b)


# --- finding clusters -------------------------------------------------------------------------


Key = tuple[str, str]  # (member, element id)


def find_clusters(items: Iterable[TextItem], threshold: float = 80.0, vocabulary: Optional[Mapping[str, str]] = None,
                  stats: Optional[MatchStats] = None, same: Iterable[Iterable[Key]] = (),
                  different: Iterable[Iterable[Key]] = ()) -> list[Cluster]:
    """Clusters of items of one kind, from two or more members, whose texts say the same thing.

    Pairs scoring `threshold` or more are joined, best first, into clusters (union-find). A pair
    joins its two clusters only when all their cross pairs score `threshold` or more on average
    (average linkage): a look-alike that matches one item of a cluster but not the others stays
    out, so clusters do not grow by chaining. Nor do two clusters join when an item of each names
    an amount of one measure that differs and the two do not match on their own: "up to 2 doses"
    and "up to 6 doses" are two changes however close both are to a third text. Two items of one
    member are never in one cluster.

    People decide over the scores: each group in `same` (items by (member, id)) is joined first,
    whatever its texts, and no cluster ever holds two items of one group in `different`. A
    cluster joined by such decisions only is `confirmed`.

    Clusters come with the most members first, then by label. Pass a `MatchStats` to have it
    filled with what the search did."""
    if not 0.0 <= threshold <= 100.0:
        raise ValueError(f"threshold must be between 0 and 100, not {threshold}")
    stats = stats if stats is not None else MatchStats()
    normalise = normaliser(vocabulary)
    clusters: list[Cluster] = []
    for kind, of_kind in _by_kind(items):
        clusters.extend(_Kind(kind, of_kind, normalise, threshold, stats).clusters(same, different))
    clusters.sort(key=lambda cluster: (-len(cluster.members), cluster.label, cluster.kind, _order(cluster.items[0])))
    return clusters


def near_matches(items: Iterable[TextItem], clusters: Iterable[Cluster], low: float,
                 vocabulary: Optional[Mapping[str, str]] = None, different: Iterable[Iterable[Key]] = (),
                 most: Optional[int] = None) -> list[Match]:
    """Pairs of items of two members that score `low` or more and are in no one cluster of
    `clusters` (those `find_clusters` gave), for people to decide: below the threshold, or kept
    apart by the linkage. Pairs decided different (`different`) are left out, with any other pair
    of the two groups holding them, as are two items of clusters already paired once: the best
    pair of two groups stands for them. Best first; at most `most` (all when None). `low` is from
    `NEAR_LOWEST`: below that most pairs are different changes, and the search grows long.

    On unseen text about 7 in 10 of the pairs listed from 65 are the same change (see
    benchmarks/README.md): a list to review, not to trust. Searching this low costs more than
    finding the clusters: on a programme of 136 members about 0.6 s from 70 and 1 s from 65,
    beside 0.4 s for the clusters."""
    if not NEAR_LOWEST <= low <= 100.0:
        raise ValueError(f"low must be from {NEAR_LOWEST:g} to 100, not {low:g}")
    group_of: dict[Key, int] = {}
    for number, cluster in enumerate(clusters):
        for item in cluster.items:
            group_of[(item.member, item.id)] = number
    # A pair decided different keeps apart the groups that hold its two items: a `same:` line
    # joining them could not be kept.
    apart = {frozenset((group_of.get(x, x), group_of.get(y, y)))
             for group in different for x, y in combinations([tuple(key) for key in group], 2)}
    normalise = normaliser(vocabulary)
    found: list[tuple[float, tuple, Match]] = []
    for kind, of_kind in _by_kind(items):
        search = _Kind(kind, of_kind, normalise, low, MatchStats())
        seen: set[frozenset] = set()
        for score, x, y in search._joins():
            a, b = search.items[x], search.items[y]
            ka, kb = (a.member, a.id), (b.member, b.id)
            ga, gb = group_of.get(ka, ka), group_of.get(kb, kb)
            if ga == gb or frozenset((ga, gb)) in apart or frozenset((ga, gb)) in seen:
                continue
            seen.add(frozenset((ga, gb)))
            found.append((score, (kind, _order(a), _order(b)), search._match(x, y)))
    found.sort(key=lambda entry: (-entry[0], entry[1]))
    return [match for _, _, match in found[:most]]


def _by_kind(items: Iterable[TextItem]) -> list[tuple[str, list[TextItem]]]:
    """The items of each kind, kinds and items in a fixed order (the result does not depend on
    the order they came in)."""
    grouped: dict[str, list[TextItem]] = defaultdict(list)
    for item in items:
        grouped[item.kind].append(item)
    return [(kind, sorted(grouped[kind], key=_order)) for kind in sorted(grouped)]


def _order(item: TextItem) -> tuple[str, str, str, tuple[str, ...], tuple[str, ...]]:
    return item.member, item.id, item.text, item.serves, item.measures


_Structure = tuple[frozenset[str], frozenset[str]]


@dataclass
class _Group:
    """A cluster being built: its items, and how many of them have each (text, structure)."""

    items: list[int]
    members: set[str]
    profile: dict[tuple[int, _Structure], int]
    matches: list[tuple[int, Match]] = field(default_factory=list)
    suggested: int = 0  # joins made by the scores, not decided by people


# The candidates of a search are first weighed many at a time, each text's words as `_BITS` bits
# (see `_Kind._reach_bounds`), `_CHUNK` pairs at a time.
_BITS = 1024
_CHUNK = 1 << 15


def _spans(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The places start, start + 1, ..., start + size - 1 of each span, one after the other."""
    return np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes - starts, sizes)


def _pairs_within(texts: np.ndarray, sizes: np.ndarray, n: int) -> np.ndarray:
    """Every pair of texts within each group, the groups one after the other in `texts` (each in
    ascending order) with their `sizes`, as numbers i * n + j, i < j."""
    # Each text pairs with the `follow` texts after it in its group.
    follow = np.repeat(np.cumsum(sizes), sizes) - np.arange(len(texts)) - 1
    left = np.repeat(np.arange(len(texts)), follow)
    return texts[left] * n + texts[left + _spans(np.ones_like(follow), follow)]


def _pairs_near(walk: np.ndarray, n: int) -> np.ndarray:
    """Each text of a walk with its `_WINDOW` next ones, as numbers i * n + j, i < j."""
    near = [(np.minimum(walk[:-d], walk[d:]), np.maximum(walk[:-d], walk[d:])) for d in range(1, _WINDOW + 1)]
    return np.concatenate([low * n + high for low, high in near])


def _as_bits(ranks: list[list[int]], size: int) -> np.ndarray:
    """Each text's words (ranks from the rarest, `size` in all) as `_BITS` bits: the commonest
    words a bit each, the others sharing the last 64 bits by rank."""
    lengths = np.fromiter(map(len, ranks), np.int64, len(ranks))
    place = size - 1 - np.fromiter(chain.from_iterable(ranks), np.int64, int(lengths.sum()))  # 0: the commonest
    bit = np.where(place < _BITS - 64, place, _BITS - 64 + place % 64)
    bits = np.zeros((len(ranks), _BITS // 64), np.uint64)
    np.bitwise_or.at(bits, (np.repeat(np.arange(len(ranks)), lengths), bit // 64), np.left_shift(np.uint64(1), (bit % 64).astype(np.uint64)))
    return bits


class _Kind:
    """The search among the items of one kind."""

    def __init__(self, kind: str, items: list[TextItem], normalise: _Normaliser, threshold: float,
                 stats: MatchStats) -> None:
        self.kind, self.items, self.threshold, self.stats = kind, items, threshold, stats
        self.keys: list[_Normalised] = []
        self.key_of: list[int] = []
        self.with_key: list[list[int]] = []
        index: dict[_Normalised, int] = {}
        for i, item in enumerate(items):
            normalised = normalise(item.text)
            k = index.setdefault(normalised, len(self.keys))
            if k == len(self.keys):
                self.keys.append(normalised)
                self.with_key.append([])
            self.key_of.append(k)
            self.with_key[k].append(i)
        self.structure: list[_Structure] = [(frozenset(item.serves), frozenset(item.measures)) for item in items]
        # Text scores of distinct texts: those at or above the cutoff from the search, others
        # as the linkage asks for them. A pair of texts (i, j), i < j, is kept as one number,
        # i * len(keys) + j: cheaper than a tuple when there are hundreds of thousands.
        self.scores: dict[int, float] = {}
        self.explained: dict[tuple[int, int], tuple[float, float, float, list[Difference]]] = {}
        # Pairs of texts that name different terms of one kind (see `_apart`), as the numbers above.
        self.apart: set[int] = set()
        self.heavy_ranks: list[list[int]] = []  # each text's words of the field, as ranks (set by `_blocks`)
        self.cutoff = max(0.0, threshold - STRUCTURE_BONUS)
        stats.items += len(items)
        stats.distinct_texts += len(self.keys)

    def _search(self) -> None:
        """Finds the candidate pairs and keeps in `self.scores` those at or above the cutoff."""
        keys, texts, ranks, size = self._blocks()
        pairs = self._pairs(keys, texts, ranks, size)
        self.stats.candidate_pairs += len(pairs)
        self.stats.pairs_scored += len(pairs)
        self.scores.update(self._scored(pairs, ranks, size))

    # Distinct texts are compared only when they share a blocking key: a word in at most
    # `_RARE_DF` texts, or two of each text's `_PREFIX` rarest words. A near-duplicate shares the
    # words that make it specific; a single word common to many texts ("booking", "midwife")
    # would make nearly every pair a candidate, while two of them together rarely do.
    #
    # A short text is the exception: two short wordings of one change may share one or two words
    # only, and not their rarest ("Offer NRT on the antenatal ward" and "NRT supplied by the quit
    # team"). A text that could reach the cutoff with a partner sharing that little (see the
    # function `_reach`) has each of its `_SHORT_PREFIX` rarest words as a key too, unless the
    # word is in more than `_BLOCK_CAP` texts. At a high threshold few texts are that short, so
    # the cost stays small.
    #
    # In a large programme even a pair of words can be common to hundreds of texts ("audit" and
    # "hypothermia"), and comparing all of them would grow with the square of the members. A block
    # of more than `_BLOCK_CAP` texts is split again by a third word, one of each text's next
    # `_SUB_PREFIX` rarest; a part still too large is walked in two sorted orders (by rarest words,
    # and alphabetically), each text compared with its `_WINDOW` next neighbours.
    def _blocks(self) -> tuple[np.ndarray, np.ndarray, list[list[int]], int]:
        """The blocking keys and their texts, as two arrays sorted by key (texts in ascending
        order within a key), each text's words as ranks from the rarest, and the number of words."""
        df: dict[str, int] = defaultdict(int)
        for key in self.keys:
            for word in key.words:
                df[word] += 1
        # Words numbered from the rarest, so that a text's rarest words are its smallest numbers
        # and a pair of words is one number.
        ordered = sorted(df, key=lambda word: (df[word], word))
        rank = {word: r for r, word in enumerate(ordered)}
        counts = [df[word] for word in ordered]
        size = len(ordered)
        # A word of one text only can match nothing: it is no key, and takes no place among the rarest.
        ranks = [sorted(rank[word] for word in key.words if df[word] > 1) for key in self.keys]
        self.heavy_ranks = [[rank[word] for word in key.heavy if df[word] > 1] for key in self.keys]
        n = len(self.keys)
        block_keys: list[int] = []  # the keys of one word
        block_texts: list[int] = []
        for k, ranked in enumerate(ranks):
            rarest = ranked[:_PREFIX]
            blocking = {size * size + r for r in rarest if len(rarest) == 1 or counts[r] <= _RARE_DF}
            if self.keys[k].weight <= _reach(self.cutoff, _few_shared(self.keys[k])):
                blocking.update(size * size + r for r in ranked[:_SHORT_PREFIX] if counts[r] <= _BLOCK_CAP)
            block_keys.extend(blocking)
            block_texts.extend([k] * len(blocking))
        # The keys of two words: every pair of each text's `_PREFIX` rarest, a column of pairs at a time.
        rarest = np.full((n, _PREFIX), -1, np.int64)
        for k, ranked in enumerate(ranks):
            rarest[k, :min(len(ranked), _PREFIX)] = ranked[:_PREFIX]
        keys, texts = [np.array(block_keys, np.int64)], [np.array(block_texts, np.int64)]
        for a, b in combinations(range(_PREFIX), 2):
            has = np.flatnonzero(rarest[:, b] >= 0)
            keys.append(rarest[has, a] * size + rarest[has, b])
            texts.append(has)
        # Sorted by key, then text; each (key, text) once.
        both = np.sort(np.concatenate(keys) * n + np.concatenate(texts))
        both = both[np.r_[True, both[1:] != both[:-1]]] if len(both) else both
        return both // n, both % n, ranks, size

    def _pairs(self, keys: np.ndarray, texts: np.ndarray, ranks: list[list[int]], size: int) -> np.ndarray:
        """The candidate pairs of texts of these blocks, as numbers i * len(self.keys) + j, i < j,
        in ascending order."""
        n = len(self.keys)
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else keys
        sizes = np.diff(np.r_[starts, len(keys)])
        small = (sizes > 1) & (sizes <= _BLOCK_CAP)
        found = [_pairs_within(texts[_spans(starts[small], sizes[small])], sizes[small], n)]
        for start, count in zip(starts[sizes > _BLOCK_CAP].tolist(), sizes[sizes > _BLOCK_CAP].tolist()):
            block = int(keys[start])
            words = {block - size * size} if block >= size * size else {block // size, block % size}
            parts: dict[int, list[int]] = defaultdict(list)
            for k in texts[start:start + count].tolist():
                for r in [r for r in ranks[k] if r not in words][:_SUB_PREFIX]:
                    parts[r].append(k)
            groups = [part for part in parts.values() if 1 < len(part) <= _BLOCK_CAP]
            found.append(_pairs_within(np.fromiter(chain.from_iterable(groups), np.int64),
                                       np.fromiter(map(len, groups), np.int64, len(groups)), n))
            for part in parts.values():
                if len(part) > _BLOCK_CAP:
                    for walk in (sorted(part, key=ranks.__getitem__), sorted(part, key=lambda k: self.keys[k].text)):
                        found.append(_pairs_near(np.array(walk, np.int64), n))
        pairs = np.sort(np.concatenate(found))
        return pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if len(pairs) else pairs  # each once (np.unique is slower)

    def _text(self, i: int, j: int) -> float:
        """The text score of two distinct texts (keys), scored once."""
        if i == j:
            return 100.0
        pair = i * len(self.keys) + j if i < j else j * len(self.keys) + i
        score = self.scores.get(pair)
        if score is None:
            self.stats.pairs_scored += 1
            score, _, _, differs = _text_score(self.keys[i], self.keys[j])
            self.scores[pair] = score
            if _apart(differs):
                self.apart.add(pair)
        return score

    def _item_score(self, x: int, y: int) -> float:
        return self._with_structure(self._text(self.key_of[x], self.key_of[y]), self.structure[x], self.structure[y])

    @staticmethod
    def _with_structure(text: float, a: _Structure, b: _Structure) -> float:
        shared = bool(a[0] & b[0]) or bool(a[1] & b[1])
        return min(100.0, text + (STRUCTURE_BONUS if shared else 0.0))

    def _reach_bounds(self, pairs: np.ndarray, ranks: list[list[int]], size: int) -> np.ndarray:
        """For each candidate pair, a bound on how far its common words can reach (the left side
        of the test against the bar in `_scored`), never below it; 0 when it has no common word.

        It is worked out on the texts' words as bits, many pairs at once, and rules out most
        candidates. Two words on one bit can only make two texts look closer, except two words
        of one text, which hide each other: each text's number of words so hidden is added back."""
        n = len(self.keys)
        words, heavy = _as_bits(ranks, size), _as_bits(self.heavy_ranks, size)
        hidden = np.fromiter(map(len, ranks), np.int64, n) - np.bitwise_count(words).sum(axis=1, dtype=np.int64)
        weights = np.fromiter((key.weight for key in self.keys), np.float64, n)
        reach = [np.zeros(0)]
        for start in range(0, len(pairs), _CHUNK):
            chunk = pairs[start:start + _CHUNK]
            i, j = chunk // n, chunk % n
            common = np.bitwise_count(words[i] & words[j]).sum(axis=1, dtype=np.int64) + np.minimum(hidden[i], hidden[j])
            strong = np.minimum(np.bitwise_count(heavy[i] & words[j]).sum(axis=1, dtype=np.int64) + hidden[i], common)
            wa, wb = weights[i], weights[j]
            reach.append((strong + LIGHT * (common - strong)) * (1.0 / np.minimum(wa, wb) + 2.0 / (wa + wb)))
        return np.concatenate(reach)

    def _scored(self, pairs: np.ndarray, ranks: list[list[int]], size: int) -> dict[int, float]:
        """The scores of the candidate pairs at or above the cutoff."""
        n = len(self.keys)
        keys, cutoff = self.keys, self.cutoff
        words = [key.words for key in keys]
        heavy = [key.heavy for key in keys]
        weights = [key.weight for key in keys]
        # The wording score as `_wording` computes it, written out: most candidates fall short of
        # the cutoff here, and the penalties only lower a score. The wording is
        # (100 * shared / smaller + 200 * shared / (wa + wb)) / 2, shared the weight of the
        # common words.
        bar = cutoff / 50.0
        scores: dict[int, float] = {}
        for pair in pairs[self._reach_bounds(pairs, ranks, size) >= bar - 1e-6].tolist():
            i, j = divmod(pair, n)
            common = words[i] & words[j]
            if not common:
                continue
            strong = len(common & heavy[i])
            shared = strong + LIGHT * (len(common) - strong)
            wa, wb = weights[i], weights[j]
            if shared * (1.0 / (wa if wa < wb else wb) + 2.0 / (wa + wb)) < bar - 1e-9:  # at the bar: scored
                continue
            score, _, _, differs = _text_score(keys[i], keys[j], cutoff)
            if score >= cutoff:
                scores[pair] = score
            if _apart(differs):
                self.apart.add(pair)
        return scores

    def _joins(self) -> list[tuple[float, int, int]]:
        """Item pairs at or above the threshold, as (score, item, item), best first."""
        n = len(self.keys)
        self._search()
        joins: list[tuple[float, int, int]] = []
        # Items with the same text: each joins the first of them (or, if that is its own
        # member's, the first of another member), not every other one: the linkage counts them all.
        for k, same in enumerate(self.with_key):
            if not self.keys[k].words:
                continue
            first = same[0]
            other = next((x for x in same if self.items[x].member != self.items[first].member), None)
            for x in same[1:]:
                y = first if self.items[x].member != self.items[first].member else other
                if y is not None and y != x:
                    joins.append((self._item_score(x, y), min(x, y), max(x, y)))
        # Texts that match: the best pair of their items (the first 16 of each looked at; the
        # linkage then counts every item).
        for pair, text in list(self.scores.items()):
            i, j = divmod(pair, n)
            best: Optional[tuple[float, int, int]] = None
            for x in self.with_key[i][:16]:
                for y in self.with_key[j][:16]:
                    if self.items[x].member == self.items[y].member:
                        continue
                    candidate = (self._with_structure(text, self.structure[x], self.structure[y]), min(x, y), max(x, y))
                    if best is None or (-candidate[0], candidate[1], candidate[2]) < (-best[0], best[1], best[2]):
                        best = candidate
            if best is not None:
                joins.append(best)
        joins = [join for join in joins if join[0] >= self.threshold]
        joins.sort(key=lambda join: (-join[0], join[1], join[2]))
        self.stats.matches += len(joins)
        return joins

    def _linkage(self, a: _Group, b: _Group) -> float:
        """The mean score over all item pairs across two clusters; 0 when two of their texts name
        different terms of one kind and do not match on their own (see `_apart`)."""
        total = 0.0
        n = len(self.keys)
        for (i, sa), na in a.profile.items():
            for (j, sb), nb in b.profile.items():
                score = self._with_structure(self._text(i, j), sa, sb)
                if score < self.threshold and (i * n + j if i < j else j * n + i) in self.apart:
                    return 0.0
                total += na * nb * score
        return total / (len(a.items) * len(b.items))

    def clusters(self, same: Iterable[Iterable[Key]] = (), different: Iterable[Iterable[Key]] = ()) -> list[Cluster]:
        where = {(item.member, item.id): x for x, item in enumerate(self.items)}
        decided: list[tuple[float, int, int]] = []
        for group in same:
            found = [where[key] for key in group if key in where]
            decided += [(100.0, min(x, y), max(x, y)) for x, y in zip(found, found[1:])]
        apart: set[tuple[int, int]] = set()
        for group in different:
            found = [where[key] for key in group if key in where]
            apart.update((min(x, y), max(x, y)) for x, y in combinations(found, 2))
        joins = decided + self._joins()
        parent = list(range(len(self.items)))
        groups: dict[int, _Group] = {}

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def group(x: int) -> _Group:
            if x not in groups:
                groups[x] = _Group([x], {self.items[x].member}, {(self.key_of[x], self.structure[x]): 1})
            return groups[x]

        for sequence, (_, x, y) in enumerate(joins):
            rx, ry = find(x), find(y)
            if rx == ry:
                continue
            gx, gy = group(rx), group(ry)
            by_people = sequence < len(decided)
            if gx.members & gy.members or (apart and any((min(a, b), max(a, b)) in apart for a in gx.items for b in gy.items)):
                continue
            if not by_people and self._linkage(gx, gy) < self.threshold:
                continue
            if len(gx.items) < len(gy.items):
                rx, ry, gx, gy = ry, rx, gy, gx
            parent[ry] = rx
            del groups[ry]
            gx.items.extend(gy.items)
            gx.members |= gy.members
            for key, count in gy.profile.items():
                gx.profile[key] = gx.profile.get(key, 0) + count
            match = self._match(x, y)
            if by_people:
                match = Match(match.a, match.b, match.score, "Decided the same in the programme file. " + match.why)
            gx.matches.extend(gy.matches + [(sequence, match)])
            gx.suggested += gy.suggested + (0 if by_people else 1)
        return [self._cluster(g) for g in groups.values() if len(g.items) > 1]

    def _match(self, x: int, y: int) -> Match:
        """The match of two items, the part of their texts worked out once for each pair of texts
        (most joins are of items with the same text)."""
        i, j = self.key_of[x], self.key_of[y]
        scored = self.explained.get((i, j))
        if scored is None:
            scored = self.explained[(i, j)] = _text_score(self.keys[i], self.keys[j])
        return _score(self.keys[i], self.keys[j], self.items[x], self.items[y], scored)

    def _cluster(self, g: _Group) -> Cluster:
        items = sorted(g.items)
        return Cluster(kind=self.kind, items=tuple(self.items[x] for x in items),
                       matches=tuple(match for _, match in sorted(g.matches, key=lambda m: m[0])),
                       label=self._label(items), confirmed=g.suggested == 0)

    def _label(self, items: list[int]) -> str:
        """The medoid: the text with the highest total score against the cluster's items; on a tie
        the shortest, then the first by member and id."""
        counts: dict[int, int] = {}
        first: dict[int, int] = {}
        for x in items:
            counts[self.key_of[x]] = counts.get(self.key_of[x], 0) + 1
            first.setdefault(self.key_of[x], x)
        best = min(counts, key=lambda k: (-sum(n * self._text(k, other) for other, n in counts.items()),
                                          len(self.items[first[k]].text), first[k]))
        return self.items[first[best]].text

"""How a text of a programme is read, to find the same change written in other words.

Each text is normalised: lower case, punctuation dropped, plurals made singular (crudely),
gestations written one way ("<34/40", "before 34 weeks" and "under 34 wks" are "under 34 week";
"37 weeks or more" is "from 37 week"), numbers in words written in digits, a misspelled word of the
field read as the word meant ("monoxdie"), the field's vocabulary applied
(driverkit.programme.vocabulary: "co" is "carbon monoxide", "quit team" is "stop smoking
service", "mums" are women), what a text sets itself against, adds itself to or goes without
dropped ("at every visit, not just at booking", "at 36 weeks as well as at booking", "currently
booking only", "no GP prescription"), stop words dropped. Its words weigh 1 when they are words of
the field and `LIGHT` when the vocabulary does not know them or they are too general to tell
changes apart (`GENERIC`: "care", "maternity", and "smoking", the subject of a whole workstream).

Then the terms that tell changes apart are read from it (`Normalised`): the time point (booking,
36 weeks, 24 to 28 weeks, the first trimester, second feed, the second stage of labour, 6 weeks
postnatal, day 5, at diagnosis, during a transfer, at the change of shift), an amount (a dose, a
volume, a threshold with its side, how long or how often, how many: "5 mg", "below 2.0 mmol/l",
"500 ml", "for 12 hours", "every 15 minutes", "up to 2 doses"), the recipient (the mother, the
baby, a partner, the parents, staff), the condition or population (gestational diabetes, preterm,
shoulder dystocia, substance misuse, BMI over 30, GDM in an earlier pregnancy...), how the baby is
born (caesarean, vaginal birth), whether the women smoke (smokers, non-smokers), what is given
(antenatal steroids, magnesium sulphate, NRT, breast milk or formula...), what is measured
(temperature, blood glucose, HbA1c, renal function...), which transfer (in utero, ex utero, back
to the local unit), the setting (labour ward, postnatal ward, neonatal unit, birth centre...), the
period (in pregnancy, in labour, after the birth), how the woman is seen (by telephone, by video,
in person), what the team does about it (audit it, train or teach staff in it)
and who does it (the midwife, the health visitor, the registrar...). A condition named as a risk
("babies at risk of hypoglycaemia", "to prevent hypothermia") is read apart from the condition
itself, and one said to be had ("babies treated for hypoglycaemia") as such. How these terms
weigh against a match is `driverkit.programme.likeness`'s business.

Last, the changes of the field a text names are found (driverkit.programme.changes: "NRT supplied
directly by maternity", "antenatal steroids in the optimal window"), each counted among its words
as `CHANGE_WORDS` words of the field, with the means it names for carrying one out (a leaflet, a
poster, a huddle: vocabulary.MEANS).

The names with a leading underscore are for the modules of this package only.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Mapping, Optional, Sequence

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from driverkit.programme.changes import CHANGES
from driverkit.programme.plain_words import PLAIN_WORDS
from driverkit.programme.vocabulary import ALL, CASED, MEANS, NAMES, ONLY_WITH, TOPICS

LIGHT = 0.4  # the weight of a word the vocabulary does not know, against 1 for a word of the field

# Words of the field too general to tell one change from another: they weigh as little as words
# the vocabulary does not know.
GENERIC = frozenset(
    "woman baby pregnancy pregnant birth care midwife staff team service test offer use support all every "
    "patient clinic ward unit appointment risk management improve ensure increase reduce implement new "
    "maternity neonatal antenatal postnatal doctor nurse consultant registrar anaesthetist senior "
    "programme project process plan review record "
    "assessment system tool chart documented documentation bundle guideline pathway policy "
    # how often and how soon: the time terms below tell these apart, as wording they only pad
    "within week hour day minute second first early late daily weekly monthly annual "
    # the subject of a whole workstream: every change of it is about smoking and stopping it
    "smoking stop".split()
)

# A word of 6 letters or more that the field does not know may be a misspelling of one it does.
_TYPO_LENGTH = 6

# The field's abbreviations and synonyms (driverkit.programme.vocabulary); a programme adds its own.
VOCABULARY: dict[str, str] = dict(ALL)
# Acronyms that are also English words, read as acronyms only when written in capitals ("PROMPT").
_CASED = re.compile(r"\b(?:" + "|".join(map(re.escape, CASED)) + r")\b")
# First names that are also acronyms of the field: a name, read as no word, unless the text speaks
# of what the acronym names ("Lisa will run the clinic" is no LISA; "Lisa for babies under 32 weeks" is).
_NAMES = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(NAMES))) + r")\b")

_STOP_WORDS = frozenset(
    "a an the and or of to for in on at by with from as is are be been being was were it its this that these those "
    "her his their she he they them we our you your who whom which when where while all every each any some "
    "has have had get gets got put then than there into onto so not no per also very just only straight "
    "unless until after before under about".split()
) | {"s"}  # the plural of a number: "over 40s", "under 18's"

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
    "preterm": "preterm", "term admission": "term", "term baby": "term", "term infant": "term",
    "at term": "term", "term birth": "term", "type 1": "type 1 diabetes",
    "type 2": "type 2 diabetes",
    "group b strep": "group b strep", "hypertension": "hypertension", "hypotension": "hypotension", "meconium": "meconium",
    # obstetric emergencies
    "shoulder dystocia": "shoulder dystocia", "cord prolapse": "cord prolapse", "breech": "breech",
    "maternal collapse": "maternal collapse", "woman collapse": "maternal collapse", "uterine rupture": "uterine rupture", "eclampsia": "eclampsia",
    # how the baby is born, as a population ("cord gases for every emergency caesarean")
    "caesarean": "caesarean", "emergency caesarean": "emergency caesarean", "elective caesarean": "elective caesarean",
    "category 1 caesarean": "category 1 caesarean", "full dilatation caesarean": "full dilatation caesarean",
    "previous caesarean": "previous caesarean",
    # the woman's health and circumstances
    "mental health": "mental health", "substance misuse": "substance misuse", "domestic abuse": "domestic abuse",
    "epidural": "regional anaesthesia", "spinal": "regional anaesthesia",
    "regional anaesthesia": "regional anaesthesia",
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
# Groups of women and risks at the birth, read as conditions; their words weigh as other words do
# (an "area", a "community" or "learning" says nothing of the field elsewhere).
_POPULATION = {
    "learning disability": "learning disability", "learning difficulty": "learning disability", "ld": "learning disability",
    "visual impairment": "visual impairment", "visually impaired": "visual impairment",
    "partially sighted": "visual impairment", "sight loss": "visual impairment",
    "teenage": "teenage pregnancy", "teenager": "teenage pregnancy",
    # where women live ("babies deprived of oxygen" are not)
    "deprived area": "deprivation", "most deprived": "deprivation", "deprived community": "deprivation",
    "high deprivation": "deprivation", "deprived neighbourhood": "deprivation", "core20plus": "deprivation",
    "imd decile 1": "deprivation", "imd quintile 1": "deprivation",
    # women of Black, Asian and other minority ethnic groups (a group, or a risk factor in a list)
    "black": "ethnic minority", "asian": "ethnic minority", "bame": "ethnic minority", "bme": "ethnic minority",
    "ethnic minority": "ethnic minority", "minority ethnic": "ethnic minority", "global majority": "ethnic minority",
    # what puts a baby at risk of infection at its birth
    "fever intrapartum": "maternal fever", "intrapartum fever": "maternal fever", "woman fever": "maternal fever",
    "fever in labour": "maternal fever", "prolonged rupture of membrane": "prolonged rupture of membranes",
    "prolonged rom": "prolonged rupture of membranes",
}
# A means with another use than the aim it names (vocabulary.TOPICS) when a text names these
# conditions or words: magnesium sulphate protects the preterm baby's brain, and prevents eclamptic
# seizures.
_OTHER_USES = {"neuroprotection": ("pre-eclampsia", "eclampsia", "seizure"),
               # a temperature taken for a fever: "sepsis screen for a temperature of 38 or more"
               "hypothermia": ("sepsis", "fever", "maternal fever", "pyrexia", "chorioamnionitis", "infection",
                               "group b strep")}
# A condition of an earlier pregnancy is a risk factor of this one, not the condition itself:
# "early OGTT for women with previous GDM" is not "for women with GDM". (Read with the conditions;
# "prior" and "history" are no words of the field for it.)
_PAST_CONDITIONS = (("gestational diabete", "gestational diabetes"), ("gestational diabetes", "gestational diabetes"),
                    ("pre eclampsia", "pre-eclampsia"), ("obstetric haemorrhage", "haemorrhage"),
                    ("preterm birth", "preterm birth"), ("preterm", "preterm birth"),
                    ("stillbirth", "stillbirth"), ("macrosomia", "macrosomia"),
                    ("shoulder dystocia", "shoulder dystocia"), ("small for gestational age", "small for gestational age"),
                    ("group b strep", "group b strep"))
_HISTORY = {**{f"{before} {phrase}": f"{name} in a previous pregnancy"
               for before in ("previous", "prior", "history of") for phrase, name in _PAST_CONDITIONS},
            **{f"had {phrase} before": f"{name} in a previous pregnancy" for phrase, name in _PAST_CONDITIONS},
            **{f"previous baby had {phrase}": f"{name} in a previous pregnancy" for phrase, name in _PAST_CONDITIONS},
            **{f"previous baby had invasive {phrase}": f"{name} in a previous pregnancy" for phrase, name in _PAST_CONDITIONS},
            # "GDM in a previous pregnancy", "pre-eclampsia in her last pregnancy"
            **{f"{phrase} in {whose} {which} pregnancy": f"{name} in a previous pregnancy"
               for whose in ("a", "her", "the", "their") for which in ("previous", "last", "earlier", "prior")
               for phrase, name in _PAST_CONDITIONS}}
_PREVENTING = frozenset({"prevent", "preventing", "prevention", "avoid", "avoiding"})
_RISK_WORDS = frozenset({"risk", "undiagnosed"}) | _PREVENTING
_HAVING_WORDS = frozenset({"with", "treated", "having", "diagnosed", "known"})
# How the baby is born: "cord clamping at caesarean section" is not "at vaginal birth". (A
# caesarean is a condition too: "cord gases for every emergency caesarean".)
_MODE = {"caesarean": "caesarean", "emergency caesarean": "emergency caesarean",
         "elective caesarean": "elective caesarean", "category 1 caesarean": "category 1 caesarean",
         "full dilatation caesarean": "full dilatation caesarean", "vaginal birth": "vaginal birth",
         "instrumental birth": "instrumental birth", "previous caesarean": ""}  # a history, not how this baby is born
# Terms that name one another: pre-existing diabetes is type 1 or type 2.
_IMPLIES = {"type 1 diabetes": {"pre-existing diabetes"}, "type 2 diabetes": {"pre-existing diabetes"},
            # the mother and her partner are the baby's parents, and speak for it
            "mother": {"parent"}, "partner": {"parent"}, "baby": {"parent"},
            "consultant": {"doctor"}, "registrar": {"doctor"}, "junior doctor": {"doctor"},
            "senior doctor": {"doctor", "consultant", "registrar"},  # either grade
            "blood glucose": {"glucose"},
            "sepsis": {"infection"}, "group b strep": {"infection"},
            # the drugs given for the third stage are each a uterotonic; Syntometrine holds ergometrine
            "oxytocin": {"uterotonic"}, "carbetocin": {"uterotonic"}, "ergometrine": {"uterotonic"},
            "syntometrine": {"uterotonic", "ergometrine"},
            # every contact of the field's changes is in pregnancy ("a CO test at each visit")
            "every contact": {"antenatal"},
            "labour ward": {"maternity ward"}, "postnatal ward": {"maternity ward"}, "antenatal ward": {"maternity ward"},
            "birth room": {"labour ward"}, "instrumental birth": {"vaginal birth"},
            "category 1 caesarean": {"emergency caesarean"}, "full dilatation caesarean": {"emergency caesarean"},
            # time: booking is early in pregnancy; the stages of labour are in labour
            "booking": {"early pregnancy"}, "discharge": {"postnatal"}, "first feed": {"postnatal"},
            "second feed": {"postnatal"}, "third feed": {"postnatal"}, "new birth visit": {"postnatal"}, "first stage of labour": {"in labour"},
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
    "senior doctor": "senior doctor", "junior doctor": "junior doctor",
    "anaesthetist": "anaesthetist", "neonatal team": "neonatal team", "health visitor": "health visitor",
    "gp": "gp", "maternity support worker": "maternity support worker", "pharmacist": "pharmacist",
    "dietitian": "dietitian", "diabetes specialist nurse": "diabetes specialist nurse",
    "diabetes specialist midwife": "diabetes specialist midwife", "fetal monitoring lead": "fetal monitoring lead",
    "coordinator": "coordinator", "stop smoking service": "stop smoking service",
    "infant feeding team": "infant feeding team", "sonographer": "sonographer", "mental health team": "mental health team",
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
    "misoprostol": "misoprostol", "ergometrine": "ergometrine", "syntometrine": "syntometrine",
    # what a baby is fed
    "breast milk": "breast milk", "formula": "formula",
}
# Which transfer: of the mother before the birth, of the baby after it, or of the baby back to its local unit.
_TRANSFER = {"inutero transfer": "in utero transfer", "postnatal transfer": "ex utero transfer",
             "repatriation": "repatriation"}
# How a woman is seen or heard: telephone triage is not triage face to face.
_CHANNEL = {"telephone": "telephone", "phone": "telephone", "phoning": "telephone", "phone call": "telephone",
            "video call": "video", "video consultation": "video", "video appointment": "video",
            "face to face": "in person", "in person": "in person"}
# What the team does about the thing rather than the thing itself: check it afterwards, teach it,
# talk it over after the event, or remind people of it.
_ACT = {"audit": "audit", "train": "train", "debrief": "debrief", "debriefing": "debrief", "reminder": "remind",
        # a debrief days later, to learn, is not the one straight after ("hot debrief" is read "debrief")
        "cold debrief": "cold debrief",
        "remind": "remind", "reminding": "remind",
        # the forms staff training takes: a course, a drill, a simulation
        "emergency training": "train", "simulation": "train", "study day": "train"}
# How she comes to be referred: by default, free to decline (opt-out), or when she asks for it (opt-in).
_CONSENT = {"opt out": "opt-out", "optin": "opt-in"}
_OPT_OUT = frozenset({"opt-out"})
# Whether she is seen with others or alone: a group session is not an appointment of her own.
_FORMAT = {**{f"group {kind}": "group" for kind in ("session", "teach", "class", "clinic", "consultation", "appointment",
                                                    "antenatal", "care", "workshop")},
           "one to one": "one to one", "one on one": "one to one", "1 1 session": "one to one",
           "1 1 appointment": "one to one",
           "individual session": "one to one", "individual appointment": "one to one",
           "individual consultation": "one to one",
           "one to one care": "",  # one-to-one care in labour: a midwife for each woman, a staffing ratio
           # a group that meets to plan or decide, or a group of women: no group session
           **{f"{what} group {kind}": "" for what in ("focus", "working", "steering", "risk", "task", "reference",
                                                       "advisory", "age", "ethnic", "project")
              for kind in ("session", "teach", "class", "clinic", "consultation", "appointment", "antenatal",
                           "care", "workshop")}}
# How a medicine is given: combination NRT is not one product (see `_COMBINED`); surfactant
# through a thin catheter (LISA, MIST) is not surfactant through an endotracheal tube.
_HOW_GIVEN = {"single product": "single product", "lisa": "less invasive", "mist": "less invasive",
              "thin catheter": "less invasive", "less invasive surfactant": "less invasive",
              "endotracheal tube": "intubated", "intubated": "intubated", "intubation": "intubated"}
# Which life support course staff attend: the newborn's is not the adult's or the child's.
_COURSE = {"newborn life support": "newborn life support", "basic life support": "adult life support",
           "advanced life support": "adult life support", "immediate life support": "adult life support",
           "adult life support": "adult life support", "paediatric life support": "paediatric life support",
           "advanced life support in obstetric": "obstetric life support"}
# Where a report goes: the board of the trust is not the local system's, nor the governance meeting.
# Read only in a text that reports, presents, shares or escalates something, or shares learning
# (`_REPORTING`; "share learning" is read "incident learning").
# ("LMNS" is read as the singular "lmn", as every word ending in s.)
_FORUM = {"trust board": "trust board", "lmn": "lmns", "lmn board": "lmns",
          "governance meeting": "governance meeting", "safety champion": "safety champions",
          "maternity voice partnership": "mnvp"}
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
            "newly diagnosed": "diagnosis", "new birth visit": "new birth visit",
            # the moments of an improvement project: a survey before it starts is not the one at its end
            "baseline survey": "project start", "baseline audit": "project start", "before the project start": "project start",
            "before the programme start": "project start", "start of the project": "project start",
            "start of the programme": "project start", "end of the project": "project end",
            "end of the programme": "project end"}
# Words that place a change in pregnancy or after the birth: two texts placed only in one and only
# in the other are two changes ("home visits for pregnant smokers", "for new mothers after the birth").
_ANTENATAL_WORDS = frozenset({"pregnant", "pregnancy", "antenatal", "booking", "antenatal clinic", "antenatal ward",
                              "early pregnancy", "mid pregnancy", "late pregnancy", "dating scan", "anomaly scan"})
_POSTNATAL_WORDS = frozenset({"postnatal", "discharge", "postnatal ward", "new birth visit"})
# And in labour, between the two: "hourly blood glucose in labour" is neither.
_LABOUR_TIMES = frozenset({"in labour", "first stage of labour", "second stage of labour", "third stage of labour"})
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
    "centile": ("centile", "centile", None),  # of birthweight or growth: "below the 2nd centile"
    "kgm2": ("kg/m2", "body mass index", None),
}
_COUNTS = frozenset({"doses", "consecutive"})  # measures that count, with no limit to be above or below
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
_CHOICE_WORDS = _CAN | {"unless", "if"}  # a text with none of them opts no one out (see `_opting_out`)
_FROM = frozenset({"after", "over", "beyond", "above", "from"})
_OR_MORE = frozenset({("or", "more"), ("or", "over"), ("or", "above"), ("and", "over"), ("and", "above")})
# Things whose hours are how long they last: "16-hour nicotine patches", "a 24 hour helpline".
_LASTING_THINGS = frozenset({"nicotine", "patch", "helpline"})
# How often, after a number: "4-weekly growth scans" are every 4 weeks ("hourly" is read "every
# hour"; "3 daily huddles" are three a day). A bigger number is a dose or a label ("aspirin 150
# daily", "ward 22"), as is a number after a word it labels ("band 7 hourly fresh eyes").
_EVERY_UNIT = {"weekly": "week", "monthly": "month"}
_OFTEN_UNITS = {"hour": 24, "week": 12, "month": 12}  # the unit, and the largest number of it read as how often
_EVERY_WORDS = frozenset({"every", "each"})
_ORDINALS = {"other": "2", "second": "2", "third": "3", "fourth": "4"}  # "every second week"
_ORDINAL_ENDS = frozenset({"st", "nd", "rd", "th"})  # "every 2nd week" is read "every 2 nd week"
_LABELS = frozenset("band level ward bay room bed day week type stage grade category cat step phase wave floor "
                    "tier area unit site zone pod theatre cohort version score trigger".split())
# Words before a time that make it how long or how often: "for 12 hours", "every 15 minutes".
_HOW_LONG = frozenset({"for", "every", "each", "per", "lasting"})
# Before a time it is done within: "within 2 hours", "in the first 24 hours", "<1 hr" (read "under").
_WITHIN = frozenset({"within", "first", "under"})
# After "within N hours of": the birth it counts from ("after birth" is read "postnatal").
_THE_BIRTH = frozenset({"birth", "life", "age", "delivery"})
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
_WORD = re.compile(r"[a-z]+(?:\d[a-z0-9]*)?|\d+(?:\.\d+)?(?:\+\d+)?")  # "co2", "33+6", "monitoring"
# "co-" before a word in lower case is a prefix ("co-locate", "Co-ordinator"); in capitals it is
# carbon monoxide ("CO-validated").
_CO_PREFIX = re.compile(r"\b([Cc]o)-(?=[a-z])")
_TIMES_LISTED = re.compile(r"(\d\s*[AaPp]\.?[Mm]\b\.?)\s*,\s*(?=\d)")
_POSSESSIVE = re.compile(r"(?<!\d)'s\b")  # after a number it is a plural: "under 18's"
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
# Half an hour and an hour and a half, in words (not "half-hourly", how often).
_HALF_HOUR = re.compile(r"\b(?:an? hour and a half|(?:one|1) and a half hours?|half[\s-](?:an?[\s-])?hour(?!ly))\b")
# What a number in words may count: a text without any of these has none to read (faster to look for).
_COUNTED = re.compile("hour|hr|min|day|week|month|year|dose|consecutive|reading|time")


def _number_in_digits(found: re.Match) -> str:
    tens, unit, alone = found.groups()
    return str(_NUMBER_WORDS[alone] if alone else _TENS[tens] + (_NUMBER_WORDS[unit] if unit else 0))


# Gestations and ranges as clinicians write them, in words: "<34/40" is "under 34 weeks",
# "24-28 wks" is "24 to 28 weeks".
# Each with what a text must hold for it to match at all, looked for first (most texts hold none).
_WRITTEN_NUMBERS = [
    (("<", "less than"), re.compile(r"(?:<|\bless than\s)\s*(\d)"), r" under \1"),
    (("\u2265", ">", "more than", "greater than", "at least"),
     re.compile(r"(?:\u2265|>=?|\bmore than\s|\bgreater than\s|\bat least\s)\s*(\d)"), r" from \1"),
    (("/",), re.compile(r"(\d+(?:\+\d)?)\s*/\s*40\b"), r"\1 weeks"),
    (("wk", "week"), re.compile(r"(\d)\s*(?:wks?|weeks?)\b"), r"\1 weeks"),
    (("-", "\u2013", "\u2014"), re.compile(r"(\d+(?:\+\d)?)\s*[-\u2013\u2014]\s*(\d)"), r"\1 to \2"),  # "24-28 weeks", "6.0-6.9 mmol/l"
    (("+",), re.compile(r"(\d+\+\d)(?!\d|\s*(?:to\b|weeks))"), r"\1 weeks"),  # "33+6" is a gestation
    # a limit of centiles read as one of an amount: "below the 10th centile" is "below 10th centile"
    (("centile",), re.compile(r"\b(below|under|over|above|less than|more than|greater than)\s+the\s+(\d+(?:st|nd|rd|th)?\s*(?:per)?centile)"),
     r"\1 \2"),
    # a range of centiles: "between the 10th-90th centile", "the 3rd and 10th centiles"
    (("centile",), re.compile(r"\b(\d{1,3}(?:\.\d{1,2})?)(?:st|nd|rd|th)?\s*(?:[-\u2013\u2014]|\bto\b|\band\b)\s*"
                              r"(\d{1,3}(?:\.\d{1,2})?)(?:st|nd|rd|th)?\s*(?:per)?centile"),
     lambda found: f"{found.group(1)} {'to' if float(found.group(1)) < float(found.group(2)) else 'and'} {found.group(2)} centile"),
    # ordinals: "the 1st hour", "before the 2nd feed", "1st trimester" (a centile stays a number)
    *(((digit + suffix,), re.compile(rf"\b{digit}{suffix}\b(?!\s*(?:centile|percentile))"), word)
      for digit, suffix, word in (("1", "st", "first"), ("2", "nd", "second"), ("3", "rd", "third"), ("4", "th", "fourth"))),
    # a centile as a number of centiles: "below the 2nd centile", "<10th percentile", "centile <10th"
    (("centile",), re.compile(r"(\d+)(?:st|nd|rd|th)?\s*(?:per)?centile"), r"\1 centile"),
    (("centile",), re.compile(r"(?:per)?centile\s+(under|from)\s+(\d+)(?:st|nd|rd|th)?\b"), r"\1 \2 centile"),
    # a body mass index: its unit one word, and written without it as when written with it ("BMI
    # over 30", "BMI 30-34.9", "BMI >= 30 kg/m2"), never a mass
    (("kg",), re.compile(r"(\d)\s*kg\s*/?\s*m\s*2\b"), r"\1 kgm2"),
    (("bmi",), re.compile(r"\bbmi\s+(?:of\s+|is\s+)?((?:under|from|over|above|below)\s+)?(\d+(?:\.\d+)?(?:\s+to\s+\d+(?:\.\d+)?)?)\b(?!\s*(?:kg|\.\d|%))"),
     r"bmi \1\2 kgm2"),
]


@dataclass(frozen=True)
class Normalised:
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
    served: frozenset[str] = frozenset()
    """Those of `staff` it is for ("preceptorship for newly qualified midwives"): who receives it."""
    observation: frozenset[str] = frozenset()
    """What is measured or checked: "temperature", "blood glucose"..."""
    transfer: frozenset[str] = frozenset()
    """"in utero transfer", "ex utero transfer" or "repatriation"."""
    channel: frozenset[str] = frozenset()
    """How the woman is seen: "telephone", "video" or "in person"."""
    consent: frozenset[str] = frozenset()
    """How she is referred: "opt-out" (by default, free to decline) or "opt-in" (when she asks)."""
    format: frozenset[str] = frozenset()
    """Whether she is seen with others or alone: "group" or "one to one"."""
    cover: frozenset[str] = frozenset()
    """The hours a service is there: "all hours" (24/7) or "set hours" (8am to 8pm, weekdays)."""
    giving: frozenset[str] = frozenset()
    """How a medicine is given: "combination" or "single product" (NRT), "less invasive" or "intubated" (surfactant)."""
    forum: frozenset[str] = frozenset()
    """Where a report goes: "trust board", "lmns", "governance meeting", "safety champions", "mnvp"."""
    course: frozenset[str] = frozenset()
    """Which life support course: "newborn life support", "adult life support", "paediatric life support"."""
    having: frozenset[str] = frozenset()
    """The conditions it says its women or babies have ("babies with hypoglycaemia", "treated for"),
    as against those it names as a risk or an aim."""
    aimed: frozenset[str] = frozenset()
    """The conditions it names only by its means, as their aim (vocabulary.TOPICS: growth scans
    are for babies small for their age), not in its own words."""
    medicine: frozenset[str] = frozenset()
    """What is given: "antenatal steroids", "magnesium sulphate", "glucose gel"..."""
    mode: frozenset[str] = frozenset()
    """How the baby is born: "caesarean", "vaginal birth"..."""
    status: frozenset[str] = frozenset()
    """Whether the women it is for smoke: "smokers", "non-smokers", "ex-smokers"."""
    changes: frozenset[str] = frozenset()
    """The changes of the field it names (driverkit.programme.changes), each also counted among its
    words as `CHANGE_WORDS` words of the field (see `change_words`)."""
    counted: frozenset[str] = frozenset()
    """Those words of `words` that count the changes it names (see `change_words`)."""
    means: frozenset[str] = frozenset()
    """How the change is carried out, when it says: "leaflet", "poster", "huddle"... (vocabulary.MEANS)."""
    weight: float = 0.0
    """The weight of all its words (see `_weight`)."""

    def __hash__(self) -> int:
        # Two equal readings have one text: hashing it alone is quicker than every field, and
        # texts are hashed often (identical texts are scored once). Readings that differ may
        # share a text ("for women", "for babies": who receives it is no word of it), and so a hash.
        return hash(self.text)


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


# Letters written as two in plain Latin letters.
_LIGATURES = {"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L"}


def _unaccented(text: str) -> str:
    """The text with its letters' accents dropped ("café" is "cafe", "naïve" "naive", "œdema"
    "oedema"): words are read in plain Latin letters, and one written with an accent and one
    without are one word. Only letters: a sign with a stroke ("≮", not less than) stays itself.
    A character written in a compatible form is its plain one (the ligature "ﬁ", full-width
    letters, "m²"), and a soft hyphen or a zero-width character is none ("hypo\u00adtension")."""
    return "".join(c if c.isascii() else _plain_character(c) for c in text)


_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")


@lru_cache(maxsize=4096)
def _plain_character(c: str) -> str:
    if c in _INVISIBLE:
        return ""
    compatible = unicodedata.normalize("NFKC", c)
    if compatible.isascii():
        return compatible
    return _LIGATURES.get(c) or _without_marks(c) if c.isalpha() else c


def _without_marks(letter: str) -> str:
    return "".join(part for part in unicodedata.normalize("NFD", letter) if not unicodedata.combining(part))


def _read(text: str, acronyms: bool = False) -> tuple[list[str], bool]:
    """The words of a text as written, lower case, gestations in words; and whether it writes any
    number (in digits or in words). Only Latin letters and digits make words, accents dropped."""
    if not text.isascii():
        text = _unaccented(text)
    if "," in text and _TIMES_LISTED.search(text):  # "at 8am, 8pm": two times of day, not from one to the other
        text = _TIMES_LISTED.sub(r"\1 and ", text)
    if "co-" in text or "Co-" in text:
        text = _CO_PREFIX.sub(r"\1", text)
    if ("-" in text or "." in text) and _SPELLED_HINT.search(text):
        text = _SPELLED_OUT.sub(lambda found: re.sub(r"[-.]", "", found.group(0)), text)
    # All in capitals, no word stands out; unless the text is known to name `acronyms` (a phrase: "PROMPT").
    if any(acronym in text for acronym in CASED) and (acronyms or not text.isupper()):
        text = _CASED.sub(lambda found: CASED[found.group(0)], text)
    if any(name in text for name in NAMES):
        said = frozenset(re.findall(r"[a-z]+", text.lower()))
        text = _NAMES.sub(lambda found: found.group(0) if not NAMES[found.group(0)].isdisjoint(said) else " ", text)
    text = text.lower().replace("\u2019", "'").replace("&", " and ")
    if "'" in text:
        text = _POSSESSIVE.sub("", text)
    if "half" in text:  # "within half an hour", "an hour and a half": minutes
        text = _HALF_HOUR.sub(lambda found: " 30 minutes " if found.group(0).startswith("half") else " 90 minutes ", text)
    digits = _DIGIT.search(text) is not None  # most texts have none
    # "one hour", "two consecutive readings": numbers in words are numbers (the units first: faster)
    if _COUNTED.search(text) and _NUMBER_WORD.search(text):
        text = _NUMBER_WORD.sub(_number_in_digits, text)
        digits = True
    if digits:
        for needles, pattern, replacement in _WRITTEN_NUMBERS:
            if any(needle in text for needle in needles):
                text = pattern.sub(replacement, text)
    return _WORD.findall(text), digits


def _words(text: str) -> list[str]:
    return [_singular(word) for word in _read(text)[0]]


class _Phrases:
    """Replaces phrases (tuples of normalised words) by others, longest match first; those of
    `only_with` only in a text with one of their words."""

    def __init__(self, mapping: Mapping[str, str], only_with: Mapping[str, frozenset[str]] = ONLY_WITH) -> None:
        self.only_with = {tuple(_words(phrase)): context for phrase, context in only_with.items()}
        self.table: dict[tuple[str, ...], tuple[str, ...]] = {}
        for phrase, replacement in mapping.items():
            key = tuple(_words(phrase))
            if key:
                self.table[key] = tuple(_words(replacement))
        # A word also written in two ("smoke free" for "smokefree") is so in the phrases that hold
        # it: "smoke-free pregnancy team" is the "smokefree pregnancy team" (the entry written wins).
        split = {replacement[0]: key for key, replacement in self.table.items()
                 if len(key) > 1 and len(replacement) == 1 and "".join(key) == replacement[0]}
        for key, replacement in list(self.table.items()):
            for at, word in enumerate(key):
                if word in split and len(key) > 1:
                    self.table.setdefault(key[:at] + split[word] + key[at + 1:], replacement)
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
        starts, table, only_with = self.starts, self.table, self.only_with
        out: list[str] = []
        done = 0  # words before this are in `out`
        for i, word in enumerate(words):
            if i < done or word not in starts:
                continue
            for size in starts[word]:
                phrase = tuple(words[i:i + size])
                replacement = table.get(phrase)
                if replacement is not None and (phrase not in only_with or not only_with[phrase].isdisjoint(words)):
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
    sessions are delivered by", "care delivery", "sepsis 6 bundle delivered" (but "deliver the
    baby", "care at delivery", "delivery of the baby", "delivery suite education", "post delivery
    care", "instrumental delivery bundle")."""
    out = list(words)
    for i, word in enumerate(words):
        if word not in _DELIVER or words[i + 1:i + 2] and words[i + 1] in _DELIVERY_PLACES or (
                i and words[i - 1] in _AROUND_A_BIRTH):
            continue
        if not _SERVICES.isdisjoint(words[i + 1:i + 4]) or (i and word != "deliver" and words[i + 1:i + 2] != ["of"] and (
                words[i - 1] in _SERVICES or words[i - 1] in _GIVEN)):
            out[i] = "provide"
    return out


def _trained_people(words: list[str]) -> list[str]:
    """"Trained" before the people it qualifies, after a word that introduces them, says who does
    the change, not that staff are trained in it: "access to trained QI coaches", "a trained
    interpreter" (but "staff trained in PROMPT", "NLS trained midwives", "trained to lead")."""
    out = []
    for i, word in enumerate(words):
        if word == "trained" and (i == 0 or words[i - 1] in _INTRODUCING):
            qualified = next((after for after in words[i + 1:i + 4] if after in _PEOPLE or after in _TRAINED_TO), "")
            if qualified in _PEOPLE:
                continue
        out.append(word)
    return out


# Groups of women and risks at the birth written with a number, read as their names (see `_groups_in_numbers`).
_GROUP_HINTS = frozenset({"rom", "prom", "srom", "rupture", "under", "aged", "age", "young", "teen"})
_HOURS = frozenset({"h", "hr", "hour"})
_MEMBRANES_SINCE = 18  # hours from which the membranes' rupture is prolonged (a risk of infection for the baby)
# Words between the rupture and its hours that say "longer than" (">" is read "from").
_LONGER_THAN = frozenset({"from", "over", "more", "than", "greater", "longer", "for", "beyond", "above"})
_TEENAGE_AGES = frozenset({"18", "19", "20"})  # under 18, 19 or 20: how services for teenage parents write it
_OF_AN_AGE = frozenset({"woman", "mother", "mum", "parent", "partner", "girl"})
_AGED = frozenset({"aged", "age"})
_YOUNG = _OF_AN_AGE | frozenset({"couple", "teenager"})
_NO_AGE_AFTER = frozenset({"week", "day", "hour", "h", "hr", "minute", "month", "mmol", "kg", "g", "ml", "mg", "ppm", "centile"})
_PROLONGED = ["prolonged", "rupture", "of", "membrane"]
# The words one of these may start with (or a number: "18 hours after ROM").
_GROUP_STARTS = frozenset({"rom", "prom", "srom", "rupture", "membrane", "teen", "under", "young"}) | _AGED | _LONGER_THAN


def _groups_in_numbers(words: list[str]) -> list[str]:
    """Groups of women and risks at the birth written with a number, as they are named:
    "ROM >18h", "membranes ruptured for more than 24 hours" and "over 18 hours after rupture of
    membranes" are "prolonged rupture of membrane"; "under 20s", "mums under 20", "aged 19 and
    under", "aged 16-19", "under the age of 18", "teen mums" and "young mums" are "teenage". Only the words of
    the phrase are replaced, and only a phrase said that way: "ROM less than 24 hours", "induction
    within 24 hours of ROM", "under 20 weeks" and "young mums under 25" are not these."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word not in _GROUP_STARTS and not word[:1].isdigit():
            out.append(word)
            i += 1
            continue
        end = _prolonged_rupture(words, i)
        if end:
            for back in (1, 2):  # "prolonged ROM >24h", "prolonged spontaneous ROM >24h": said once
                if len(out) >= back and out[-back] == "prolonged":
                    del out[-back]
                    break
            out.extend(_PROLONGED)
            i = end
            continue
        end = _teenage(words, i, out)
        if end:
            if out and out[-1] in _AGED:
                out.pop()
            out.append("teenage")
            i = end
            continue
        out.append(word)
        i += 1
    return out


def _ruptured(words: list[str], i: int) -> int:
    """Where the words naming the rupture of the membranes that start at i end ("rom", "rupture of
    membrane", "membrane (have) rupture"); 0 if none starts there."""
    if i >= len(words):
        return 0
    if words[i] in ("rom", "prom", "srom"):
        return i + 1
    for phrase in (["rupture", "of", "membrane"], ["membrane", "rupture"], ["membrane", "have", "rupture"]):
        if words[i:i + len(phrase)] == phrase:
            return i + len(phrase)
    return 0


def _longer_than(words: list[str], i: int, needed: bool = True) -> int:
    """Where "more than 18 hours" (or longer) that starts at i ends, 0 if none starts there; with
    `needed`, only when a word says "longer than" ("over", ">", "for more than")."""
    k = i
    while k < len(words) and words[k] in _LONGER_THAN and k - i < 3:
        k += 1
    if (k > i or not needed) and words[k + 1:k + 2] and words[k + 1] in _HOURS and _AMOUNT.match(words[k]) \
            and _number(words[k]) >= _MEMBRANES_SINCE:
        return k + 2
    return 0


def _prolonged_rupture(words: list[str], i: int) -> int:
    """Where a prolonged rupture of the membranes written with its hours that starts at i ends, 0 if
    none: the rupture then the hours ("ROM >18h"), or the hours then the rupture ("over 18 hours
    since ROM", "after 18 hours of ROM")."""
    named = _ruptured(words, i)
    if named:
        return _longer_than(words, named)
    after = bool(i) and words[i - 1] in ("after", "following")
    hours = _longer_than(words, i, needed=not after)
    if hours and words[hours:hours + 1] and words[hours] in ("of", "after", "since", "from"):
        return _ruptured(words, hours + 1)
    return 0


def _teenage(words: list[str], i: int, out: list[str]) -> int:
    """Where the words that make a woman a teenage mother, starting at i, end ("under 20s", "aged
    19 and under", "teen", "young" before a mother or a parent); 0 if none starts there. `out` holds
    the words read before i: "mums under 20" is an age, "under 20" alone is not."""
    word, after = words[i], words[i + 1:i + 4]
    if word == "teen":  # "teen mums"
        return i + 1
    if word == "under":
        person = any(w in _OF_AN_AGE or w in _AGED for w in out[-3:])
        if after[:3] == ["the", "age", "of"] and words[i + 4:i + 5] and words[i + 4] in _TEENAGE_AGES:
            unit = words[i + 5:i + 6]
            return 0 if unit and unit[0] in _NO_AGE_AFTER else i + 5  # not "babies under the age of 19 weeks"
        if not after or after[0] not in _TEENAGE_AGES:
            return 0
        unit = words[i + 2:i + 3]
        if unit == ["s"] or unit in (["year"], ["yr"]) and person:
            return i + 3
        if out and (out[-1] in _AGED or out[-1] in _OF_AN_AGE) and not (unit and unit[0] in _NO_AGE_AFTER):
            return i + 2
    elif word in _AGED and after and after[0] in _TEENAGE_AGES and after[1:2] in (["and"], ["or"]) \
            and after[2:3] in (["under"], ["younger"], ["below"]):
        return i + 4
    elif word in _AGED and len(after) >= 3 and after[1] == "to" and after[0].isdigit() and after[2].isdigit() \
            and 13 <= int(after[0]) < int(after[2]) <= 19:
        return i + 4
    elif word == "young":
        k = i + 2 if words[i + 1:i + 2] in (["pregnant"], ["expectant"]) else i + 1
        later = words[k + 1:k + 5]
        older = any(w == "under" and n.isdigit() and int(n) > 20 for w, n in zip(later, later[1:]))
        if words[k:k + 1] and words[k] in _YOUNG and not older:
            return i + 1  # "young" alone is replaced: the mother or the parent stays who receives it
    return 0


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
_CONDITION_TERMS = _Terms({**_CONDITION, **_POPULATION, **_HISTORY})
_SETTING_TERMS = _Terms(_SETTING)
_MEANS_TERMS = _Terms(MEANS)
# Tables whose phrases never overlap, read in one pass: each value tagged with its table.
_KINDS = {"act": _ACT, "refusal": _REFUSAL, "staff": _STAFF, "observation": _OBSERVATION, "transfer": _TRANSFER,
          "mode": _MODE, "medicine": _MEDICINE, "channel": _CHANNEL, "consent": _CONSENT, "format": _FORMAT,
          "giving": _HOW_GIVEN, "forum": _FORUM, "course": _COURSE}
_COMBINED = frozenset({"combination", "dual"})  # before NRT (not "a combination of reminders")
_REPORTING = frozenset({"report", "reported", "present", "presented", "presentation", "share", "shared", "feedback",
                        "update", "submit", "submitted", "dashboard", "escalate", "escalated"})
_KIND_TERMS = _Terms({phrase: f"{kind}:{value}" for kind, table in _KINDS.items() for phrase, value in table.items()})
_NO_KINDS = dict.fromkeys(_KINDS, _NONE)
# What a team delivers when it delivers no baby (see `_delivering`).
_DELIVER = frozenset({"deliver", "delivered", "delivering", "delivery"})
_SERVICES = frozenset("train training session teaching education care service support advice intervention programme "
                      "course workshop simulation drill package".split())
_GIVEN = frozenset({"bundle", "treatment", "therapy"})  # given when delivered; "delivery bundle" is for a birth
# Who "trained" may qualify (see `_trained_people`), the words that introduce them, and those after
# which "trained" says what staff are trained to do.
_PEOPLE = frozenset("coach staff midwife midwive nurse doctor champion facilitator advisor adviser practitioner "
                    "volunteer peer supporter worker interpreter sonographer specialist professional visitor".split())
_INTRODUCING = frozenset("to a an the of with from by have has and more".split())
_TRAINED_TO = frozenset("to in on by for at as".split())
_DELIVERY_PLACES = frozenset("suite room unit network plan ward".split())  # "delivery suite", "operational delivery network"
_AROUND_A_BIRTH = frozenset("post after at before during following".split())  # "post delivery care"
_TO_REACH = frozenset({"reach", "achieve"})
_LISTED_TIMES = frozenset({"week", "day", "hour", "booking", "birth", "discharge"})  # words of a list of times
_FAMILY = frozenset({"mother", "parent", "partner"})  # whom a course is for when it is no staff training
# Care given to people, a few words before "to" and them: "a debrief offered to staff", "support
# to midwives" (but not "referral to a midwife", "results provided to the midwife").
_CARE_GIVEN = frozenset({"debrief", "support", "supervision", "counselling", "wellbeing", "feedback"})
# "for staff", "for all midwives": the change is for the staff, not done by them.
_STAFF_WORDS = frozenset({"staff", "midwife", "doctor", "team", "colleague", "clinician", "student", "workforce", "nurse",
                          "assistant", "worker", "sonographer", "obstetrician"})
# After "offered to", a team is more often where women are sent ("offered to all, the diabetes team to supply").
_STAFF_GIVEN_TO = _STAFF_WORDS - {"team"} | {"anaesthetist", "consultant", "registrar"}


# Words that name who gives a change: staff after them give it ("support offered to women by midwives").
_GIVEN_BY = frozenset({"by", "via", "from", "through"})
# Words that end the staff a change is for: who gives it, or to whom it goes ("for midwives to refer to").
_NOT_SERVED = _GIVEN_BY | {"with", "to", "led"}


def _staff_served(words: list[str], staff: frozenset[str]) -> frozenset[str]:
    """The staff a change is for, named within a few words after "for" ("preceptorship for newly
    qualified midwives", "wellbeing support for anaesthetists"), and not after who gives it
    ("training for all staff, delivered by the practice development midwife": the midwife trains)."""
    served = set()
    for i, word in enumerate(words):
        if word != "for":
            continue
        window = []
        for after in words[i + 1:i + 6]:
            if after == "to":  # "time for midwives to complete", "for the midwife to prescribe": who does it
                window = []
            if after in _NOT_SERVED or after in _RECIPIENT:  # "for all women, the midwife to ...": the women
                break
            window.append(after)
        served.update(term for term in staff if all(part in window for part in _staff_words(term)))
    return frozenset(served)


def _staff_words(term: str) -> list[str]:
    """The words that name a term of staff in a text ("registrar of the neonatal team": the team)."""
    return ["neonatal", "team"] if term.endswith(" of the neonatal team") else term.split()


# The grades of the neonatal team; an advanced neonatal nurse practitioner works at the registrar's tier.
_GRADE_WORDS = frozenset({"registrar", "reg", "spr", "str", "consultant", "annp"})
_NEONATAL_WORDS = frozenset({"neonatal", "neonatologist", "paediatric", "paediatrician", "paed", "paeds", "neo", "nnu"})


def _neonatal_grades(as_written: list[str], staff: frozenset[str]) -> frozenset[str]:
    """The neonatal team of a text, by the grades it names: the vocabulary reads "neonatal
    registrar" and "consultant neonatologist" as the neonatal team, whose registrar at a birth is
    not its consultant. A grade is of the team when written next to it ("neonatal consultant/registrar"
    names both). Named "registrar of the neonatal team", a grade is of that team, and not the
    obstetric registrar."""
    places = set()  # where the team's grades are written
    for i, word in enumerate(as_written):
        if word == "annp":  # of the neonatal team by its name
            places.add(i)
        if word not in _NEONATAL_WORDS:
            continue
        if i and as_written[i - 1] in _GRADE_WORDS:  # the word before ("consultant neonatologist")
            places.add(i - 1)
        for k in range(i + 1, len(as_written)):  # and the grades right after ("registrar or consultant")
            if as_written[k] == "or" and as_written[k + 1:k + 2] and as_written[k + 1] in _GRADE_WORDS:
                continue
            if as_written[k] not in _GRADE_WORDS:
                break
            places.add(k)
    if not places:
        return staff
    grades = {_grade(as_written[k]) for k in places}
    # A grade written after another ("consultant/registrar") is also read alone: it is the team's,
    # unless the text names that grade elsewhere too ("with the consultant midwife").
    elsewhere = {_grade(word) for k, word in enumerate(as_written) if word in _GRADE_WORDS and k not in places}
    return (staff - {"neonatal team"} - (grades - elsewhere)) | {f"{grade} of the neonatal team" for grade in grades}


def _grade(word: str) -> str:
    return "consultant" if word == "consultant" else "registrar"  # "reg", "SpR", "StR", "ANNP"


def _staff_next(words: list[str]) -> bool:
    """Whether staff are named first in these words, before any who give it: "to all newly
    qualified midwives", not "to women by midwives"."""
    for word in words:
        if word in _STAFF_GIVEN_TO:
            return True
        if word in _GIVEN_BY:
            return False
    return False


def _plural(unit: tuple[str, str, Optional[float]], number: str) -> str:
    return unit[0] + "s" if unit[1] in ("time", "doses") and number != "1" else unit[0]


def _of_the_birth(words: list[str], i: int) -> bool:
    """Whether the words from i say the birth a time counts from: "of birth", "of the birth", "of
    life", "of age", "after birth" (read "postnatal")."""
    if words[i:i + 1] == ["postnatal"]:
        return True
    named = [word for word in words[i + 1:i + 3] if word != "the"][:1]
    return words[i:i + 1] in (["of"], ["after"]) and bool(named) and named[0] in _THE_BIRTH


def _numbers(words: list[str]) -> tuple[set[str], set[str]]:
    """The time points and the amounts a text writes in numbers.

    Time points: gestations ("36 weeks", "24 to 28 weeks", "under 32 weeks", "from 37 weeks"), ages
    after the birth ("6 weeks postnatal", "2 hours old", "10 days postnatal") and days ("day 5").
    Amounts: a dose, a volume or a threshold ("5 mg", "500 ml", "2.0 mmol/l"), how long or how
    often ("for 12 hours", "every 15 minutes", "hourly", "4-weekly"), how long since ("7 days
    ago"). A number of weeks is a gestation unless it is under 4 or follows a word of duration
    ("for 6 weeks", "within 2 weeks"); hours before a thing that lasts are how long it lasts
    ("16-hour nicotine patches"). A time within which something is done after the birth ("within 2
    hours of birth", "in the first 24 hours of life") is a time point of its own. Other times are no
    amount: "within 6 hours" of a referral, "in the first 24 hours" of an admission are targets that
    trusts set differently for one change. Nor are temperatures: a room's and a baby's are both in one thermal care bundle."""
    time: set[str] = set()
    amounts: set[str] = set()
    for i, word in enumerate(words):
        if word == "day" and words[i + 1:i + 2] and _NUMBER.match(words[i + 1]) \
                and not (i and _AMOUNT.match(words[i - 1])) \
                and words[i + 2:i + 4] not in (["day", "a"], ["day", "per"]):  # not "7 days a week"
            time.add(f"day {words[i + 1]}")
            continue
        if _AMOUNT.match(word) and _scored(words, i):
            side = "under " if words[i - 1] in _UNDER else "from " if words[i - 1] in _FROM \
                or tuple(words[i + 1:i + 3]) in _OR_MORE else ""
            amounts.add(f"{side}{word} score")
            continue
        if i and (word in _EVERY_UNIT or word in _OFTEN_UNITS):
            often = _how_often(words, i)
            if often:
                amounts.add(often)
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
            # an age ("2 hours old", "at 1 hour of age"), unless said as a time within ("under 2 hours of age" is an age)
            if (after[:1] in (["postnatal"], ["old"]) or after == ["of", "age"]
                    or before == "at" and _of_the_birth(words, i + 1)) and before not in _WITHIN - {"under"}:  # "at 2-4 hours of life"
                time.add(f"{number} {_plural(unit, high)} postnatal")
            elif before in _WITHIN and unit[0] in ("minute", "hour") and _of_the_birth(words, i + 1) \
                    and "for" not in words[max(0, start - 3):start - 1]:  # "for the first hour of life" is how long
                time.add(f"within {number} {_plural(unit, high)} postnatal")  # "within 2 hours of birth"
            elif word == "week" and "." not in number and _number(words[start]) >= 4 and before not in _DURATION \
                    and not _lasting(after) and after[:1] != ["ago"]:
                time.add(f"{before} {high} weeks" if before in ("under", "from") else f"{number} weeks")
            elif before in _HOW_LONG or _lasting(after) or (unit[0] == "hour" and after[:1] and after[0] in _LASTING_THINGS) \
                    or after[:1] == ["ago"]:
                # "for 12 hours", "12 hours of NRT", a thing that lasts ("16-hour nicotine patches")
                # and how long since ("a first course more than 7 days ago")
                amounts.add(f"{number} {_plural(unit, high)}")
        elif unit[1] != "temperature":
            per = _PER_UNIT.get(after[0]) if after else None
            # A limit has a side: "below 2.0 mmol/l" is not "2.0 mmol/l or more" (">=4ppm" is "from 4 ppm").
            end = i + 2 if per else i + 1
            side = "" if unit[1] in _COUNTS else "under " if before in _UNDER \
                else "from " if before in _FROM or tuple(words[end:end + 2]) in _OR_MORE else ""
            amounts.add(f"{side}{number} {_plural(unit, high)}" + (f"/{per}" if per else ""))
    return time, amounts


def _how_often(words: list[str], i: int) -> str:
    """How often the word at i (a unit of time, or "weekly" or "monthly") says, as an amount, or
    "": "4 weekly" (written "4-weekly"), "12 every hour" ("12-hourly", as the vocabulary writes it),
    "every hour" and "each hour" ("hourly"), "half every hour" ("half-hourly"), "every second
    week", "every 2nd week". "Every 4 hours" is read as an amount of time (see `_numbers`)."""
    unit = _EVERY_UNIT.get(words[i], words[i])
    at = -1  # where the number is written, when it is
    if words[i] in _EVERY_UNIT:
        at, number = i - 1, words[i - 1]
    elif words[i - 1] in _ORDINALS and i >= 2 and words[i - 2] in _EVERY_WORDS:
        number = _ORDINALS[words[i - 1]]
    elif words[i - 1] in _ORDINAL_ENDS and i >= 3 and words[i - 3] in _EVERY_WORDS:
        at, number = i - 2, words[i - 2]
    elif words[i - 1] in _EVERY_WORDS and unit == "hour":
        if i >= 2 and _AMOUNT.match(words[i - 2]):
            at, number = i - 2, words[i - 2]
        else:
            number = "0.5" if i >= 2 and words[i - 2] == "half" else "1"
    else:
        return ""
    if at >= 0 and not _NUMBER.match(number) or _number(number) > _OFTEN_UNITS[unit]:
        return ""
    if at > 0 and words[at - 1] in _LABELS:
        return ""
    return f"{number} {_plural(_UNITS[unit], number)}"


def _lasting(after: list[str]) -> bool:
    """Whether the two words after a time make it how long: "12 weeks of NRT", not "13 weeks of
    pregnancy" or "1 hour of birth"."""
    return after[:1] == ["of"] and after[1:2] not in (["pregnancy"], ["gestation"], ["age"], ["birth"], ["life"])


def _is_target(words: list[str], i: int) -> bool:
    """Whether the word at i (a compliance) is a target: next to a number ("90% compliance",
    "compliance 90%"), before "target", or before a level to reach ("compliance for midwifery
    staff to reach 95%")."""
    return (bool(i and _AMOUNT.match(words[i - 1])) or words[i + 1:i + 2] == ["target"]
            or bool(words[i + 1:i + 2] and _AMOUNT.match(words[i + 1]))
            or any(words[k] in _TO_REACH and words[k + 1:k + 2] and _AMOUNT.match(words[k + 1])
                   for k in range(i + 1, min(len(words), i + 8))))


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
            end = i + 5
            # a list of times: "not only at booking and 36 weeks" (punctuation is gone: no further)
            if "and" in words[end - 1:end + 1] or "or" in words[end - 1:end + 1]:
                end += 1 if words[end:end + 1] in (["and"], ["or"]) else 0
                while end < len(words) and end < i + 9 and (_AMOUNT.match(words[end]) or words[end] in _LISTED_TIMES):
                    end += 1
            out[i + 2:end] = [""] * len(out[i + 2:end])
    return out


def _time_points(words: list[str], present: frozenset[str], numbers: bool) -> tuple[frozenset[str], frozenset[str]]:
    """The time points of a text, and the amounts it writes in numbers (see `_numbers`; `numbers`:
    whether it has any)."""
    found = set(_TIME_TERMS.find(words, present))
    if not _EVERY.isdisjoint(present) and _every_contact(words):
        found.add("every contact")
    if not numbers and _EVERY_WORDS.isdisjoint(present):  # "hourly" is "every hour": how often, with no digit
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


# Breastfeeding is after the birth: a few weeks said beside it are weeks of the baby's life, unless
# the text speaks of the pregnancy, and more than `_AFTER_BIRTH_WEEKS` are a gestation
# ("breastfeeding workshop at 34 weeks" is in pregnancy).
_BREASTFEEDING = frozenset({"breastfeeding", "breastfeed", "breastfed"})
_IN_PREGNANCY = frozenset({"pregnancy", "pregnant", "antenatal", "gestation", "born", "birth", "colostrum", "expressing",
                           "booking", "preterm", "term", "postnatal", "age", "old"})
_AFTER_BIRTH_WEEKS = 16


def _weeks_after_birth(words: list[str]) -> list[str]:
    out: list[str] = []
    for i, word in enumerate(words):
        out.append(word)
        if word == "week" and i and words[i - 1].isdigit() and int(words[i - 1]) <= _AFTER_BIRTH_WEEKS \
                and (i < 2 or words[i - 2] not in _UNDER | _FROM):
            out.append("postnatal")
    return out


# The forms staff training takes, one word when a text trains staff: a "course" or "teaching" is
# the training ("NLS course for all midwives" is "NLS training for all midwives"), never a swap of
# one for the other (a workshop and education are read "train" and "teach" by the vocabulary).
_TRAINING_WORDS = frozenset({"teach", "course", "session", "module"})


def _as_training(kept: list[str]) -> list[str]:
    out: list[str] = []
    for word in kept:
        word = "train" if word in _TRAINING_WORDS else word
        if not (word == "train" and out and out[-1] == "train"):
            out.append(word)
    return out


# Breastfeeding at the discharge from maternity care is breastfeeding in the baby's first days,
# another measure than breastfeeding at 6-8 weeks; a baby sent home from the neonatal unit may be
# weeks old, and the community midwife discharges at 10 days or later, so there the discharge says no age.
_FIRST_DAYS = "0 to 7 days postnatal"
_AT = frozenset({"at", "on", "by"})
_LATER_DISCHARGE = frozenset({"neonatal", "preterm", "premature", "transitional", "community", "visitor"})


def _breastfeeding_at_discharge(words: list[str], present: frozenset[str]) -> bool:
    return (not _BREASTFEEDING.isdisjoint(present) and _LATER_DISCHARGE.isdisjoint(present)
            and any(word == "discharge" and i and words[i - 1] in _AT for i, word in enumerate(words)))


# A condition said not to be there ("women with no history of GDM", "non-diabetic") is another group
# than the women who have it: read as the condition "(none)". (What follows "without" is mostly
# left unsaid already: see `_unsaid`.)
_NEGATING = frozenset({"no", "without", "non"})
_NEGATED_THROUGH = frozenset({"history", "of", "previous", "prior", "past", "known", "a", "any", "sign", "evidence"})


def _negated(words: list[str], condition: set[str]) -> set[str]:
    spans = _negations(words)
    negated = set().union(*(_CONDITION_TERMS.find(words[k:k + 4]) for k in spans)) & condition
    if not negated:
        return condition
    # a condition also named outside every negation is there ("diabetes, and no history of diabetes in pregnancy")
    named_too = _CONDITION_TERMS.find([word for i, word in enumerate(words) if not any(k <= i < k + 4 for k in spans)])
    return (condition - (negated - named_too)) | {f"{found} (none)" for found in negated - named_too}


def _negations(words: list[str]) -> list[int]:
    """Where a condition said not to be there starts: right after a negation and the words it
    reaches through ("no previous history of"), the first word of a condition."""
    spans = []
    for i, word in enumerate(words):
        if word in _NEGATING:
            k = i + 1
            while k < len(words) and words[k] in _NEGATED_THROUGH:
                k += 1
            if k < len(words) and words[k] in _CONDITION_TERMS.triggers:
                spans.append(k)
    return spans


# Staff asked ("survey staff", "feedback from midwives", "staff feedback") are whom the change is
# about; but staff before a verb ask ("midwives ask about smoking", "midwives survey women"), and
# "midwife feedback to women" is given by them.
_ASKING = frozenset({"survey", "feedback", "ask", "questionnaire", "interview", "poll"})
_ASKED_OF = frozenset({"feedback", "survey", "questionnaire", "poll"})  # staff named before them were asked


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
    if "to" in present and "staff" not in found and not _STAFF_GIVEN_TO.isdisjoint(present) \
            and not _CARE_GIVEN.isdisjoint(present) and any(
            word == "to" and not _CARE_GIVEN.isdisjoint(words[max(0, i - 3):i]) and _staff_next(words[i + 1:i + 5])
            for i, word in enumerate(words)):
        found = found | {"staff"}  # "debrief offered to staff", "wellbeing support to midwives"
    if "staff" not in found and not _ASKING.isdisjoint(present) and any(
            word in _ASKING and not _STAFF_WORDS.isdisjoint(words[i + 1:i + 3])
            or word in _ASKED_OF and i and words[i - 1] in _STAFF_WORDS and not (words[i + 1:i + 2] and (
                words[i + 1] == "to" or words[i + 1] in _RECIPIENT))
            for i, word in enumerate(words)):
        found = found | {"staff"}
    if len(found) < 2:
        return found
    main = {_RECIPIENT[word] for i, word in enumerate(words) if word in _RECIPIENT and not _qualified(words, i)}
    main |= found & {"staff"}
    if not main:  # every one qualified: the first names whom ("review of babies of women with GDM")
        main = {next((_RECIPIENT[word] for word in words if word in _RECIPIENT), "")} - {""}
    return frozenset(main) if main else found


# The words that may follow a discharge "home" that ends there ("before discharge home for babies
# on the pathway", "at discharge home"), as against "discharged home with phototherapy" or a
# "discharge home visit", care at home.
_AFTER_GOING_HOME = frozenset("for from after and or to at in the a an of once when within by if unless but".split())


def _not_gone_home(words: list[str]) -> list[str]:
    """The words less the home a discharge sends a family to ("review before discharge home" is the
    review before discharge from the ward or the unit, not care at home)."""
    return [word for i, word in enumerate(words)
            if not (word == "home" and i and words[i - 1] == "discharge" and (i + 1 == len(words) or words[i + 1] in _AFTER_GOING_HOME))]


def _unadmitted(words: list[str]) -> list[str]:
    """The words less the place an admission is avoided to ("glucose gel to avoid NNU admission",
    "reduce term admissions to NNU", "before admitting babies to NNU"): a change that keeps babies
    out of a unit is not done in it."""
    out = list(words)
    for i, word in enumerate(words):
        if (word in _PREVENTING or word == "reduce") and "admission" in words[i + 1:i + 4]:
            out[i + 1:i + 7] = [""] * len(out[i + 1:i + 7])
        elif word == "before" and "admission" in words[i + 1:i + 4]:
            # "before NNU admission": the unit before it; "before admitting babies to NNU": after "to"
            at = i + 1 + words[i + 1:i + 4].index("admission")
            out[i + 1:at + 1] = [""] * (at - i)
            if "to" in words[at + 1:at + 4]:
                to = at + 1 + words[at + 1:at + 4].index("to")
                out[to:to + 3] = [""] * len(out[to:to + 3])
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


def _can(words: list[str], k: int) -> bool:
    """"can", or "have to" / "has to" ("women have to say no"; not "women who have declined")."""
    return words[k] == "can" or (words[k] in _CAN and words[k + 1:k + 2] == ["to"])


def _opting_out(words: list[str]) -> bool:
    """Whether every refusal a text names is her choice against a default, closely after "unless"
    or "only if" ("unless she actively declines", "withdrawn only if she declines"), or after "can"
    in a text that names the default ("she can decline but the referral is sent by default",
    "opt-out referral: women can decline", "automatic referral")."""
    default = "default" in words or "automatic" in words or "automatically" in words or any(
        word == "opt" and words[k + 1:k + 2] == ["out"] for k, word in enumerate(words))

    def chosen(i: int) -> bool:
        near = range(max(0, i - 4), i)
        return ("unless" in words[max(0, i - 6):i] or (default and any(_can(words, k) for k in near))
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
            elif word == "smoker" or (word == "smoke" and (before[-1:] in (["who"], ["that"]) or (
                    before[-2:-1] in (["who"], ["that"]) and before[-1] in _STILL))):
                found.add("smokers")  # "women who smoke", "who still smoke"
    return frozenset(found) if found else _NONE


_STILL = frozenset({"still", "currently", "continue"})


def _qualified(words: list[str], i: int) -> bool:
    """Whether the recipient word at i follows a qualifying word closely ("babies of diabetic
    mothers"), in its own phrase: "at 1 hour of age for babies" names the babies."""
    before = [word for word in words[max(0, i - 4):i] if word not in ("a", "an", "the")][-3:]
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


# The words without which a text says nothing of the hours a service is there (see `_cover`).
_COVER_WORDS = frozenset({"24", "clock", "pm", "weekday", "office", "week", "mon", "monday", "9"})
# A "24 hour" service, as against "within 24 hours" or "for 24 hours": words said of a service
# just before it ("available 24 hours") or after it ("24 hour consultant presence").
_SERVICE_BEFORE = frozenset({"available", "open", "staffed", "presence", "running"})
_SERVICE_AFTER = frozenset({"presence", "cover", "service", "access", "line", "helpline", "availability", "resident",
                            "consultant", "team", "support", "advice", "triage"})
# Words before a number of hours that make it how soon or how long.
_NOT_COVER = _DURATION | frozenset("after before at than to of in by until up least most about".split())


def _cover(words: list[str]) -> frozenset[str]:
    """The hours a service or a team is there, when a text says: "all hours" ("24/7", "24 hours a
    day", "round the clock", "available 24 hours", a "24 hour service", "168 hours a week") or "set
    hours" ("8am to 8pm", "9am-5pm", "weekdays", "Mon-Fri", "98 hours a week", "office hours").
    "Within 24 hours", "for 24 hours", "24 hours to 7 days", a date (24/7/2025), weekdays and
    weekends, and a post of 37.5 hours a week are not hours of cover."""
    found = set()
    for i, word in enumerate(words):
        after, before = words[i + 1:i + 3], words[i - 1] if i else ""
        if word == "24" and before not in _NOT_COVER and not _AMOUNT.match(before):
            # "24/7" (and "24/7/365"), but not "24-7 days" (a range of hours to days) nor a date (24/7/2025)
            if after[:1] == ["7"] and (after[1:] in ([], ["365"]) or not (after[1] == "day" or after[1][0].isdigit())) \
                    or after == ["hour", "a"] and words[i + 3:i + 4] == ["day"] \
                    or after[:1] == ["hour"] and (before in _SERVICE_BEFORE or not _SERVICE_AFTER.isdisjoint(after[1:])):
                found.add("all hours")
        elif word == "clock" and before == "the" and words[i - 2:i - 1] in (["round"], ["around"]):
            found.add("all hours")
        elif word == "week":
            hours = _hours_a_week(words, i)
            if hours >= _SET_HOURS_FROM:
                found.add("all hours" if hours >= 168 else "set hours")  # 168 hours a week: round the clock
        elif word == "9" and after[:1] and after[0] in _UNTIL and after[1:] == ["5"] and _nine_to_five(words, i):
            found.add("set hours")
        elif word == "pm" and _from_am(words, i) or word == "weekday" and "weekend" not in words \
                or word == "office" and after[:1] == ["hour"] or word == "mon" and "fri" in after \
                or word == "monday" and "friday" in after:
            found.add("set hours")
    return frozenset(found)


# From this many hours a week, a service's hours; fewer are a post's or a person's time ("37.5
# hours a week", "2 hours a week for governance").
_SET_HOURS_FROM = 48


def _hours_a_week(words: list[str], i: int) -> int:
    """The whole hours of "N hours a week" (or "per week") ending at the "week" at i; 0 if not that."""
    if i >= 3 and words[i - 2] == "hour" and words[i - 1] in ("a", "per") and _AMOUNT.match(words[i - 3]):
        return int(_number(words[i - 3]))
    return 0


_UNTIL = frozenset({"to", "till", "until"})
# Words around "9-5" that make it a service's hours, not a range of readings ("CO 9-5 ppm"); a
# post before it too ("midwife 9-5", but "9 to 5 midwives" are how many).
_OPEN_HOURS = (_SERVICE_BEFORE | _SERVICE_AFTER | frozenset({"clinic", "weekday", "office", "pm", "mon", "monday"})) - {"hour"}
_POSTS = frozenset({"midwife", "nurse", "advisor", "practitioner", "consultant"})
# A count after "9 to 5" makes it a change in number ("from 9 to 5 hours"), as does "from" before.
_COUNTED_AFTER = frozenset({"hour", "h", "hr", "day", "week", "minute", "month", "time", "session"})


def _nine_to_five(words: list[str], i: int) -> bool:
    """Whether the "9 to 5" at i are the hours of a service: "open 9-5", "9-5 clinic", "midwife 9
    till 5", "9-5pm" (not "from 9 to 5 clinics a week", "9-5 hours", "9 to 5 midwives")."""
    following = words[i + 3:i + 4]
    if following and following[0] in _COUNTED_AFTER:
        return False
    counted_from = i > 0 and words[i - 1] == "from"
    before = words[max(0, i - (3 if counted_from else 2)):i]
    named_before = not (_OPEN_HOURS.isdisjoint(before) and _POSTS.isdisjoint(before))
    # "from 9 to 5" is a change in number unless a service or a post is named before it ("open from 9-5")
    return named_before or not counted_from and not _OPEN_HOURS.isdisjoint(words[i + 3:i + 5])


def _from_am(words: list[str], i: int) -> bool:
    """Whether the "pm" at i ends hours written from a morning to an afternoon: "8am to 8pm", "9am-5pm"
    (not "at 8am and 8pm", two times of day)."""
    if i < 3 or not _AMOUNT.match(words[i - 1]):
        return False
    k = i - 2 if words[i - 2] == "am" else i - 3 if words[i - 3] == "am" and words[i - 2] in _UNTIL else 0
    return k > 0 and _AMOUNT.match(words[k - 1]) is not None


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


KnownChanges = Mapping[str, Sequence[Sequence[str]]]
"""Known changes of the field by name, each as groups of phrases (see driverkit.programme.changes)."""


def known_change_groups(known_changes: Optional[KnownChanges]) -> dict[str, list[list[str]]]:
    """Known changes as lists of groups of phrases: a group of one phrase may be written alone."""
    return {name: [[group] if isinstance(group, str) else list(group) for group in groups]
            for name, groups in (known_changes or {}).items()}


class Normaliser:
    """Reads texts (see the module's text) with the shipped vocabulary and changes of the field,
    and a programme's own: `vocabulary` adds words, `known_changes` adds changes or replaces
    shipped ones of the same name, their phrases written as a team would write them."""

    def __init__(self, vocabulary: Optional[Mapping[str, str]] = None, known_changes: Optional[KnownChanges] = None) -> None:
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
        self.spelled = _Spelled(self._spelled)  # a word as written -> singular and spelled right
        self.cache: dict[str, Normalised] = {}
        # A programme's own changes. Each phrase is found in a text two ways: as read (the
        # vocabulary applied: "CO test" is found in "carbon monoxide monitoring") and as written
        # (its words one after the other, small words left out: "first hour" in "in the first hour
        # of life", which the vocabulary reads as "within 1 hour birth"). Read alone, a phrase of
        # several words may come out one general word ("trained staff" as "staff"): it is then
        # found only as written. A phrase with no word either way could never be found: `unread`
        # holds (change, group number, phrase, the first group with no phrase found, or -1).
        self.literal = bool(known_changes)
        own: dict[str, list[list[str]]] = {}
        self.unread: list[tuple[str, int, str, int]] = []
        for name, written in known_change_groups(known_changes).items():
            forms = [[self._forms(phrase) for phrase in phrases] for phrases in written]
            own[name] = [[form for found in group for form in found] for group in forms]
            # the first group no text can satisfy, if any: then the change is never named
            empty = next((number for number, group in enumerate(own[name]) if not group), -1)
            self.unread.extend((name, number, phrase, empty) for number, (phrases, found) in enumerate(zip(written, forms))
                               for phrase, ways in zip(phrases, found) if not ways)
        self.changes = _ChangeFinder({**CHANGES, **own})

    def __call__(self, text: str) -> Normalised:
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = self._normalise(text)
        return found

    def _spelled(self, word: str) -> str:
        """A word of the field misspelled ("monoxdie", "diabeties") as the word it was meant to be:
        the closest word of the field, when one is close enough and the word is no common English
        word ("injection" is not "infection": driverkit.programme.plain_words)."""
        if word in self.known or len(word) < _TYPO_LENGTH or not word.isalpha() or word in PLAIN_WORDS:
            return word
        found = self.spellings.get(word)
        if found is None:
            found = self.spellings[word] = self.slip(word)
        return found

    def slip(self, word: str) -> str:
        """The word of the field that `word` is a slip for, or `word`: one slip (a letter missing,
        added, changed, or two swapped), two in a long word, and the first two letters right:
        "monoxdie", "diabeties", but not "needing" for "feeding"."""
        slips = 1 if len(word) < 10 else 2
        best = process.extractOne(word, self._spelling_targets.get(word[:2], []),
                                  scorer=DamerauLevenshtein.distance, score_cutoff=slips)
        return best[0] if best else word

    def _forms(self, phrase: str) -> list[str]:
        """The ways a phrase of a programme's own change is found in a text (see `__init__`)."""
        _, kept, _, _, as_written = self._said(phrase, acronyms=True)
        written = [_AS_WRITTEN + word for word in as_written if word not in _STOP_WORDS]
        forms = [" ".join(kept)] if kept and (len(kept) > 1 or kept[0] not in GENERIC or len(written) == 1) else []
        return forms + [" ".join(written)] if written else forms

    def _said(self, text: str, acronyms: bool = False) -> tuple[list[str], list[str], bool, frozenset[str], list[str]]:
        """A text's words as read, those kept for its wording, whether it writes a number,
        whether the women it names smoke, and its words as written (small words left out: see `__init__`)."""
        tokens, digits = _read(text, acronyms)
        words = as_written = list(map(self.spelled.__getitem__, tokens))
        status = _smoking_status(words) if not _SMOKE_WORDS.isdisjoint(words) else _NONE
        if "compliance" in words:  # "90% compliance" is a target; "compliance report" an audit
            words = [word for i, word in enumerate(words) if word != "compliance" or not _is_target(words, i)]
        if not _DELIVER.isdisjoint(words):
            words = _delivering(words)
        if "trained" in words:
            words = _trained_people(words)
        words = _gestation(self.phrases.apply(words))
        if "home" in words and "discharge" in words:
            words = _not_gone_home(words)
        if not _GROUP_HINTS.isdisjoint(words):
            words = _groups_in_numbers(words)
        if not _BUT_NOT.isdisjoint(words):  # "at every visit, not just at booking": booking is not its time
            words = [word for word in _unsaid(words) if word]
        # Recipient words are read as a discriminating term, not as wording: "every woman" is
        # often a filler, and a mother-versus-baby difference is penalised on its own.
        kept = [word for word in words if word not in _STOP_WORDS and word not in _RECIPIENT]
        return words, kept, digits, status, as_written

    def _normalise(self, text: str) -> Normalised:
        words, kept, digits, status, as_written = self._said(text)
        present = frozenset(words)
        # a number the vocabulary wrote counts too: "in the first hour of life" is "within 1 hour of birth"
        numbered = digits or "within" in present and any(word[:1].isdigit() for word in words)
        if "week" in present and not _BREASTFEEDING.isdisjoint(present) and _IN_PREGNANCY.isdisjoint(present):
            words = _weeks_after_birth(words)  # "breastfeeding at 6-8 weeks" is weeks after the birth
            present = frozenset(words)
        time, amount = _time_points(words, present, numbered)
        if "discharge" in time and _breastfeeding_at_discharge(words, present):
            time = time | {_FIRST_DAYS}
        condition = set(_CONDITION_TERMS.find(words, present))
        if condition and not _NEGATING.isdisjoint(present):
            condition = _negated(words, condition)
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
        own = _specific(condition) if condition else _NONE
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
            if "neonatal team" in kinds["staff"] and not _GRADE_WORDS.isdisjoint(as_written):
                kinds["staff"] = _neonatal_grades(as_written, kinds["staff"])
            if kinds["forum"] and _REPORTING.isdisjoint(present) and not {"incident", "learning"} <= present:
                kinds["forum"] = _NONE  # a body named as who funds or agrees it, not where a report goes
            if len(kinds["consent"]) == 2:  # "switched from opt-in to opt-out": where it moves to
                kinds["consent"] = _OPT_OUT
            if kinds["refusal"] and not _CHOICE_WORDS.isdisjoint(present) and _opting_out(words):
                # "referred unless they actively decline" is an opt-out, not women who decline
                kinds["refusal"] = _NONE
                kept.extend(word for word in ("opt", "out") if word not in kept)
            if "audit" in kinds["act"] and all(words[i + 1:i + 2] and words[i + 1] in _FINDING
                                               for i, word in enumerate(words) if word == "audit"):
                kinds["act"] = kinds["act"] - {"audit"}  # "an audit showed...": why, not what
        recipient = _recipients(words, present)
        if kinds["course"] and not kinds["act"] and "trained" not in as_written and "birth" not in present and "baby" not in recipient:
            # "BLS for all staff", "monthly NLS scenarios" are a course staff attend; NLS given at
            # a birth, or to a baby, is the resuscitation itself
            kinds = {**kinds, "act": frozenset({"train"})}
        served = _staff_served(words, kinds["staff"]) if kinds["staff"] and "for" in present else _NONE
        if ("teach" in present or "course" in present and any(word == "course" and words[i + 1:i + 2] != ["of"] for i, word in enumerate(words))) \
                and "staff" in recipient and "train" not in kinds["act"]:
            kinds = {**kinds, "act": kinds["act"] | {"train"}}  # teaching staff is training them
        elif ("train" in kinds["act"] and not recipient.isdisjoint(_FAMILY) and not kinds["staff"]
              and _STAFF_WORDS.isdisjoint(present)):
            kinds = {**kinds, "act": kinds["act"] - {"train"}}  # a skills course for pregnant women is her care
        if not _COMBINED.isdisjoint(present) and any(
                word in _COMBINED and words[i + 1:i + 2] == ["nicotine"] for i, word in enumerate(words)):
            kinds = {**kinds, "giving": kinds["giving"] | {"combination"}}  # "combination NRT", "dual NRT"
        cover = _cover(words) if not _COVER_WORDS.isdisjoint(present) else _NONE
        if "train" in kinds["act"] and not _TRAINING_WORDS.isdisjoint(kept):
            kept = _as_training(kept)
        words_set = frozenset(kept)
        heavy = words_set & self.field_words
        if self.literal:  # a programme's own changes are found in the words as written too
            changes = self.changes.named(kept + ["|"] + [_AS_WRITTEN + word for word in as_written if word not in _STOP_WORDS])
        else:
            changes = self.changes.named(kept)
        means = counted = _NONE
        if changes:  # a change named weighs as a few words of the field the two texts share
            counted = frozenset(word for change in changes for word in change_words(change))
            words_set, heavy = words_set | counted, heavy | counted
            means = _MEANS_TERMS.find(words, present)
        # Most terms are empty: one empty set for all of them pickles and loads as one, when a
        # member's texts come back from the process that normalised them.
        return Normalised(
            text=" ".join(kept), words=words_set, heavy=heavy or _NONE, time=time or _NONE, amount=amount or _NONE,
            recipient=recipient or _NONE, served=served, condition=_specific(condition) if condition else _NONE,
            aimed=(_specific(condition) - own) or _NONE if condition else _NONE,
            setting=setting or _NONE, period=_period(words, present, time, setting) or _NONE,
            weight=_weight(words_set, heavy), status=status, cover=cover, having=having or _NONE, changes=changes or _NONE, counted=counted, means=means,
            **kinds)


# The words of a text as written are marked apart from those read, to find a programme's own
# changes among both (see `Normaliser.__init__`).
_AS_WRITTEN = "~"

# A change of the field two texts both name (driverkit.programme.changes) weighs in their wording
# as this many words of the field they share: about what a paraphrase shares with its twin besides.
CHANGE_WORDS = 3


@lru_cache(maxsize=4096)
def change_words(change: str) -> tuple[str, ...]:
    """The words a change named counts as: never words of a text (they hold a space)."""
    return tuple(f"{change} #{n}" for n in range(1, CHANGE_WORDS + 1))


class _ChangeFinder:
    """Finds the changes of the field a normalised text names: those with a phrase of every group
    among its words, the words of a phrase one after the other. Only the changes whose smallest
    group has a phrase starting with one of the text's words are tried."""

    def __init__(self, table: Mapping[str, Sequence[Sequence[str]]]) -> None:
        # A change with no group, or a group with no phrase, is never named.
        table = {name: groups for name, groups in table.items() if groups and all(groups)}
        # Each group as the first words of its phrases (a text without any has none of them), its
        # phrases of one word, and those of several (to find in the text).
        self.groups = {name: [(frozenset(phrase.split()[0] for phrase in group), frozenset(phrase for phrase in group if " " not in phrase),
                               tuple(f" {phrase} " for phrase in group if " " in phrase)) for group in groups]
                       for name, groups in table.items()}
        self.by_word: dict[str, list[str]] = defaultdict(list)
        for name, groups in table.items():
            rarest = min(groups, key=len)
            for word in sorted({phrase.split()[0] for phrase in rarest}):
                self.by_word[word].append(name)

    def named(self, words: list[str]) -> frozenset[str]:
        present = set(words)
        keys = present.intersection(self.by_word)
        if not keys:
            return _NONE
        found = []
        text = ""
        for name in {name for word in keys for name in self.by_word[word]}:
            for first, single, several in self.groups[name]:
                if first.isdisjoint(present):
                    break
                if single.isdisjoint(present):
                    text = text or " " + " ".join(words) + " "
                    if not any(phrase in text for phrase in several):
                        break
            else:
                found.append(name)
        return frozenset(found) if found else _NONE


class _Spelled(dict[str, str]):
    """Words as written, each read the first time it is looked up: singular, and spelled right."""

    def __init__(self, spell: Callable[[str], str]) -> None:
        super().__init__()
        self.spell = spell

    def __missing__(self, token: str) -> str:
        word = self[token] = self.spell(_singular(token))
        return word


@lru_cache(maxsize=8)
def _normaliser(vocabulary: Optional[tuple[tuple[str, str], ...]],
                known_changes: Optional[tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]]) -> Normaliser:
    return Normaliser(dict(vocabulary) if vocabulary else None, dict(known_changes) if known_changes else None)


def normaliser(vocabulary: Optional[Mapping[str, str]] = None, known_changes: Optional[KnownChanges] = None) -> Normaliser:
    """The normaliser of a vocabulary and a programme's own changes, built once (its tables take a moment)."""
    return _normaliser(tuple(sorted(vocabulary.items())) if vocabulary else None,
                       tuple(sorted((name, tuple(map(tuple, groups))) for name, groups in known_change_groups(known_changes).items()))
                       if known_changes else None)


def _weight(words: frozenset[str], heavy: frozenset[str]) -> float:
    return len(heavy) + LIGHT * (len(words) - len(heavy))


def _number(text: str) -> float:
    """A number as written, days after the "+" of a gestation as sevenths: "33+6" is 33.86."""
    whole, _, days = text.partition("+")
    return float(whole) + (float(days) / 7 if days else 0.0)

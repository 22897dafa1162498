"""Changes of the field that trusts word in many ways: each named, with the words that say it.

Two texts that name one of these changes are more likely the same change, even when they share few
words ("Patches and gum given on the day, no prescription needed" and "NRT supplied directly by the
maternity team"). Each change is a list of groups of phrases: a text names the change when it holds
a phrase of every group, as whole words of its normalised form (driverkit.programme.reading: lower
case, singular, the vocabulary applied, small words dropped), so the phrases are written in that
form ("carbon monoxide", "nicotine replacement therapy", "antenatal steroid", "36 week").

A change here is one a midwife would recognise, not a topic: "a carbon monoxide test at every
antenatal contact", not "smoking". The terms that tell two changes apart (the time point, who
receives it, the condition, what the team does) are read as before, and a pair that differs by
one gains nothing from a change they both name (driverkit.programme.likeness). General
improvement ideas (a dashboard, simulation, champions) are not listed: they are the same whatever
their subject, and the subject is what tells them apart.

The list covers the five clinical workstreams of the national maternity and neonatal safety
programme, from the care bundles and guidance they follow (Saving Babies' Lives, the BAPM preterm
optimisation toolkit, NICE guidance on diabetes in pregnancy and on neonatal infection).

A programme adds its own changes, or replaces one of these by its name, under `programme:
known_changes:`; its phrases are written as a team writes them and read as its texts are
(driverkit.programme.reading.Normaliser).
"""

from __future__ import annotations

CHANGES: dict[str, list[list[str]]] = {
    # smoke-free pregnancy
    "carbon monoxide test at booking": [
        ["carbon monoxide", "carbon monoxide test"],
        ["booking"],
    ],
    "carbon monoxide test at 36 weeks": [
        ["carbon monoxide", "carbon monoxide test"],
        ["36 week", "35 week", "34 week", "37 week", "late pregnancy"],
    ],
    "carbon monoxide test at every antenatal contact": [
        ["carbon monoxide", "carbon monoxide test"],
        ["appointment", "contact", "visit", "encounter", "throughout", "routine", "ongoing", "regular", "routinely", "repeated", "time see", "time seen"],
    ],
    "carbon monoxide test at the scan": [
        ["carbon monoxide", "carbon monoxide test"],
        ["scan", "dating scan", "anomaly scan", "sonographer"],
    ],
    "carbon monoxide test postnatally": [
        ["carbon monoxide", "carbon monoxide test"],
        ["postnatal", "discharge", "new birth visit", "health visitor"],
    ],
    "carbon monoxide test for all women regardless of smoking status": [
        ["carbon monoxide", "carbon monoxide test"],
        ["regardless", "irrespective", "whether", "non smoking", "nonsmoker", "universal", "including non", "everyone"],
    ],
    "carbon monoxide monitors supplied to staff": [
        ["carbon monoxide", "carbon monoxide test"],
        ["issued", "purchase", "purchased", "bought", "equipment", "device", "mouthpiece", "calibration", "calibrated", "spare", "funding", "funded", "maintenance", "procured", "own"],
    ],
    "carbon monoxide referral threshold": [
        ["carbon monoxide", "carbon monoxide test"],
        ["ppm", "threshold", "cut off", "cutoff", "4 ppm", "3 ppm"],
    ],
    "opt-out referral to the stop smoking service": [
        ["opt out", "opt out referral", "automatic", "automatically", "default", "regardless"],
        ["referral", "stop smoking service", "opt out referral"],
        ["stop smoking service", "smoking", "quit", "carbon monoxide"],
    ],
    "very brief advice at every contact": [
        ["brief advice", "ask advise"],
        ["offer", "appointment", "contact", "visit", "encounter", "booking", "36 week", "documented", "recorded", "record", "conversation", "ask", "use", "routine", "routinely"],
    ],
    "very brief advice training for staff": [
        ["brief advice", "brief advice train", "ask advise"],
        ["train", "teach", "competency", "competent"],
    ],
    "carbon monoxide monitor training for staff": [
        ["carbon monoxide", "carbon monoxide test"],
        ["train", "teach", "competency", "competent", "how use"],
    ],
    "stop smoking training for maternity staff": [
        ["stop smoking service", "nicotine replacement therapy", "quit", "smoking", "ecigarette", "relapse"],
        ["train", "teach", "competency", "competent", "study"],
    ],
    "in-house tobacco dependence advisor in maternity": [
        ["stop smoking service", "quit", "quit advisor", "quit adviser"],
        ["house", "hospital based", "based", "recruit", "recruited", "employ", "employed", "appointed", "dedicated", "located", "colocated", "post", "specialist", "lead", "new"],
    ],
    "same-day stop smoking appointment alongside antenatal care": [
        ["stop smoking service", "quit", "smoking", "quit advisor", "quit adviser"],
        ["same day", "available clinic", "clinic can seen", "same visit", "same time", "alongside", "away", "immediately", "immediate", "walk", "wait", "waiting", "same appointment", "spot"],
    ],
    "rapid contact after referral to stop smoking support": [
        ["stop smoking service", "quit"],
        ["48 hour", "24 hour", "72 hour", "1 working day", "2 working day", "working day", "next day", "1 day", "2 day", "3 day", "5 day", "contact within", "within 1 week", "1 week"],
    ],
    "nrt supplied directly by maternity": [
        ["nicotine replacement therapy"],
        ["direct", "directly", "day", "stock", "stocked", "immediate", "immediately", "away", "spot", "free", "hand", "handed", "pharmacy", "held", "kept"],
    ],
    "combination nrt": [
        ["nicotine replacement therapy"],
        ["combination", "combined", "dual", "plus", "double", "fast acting", "faster acting", "short acting", "quick acting", "2 product", "2 type", "2 form", "two", "together", "both"],
    ],
    "full course of nrt": [
        ["nicotine replacement therapy"],
        ["12 week", "8 week", "full course", "course", "ongoing", "continued", "continue", "repeat", "refill", "top up", "duration", "long"],
    ],
    "nrt for inpatients": [
        # treatment or support, not smoking alone: a ward's smoking policy, or smoking status asked
        # at admission, is another change
        ["nicotine replacement therapy", "stop smoking service", "replacement therapy"],
        ["inpatient", "admission", "antenatal ward", "postnatal ward", "maternity ward", "ward"],
    ],
    "vapes offered as a quit aid": [
        ["ecigarette"],
        ["offer", "free", "kit", "start", "device", "quit", "scheme", "aid", "swap", "option", "stop smoking service"],
    ],
    "financial incentives for quitting": [
        ["incentive", "payment", "paid", "cash", "money", "financial"],
        ["quit", "smoking", "carbon monoxide", "stop smoking service", "abstinence", "confirmed"],
    ],
    "support for partners and households who smoke": [
        ["everyone", "anyone", "family", "relative", "friend", "other", "living", "live", "couple", "people"],
        ["smoking", "quit", "stop smoking service", "nicotine replacement therapy", "ecigarette"],
    ],
    "smoke-free homes and second-hand smoke advice": [
        ["secondhand smoke", "quit home", "home quit", "quit car", "passive"],
    ],
    "smoke-free hospital site": [
        ["quit", "smoking"],
        ["hospital ground", "ground", "site", "entrance", "shelter", "campus", "car park"],
    ],
    "relapse prevention": [
        ["relapse", "stay quit", "remain quit", "staying quit", "back smoking", "smoking again"],
    ],
    "handover of smoking status to health visitor and gp": [
        ["smoking", "quit", "stop smoking service", "carbon monoxide", "nicotine replacement therapy"],
        ["health visitor", "gp", "primary care", "community team"],
        ["handover", "communicated", "communication", "inform", "informed", "letter", "discharge", "shared", "share", "passed", "transfer", "handed"],
    ],
    "home visits for stop smoking support": [
        ["stop smoking service", "quit", "smoking", "nicotine replacement therapy", "carbon monoxide"],
        ["home visit", "visit", "visited", "visiting", "doorstep", "outreach", "house call"],
        ["home", "doorstep", "outreach", "house call"],
    ],
    "remote or digital stop smoking support": [
        ["stop smoking service", "quit", "smoking", "nicotine replacement therapy"],
        ["telephone", "phone", "text", "text message", "app", "video", "digital", "online", "virtual", "whatsapp", "remote", "call"],
    ],
    "structured behavioural support sessions": [
        ["stop smoking service", "quit", "smoking"],
        ["behavioural", "behaviour", "session", "motivational", "weekly", "counselling", "programme", "4 week", "quit date"],
    ],
    "re-offering support to women who decline": [
        ["decline", "declining", "refuse", "refused", "refusal", "disengage", "disengaged", "drop out", "dropped out", "did attend", "dna", "engage"],
        ["stop smoking service", "quit", "smoking", "referral", "nicotine replacement therapy", "carbon monoxide"],
    ],
    "recording smoking status and carbon monoxide in the electronic record": [
        ["smoking", "carbon monoxide", "quit", "stop smoking service"],
        # "record" as a verb: the maternity record a referral is sent from records nothing
        ["recorded", "recording", "documented", "documentation", "electronic record", "field", "mandatory field", "template", "data entry", "coded",
         "record smoking", "record carbon monoxide", "record test", "record maternity system", "record electronic record", "record handheld note",
         "record birth note", "record note"],
    ],
    "smoking at time of delivery data": [
        ["smoking birth"],
    ],
    "smoking data dashboard and audit": [
        ["smoking", "carbon monoxide", "quit", "stop smoking service", "referral", "nicotine replacement therapy"],
        ["audit", "data", "report", "metric", "kpi", "run chart", "rate"],
    ],
    "carbon monoxide validated quit at 4 weeks": [
        ["quit", "smoking", "abstinence", "quit date"],
        ["confirmed", "carbon monoxide confirmed"],
    ],
    "information on the risks of smoking for the baby": [
        ["smoking", "carbon monoxide", "quit", "secondhand smoke"],
        ["leaflet", "information", "explain", "explained", "discuss", "discussion", "conversation", "risk", "harm", "effect", "video", "mean"],
    ],
    # optimisation of the very preterm infant
    "antenatal steroids before preterm birth": [
        ["antenatal steroid"],
        ["preterm", "preterm birth", "34 week", "35 week", "32 week", "30 week", "28 week", "24 week", "26 week", "27 week", "preterm rupture membrane", "preterm prelabour", "extreme", "inutero transfer"],
    ],
    "antenatal steroids in the optimal window before birth": [
        ["antenatal steroid"],
        ["7 day", "optimal window", "window", "timing", "optimal timing", "1 week", "24 hour", "full course", "complete course", "completed", "2 dose", "second dose", "both dose", "well timed", "timed", "too early", "optimally"],
    ],
    "targeting antenatal steroids to avoid unnecessary courses": [
        ["antenatal steroid"],
        ["unnecessary", "inappropriate", "avoid", "targeted", "targeting", "overuse", "needed", "reduce", "preterm risk app", "fetal fibronectin", "term"],
    ],
    "rescue course of antenatal steroids": [
        ["rescue course"],
    ],
    "antenatal steroids before planned caesarean": [
        ["antenatal steroid"],
        ["elective caesarean", "caesarean", "38 week", "39 week", "37 week", "planned birth", "late preterm"],
    ],
    "magnesium sulphate for neuroprotection": [
        ["neuroprotection"],
    ],
    "intrapartum antibiotic prophylaxis": [
        ["intrapartum antibiotic prophylaxis", "intrapartum antibiotic", "benzylpenicillin", "antibiotic prophylaxis", "antibiotic intrapartum"],
    ],
    "group b strep testing": [
        ["group b strep"],
        ["test", "swab", "culture", "enriched", "ecm", "rapid"],
    ],
    "antibiotics for preterm rupture of membranes": [
        ["erythromycin", "preterm rupture membrane", "preterm prelabour"],
        ["antibiotic", "erythromycin", "offer"],
    ],
    "optimal cord clamping": [
        ["delayed cord clamping", "clamping umbilical cord", "clamping cord", "clamp umbilical cord", "clamping"],
    ],
    "resuscitation with the cord intact": [
        ["delayed cord clamping", "intact cord", "intact", "cord clamped"],
        ["resuscitation", "stabilisation", "trolley", "bedside", "lifestart", "intact"],
    ],
    "umbilical cord milking": [
        ["cord milking", "milking", "milked", "milk cord", "milk umbilical cord"],
    ],
    "thermal care at preterm birth": [
        ["hypothermia bundle", "hypothermia checklist", "hypothermia package", "hypothermia care bundle", "plastic wrap", "plastic", "wrap", "hat", "thermal mattress", "radiant warmer"],
    ],
    "warm birth room and theatre": [
        ["room hypothermia", "birth room hypothermia", "theatre room hypothermia", "ambient"],
    ],
    "normal temperature on neonatal unit admission": [
        ["hypothermia", "temperature"],
        ["admission", "36.5", "37.5", "neonatal unit", "normal range", "arrival", "arrive"],
    ],
    "early maternal breast milk": [
        ["breast milk", "buccal breast milk", "expressing", "breast pump"],
        ["within 24 hour", "24 hour", "within 6 hour", "6 hour", "within 1 hour", "within 2 hour", "2 hour", "1 hour", "early", "first feed", "first 24 hour", "first day", "first hour", "soon", "cot side", "bedside", "8 time"],
    ],
    "buccal colostrum": [
        ["buccal breast milk", "mouth care", "buccal"],
    ],
    "donor breast milk": [
        ["donor breast milk", "milk bank", "donor human milk", "donor"],
    ],
    "in utero transfer to the right place of birth": [
        ["inutero transfer", "inutero", "level 3", "tertiary", "antenatal transfer"],
    ],
    "reducing ex utero transfers": [
        ["postnatal transfer"],
    ],
    "neonatal counselling before preterm birth": [
        ["neonatal team counselling", "neonatal team", "neonatal unit"],
        ["counselling", "discussion", "discuss", "meet", "visit", "talk", "tour", "shown", "conversation", "prepare", "neonatal team counselling"],
    ],
    "perinatal decision making at the margins of viability": [
        ["22 week", "23 week", "22 23 week", "viability", "extreme preterm", "periviable", "active care", "survival focused", "comfort care"],
        ["discussion", "counselling", "decision", "framework", "risk assessment", "plan", "bapm", "active care", "joint", "perinatal team", "conversation"],
    ],
    "preterm optimisation pathway or proforma": [
        ["optimisation checklist", "preterm optimisation", "optimisation"],
    ],
    "golden hour care bundle": [
        ["golden hour"],
    ],
    "neonatal team present at preterm birth": [
        ["neonatal team", "senior"],
        ["present", "attend", "attendance", "presence"],
    ],
    "quipp app": [
        ["preterm risk app"],
    ],
    "fetal fibronectin testing": [
        ["fetal fibronectin"],
    ],
    "cervical length scanning": [
        ["cervical length scan", "cervical length", "transvaginal"],
    ],
    "progesterone to prevent preterm birth": [
        ["progesterone"],
    ],
    "cervical cerclage": [
        ["cerclage"],
    ],
    "preterm birth prevention clinic": [
        ["preterm clinic"],
    ],
    "tocolysis to allow steroids or transfer": [
        ["tocolysis", "tocolytic", "atosiban", "nifedipine"],
        ["preterm", "preterm birth", "contraction", "tocolysis", "tocolytic", "atosiban", "inutero transfer", "antenatal steroid", "allow"],
    ],
    "caffeine for preterm babies": [
        ["caffeine"],
    ],
    "early surfactant and less invasive ventilation": [
        ["surfactant", "lisa", "less invasive", "volume targeted", "cpap", "minimally invasive"],
    ],
    "probiotics for preterm babies": [
        ["probiotic"],
    ],
    "family integrated care": [
        ["family integrated care", "ficare", "family centred"],
    ],
    # diabetes in pregnancy
    "continuous glucose monitoring in pregnancy": [
        ["continuous glucose monitoring", "flash glucose", "flash", "freestyle"],
    ],
    "hybrid closed loop insulin delivery": [
        ["hybrid closed loop", "insulin pump", "closed loop"],
    ],
    "cgm time in range review": [
        ["time range", "time target range", "tir"],
        ["continuous glucose monitoring", "70", "review", "reviewed", "target", "download", "data"],
    ],
    "preconception care for women with diabetes": [
        ["preconception"],
        ["clinic", "service", "counselling", "care", "pathway", "referral", "team", "review", "appointment", "advice", "virtual", "group"],
    ],
    "primary care identification of women with diabetes of reproductive age": [
        ["gp", "primary care", "practice", "register"],
        ["diabete", "gestational diabete", "preexisting diabete", "type 1 diabete", "type 2 diabete", "type 1", "type 2"],
        ["childbearing", "reproductive", "search", "register", "invite", "letter", "preconception", "contraception", "child bearing"],
    ],
    "high-dose folic acid": [
        ["folic acid", "folate"],
    ],
    "hba1c optimised before conception": [
        ["hba1c"],
        ["preconception", "conception", "contraception", "48", "optimise"],
    ],
    "contraception advice for women with diabetes": [
        ["contraception", "contraceptive"],
        ["diabete", "gestational diabete", "preexisting diabete", "type 1 diabete", "type 2 diabete", "type 1", "type 2", "hba1c"],
    ],
    "hba1c at booking": [
        ["hba1c"],
        ["booking", "early pregnancy", "first antenatal"],
    ],
    "early referral of women with pre-existing diabetes": [
        ["diabete", "gestational diabete", "preexisting diabete", "type 1 diabete", "type 2 diabete", "type 1", "type 2"],
        ["referral", "self referral", "fasttrack"],
        ["soon", "positive pregnancy test", "confirmed", "immediate", "immediately", "early", "early pregnancy", "direct", "directly", "6 week", "8 week", "fasttrack", "self referral"],
    ],
    "gdm risk factor assessment at booking": [
        ["risk factor", "risk assessment", "risk"],
        ["gestational diabete", "glucose tolerance test"],
        ["booking", "early pregnancy", "identified", "identify", "assessed", "assessment"],
    ],
    "ogtt at 24 to 28 weeks": [
        ["glucose tolerance test"],
        ["24 28 week", "24 week", "26 week", "28 week", "24", "28"],
    ],
    "early ogtt": [
        ["glucose tolerance test"],
        ["early", "booking", "early pregnancy", "16 week", "12 week", "14 week", "18 week", "first", "soon"],
    ],
    "joint antenatal diabetes clinic": [
        ["diabete clinic", "antenatal diabete clinic", "diabete obstetric clinic", "combined diabete", "joint diabete", "multidisciplinary diabete"],
    ],
    "rapid review after gdm diagnosis": [
        ["gestational diabete", "diabete"],
        ["within 1 week", "1 week", "7 day", "48 hour", "72 hour", "within week", "5 working day", "2 week", "seen within", "quickly", "promptly", "rapid"],
        ["diagnosis", "diagnosed", "seen", "review", "clinic", "appointment", "referral"],
    ],
    "group education for women with gdm": [
        ["gestational diabete", "diabete"],
        ["group", "teach", "session", "train", "webinar", "video", "online"],
    ],
    "dietetic advice for gdm": [
        ["dietitian", "dietary", "diet advice", "lifestyle", "nutrition", "exercise", "carbohydrate"],
        ["gestational diabete", "diabete", "glucose", "blood glucose"],
    ],
    "metformin for diabetes in pregnancy": [
        ["metformin"],
    ],
    "starting insulin in pregnancy": [
        ["insulin"],
        ["start", "teach", "titration", "titrated", "escalation", "add", "added", "target", "treatment"],
    ],
    "self-monitoring of blood glucose": [
        ["blood glucose", "glucose", "blood glucose test"],
        ["home", "self", "meter", "diary", "post meal", "meal", "4 time", "7 time", "glucometer", "fasting 1 hour", "own"],
    ],
    "remote glucose monitoring app": [
        ["app"],
        ["blood glucose", "glucose", "gestational diabete", "diabete"],
    ],
    "fetal growth scans for women with diabetes": [
        ["growth scan", "scan"],
        ["diabete", "gestational diabete", "preexisting diabete", "type 1 diabete", "type 2 diabete", "type 1", "type 2"],
    ],
    "timing of birth for women with diabetes": [
        ["diabete", "gestational diabete", "preexisting diabete", "type 1 diabete", "type 2 diabete", "type 1", "type 2"],
        ["timing", "induction", "planned birth", "38 week", "37 38+6 week", "40 week", "39 week", "37 week", "38+6 week", "40+6 week"],
    ],
    "postnatal glucose test after gdm": [
        ["gestational diabete"],
        ["postnatal", "6 week postnatal check", "13 week", "12 week", "6 13 week", "6 week", "discharge"],
        ["hba1c", "fasting glucose", "test", "glucose", "followup", "recall", "blood"],
    ],
    "annual diabetes test after gdm": [
        ["gestational diabete"],
        ["annual", "year", "long term", "lifelong"],
    ],
    "diabetes prevention programme after gdm": [
        ["prevention programme", "healthier", "diabete prevention", "weight management"],
    ],
    "stopping or reducing diabetes treatment after birth": [
        ["insulin", "metformin", "treatment", "medication"],
        ["postnatal", "birth", "discharge"],
        ["stop", "reduce", "reduced", "halved", "halve", "adjust", "adjusted", "dose", "back"],
    ],
    "retinal screening in pregnancy": [
        ["retinal", "retinal test"],
    ],
    "renal assessment in diabetes in pregnancy": [
        ["albumin creatinine ratio", "renal", "kidney", "creatinine", "protein creatinine ratio"],
        ["diabete", "gestational diabete", "preexisting diabete", "type 1 diabete", "type 2 diabete", "type 1", "type 2"],
    ],
    "dka prevention and management": [
        ["ketoacidosis", "ketone", "sick day"],
    ],
    "maternal hypoglycaemia awareness and glucagon": [
        ["glucagon", "hypoglycaemia awareness", "driving", "dvla"],
        ["diabete", "gestational diabete", "preexisting diabete", "type 1 diabete", "type 2 diabete", "type 1", "type 2", "insulin", "hypoglycaemia"],
    ],
    "variable rate insulin infusion in labour": [
        ["insulin infusion", "variable rate", "intravenous insulin", "insulin drip"],
    ],
    "blood glucose monitoring in labour": [
        ["blood glucose", "glucose"],
        ["intrapartum", "birth", "labour ward"],
    ],
    "glucose control during antenatal steroids": [
        ["antenatal steroid"],
        ["insulin", "insulin infusion", "blood glucose", "glucose", "diabete"],
    ],
    "diabetes specialist midwife role": [
        ["diabete specialist midwife", "diabete specialist nurse"],
        ["post", "appointed", "recruit", "recruited", "role", "dedicated", "funded", "funding", "lead", "new", "cover", "band"],
    ],
    # neonatal hypoglycaemia
    "identifying babies at risk of hypoglycaemia": [
        ["hypoglycaemia", "hypoglycaemia risk", "blood glucose"],
        ["sticker", "alert", "flag", "flagged", "label", "cot card", "identified", "identify", "identification", "recognised", "recognise", "wristband", "risk assessment", "risk factor", "highlighted", "birth plan", "handover"],
    ],
    "babies of mothers on beta blockers on the hypoglycaemia pathway": [
        ["labetalol", "beta blocker", "betablocker"],
        ["hypoglycaemia", "hypoglycaemia risk", "blood glucose", "risk", "pathway", "test"],
    ],
    "first feed within an hour of birth": [
        ["feed within 1 hour", "first feed", "feed", "breastfeeding"],
        ["feed within 1 hour", "within 1 hour", "1 hour", "first hour", "30 minute", "within hour", "immediately", "soon", "early", "within 1 hour birth"],
    ],
    "regular feeding at least three-hourly": [
        ["feed", "breastfeeding"],
        ["3 hour", "2 3 hour", "3 4 hour", "regular", "frequent", "frequently", "8 feed", "8 time", "between feed", "hour between"],
    ],
    "feeding support and observed feeds": [
        ["feed", "breastfeeding", "infant feeding", "infant feeding team"],
        ["support", "supported", "assessment", "assess", "observed", "observe", "help", "plan", "attachment", "infant feeding team", "positioning", "specialist"],
    ],
    "skin-to-skin contact after birth": [
        ["skintoskin"],
    ],
    "antenatal colostrum harvesting": [
        ["colostrum expressing", "expressing", "expressed"],
        ["antenatal", "36 week", "37 week", "pregnancy", "late pregnancy", "kit", "syringe", "freezer", "cool"],
    ],
    "colostrum before formula top-ups": [
        ["formula", "top up", "top ups", "supplement", "supplementary", "supplementation"],
        ["breast milk", "expressing", "expressed", "avoid", "reduce"],
    ],
    "glucose gel": [
        ["glucose gel"],
    ],
    "timing of the first blood glucose test": [
        ["blood glucose", "blood glucose test", "glucose"],
        ["second feed", "2 4 hour", "4 hour", "2 hour", "3 hour", "2 3 hour", "3 4 hour", "hour age", "first test", "first blood glucose"],
    ],
    "neonatal hypoglycaemia pathway or framework": [
        ["hypoglycaemia", "blood glucose"],
        ["bapm", "framework", "pathway", "algorithm", "flowchart", "guideline", "protocol", "flow chart"],
    ],
    "stopping blood glucose tests after normal readings": [
        ["blood glucose", "blood glucose test", "glucose"],
        ["consecutive", "stop"],
    ],
    "accurate neonatal blood glucose measurement": [
        ["blood glucose", "glucose", "hypoglycaemia"],
        ["blood gas", "analyser", "lab", "laboratory", "accurate", "accuracy", "confirm", "confirmed", "point care", "ward based"],
    ],
    "keeping mother and baby together": [
        ["transitional care", "keep together"],
    ],
    "tube feeding and iv treatment on transitional care": [
        ["ng tube", "ng feed", "nasogastric", "tube feed", "intravenous dextrose"],
        ["transitional care", "postnatal ward", "keep together"],
    ],
    "avoiding term admissions to the neonatal unit": [
        ["term admission", "admission term"],
    ],
    "thermal care of term babies": [
        ["hypothermia", "hat"],
        ["term", "dry", "dried", "drying", "towel", "blanket", "skintoskin", "postnatal ward", "cot", "dressed"],
    ],
    "baby temperature test within an hour of birth": [
        ["temperature"],
        ["1 hour", "within 1 hour", "1 hour age", "hour age", "first hour"],
    ],
    "delayed first bath": [
        ["bath", "bathing", "bathed"],
    ],
    "hypoglycaemia information for parents": [
        ["hypoglycaemia", "hypoglycaemia risk", "blood glucose"],
        ["leaflet", "information", "sign", "symptom", "explaining", "explain", "video", "teach"],
    ],
    "neonatal hypoglycaemia training for staff": [
        ["hypoglycaemia", "hypoglycaemia risk", "blood glucose", "glucose gel"],
        ["train", "teach", "competency", "competent", "simulation"],
    ],
    # deterioration of mother or baby
    "maternity early warning score chart": [
        ["maternity early warning score"],
    ],
    "electronic observations with automatic alerts": [
        ["electronic observation", "electronic recording observation", "observation electronic"],
    ],
    "newborn early warning trigger and track": [
        ["newborn early warning"],
    ],
    "structured escalation pathway": [
        ["escalation"],
        ["pathway", "flowchart", "flow chart", "algorithm", "policy", "protocol", "card", "framework", "tool", "aid", "named", "senior", "clear", "process", "trigger", "poster"],
    ],
    "sbar structured communication": [
        ["sbar"],
    ],
    "structured handover at shift change": [
        ["handover"],
        ["structured", "checklist", "tool", "shiftchange", "safety", "bedside", "template", "sbar", "board"],
    ],
    "maternal enhanced and critical care": [
        ["high dependency", "enhanced care", "critical care", "critical care outreach", "intensive care"],
    ],
    "supernumerary labour ward coordinator": [
        ["coordinator", "labour ward coordinator"],
        ["supernumerary", "oversight", "overview", "caseload"],
    ],
    "consultant ward rounds": [
        ["consultant"],
        ["ward round", "round", "twice daily", "presence", "present", "resident", "24 hour"],
    ],
    "sepsis screening tool": [
        ["sepsis"],
        ["test", "tool", "checklist", "pathway", "flag", "recognition", "identify", "identification", "sticker", "trigger"],
    ],
    "sepsis treatment within an hour": [
        ["sepsis", "antibiotic"],
        ["within 1 hour", "1 hour", "golden hour", "door needle", "time antibiotic", "immediately"],
    ],
    "sepsis grab bag or box": [
        ["sepsis", "antibiotic"],
        ["box", "grab wrap", "trolley", "pack", "kit", "grab"],
    ],
    "neonatal early-onset sepsis calculator": [
        ["sepsis calculator"],
    ],
    "fresh eyes ctg review": [
        ["fresh eye"],
    ],
    "structured hourly ctg review tool": [
        ["ctg", "fetal monitoring", "intermittent auscultation", "fetal heart", "fetal heart rate", "computerised ctg"],
        ["sticker", "checklist", "structured", "systematic", "template", "tool"],
    ],
    "intermittent auscultation for low-risk labour": [
        ["intermittent auscultation"],
    ],
    "intrapartum risk assessment for fetal monitoring": [
        ["ctg", "fetal monitoring", "intermittent auscultation", "fetal heart", "fetal heart rate", "computerised ctg", "fetal"],
        ["risk assessment", "risk assessed", "assessed risk"],
    ],
    "fetal monitoring lead": [
        ["fetal monitoring lead"],
    ],
    "fetal monitoring training and competency": [
        ["ctg", "fetal monitoring", "intermittent auscultation", "fetal heart", "fetal heart rate", "computerised ctg", "physiological", "fetal"],
        ["train", "teach", "competency", "competent", "k2", "meeting"],
    ],
    "computerised ctg": [
        ["computerised ctg"],
    ],
    "reduced fetal movements information for women": [
        ["reduced fetal movement", "fetal movement", "moving less"],
        ["leaflet", "information", "advice", "awareness", "app", "teach", "video", "told", "tell", "contact", "call", "campaign", "poster"],
    ],
    "reduced fetal movements assessment pathway": [
        ["reduced fetal movement", "moving less"],
        ["ctg", "computerised ctg", "scan", "pathway", "checklist", "2 hour", "assessment", "seen", "review", "growth scan", "induction"],
    ],
    "maternal pulse differentiation from fetal heart": [
        ["pulse"],
        ["fetal heart", "fetal heart rate", "intermittent auscultation", "ctg", "differentiate", "alongside"],
    ],
    "pph risk assessment": [
        ["obstetric haemorrhage", "massive haemorrhage", "haemorrhage"],
        ["risk assessment", "risk tool", "risk factor", "risk score", "risk stratification", "assessed", "assess"],
    ],
    "quantified blood loss": [
        ["quantified blood loss", "blood loss weighed", "weigh blood loss", "blood loss test", "weighing blood loss"],
    ],
    "tranexamic acid": [
        ["tranexamic acid"],
    ],
    "pph care bundle": [
        ["obstetric haemorrhage", "massive haemorrhage", "haemorrhage"],
        ["bundle", "box", "trolley", "checklist", "stage", "staged", "approach", "protocol", "pathway", "grab wrap", "grab", "algorithm"],
    ],
    "major obstetric haemorrhage protocol": [
        ["massive haemorrhage"],
        ["call", "protocol", "activate", "activated", "code", "2222", "pack", "blood", "team"],
    ],
    "viscoelastic testing in haemorrhage": [
        ["viscoelastic test"],
    ],
    "cell salvage": [
        ["cell salvage"],
    ],
    "prophylactic uterotonic for the third stage": [
        ["active third stage", "carbetocin", "uterotonic", "oxytocin", "syntometrine", "ergometrine"],
        ["third stage", "prophylaxis", "prophylactic", "active third stage", "caesarean", "routine", "routinely"],
    ],
    "antenatal anaemia detection and iron": [
        ["iron", "anaemia", "ferritin", "haemoglobin"],
        ["test", "intravenous", "oral", "treatment", "offer", "clinic", "pathway", "start", "infusion", "28 week", "booking", "antenatal", "treat", "iron"],
    ],
    "pph simulation and drills": [
        ["obstetric haemorrhage", "massive haemorrhage", "haemorrhage"],
        ["train", "simulation", "emergency training", "teach"],
    ],
    "plgf testing for suspected pre-eclampsia": [
        ["plgf"],
    ],
    "home blood pressure monitoring": [
        ["blood pressure", "home blood pressure test", "hypertension"],
        ["home", "self", "remote", "app", "own", "machine", "cuff", "loan"],
    ],
    "aspirin for women at risk of pre-eclampsia": [
        ["aspirin"],
    ],
    "pre-eclampsia risk assessment at booking": [
        ["pre eclampsia", "hypertension"],
        ["risk assessment", "risk factor", "risk", "high risk", "moderate risk"],
        ["booking", "early pregnancy", "12 week", "assessed", "assessment", "identify", "identified"],
    ],
    "antihypertensive treatment of severe hypertension": [
        ["hypertension", "blood pressure", "pre eclampsia", "gestational hypertension", "160", "110"],
        ["labetalol", "nifedipine", "hydralazine", "antihypertensive", "treated", "treatment"],
    ],
    "magnesium sulphate for severe pre-eclampsia": [
        ["magnesium sulphate"],
        ["pre eclampsia", "eclampsia", "severe", "seizure", "hypertension"],
    ],
    "postnatal blood pressure follow-up": [
        ["hypertension", "blood pressure", "pre eclampsia", "gestational hypertension"],
        ["postnatal", "discharge", "day 3", "day 5", "day 3 5", "community", "gp"],
        ["test", "review", "followup", "plan", "reviewed", "titrate", "wean"],
    ],
    "standardised obstetric triage": [
        ["obstetric triage", "triage"],
        ["obstetric triage", "15 minute", "within 15 minute", "prioritise", "standardise", "symptom", "rag", "colour", "urgency", "category", "acuity", "initial assessment"],
    ],
    "dedicated telephone triage line": [
        ["triage", "maternity assessment unit", "advice line", "helpline"],
        ["telephone", "phone", "line", "call", "helpline", "advice line"],
    ],
    "vte risk assessment": [
        ["venous thromboembolism", "thromboembolism", "thrombosis", "clot"],
        ["risk assessment", "risk", "assessment", "score", "tool", "assessed"],
    ],
    "thromboprophylaxis with heparin": [
        ["lmwh", "venous thromboembolism prophylaxis", "stocking", "compression"],
    ],
}

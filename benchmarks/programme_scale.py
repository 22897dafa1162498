"""How `load_programme` grows with the number of member projects: time, CPU, peak memory, cost per member.

    python benchmarks/programme_scale.py                      # 136, 500 and 2,000 members
    python benchmarks/programme_scale.py --members 136 --repeat 7

For each size a programme is generated (`write_programme`, fixed seed) in a temporary folder: the
national programme of examples/programme/national.yaml with its member list replaced, and one
trust project of about 100 elements per member, with the data of the shared measures it reports.
Each run is a fresh child process that imports driverkit.programme.analysis and calls
`load_programme` on the programme file: loading and checking every file, the links between them,
the common ground, the spread and the comparisons on the shared measures (no drawing). Like
`driverkit programme`, the child ends at once when done (os._exit), without freeing the
programme's objects one by one (about a third of a second at 136 members). On a Linux machine
with two cores `load_programme` loads the members in two processes (the CPU column counts both;
see driverkit/programme/forked.py). The child
times the import and the call with time.perf_counter; the parent times the whole child and reads
its CPU time and peak memory (ru_maxrss) from os.wait4 for that one child. The cyclic garbage
collector is off in the child, as in `driverkit programme`.

The import alone is timed in other fresh children (`python -c "import driverkit.programme.analysis"`),
so that its share of the wall time is known. "Per member" is the time of `load_programme` itself
divided by the number of members; the ratio of that figure at each size to its value at the
smallest size tells how the analysis grows: near 1.0 is linear, while a cost growing with the
square of the members would give about 3.7x at 500 and 15x at 2,000 (against 136).

The generated programme (see `write_programme`):

- national.yaml as in the example, its `programme:` listing every trust, waves of about 34 members
  (waves 1 to 4 for 136 members), all starting between 2017-04 and 2018-12;
- trusts/trust-NNNN.yaml: an aim, 3 to 5 primary drivers (one per national clinical aim P1 to P5,
  each serving a national driver), 2 to 4 secondary drivers each, 3 to 6 change ideas each (about
  100 elements in all), and 5 to 8 measures: one or two `use: ../national.yaml#M3` / `#M7` with
  24 months of data in data/, the others local, with full definitions;
- about 30% of each trust's change ideas come from a pool of 40 maternity change ideas written in
  3 to 6 wordings each (the same change in other words); the others are texts built from word
  lists (an action, a topic of the clinical aim, sometimes a group of women, who does it) and the
  trust's own ward, site, team and tool names, as real change ideas name their places. No two are
  the same, but two that happen to share the action, the topic and who does it read as one change:
  the output counts these look-alikes apart from the planted changes;
- a few trusts redefine the denominator of M3 (DK805) and a few give a local measure the name of
  another trust's with another denominator (DK808). S5.3 is served by nobody.

Every generated file loads and checks with no errors. The same (members, seed) gives the same files.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from common import code_version  # noqa: E402

NATIONAL = ROOT / "examples" / "programme" / "national.yaml"
SIZES = (136, 500, 2000)
WAVE_SIZE = 34
GOAL_SECONDS = 2.0
GOAL_MEMBERS = 136

# --- the pool of planted change ideas: one change, several wordings ---------------------------
#
# Keyed by the national clinical aim whose drivers they serve. A trust draws a theme at most once,
# in one of its wordings.

THEMES: dict[str, list[list[str]]] = {
    "P1": [
        ["CO monitoring for all women at booking, opt-out referral",
         "Carbon monoxide screening at booking appointment with automatic referral to the quit team",
         "Every woman offered a CO breath test at her booking visit; smokers referred to the stop-smoking service unless they opt out",
         "Carbon monoxide breath test for every woman at the booking appointment, with referral to stop-smoking support unless she declines",
         "CO reading at every booking appointment, with an opt-out referral for women who smoke"],
        ["Carbon monoxide test repeated at the 36-week antenatal appointment for every woman",
         "CO reading at 36 weeks for all pregnant women",
         "Repeat CO breath test at the 36-week check"],
        ["Stop-smoking adviser based in the antenatal clinic to see referred women the same day",
         "Quit team adviser at the antenatal clinic so that women are seen on the day of referral",
         "Same-day stop-smoking appointment in the antenatal clinic, with an adviser on site",
         "Stop-smoking adviser sitting in antenatal clinic for same-day appointments"],
        ["Nicotine replacement therapy given to pregnant smokers directly by the maternity service",
         "NRT supplied in clinic and on the ward for pregnant women who smoke, without a GP prescription",
         "Free nicotine replacement therapy handed out by midwives to pregnant smokers"],
        ["Partners and household members who smoke offered a referral to the stop-smoking service",
         "Referral to the quit team offered to partners and household members who smoke",
         "Midwife asks about smokers in the household and offers each a referral to stop-smoking support",
         "Household members who smoke referred to the stop-smoking service with the woman"],
        ["Shopping vouchers for pregnant women who stay smoke-free, confirmed by CO readings",
         "Financial incentive scheme: vouchers for every CO-confirmed smoke-free month in pregnancy",
         "Voucher scheme for pregnant smokers who quit, confirmed by a carbon monoxide test"],
        ["Very brief advice on smoking training for all community midwives",
         "VBA training for midwives so that every smoker gets very brief advice at each contact",
         "All midwives trained to give very brief advice on stopping smoking",
         "Very brief advice training on smoking for every midwife in the community"],
        ["Phone call from the stop-smoking adviser within 48 hours of referral",
         "Stop-smoking service rings every referred woman within 48 hours",
         "Telephone contact by the quit team within 48 hours of each referral"],
    ],
    "P2": [
        ["Polythene bag and hat at delivery, and a thermal mattress on the resuscitaire, for babies born before 32 weeks",
         "Wrap very preterm babies (under 32 weeks) in a plastic bag straight after birth and put them on a heated gel mattress",
         "Thermal mattress and polyethylene wrap for all births under 32 weeks' gestation",
         "Plastic wrap and a thermal mattress for every baby born before 32 weeks",
         "Babies under 32 weeks put in a polythene bag with a hat, on a heated mattress, at birth"],
        ["Antenatal corticosteroids given within 7 days before birth for women in threatened preterm labour",
         "Steroids for fetal lung maturation given to every woman at risk of birth before 34 weeks",
         "Corticosteroid course started as soon as preterm labour is suspected before 34 weeks",
         "Antenatal steroids for all women in suspected preterm labour under 34 weeks"],
        ["Magnesium sulphate for neuroprotection for every woman giving birth before 30 weeks",
         "Magnesium sulphate given to women in established preterm labour under 30 weeks",
         "Neuroprotection with magnesium sulphate before births under 30 weeks' gestation"],
        ["Cord clamping deferred for at least 60 seconds in preterm babies who do not need immediate resuscitation",
         "Delayed cord clamping of one minute or more for preterm births",
         "Wait at least a minute before clamping the cord of a preterm baby who is breathing",
         "Deferred cord clamping, 60 seconds or more, for every preterm baby not needing resuscitation"],
        ["In-utero transfer to a neonatal intensive care unit for women likely to give birth before 27 weeks",
         "Women at risk of birth before 27 weeks moved to a hospital with a NICU before the birth",
         "Early in-utero transfer to a level 3 unit for threatened birth under 27 weeks"],
        ["Transport incubator switched on and warming when the labour ward calls the neonatal team to a preterm birth",
         "Pre-warmed transport incubator ready before every preterm birth",
         "Transport incubator warmed in advance whenever a preterm birth is expected"],
        ["Delivery room kept at 23 to 25 C for every preterm birth",
         "Room thermostat turned up to 23 to 25 C when a preterm birth is expected",
         "Birth room warmed to 23 to 25 C before a baby is born early"],
        ["Temperature taken 10 minutes after birth for every preterm baby and recorded on the resuscitation record",
         "Temperature check 10 minutes after birth for every preterm baby",
         "Preterm baby's temperature measured and written down 10 minutes after birth"],
    ],
    "P3": [
        ["Oral glucose tolerance test at 24 to 28 weeks booked at the booking appointment for women with a risk factor",
         "OGTT at 24 to 28 weeks arranged at booking for every woman with a risk factor for gestational diabetes",
         "Glucose tolerance test at 24 to 28 weeks booked at the first visit when a risk factor is present",
         "Women with a gestational diabetes risk factor booked for an OGTT at 24 to 28 weeks at their booking appointment"],
        ["Joint antenatal diabetes clinic with an obstetrician, a diabetologist, a specialist midwife and a dietitian",
         "Combined diabetes and pregnancy clinic run by the obstetric and diabetes teams together",
         "Joint obstetric and diabetes clinic every week for women with diabetes in pregnancy"],
        ["Continuous glucose monitoring offered to every pregnant woman with type 1 diabetes",
         "CGM sensors for all women with type 1 diabetes in pregnancy",
         "Pregnant women with type 1 diabetes given a continuous glucose monitor"],
        ["High-dose folic acid (5 mg) advised for women with diabetes planning a pregnancy",
         "Folic acid 5 mg prescribed before conception for women with diabetes",
         "Women with diabetes who plan a pregnancy prescribed folic acid 5 mg"],
        ["Gestational diabetes risk factor checklist in the booking record",
         "Booking checklist of risk factors for gestational diabetes, filled in by the midwife",
         "Checklist of gestational diabetes risk factors completed at every booking"],
        ["Group education session with a dietitian within a week of a gestational diabetes diagnosis",
         "Dietitian-led group class for women newly diagnosed with gestational diabetes",
         "Women diagnosed with gestational diabetes invited to a dietitian group session within a week",
         "Gestational diabetes group education with the dietitian in the week after diagnosis"],
        ["Blood glucose readings shared through an app and reviewed weekly by the diabetes midwife",
         "Diabetes specialist midwife reviews blood glucose readings sent by app every week",
         "Weekly remote review of home blood glucose readings uploaded to an app"],
        ["HbA1c test 13 weeks after birth for women who had gestational diabetes",
         "Postnatal HbA1c at 13 weeks for every woman with gestational diabetes",
         "Women who had gestational diabetes reminded to have an HbA1c test 13 weeks after the birth"],
    ],
    "P4": [
        ["Heel-prick blood glucose test for the baby before the second feed when a risk factor is present",
         "Blood glucose checked before the second feed in babies at risk of hypoglycaemia",
         "Pre-feed blood glucose before the second feed for every baby with a risk factor",
         "Babies with a hypoglycaemia risk factor have a heel-prick glucose before their second feed"],
        ["Antenatal colostrum harvesting from 36 weeks for women with diabetes",
         "Women with diabetes taught to hand-express and store colostrum from 36 weeks",
         "Colostrum collection kits and teaching from 36 weeks for mothers with diabetes"],
        ["Buccal dextrose gel for babies with a low blood glucose on the postnatal ward",
         "Dextrose gel given on the postnatal ward as the first treatment for neonatal hypoglycaemia",
         "Oral dextrose gel for hypoglycaemic babies so that they stay with their mothers",
         "Dextrose gel on the postnatal ward for babies with hypoglycaemia"],
        ["First feed within one hour of birth for babies at risk of hypoglycaemia",
         "Babies at risk of hypoglycaemia fed within the first hour after birth",
         "Feed within an hour of birth for every baby at risk of hypoglycaemia"],
        ["Hypoglycaemia risk sticker on the baby's notes at birth",
         "Risk of hypoglycaemia flagged with a sticker in the newborn record",
         "Sticker in the baby's notes to flag a risk of hypoglycaemia"],
        ["Hat and skin-to-skin contact for babies at risk of hypoglycaemia to keep them warm",
         "Skin-to-skin contact with a hat on for babies at risk of hypoglycaemia in the first hours",
         "Babies at risk of hypoglycaemia kept warm with a hat and skin-to-skin care",
         "Skin-to-skin and a hat straight after birth for every baby at risk of hypoglycaemia"],
        ["Transitional care beds on the postnatal ward for babies who need blood glucose monitoring",
         "Babies needing blood glucose monitoring cared for in transitional care with their mothers",
         "Transitional care on the postnatal ward for babies with hypoglycaemia instead of admission"],
        ["Feeding assessment chart every 3 hours for babies at risk of hypoglycaemia",
         "Three-hourly feeding chart for babies at risk of hypoglycaemia, checked by the midwife",
         "Feeding record every 3 hours for babies at risk of hypoglycaemia"],
    ],
    "P5": [
        ["Maternity early warning score chart on every antenatal and postnatal ward",
         "MEWS chart for every woman on the antenatal and postnatal wards, with escalation triggers",
         "Maternity early warning chart used for all women on the wards",
         "Early warning score chart for every pregnant and postnatal woman on the wards"],
        ["Hourly fresh-eyes review of the CTG by a second midwife, recorded on a sticker",
         "Fresh-eyes CTG review every hour by a second midwife or obstetrician",
         "Second-person CTG review every hour in labour, recorded with a sticker",
         "CTG fresh-eyes check each hour by another midwife, with a sticker in the notes"],
        ["Annual fetal monitoring training and competency test for all midwives and obstetricians",
         "Yearly CTG training with a competency assessment for midwives and doctors",
         "CTG interpretation training and test every year for every labour ward clinician"],
        ["Sepsis screening tool and sepsis six bundle for women with a raised early warning score",
         "Sepsis six given within one hour when a pregnant woman screens positive for sepsis",
         "Maternity sepsis screening, with the sepsis six bundle within the first hour"],
        ["SBAR for escalation calls from midwives to the obstetric registrar",
         "Escalation calls to the obstetric registrar made with SBAR",
         "Structured SBAR communication for every escalation to the on-call obstetrician"],
        ["Twice-daily multidisciplinary safety huddle on the labour ward",
         "Labour ward safety huddle at 8am and 8pm with midwives, obstetricians and anaesthetists",
         "Multidisciplinary labour ward huddle twice a day"],
        ["Newborn early warning trigger and track chart for babies on the postnatal ward",
         "NEWTT chart for every baby who needs observations on the postnatal ward",
         "Early warning chart for newborn babies on the postnatal ward"],
        ["Multidisciplinary obstetric emergencies training (PROMPT) for all maternity staff every year",
         "Annual PROMPT training for midwives, obstetricians and anaesthetists together",
         "Yearly multidisciplinary PROMPT obstetric emergencies course for every maternity clinician"],
    ],
}

THEME_TEXTS = {text for themes in THEMES.values() for wordings in themes for text in wordings}

# --- words for the trusts' own change ideas, drivers and measures -----------------------------

ACTIONS = [
    "Laminated prompt card on", "Weekly audit and feedback on", "Daily board-round check of",
    "Text message reminders to women about", "Posters in clinic rooms about", "Named champion for",
    "Electronic record prompt for", "Ten-minute handover teaching on", "Patient leaflet on",
    "Monthly case reviews of", "Standard operating procedure for", "Checklist item for",
    "Pocket guide on", "Peer observation of", "Run chart at the safety meeting on",
    "Tea-trolley teaching on", "Link midwife for", "Huddle question on", "Sticker in the notes for",
    "Simulation drills on", "Short video for parents about", "Staff quiz on", "Escalation flowchart for",
    "Tablet audit tool for", "Shared drive of guidance on", "Competency sign-off for",
    "Whiteboard reminders of", "Thank-you notes to staff who get right", "Email bulletin on",
    "Induction session on", "Lanyard cards on", "QR code linking to guidance on", "Screensaver message about",
    "Bleep-holder prompts on", "Broadcast message to community midwives on", "Learning from excellence reports on",
    "Newsletter column on", "Stop-the-line rule for", "Red-flag magnets on the board for",
    "Protected specialist time to review",
]

# What the trusts' own change ideas are about, by national clinical aim; then for whom.
OBJECTS: dict[str, list[str]] = {
    "P1": ["smoking status at each antenatal contact", "carbon monoxide monitor calibration",
           "referral forms to the stop-smoking service", "smoke-free home advice", "e-cigarette advice in pregnancy",
           "follow-up of women who decline referral", "relapse prevention after the birth",
           "second-hand smoke exposure", "quit dates set at the first appointment",
           "carbon monoxide readings in the maternity record", "smoking questions at the 20-week scan",
           "stop-smoking leaflets in other languages", "cannabis and tobacco use questions", "spare mouthpieces for monitors",
           "quit success stories from local mothers", "tobacco dependence treatment plans", "behavioural support booking slots",
           "smokefree hospital grounds", "vaping questions in the booking form", "carbon monoxide results explained to women"],
    "P2": ["preterm birth risk assessment", "fetal fibronectin testing", "neonatal team calls to preterm births",
           "resuscitaire checks", "admission temperature recording", "preterm labour proformas",
           "steroid timing documentation", "parents' information on preterm birth", "cot availability calls",
           "transfer decisions for threatened preterm labour", "cervical length scanning", "preterm birth debriefs",
           "cerclage clinic follow-up", "progesterone prescribing", "neonatal consultant counselling before birth",
           "thermometer checks at the resuscitaire", "humidified gas setup", "labour ward to neonatal unit porters",
           "preterm optimisation passports", "magnesium infusion preparation"],
    "P3": ["glucose meter checks", "diabetes in pregnancy referrals", "insulin dose adjustments",
           "retinal screening in pregnancy", "HbA1c results at booking", "metformin counselling",
           "diet advice for gestational diabetes", "glucose targets in the notes", "timing of birth for women with diabetes",
           "postnatal diabetes follow-up", "ketone testing", "pre-pregnancy counselling letters",
           "hypo boxes on the antenatal ward", "insulin pump settings in labour", "fetal growth scans for women with diabetes",
           "culturally adapted diet sheets", "sliding scale charts in labour", "glucose diaries in other languages",
           "steroid cover plans for women on insulin", "GP letters after gestational diabetes"],
    "P4": ["newborn feeding plans", "glucose meter quality control", "infant feeding support at night",
           "hand expression teaching", "newborn observation charts", "donor milk requests",
           "transfers to the neonatal unit for low glucose", "parents' leaflets on low blood sugar",
           "cup feeding", "newborn temperature at birth", "feeding support for late preterm babies",
           "breastfeeding assessments", "formula top-up decisions", "blood gas analyser access",
           "maternal beta-blocker alerts", "small for gestational age baby plans", "cot-side feeding prompts",
           "infant feeding team referrals", "jaundice and feeding checks", "discharge feeding checks"],
    "P5": ["escalation to the consultant", "observation frequency on the wards", "handover of high-risk women",
           "blood loss measurement after birth", "CTG storage and review", "fluid balance charts",
           "postnatal readmissions", "triage waiting times", "intermittent auscultation in the birth centre",
           "debriefs after emergencies", "stickers for fetal heart rate reviews", "anaesthetic review of high-risk women",
           "swab counts after birth", "pre-eclampsia blood results", "headache assessment in triage",
           "telephone triage scripts", "bladder care after epidurals", "venous thromboembolism scoring",
           "maternal collapse trolleys", "interpreter use in labour"],
}

GROUPS = ["for first-time mothers", "for women booked after 20 weeks", "for women who speak little English",
          "for teenage mothers", "for women with a learning disability", "for women living in temporary housing",
          "for women with twins", "for women transferred from other units", "for women seen only in the community",
          "for women with a raised body mass index", "for women who book late", "for night-time births",
          "for weekend admissions", "for women under the perinatal mental health team", "for women seeking asylum"]

WHO = ["led by the ward manager", "by the band 6 midwives", "with the practice development midwife",
       "by the maternity support workers", "with the consultant midwife", "by the student midwives",
       "with the labour ward coordinator", "by the neonatal nurses", "with the community matron",
       "by the on-call registrar", "with the governance team", "by the infant feeding lead",
       "with the clinical educator", "by the antenatal clinic team", "with the patient safety lead",
       "by the maternity voices partnership", "with the pharmacy technician", "by the healthcare assistants",
       "with the perinatal pharmacist", "by the digital midwife"]

TOOLS = ["proforma", "checklist", "app", "pathway", "bundle", "care plan", "passport", "dashboard", "toolkit", "audit sheet"]

NAME_FIRST = ["Ash", "Birch", "Bram", "Brook", "Cald", "Carn", "Chester", "Cliff", "Cold", "Crag", "Dal", "Dun", "East",
              "Elm", "Fair", "Fern", "Fox", "Glen", "Gold", "Green", "Hal", "Hart", "Hawk", "Heath", "Holl", "Kel",
              "Kings", "Lang", "Lark", "Lea", "Lin", "Long", "Marl", "Mere", "Mill", "Moor", "Nether", "New", "North",
              "Oak", "Orm", "Pen", "Pit", "Quarry", "Raven", "Red", "Rock", "Rose", "Rush", "Salt", "Sand", "Shaw",
              "Shep", "Silver", "Stan", "Stock", "Ston", "Sum", "Swin", "Tal", "Thorn", "Tod", "Ul", "Up", "Wal",
              "Well", "West", "Whit", "Wick", "Wil", "Win", "Wood", "Wold", "Yar", "Yew", "Bel", "Cor", "Ember",
              "Fal", "Grim", "Ald", "Barn", "Beck", "Bur", "Chur", "Cran", "Dray", "Ever", "Gar", "Haw"]
NAME_SECOND = ["bourne", "bridge", "brook", "bury", "by", "caster", "combe", "cote", "croft", "dale", "den", "don",
               "field", "ford", "gate", "grove", "ham", "hampton", "holm", "hurst", "ington", "leigh", "ley", "low",
               "mere", "minster", "more", "mouth", "ness", "over", "stead", "stoke", "stone", "thorpe", "ton", "wald",
               "well", "wick", "worth", "wood", "acre", "bank", "burn", "cliffe", "dean", "edge", "fold", "haven",
               "hill", "lands", "marsh", "moor", "port", "rigg", "shaw", "side", "thwaite", "vale", "water", "wold"]

# Trust-level drivers: primary ones per national secondary driver they serve, secondary ones by area.
PRIMARY_TEXTS: dict[str, list[str]] = {
    "S1.1": ["Every pregnant smoker is known to the maternity team from booking",
             "Women who smoke are identified and referred at booking", "Smoking in pregnancy is found early and confirmed"],
    "S1.2": ["Pregnant smokers get and keep specialist support to quit", "Women who smoke take up stop-smoking support",
             "Women who smoke stay with stop-smoking support until the birth"],
    "S1.3": ["Homes are smoke-free during and after pregnancy", "Partners and families who smoke are supported to quit",
             "Babies go home to a smoke-free home"],
    "S2.1": ["Very preterm babies are born where the right neonatal care is", "Women in preterm labour are in the right unit",
             "Babies born before 27 weeks are born in a unit with intensive care"],
    "S2.2": ["Women in preterm labour receive steroids and magnesium in time",
             "Antenatal treatments are given before every preterm birth",
             "Preterm babies have the full benefit of antenatal medicines"],
    "S2.3": ["Preterm babies stay warm from birth to the neonatal unit", "Preterm babies reach the neonatal unit warm",
             "Heat loss in preterm babies is prevented at and after birth"],
    "S2.4": ["Preterm babies have their cord clamping deferred", "Placental transfusion is given to preterm babies",
             "Cord clamping waits for preterm babies who are breathing"],
    "S3.1": ["Women at risk of gestational diabetes are tested on time", "Gestational diabetes is found early",
             "Risk of gestational diabetes is known from booking"],
    "S3.2": ["Women with diabetes keep their glucose in target", "Blood glucose in pregnancy is controlled",
             "Women with diabetes in pregnancy have the care and tools they need"],
    "S4.1": ["Babies at risk of hypoglycaemia are known at birth", "Risk of neonatal hypoglycaemia is recognised early",
             "Staff know which babies are at risk of low blood glucose"],
    "S4.2": ["Babies at risk of hypoglycaemia feed early and stay warm", "At-risk babies are fed and kept warm from birth",
             "Early feeding and warmth protect babies at risk of low glucose"],
    "S4.3": ["Babies with hypoglycaemia stay with their mothers", "Low blood glucose is treated on the postnatal ward",
             "Separation for hypoglycaemia is avoided"],
    "S5.1": ["Deteriorating women are recognised and escalated early", "Unwell women are seen by the right clinician in time",
             "Maternal deterioration is spotted on the wards"],
    "S5.2": ["Fetal wellbeing in labour is assessed reliably", "A worrying fetal heart rate in labour is acted on",
             "Fetal monitoring in labour is read and escalated the same way by all"],
}
NATIONAL_SECONDARY = {area: [s for s in PRIMARY_TEXTS if s.startswith("S" + area[1])] for area in THEMES}

SECONDARY_TEXTS: dict[str, list[str]] = {
    "P1": ["Every woman has a carbon monoxide reading at booking", "Referrals reach the stop-smoking service",
           "Women take up their first stop-smoking appointment", "Staff are confident to talk about smoking",
           "Smoking status is recorded at every contact", "Women who quit stay smoke-free after the birth",
           "Nicotine replacement is available without delay", "Partners are asked about smoking",
           "Carbon monoxide monitors work and are calibrated", "Women understand the harm of smoking to the baby"],
    "P2": ["Heat loss at birth is prevented", "Babies are moved to the neonatal unit warm and without delay",
           "Women at risk of preterm birth are assessed early", "Steroids are given in time",
           "Magnesium sulphate is given before births under 30 weeks", "Cord clamping is deferred when safe",
           "The neonatal team is at every preterm birth", "Transfers in utero are arranged in time",
           "Parents know what to expect of a preterm birth", "Admission temperature is measured and recorded"],
    "P3": ["Risk factors are recorded at booking", "Glucose tolerance tests are booked for the right weeks",
           "Women with diabetes are seen in a joint clinic", "Glucose readings are reviewed often",
           "Women know their glucose targets", "Diet advice is given early", "Women with type 1 diabetes have monitors",
           "Follow-up after the birth is arranged", "Pre-pregnancy care reaches women with diabetes",
           "Insulin is adjusted without delay"],
    "P4": ["Risk factors are recorded at birth", "Blood glucose is measured at the right time",
           "Babies are fed within the first hour", "Babies are kept warm on the postnatal ward",
           "Low glucose is treated without separating mother and baby", "Staff use the same hypoglycaemia guideline",
           "Mothers are supported to feed", "Glucose meters are reliable", "Babies at risk are observed as planned",
           "Colostrum is available from birth"],
    "P5": ["Observations are complete and scored", "Triggers are escalated to the right clinician",
           "Every CTG in labour is reviewed by a second pair of eyes", "Midwives and obstetricians read CTGs the same way",
           "Sepsis is recognised within the hour", "Handover includes every high-risk woman",
           "Staff train together for emergencies", "Blood loss is measured after every birth",
           "The labour ward team knows the acuity of the unit", "Women know when to call triage"],
}

# Local measures: (name, definition, numerator, denominator, other denominator for a name conflict).
PROCESS_MEASURES: dict[str, list[tuple[str, str, str, str, str]]] = {
    "P1": [("Referral rate to stop-smoking service",
            "Women identified as smokers at booking who are referred to the stop-smoking service within two working days.",
            "Women identified as smokers at booking and referred within two working days",
            "Women identified as smokers at booking (carbon monoxide 4 ppm or more, or self-reported)",
            "All women booked for antenatal care in the month"),
           ("First stop-smoking appointment attended",
            "Pregnant women referred to the stop-smoking service who attend a first appointment within 14 days.",
            "Referred pregnant women who attend a first appointment within 14 days",
            "Pregnant women referred to the stop-smoking service in the month",
            "Pregnant women who smoke at booking in the month"),
           ("Carbon monoxide reading at booking recorded",
            "Booking appointments at which a carbon monoxide reading is recorded in the maternity record.",
            "Booking appointments with a carbon monoxide reading recorded", "All booking appointments in the month",
            "Women booked in the month who attended in person"),
           ("Carbon monoxide reading at 36 weeks recorded",
            "Women seen at 36 weeks whose carbon monoxide reading is recorded at that appointment.",
            "Women seen at 36 weeks with a carbon monoxide reading recorded", "Women seen at 36 weeks in the month",
            "Women who smoked at booking and were seen at 36 weeks in the month")],
    "P2": [("Bag and hat in place at birth for babies under 32 weeks",
            "Babies born before 32+0 weeks who are in a plastic bag and hat within five minutes of birth.",
            "Babies born before 32+0 weeks in a bag and hat within five minutes", "Babies born before 32+0 weeks",
            "Babies born before 34+0 weeks"),
           ("Antenatal steroids before preterm birth",
            "Babies born before 34+0 weeks whose mother had a full course of antenatal corticosteroids within 7 days before birth.",
            "Babies born before 34+0 weeks after a full course of steroids within 7 days", "Babies born before 34+0 weeks",
            "Babies born before 37+0 weeks"),
           ("Magnesium sulphate before births under 30 weeks",
            "Babies born before 30+0 weeks whose mother received magnesium sulphate in the 24 hours before birth.",
            "Babies born before 30+0 weeks after magnesium sulphate within 24 hours", "Babies born before 30+0 weeks",
            "Babies born before 32+0 weeks"),
           ("Deferred cord clamping in preterm babies",
            "Babies born before 34+0 weeks whose cord is clamped 60 seconds or more after birth.",
            "Babies born before 34+0 weeks with cord clamping at 60 seconds or more", "Babies born before 34+0 weeks",
            "Babies born before 34+0 weeks who did not need immediate resuscitation")],
    "P3": [("Glucose tolerance test by 28+6 weeks",
            "Women with a risk factor for gestational diabetes at booking who have an oral glucose tolerance test by 28+6 weeks.",
            "Women with a risk factor tested by 28+6 weeks", "Women with a risk factor at booking who reached 29 weeks",
            "All women who reached 29 weeks in the month"),
           ("Joint diabetes clinic seen within 1 week",
            "Women newly diagnosed with diabetes in pregnancy who are seen in the joint clinic within 7 days of diagnosis.",
            "Women seen in the joint clinic within 7 days of diagnosis", "Women diagnosed with diabetes in pregnancy in the month",
            "Women referred to the joint clinic in the month"),
           ("Postnatal HbA1c done by 13 weeks",
            "Women who had gestational diabetes whose HbA1c is measured within 13 weeks after birth.",
            "Women with gestational diabetes and an HbA1c within 13 weeks of birth", "Women with gestational diabetes who gave birth 13 weeks before",
            "Women with any diabetes in pregnancy who gave birth 13 weeks before"),
           ("Glucose readings reviewed weekly",
            "Women with diabetes in pregnancy whose home glucose readings were reviewed by the team in each of the last 4 weeks.",
            "Women with four weekly reviews in a row", "Women with diabetes in pregnancy under the joint clinic",
            "Women on insulin under the joint clinic")],
    "P4": [("Blood glucose before the second feed",
            "Babies with a risk factor for hypoglycaemia whose first blood glucose is measured before the second feed.",
            "Babies in the sample with a first blood glucose before the second feed",
            "Babies in the sample with a risk factor for hypoglycaemia", "All babies in the sample"),
           ("Feed within one hour of birth for babies at risk",
            "Babies at risk of hypoglycaemia who have their first feed within one hour of birth.",
            "Babies at risk fed within one hour", "Babies at risk of hypoglycaemia born in the month",
            "All babies born in the month"),
           ("Dextrose gel as first treatment",
            "Babies treated for hypoglycaemia on the postnatal ward whose first treatment is buccal dextrose gel.",
            "Babies whose first treatment is dextrose gel", "Babies treated for hypoglycaemia on the postnatal ward",
            "Babies with a blood glucose below 2.6 mmol/L"),
           ("Antenatal colostrum harvesting for mothers with diabetes",
            "Women with diabetes who had a colostrum harvesting kit and teaching by 37 weeks.",
            "Women with diabetes given a kit and teaching by 37 weeks", "Women with diabetes who reached 37 weeks",
            "Women with diabetes on insulin who reached 37 weeks")],
    "P5": [("Early warning score complete and escalated",
            "Sets of observations that are complete and, where the score triggered, escalated as the pathway requires.",
            "Sets of observations complete and escalated as required", "Sets of observations in the sample",
            "Sets of observations that triggered in the sample"),
           ("Hourly fresh-eyes CTG review",
            "Hours of continuous CTG in labour with a documented fresh-eyes review by a second midwife or obstetrician.",
            "Hours of continuous CTG with a documented fresh-eyes review", "Hours of continuous CTG in the sample",
            "Women on continuous CTG in the sample"),
           ("Sepsis six within one hour",
            "Women who screen positive for sepsis who receive all six elements of the sepsis six within one hour.",
            "Women screening positive given the sepsis six within one hour", "Women screening positive for sepsis",
            "Women with a raised early warning score"),
           ("CTG training completed",
            "Midwives and obstetricians who work on the labour ward with fetal monitoring training and a competency test in the last 12 months.",
            "Labour ward clinicians trained and tested in the last 12 months", "Labour ward midwives and obstetricians in post",
            "Midwives in post")],
}
BALANCING_MEASURES: dict[str, tuple[str, str, str, str]] = {
    "P1": ("Women declining carbon monoxide testing", "Booking appointments at which the woman declines the carbon monoxide test.",
           "Booking appointments with the test declined", "All booking appointments in the month"),
    "P2": ("Hyperthermia on admission to the neonatal unit",
           "Babies born before 37+0 weeks admitted to the neonatal unit whose first temperature is above 37.5 C.",
           "Babies admitted with a first temperature above 37.5 C", "Babies born before 37+0 weeks admitted to the neonatal unit"),
    "P3": ("Induction of labour for women with diabetes", "Women with diabetes in pregnancy whose labour is induced.",
           "Women with diabetes whose labour is induced", "Women with diabetes in pregnancy who gave birth in the month"),
    "P4": ("Term admissions to the neonatal unit for hypoglycaemia",
           "Babies born at 37+0 weeks or later admitted to the neonatal unit with hypoglycaemia.",
           "Term babies admitted with hypoglycaemia", "Live births at 37+0 weeks or later"),
    "P5": ("Emergency caesarean section rate", "Women giving birth by emergency caesarean section.",
           "Women giving birth by emergency caesarean section", "All women giving birth in the month"),
}

STATUSES = ("idea", "testing", "adopted", "abandoned")
STATUS_WEIGHTS = (35, 25, 35, 5)
THEME_SHARE = 0.30
DATA_MONTHS = [f"{2019 + m // 12}-{m % 12 + 1:02d}" for m in range(24)]  # 2019-01 to 2020-12


# --- writing YAML by hand (fast, and in the house style of the examples) ----------------------

_PLAIN = re.compile(r"^[A-Za-z0-9(][^\n#:'\"]*$")


def q(text: str) -> str:
    """A YAML scalar for `text`: plain when that reads back as the same string, else JSON-quoted."""
    if _PLAIN.match(text) and not text.endswith(" ") and text.lower() not in ("yes", "no", "true", "false", "null", "on", "off"):
        return text
    return json.dumps(text, ensure_ascii=False)


def month_add(year: int, month: int, add: int) -> str:
    index = year * 12 + month - 1 + add
    return f"{index // 12}-{index % 12 + 1:02d}"


def wave_starts(waves: int) -> list[str]:
    """Wave k starts between 2017-04 and 2018-12 (several waves may share a month when there are many)."""
    return [month_add(2017, 4, (k * 21) // max(1, waves)) for k in range(waves)]


def national_text(members: list[tuple[str, int]], starts: list[str]) -> str:
    """national.yaml of the example with its `programme:` section listing the generated members."""
    lines = ["programme:", "  waves:"]
    lines += [f"    - {{number: {k + 1}, start: {start}}}" for k, start in enumerate(starts)]
    lines.append("  members:")
    lines += [f"    - {{file: {name}, wave: {wave}}}" for name, wave in members]
    block = "\n".join(lines) + "\n\n"
    text = NATIONAL.read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^programme:\n(?:(?:[ \t]+.*)?\n)*", lambda _: block, text)
    if count != 1:
        raise RuntimeError(f"{NATIONAL}: no `programme:` section to replace")
    return text


def local_names(rng: random.Random, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        names.add(rng.choice(NAME_FIRST) + rng.choice(NAME_SECOND))
    return sorted(names)


def split_total(rng: random.Random, total: int, parts: int, low: int, high: int) -> list[int]:
    """`parts` numbers in [low, high] adding up to `total` (clamped to what is possible)."""
    total = max(parts * low, min(parts * high, total))
    counts = [low] * parts
    for _ in range(total - parts * low):
        counts[rng.choice([i for i in range(parts) if counts[i] < high])] += 1
    return counts


class _Trust:
    """The text of one generated trust project and its data files."""

    def __init__(self, rng: random.Random, number: int, wave_start: str, redefine_m3: bool, rename_measure: bool):
        self.rng, self.number, self.start = rng, number, wave_start
        self.redefine_m3, self.rename_measure = redefine_m3, rename_measure
        self.slug = f"trust-{number:04d}"
        names = local_names(rng, 18)
        rng.shuffle(names)
        self.town, self.sites, self.wards, self.teams = names[0], names[1:4], names[4:10], names[10:14]
        self.tools = [f"{name} {rng.choice(TOOLS)}" for name in names[14:]]
        self.data: dict[str, str] = {}

    def settings(self) -> list[str]:
        """Where a change is tried, naming two of the trust's own places (its rare words)."""
        wards, sites, teams = self.wards, self.sites, self.teams
        return ([f"on {w} ward at {s}" for w in wards for s in sites]
                + [f"in the {s} antenatal clinic and the {t} team" for s in sites for t in teams]
                + [f"with the {t} team on {w} ward" for t in teams for w in wards])

    def text(self) -> str:
        rng = self.rng
        shared = rng.choices([("M3",), ("M7",), ("M3", "M7")], weights=(35, 35, 30))[0]
        if self.redefine_m3 and "M3" not in shared:
            shared = ("M3",) + shared
        required = {"M3": "P1", "M7": "P2"}
        areas = sorted({required[m] for m in shared})
        others = [a for a in THEMES if a not in areas]
        rng.shuffle(others)
        n_primary = rng.randint(3, 5)
        areas = sorted(areas + others[:n_primary - len(areas)])

        n_local = rng.randint(5, 8) - len(shared)
        # Aim for about 100 elements: drivers, change ideas and measures.
        target = rng.randint(90, 110)
        n_changes = target - len(areas) - n_local - len(shared)
        low, high = max(2 * len(areas), math.ceil(n_changes / 6)), 4 * len(areas)
        n_secondary = rng.randint(min(low, high), high) if low <= high else high
        per_primary = split_total(rng, n_secondary, len(areas), 2, 4)
        per_secondary = split_total(rng, n_changes, sum(per_primary), 3, 6)

        # Local measures: one balancing, the others process measures of the trust's areas.
        balancing_area = rng.choice(areas)
        pool = [(area, m) for area in areas for m in PROCESS_MEASURES[area]]
        rng.shuffle(pool)
        process = pool[:n_local - 1]
        local: list[dict[str, Any]] = []
        for area, (name, definition, numerator, denominator, other) in process:
            local.append({"area": area, "family": "process", "name": name, "definition": definition,
                          "numerator": numerator, "denominator": denominator, "other": other})
        b = BALANCING_MEASURES[balancing_area]
        local.append({"area": balancing_area, "family": "balancing", "name": b[0], "definition": b[1],
                      "numerator": b[2], "denominator": b[3], "other": b[3]})
        for k, m in enumerate(local, start=1):
            m["id"] = f"L{k}"
        if self.rename_measure:  # the same name as in other trusts, another denominator (DK808)
            m = local[0]
            m["denominator"], m["definition"] = m["other"], m["definition"].rstrip(".") + ", counted against " + m["other"][0].lower() + m["other"][1:] + "."

        title = f"Safer maternity care at {self.town}"
        lines = [
            "# Generated by benchmarks/programme_scale.py: an invented trust in the national programme.",
            "",
            "driverkit: 1",
            f"title: {q(title)}",
            f"description: {q(f'{self.town} Hospitals NHS Trust works on {len(areas)} of the five clinical aims of the national programme.')}",
            "",
            "serves: [" + ", ".join(f"../national.yaml#{a}" for a in areas) + "]",
            "",
            "team:",
            "  - name: Consultant midwife", "    role: clinical lead",
            "  - name: Quality improvement facilitator", "    role: improvement advisor",
            "  - name: Maternity data analyst", "    role: measurement lead",
            "",
            "dates:", f"  start: {self.start}", "  end: 2020-12",
            "",
        ]
        lines += self.aim(shared, local[-1]["id"])
        lines += ["", "drivers:"]

        used_themes: set[tuple[str, int]] = set()
        used_texts: set[str] = set()
        used_primary: set[str] = set()
        settings = self.settings()
        pending = {area: [m["id"] for m in local if m["family"] == "process" and m["area"] == area] for area in areas}
        s_index = 0
        for p, area in enumerate(areas, start=1):
            national = rng.choice(NATIONAL_SECONDARY[area])
            primary = rng.choice([t for t in PRIMARY_TEXTS[national] if t not in used_primary])
            used_primary.add(primary)
            serves = area if rng.random() < 0.15 else national
            lines += [f"  - id: P{p}", f"    text: {q(primary)}", f"    serves: [../national.yaml#{serves}]", "    drivers:"]
            secondary_texts = rng.sample(SECONDARY_TEXTS[area], per_primary[p - 1])
            for s, stext in enumerate(secondary_texts, start=1):
                lines += [f"      - id: S{p}.{s}", f"        text: {q(stext)}"]
                # Spread the area's process measures over its secondary drivers, none left over.
                take = math.ceil(len(pending[area]) / (len(secondary_texts) - s + 1)) if pending[area] else 0
                if take:
                    lines.append("        measures: [" + ", ".join(pending[area][:take]) + "]")
                    del pending[area][:take]
                lines.append("        changes:")
                for c in range(1, per_secondary[s_index] + 1):
                    text = self.change_text(area, used_themes, used_texts, settings)
                    lines += self.change(f"C{p}.{s}.{c}", text)
                s_index += 1
        leftover = [m for ids in pending.values() for m in ids]
        if leftover:
            raise RuntimeError(f"{self.slug}: unattached measures {leftover}")

        lines += ["", "measures:"]
        for m in shared:
            lines += self.shared_measure(m)
        for m in local:
            lines += self.local_measure(m)
        lines += ["", f"tags: [maternity, generated, wave-start-{self.start}]", ""]
        return "\n".join(lines)

    def aim(self, shared: tuple[str, ...], balancing: str) -> list[str]:
        rng = self.rng
        parts = []
        if "M3" in shared:
            a = round(rng.uniform(11, 18), 1)
            parts.append(f"smoking at the time of delivery among women giving birth at {self.town} from {a}% (2018) to {round(a * 0.75, 1)}%")
        if "M7" in shared:
            a = rng.randint(20, 32)
            parts.append(f"the proportion of babies born before 37 weeks admitted to the neonatal unit with a first temperature "
                         f"below 36.5 C from {a}% (2018) to {round(a / 2)}%")
        statement = "By 31 December 2020, reduce " + " and reduce ".join(parts) + "."
        return ["aim:", f"  statement: {q(statement)}", "  measures: [" + ", ".join(shared + (balancing,)) + "]"]

    def change_text(self, area: str, used_themes: set[tuple[str, int]], used_texts: set[str], settings: list[str]) -> str:
        rng = self.rng
        if rng.random() < THEME_SHARE:
            free = [k for k in range(len(THEMES[area])) if (area, k) not in used_themes]
            if free:
                k = rng.choice(free)
                used_themes.add((area, k))
                text = rng.choice(THEMES[area][k])
                used_texts.add(text.lower())
                return text
        while True:
            group = f" {rng.choice(GROUPS)}" if rng.random() < 0.5 else ""
            text = (f"{rng.choice(ACTIONS)} {rng.choice(OBJECTS[area])}{group} {rng.choice(WHO)}, {rng.choice(settings)},"
                    f" with the {rng.choice(self.tools)}")
            if text.lower() not in used_texts:
                used_texts.add(text.lower())
                return text

    def change(self, cid: str, text: str) -> list[str]:
        rng = self.rng
        status = rng.choices(STATUSES, weights=STATUS_WEIGHTS)[0]
        lines = [f"          - id: {cid}", f"            text: {q(text)}"]
        if status != "idea":
            lines.append(f"            status: {status}")
        if status == "testing":
            lines.append("            owner: Quality improvement facilitator")
        if status == "adopted":
            year, month = map(int, self.start.split("-"))
            span = (2020 - year) * 12 + 6 - month  # adopted between the trust's start and 2020-06
            lines.append(f"            introduced: {month_add(year, month, rng.randint(2, max(2, span)))}")
        return lines

    def shared_measure(self, mid: str) -> list[str]:
        file = f"data/{self.slug}-{mid}.csv"
        self.data[file] = self.series(mid)
        lines = [f"  - use: ../national.yaml#{mid}", "    family: outcome"]
        if mid == "M3" and self.redefine_m3:  # bookings as the denominator: not comparable (DK805)
            lines.append("    denominator: Women booked for antenatal care in the month")
        lines += [f"    data_file: ../{file}", "    chart:", "      type: p"]
        return lines

    def local_measure(self, m: dict[str, Any]) -> list[str]:
        lines = [f"  - id: {m['id']}", f"    name: {q(m['name'])}", f"    family: {m['family']}",
                 f"    definition: {q(m['definition'])}", f"    numerator: {q(m['numerator'])}",
                 f"    denominator: {q(m['denominator'])}", '    unit: "%"',
                 "    source: Maternity information system", "    collection: Monthly report by the maternity data analyst",
                 "    frequency: monthly", "    owner: Maternity data analyst"]
        if m["family"] == "process":
            lines += ["    goal: 90", "    better: higher"]
        else:
            lines += ["    better: lower"]
        return lines

    def series(self, mid: str) -> str:
        """24 months of numerators and denominators, drawn with a normal approximation of the binomial."""
        rng = self.rng
        # Trusts start alike and most improve; a few do not (the outliers of a funnel plot).
        if mid == "M3":
            size, start = rng.randint(150, 420), rng.gauss(0.145, 0.006)
            end = start if rng.random() < 0.05 else start * rng.uniform(0.75, 0.85)
        else:
            size, start = rng.randint(6, 20), rng.uniform(0.22, 0.28)
            end = start if rng.random() < 0.05 else rng.uniform(0.11, 0.13)
        rows = ["period,numerator,denominator"]
        for i, period in enumerate(DATA_MONTHS):
            p = start + (end - start) * min(1.0, max(0.0, (i - 6) / 10))
            d = max(1, round(rng.gauss(size, math.sqrt(size))))
            n = min(d, max(0, round(rng.gauss(d * p, math.sqrt(d * p * (1 - p))))))
            rows.append(f"{period},{n},{d}")
        return "\n".join(rows) + "\n"


def write_programme(folder: Path, members: int, seed: int = 1) -> Path:
    """Write a generated programme of `members` trusts into `folder` and return its national.yaml.

    The folder gets an empty `.git` so that every file lies inside one project boundary."""
    if members < 1:
        raise ValueError("members must be at least 1")
    folder = Path(folder)
    (folder / ".git").mkdir(parents=True, exist_ok=True)
    (folder / "trusts").mkdir(exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    rng = random.Random(seed)
    waves = max(1, round(members / WAVE_SIZE))
    starts = wave_starts(waves)
    few = max(2, members // 35)
    redefine = set(rng.sample(range(members), min(members, few)))
    rename = set(rng.sample(range(members), min(members, few)))
    listed: list[tuple[str, int]] = []
    for i in range(members):
        wave = i * waves // members + 1
        trust = _Trust(random.Random(f"{seed}-{i}"), i + 1, starts[wave - 1], i in redefine, i in rename)
        name = f"trusts/{trust.slug}.yaml"
        (folder / name).write_text(trust.text(), encoding="utf-8")
        for file, text in trust.data.items():
            (folder / file).write_text(text, encoding="utf-8")
        listed.append((name, wave))
    path = folder / "national.yaml"
    path.write_text(national_text(listed, starts), encoding="utf-8")
    return path


# --- measuring ---------------------------------------------------------------------------------

# The child: what `driverkit programme FILE` computes, without the report, with timings.
CHILD = r"""
import gc, json, sys, time
gc.disable()  # as the command line does for the life of a command
t0 = time.perf_counter()
from driverkit.programme.analysis import load_programme
t1 = time.perf_counter()
programme = load_programme(sys.argv[1], review_from=float(sys.argv[2]) if len(sys.argv) > 2 else None)
t2 = time.perf_counter()
counts = {}
for d in programme.diagnostics:
    counts[d.severity.value] = counts.get(d.severity.value, 0) + 1
codes = {}
for d in programme.diagnostics:
    if d.severity.value != "info":
        codes[d.code] = codes.get(d.code, 0) + 1
changes = [c for c in programme.clusters if c.kind == "change"]
print(json.dumps({
    "import": t1 - t0, "load": t2 - t1, "members": len(programme.members),
    "loaded": sum(1 for m in programme.members if m.loaded), "errors": programme.errors,
    "elements": sum(len(m.project.elements()) for m in programme.members if m.project is not None),
    "counts": counts, "codes": codes, "clusters": len(programme.clusters), "change_clusters": len(changes),
    "largest": max((len(c.items) for c in changes), default=0), "labels": [c.label for c in changes],
    "spread_rows": len(programme.spread), "not_yet": sum(len(r.not_yet) for r in programme.spread),
    "comparisons": len(programme.comparisons), "near": len(programme.near),
    "uncovered": [c.driver for c in programme.links.uncovered],
}))
# As `driverkit programme` does: the process ends without freeing the programme object by object.
sys.stdout.flush()
import os
os._exit(0)
"""
IMPORT_CHILD = "import driverkit.programme.analysis"

ENV: dict[str, str] = dict(os.environ)


def run_child(args: list[str], timeout: float) -> dict[str, Any]:
    """One fresh child: its wall time, CPU time and peak RSS (this child only, via wait4), and its JSON."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=ENV, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    result: dict[str, Any] = {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kib": usage.ru_maxrss,
                              "exit": proc.returncode}
    if proc.returncode < 0:
        result["error"] = f"killed after {timeout:.0f} s (timeout)" if wall >= timeout else f"killed by signal {-proc.returncode}"
    elif proc.returncode != 0:
        result["error"] = (stderr or stdout).strip()[-800:] or f"exit code {proc.returncode}"
    elif stdout.strip():
        try:
            result.update(json.loads(stdout.strip().splitlines()[-1]))
        except ValueError:
            result["error"] = stdout.strip()[-800:]
    return result


def check_one(folder: Path) -> tuple[int, str]:
    """`driverkit check` on the first trust, as a person would run it: exit code and last line."""
    cli = Path(sys.executable).with_name("driverkit")
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "driverkit"]
    done = subprocess.run([*command, "check", str(folder / "trusts" / "trust-0001.yaml")], cwd=ROOT, env=ENV,
                          capture_output=True, text=True)
    lines = (done.stdout + done.stderr).strip().splitlines()
    return done.returncode, lines[-1] if lines else ""


def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.0f} ms"


def main(argv: Optional[list[str]] = None) -> int:
    with tempfile.TemporaryDirectory(prefix="driverkit-bench-pyc-") as pycache:
        ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        ENV["PYTHONPYCACHEPREFIX"] = pycache
        return _main(argv)


def _main(argv: Optional[list[str]]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, nargs="+", default=list(SIZES),
                        help="programme sizes in members (default: 136 500 2000)")
    parser.add_argument("--repeat", type=int, help="runs per size (default 3 for 136 members or fewer, 1 above)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a child is stopped (default 1800)")
    parser.add_argument("--review-from", type=float, metavar="SCORE",
                        help="also list the near matches from SCORE (load_programme's review_from), as --review-from does")
    parser.add_argument("--keep", metavar="DIR", help="keep the generated programmes in DIR/members-N")
    parser.add_argument("--write", metavar="DIR", help=argparse.SUPPRESS)  # generate one size into DIR and exit
    args = parser.parse_args(argv)
    sizes = sorted(set(args.members))
    if any(n < 1 for n in sizes) or (args.repeat is not None and args.repeat < 1):
        parser.error("--members and --repeat must be at least 1")
    if args.write:
        write_programme(Path(args.write), sizes[0], args.seed)
        return 0

    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="driverkit-programme-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print("== driverkit load_programme: scaling with the number of members")
    print(f"python:  {sys.executable} ({sys.version.split()[0]}); driverkit from {ROOT}")
    print(f"code:    {code_version()}")
    if args.review_from is not None:
        print(f"review:  near matches from {args.review_from:g} (load_programme(..., review_from={args.review_from:g}))")
    print(f"machine: {os.cpu_count()} cores; each run is a fresh child process; runs round-robin over the sizes")
    print()

    # Generated by separate processes: a child's ru_maxrss starts at its parent's peak, so this one stays small.
    files: dict[int, Path] = {}
    print(f"generated programmes (write_programme, seed {args.seed}, each in its own process):")
    for n in sizes:
        folder = workdir / f"members-{n}"
        if folder.exists():
            shutil.rmtree(folder)
        start = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--write", str(folder), "--members", str(n), "--seed", str(args.seed)],
                       check=True, env=ENV)
        elapsed = time.perf_counter() - start
        files[n] = folder / "national.yaml"
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        print(f"  {n:>6,} members  {sum(1 for _ in folder.rglob('*.yaml')):>6,} yaml  {sum(1 for _ in folder.rglob('*.csv')):>6,} csv"
              f"  {size / 1e6:>7.1f} MB   generated in {fmt_s(elapsed)}")
    code, last = check_one(workdir / f"members-{sizes[0]}")
    print(f"driverkit check trusts/trust-0001.yaml ({sizes[0]} members): exit {code}; {last}")
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"this parent's peak RSS: {floor / 1024:.1f} MiB (the floor of every child's peak RSS below)")
    print()

    warm = run_child(["-c", CHILD, str(files[sizes[0]])], args.timeout)  # untimed: fills the bytecode cache
    if "error" in warm:
        print(f"the warm-up child failed: {warm['error']}")
        return 1

    review = [] if args.review_from is None else [str(args.review_from)]
    planned = {n: args.repeat or (3 if n <= GOAL_MEMBERS else 1) for n in sizes}
    results: dict[int, list[dict[str, Any]]] = {n: [] for n in sizes}
    imports: list[dict[str, Any]] = []
    failed: dict[int, str] = {}
    for round_ in range(max(planned.values())):
        imports.append(run_child(["-c", IMPORT_CHILD], args.timeout))
        for n in sizes:
            if n in failed or len(results[n]) >= planned[n]:
                continue
            result = run_child(["-c", CHILD, str(files[n])] + review, args.timeout)
            if "error" in result:
                failed[n] = str(result["error"])
                continue
            results[n].append(result)
        if sys.stderr.isatty():
            print(f"  round {round_ + 1} of {max(planned.values())} done", file=sys.stderr, flush=True)

    good_imports = [r for r in imports if "error" not in r]
    if good_imports:
        print(f"import alone (python -c \"{IMPORT_CHILD}\", {len(good_imports)} runs): wall "
              f"{fmt_s(statistics.median(r['wall'] for r in good_imports))}, CPU "
              f"{fmt_s(statistics.median(r['cpu'] for r in good_imports))}, peak RSS "
              f"{statistics.median(r['maxrss_kib'] for r in good_imports) / 1024:.1f} MiB")
        print()

    med: dict[int, dict[str, float]] = {}
    for n in sizes:
        if results[n]:
            med[n] = {k: statistics.median(r[k] for r in results[n]) for k in ("wall", "cpu", "maxrss_kib", "import", "load")}
    base = min(med) if med else None

    print("load_programme, one fresh process per run (medians; wall and CPU are the whole child, start-up included)")
    print(f"  {'members':>7}  {'elements':>8}  {'runs':>4}  {'wall':>8}  {'CPU':>8}  {'import':>7}  {'load_programme':>14}"
          f"  {'per member':>10}  {'vs ' + str(base):>7}  {'peak RSS':>9}  {'RSS/member':>10}")
    for n in sizes:
        if n not in med:
            continue
        m, first = med[n], results[n][0]
        per = m["load"] / n
        ratio = f"{per / (med[base]['load'] / base):.2f}x" if base else "-"
        rss_per = f"{m['maxrss_kib'] / n:.0f} KiB"
        print(f"  {n:>7,}  {first['elements']:>8,}  {len(results[n]):>4}  {fmt_s(m['wall']):>8}  {fmt_s(m['cpu']):>8}"
              f"  {fmt_s(m['import']):>7}  {fmt_s(m['load']):>14}  {per * 1000:>7.1f} ms  {ratio:>7}"
              f"  {m['maxrss_kib'] / 1024:>5.0f} MiB  {rss_per:>10}")
    print()

    print("what the analysis found (first run of each size)")
    for n in sizes:
        if n not in med:
            continue
        r = results[n][0]
        counts = ", ".join(f"{v} {k}" for k, v in sorted(r["counts"].items())) or "none"
        codes = ", ".join(f"{c} x{v}" for c, v in sorted(r["codes"].items())) or "-"
        print(f"  {n:>6,} members: {r['loaded']} loaded, {r['errors']} errors; diagnostics {counts}; warnings {codes}")
        planted = sum(1 for label in r["labels"] if label in THEME_TEXTS)
        print(f"  {'':>6}          {r['change_clusters']} clusters of change ideas ({planted} of the planted changes,"
              f" {r['change_clusters'] - planted} look-alikes of generated texts; largest {r['largest']} items),"
              f" {r['clusters']} clusters in all; {r['spread_rows']:,} spread rows naming {r['not_yet']:,} members not yet"
              f" trying; {r['comparisons']} comparisons; uncovered {', '.join(r['uncovered']) or 'none'}"
              + (f"; {r['near']:,} near matches to review" if args.review_from is not None else ""))
    for n, why in failed.items():
        print(f"  {n:>6,} members: NOT MEASURED: {why}")
    print()

    if GOAL_MEMBERS in med:
        wall = med[GOAL_MEMBERS]["wall"]
        verdict = "meets" if wall < GOAL_SECONDS else "MISSES"
        print(f"goal: {GOAL_MEMBERS} members under {GOAL_SECONDS:.0f} s (cold process, imports included): "
              f"{fmt_s(wall)}, {verdict} it")
    if base is not None:
        verdicts = []
        for n in sizes:
            if n in med and n > base:
                rel = (med[n]["load"] / n) / (med[base]["load"] / base)
                verdicts.append(f"{rel:.2f}x at {n:,} (quadratic would be {n / base:.1f}x)")
        if verdicts:
            print(f"growth: load_programme time per member vs {base:,} members: " + "; ".join(verdicts))
    if errors := [n for n in sizes if n in med and results[n][0]["errors"]]:
        print(f"WARNING: the generated programme has errors at {', '.join(map(str, errors))} members")

    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""English words a slip away from a word of the field, never read as it ("injection" is not
"infection", "manager" not "managed"). Written by tools/plain_words.py: `make plain-words`."""

PLAIN_WORDS = frozenset("""
    admittedly advisory anesthetise anesthetised anesthetize aspiring autocratic badder badged
    banger became bleeping blending bonking booing booming booting boozing breadth breasted breathe
    breathy broach cabling calculated calculation calming calving carson carton centime chance
    changer charger charle checker chucked chucking clapping clasping clomping cloned closer closet
    clumping coarse coiling collective commended commented commerce communicator concession
    concoction confection conformed congestion connecting connection conniption consigning
    contention contextual contiguous continuing contract convection convention cooing cooking
    coordinate coordinated coordination correcting correction counsellor countering county daring
    darting decayed deceased defector deliverer deportment despondency deterred discontented
    dispelling dispenser disperse dispersed dispersing displeased displeasing dissenting duping
    emergence escalade excellency expectancy expedience expediency expressive factory farther
    farting fatter feeling fending feuding finder fingerprint fungal hangover hardest harnessing
    hating hazing headed header healed healer healthy heaped hearted hearth heather heaved heaver
    hester hurdle hyperextension hypodermic indication infarction inflection infliction infraction
    inhalation initialed initialise initialize initialled initiation injection injunction inspection
    instigated instigation instrument interpreted inventive investigator knotted launcher leaning
    lengthy lodger logger longed macroscopic manager material medial menial mooing moping mowing
    multiplex multiplied multiply novice optical optimism optimist ordination originator overhear
    overheard overheat overheated pearson persona picard planing planking planner planted planting
    possibly precious prediction preservation pressurise pressurize pretension productive projection
    proscribed prosecution protest provider qualify qualitative quantity quieter quieting quilting
    raided railed rained raiser ransom readying reaming reaping rearing receiver refreshed regard
    reheat rekindling relieve remainder remand remanding remove rending reparation repeal repent
    reporter rescinding rescuer resort resorted resorting respirator resuscitate retard retort
    retraction reviewer rewarm rewind rewinding roaming roiling roller rollin roofing rooting safely
    savage sawing saying screeching screener senhor sensory separatist shaded shamed shaped shaved
    sheared shipping shored shortchange significance slicing smokey specialise specialised
    specialism speciality specialize spiral stabilizer stared staring starling starred starring
    starter startled startling starved starving stated stating statue stepped stepping sterilisation
    sterilization stomped stomping stooped stooping stopper supple supplier supported tented tenting
    tester texted texting traced tracker traditional trailed trailing trainee trainer transactional
    transformed transformer transforming transition transnational transporter tricked trucked
    victual vouched waning warder warding waring warmed warner warping warring weighted weighting
    weighty worked worser
""".split())

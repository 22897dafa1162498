"""English words a slip away from a word of the field, never read as it ("injection" is not
"infection", "manager" not "managed"). Written by tools/plain_words.py: `make plain-words`."""

PLAIN_WORDS = frozenset("""
    advisory anesthetize aspiring autocratic badder badge badged banger became bleeping blending
    bonking booing booming booting boozing breach breadth breasted breathe breathy cabling
    calculated calculation calming calving carson carton centime chance changer charger charle
    checker chucked chucking clapping clasping clomping cloned closer closet clumping coarse coiling
    commended commented commerce communicator concession concoction confection conformed congestion
    connecting connection conniption consigning contention contextual contiguous continuing contract
    convection convention cooing cooking coordinate coordinated correcting correction counsellor
    countering county daring darting decayed deceased deign deliverer deportment deterred
    discontented dispelling dispenser disperse dispersed dispersing displeased displeasing
    dissenting duping emergence escalade excellency exiting expectancy expedience expediency factory
    farther farting fatter feeling fending feuding finder fingerprint fungal hangover hardest
    harnessing hating hazing headed header healed healer healthy heaped hearted hearth heather
    heaved heaver hester hurdle hypodermic indication infarction infectious inflection infliction
    infraction inhalation initialed initialize injection injunction inspection instigated
    instigation interpreted inventive investigator knotted launcher leaning lengthy lodger logger
    loner longed macroscopic manager material medial menial metal mooing moping morality mowing
    multiplex multiplied multiply novice optical optimism optimist ordination originator overhear
    overheard overheat overheated pearson persona picard planing planking planner planted planting
    possibly precious prediction pressurize pretension prioritizing projection proscribed
    prosecution protest provider qualify qualitative quantity quieter quieting quilting raided
    railed rained raiser ransom readying reaming reaping rearing receiver refreshed regard reheat
    rekindling relieve remainder remand remanding remove rending reparation repeal repent reporter
    rescinding rescuer resort resorted resorting respirator resuscitate retard retina retort
    retraction reviewer rewind rewinding roaming roiling roller rollin roofing rooting safely savage
    sawing saying screeching screener senhor sensory separatist shaded shamed shaped shaved sheared
    shipping shored shortchange shred significance slicing smokey specialize spiral stabilizer
    stared staring starling starred starring starter startled startling starved starving stated
    stating statue stepped stepping sterilization stomped stomping stooped stooping stopper supple
    supplier tented tenting tester traced tracker traditional trailed trailing trainee trainer
    transactional transformed transformer transforming transnational transporter tricked trucked
    vagina victual vouched waning warder warding waring warmed warner warping warring weighted
    weighty worked worser
""".split())

"""Word lists and patterns of source extraction (``attribute``): reporting cues, the words that
type a source (titles, outlets, organisations, unnamed groups) and the grammar words the subject
search skips or stops at. Kept apart so the lists can grow without burying the rules."""
from __future__ import annotations

import re


def _phrases(pattern: str, flags: int = 0) -> re.Pattern:
    """Compile a pattern of word lists whose multi-word entries match any whitespace between
    their words: news text often has non-breaking spaces ("issued a\xa0statement")."""
    return re.compile(pattern.replace(" ", r"\s+"), flags)

CUE_WORDS = """
said says say saying told tells telling added adds stated announced announces wrote writes
tweeted tweets argued argues claimed claims explained explains noted notes insisted insists warned
warns asserted asserts declared declares reported reports acknowledged acknowledges suggested
suggests contended contends replied replies responded responds remarked testified confirmed
confirms denied denies admitted admits predicted predicts recalled recalls complained complains
emphasized stressed countered charged conceded boasted vowed promised urged urges believes believe
believed thinks think thought feels felt hopes hoped fears feared expects expected estimated
argued wondered concluded observed posted mentioned disclosed revealed alleged alleges
described describes accused accuses criticized criticizes urged praised praises endorsed
cited citing pledged dismissed blamed blame blames rejected indicated answered
hailed hails heralded welcomed welcomes lamented laments
blasted blasts slammed slams questioned echoed echoes quipped proclaimed proclaims
assured assures reassured reassures reminded reminds implied implies intimated bragged brags
criticised dismisses demanded demands voiced likened likens dubbed dubs pledges pledging
arguing insisting adding noting warning claiming vowing stressing explaining
conceding boasting complaining remarking repeating charging promising
maintained maintains lashed ridiculed mocked touted touts defended defends agreed agrees
disputed disputes acknowledging announcing
boasts concedes concludes discloses emphasizes endorses indicates mocks quips rejects reveals
argue wonder ridicules stresses testifies vows wonders answers criticises cites observes mentions
emailed beamed promises proposes joked jokes mused muses contrasted reiterated reiterates
extols extolled suggest warn commented shouted chanted positing
speculated speculates clarified clarifies hinted concurred
cite contend insist predict acknowledge concede allege assert complain caution
"""
# Cues that also report an action when an object follows ("Bush endorsed Cruz", "Carson responded
# on Sunday to accusations"): a frame only before a content clause, a colon or a quotation
ACTION_CUES = set("""endorsed endorses praised praises criticized criticizes criticised criticises
responded responds explained explains defended defends rejected rejects mocked mocks ridiculed
ridicules blamed blames touted touts extolled extols maintained maintains contrasted contrasts
declared declares""".split())
DAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
ACTION_OBJECT = re.compile(r"\s+(?:(?:also|again|publicly|quickly|(?:on\s+)?" + DAY + r")\s+)*"
                           r"(?:to|on|with|at|for|the|his|her|their|its|a|an|(?!" + DAY +
                           r")[A-Z][\w’'\-]*)\b")
# cue words that name no saying here: "20 pledged delegates", "adding to her lead"
NOT_REPORTING = re.compile(r"(?:pledged|announced|declared)\s+(?:delegates?|candidac|candidates?)|"
                           r"add(?:s|ed|ing)\s+to\s+(?!(?:reporters|that)\b)[a-z]")  # not "added to People"
# writing verbs report an action when a thing written follows ("tweeted an image", "wrote a letter")
WRITE_CUES = set("wrote writes tweeted tweets posted posts".split())
WRITE_OBJECT = re.compile(r"\s+(?:" + DAY + r"\s+)?(?:the|an?|his|her|their|its|about)\b")
# a one-word "subject" that names no one: "Wednesday added one more", "Don’t believe them"
NO_SPEAKER = re.compile(DAY + r"|(?:To|Yester)day|[A-Z][a-z]*[’']t")
# kicker words that open headlines and name no one ("LOOK: Shocking photos ...", "Revealed: ...")
HEADLINE_TAG = re.compile(r"(?:look|watch|revealed|breaking|exclusive|update|video|photos|analysis|"
                          r"opinion|editorial|live|just in|pics?|wow|watch live)", re.I)
# an opening quotation mark, single ones included ("slams Trump as 'a work horse'")
QUOTE_OPEN = re.compile(r"''|[“”\"‘]|(?<!\w)'")
# Verbs that report a finding when their subject is a document, study or poll ("the survey
# found") or, for FINDINGS, a content clause follows, but an action otherwise
# ("police found the car").
EVIDENTIAL = set("""found finds showed shows show reveal reveals determined determines""".split())
# those that a body reports with ("the Justice Department found that", "a judge determined that");
# "Video shows that ..." names no speaker
FINDINGS = set("""found finds determined determines""".split())
CUE_RE = _phrases(
    r"(?<!-)\b(?:[Aa]ccording to|point(?:s|ed) out|pointed to|made it clear|shot back|"
    r"continue[sd]?(?=[,:]|\s+that\b)|"  # "Prager continues, “...", not "continues to grow"
    r"(?:went|goes|go) on to (?:say|call|criticize|list|argue|describe|note|praise|attack|slam)|"
    r"compared(?!\s+(?:with|to)\b)|"
    r"(?:repeated|forecast|note|estimate)(?=\s+that\b)|"  # not "despite repeated warnings", "a forecast of"
    r"in a statement|(?:released|issued) a statement|told reporters|"
    # "the report states that", not "coastal states that have moved"
    r"states(?=\s+that\b(?!\s+(?:have|has|had|will|would|are|were|is|was|could|can|may|might|do|"
    r"did|vote|voted|hold|held|went|go|allow|require)\b)|:)|"
    r"[a-z]+(?:ed|s|ing)(?=:\s*[“\"‘])|"  # any verb that introduces a quotation: "Trump boomed: “...”"
    r"(?:takes|took|taking) (?:aim at|issue with)|rail(?:s|ed) against|fired back|weighed in|"
    r"play(?:s|ed) down|(?<!-)call(?:s|ed|ing)?(?=\s[^.;“”\"]{1,60}(?:[“\"‘]|''))|call(?:s|ed) (?:for|on|upon)|"
    r"(?:(?<=\bis\s)|(?<=\bare\s))calling (?:for|on|upon)|"  # not "a petition calling on"
    + "|".join(sorted(set(CUE_WORDS.split()) | EVIDENTIAL, key=len, reverse=True)) + r")\b")
# headlines in title case spell their cue with a capital ("Trump Says ..."); other capitalised
# verbs there mostly report actions ("Clinton Slams Trump")
CUE_RE_TITLE = re.compile(r"\b(?:Says|Say|Tells)\b|" + CUE_RE.pattern)
PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:(?:\w+ly|also|not|being)\s+)?$", re.I)
PARTICIPLES = {w for w in CUE_WORDS.split() if w.endswith("ed")} | {"told", "thought", "felt", "found"}
PREPOSITIONS = set("in on at of for with by from between about into among amid over under to".split())
AUXILIARIES = set("also later then has had have was is were are did does do will would previously "
                  "repeatedly recently still already "
                  "once never further again reportedly allegedly publicly privately earlier first "
                  "had been has been".split())
BOUNDARIES = set("that and but or while when as because which who whom whose where if though "
                "although since after before than so nor whether to not also".split())
PRONOUNS = {"he": "sg", "she": "sg", "they": "pl", "i": "self", "we": "self", "it": "it",
            "him": "sg", "her": "sg"}

OFFICIAL_TITLES = _phrases(
    r"\b(?:president|pres(?=\.)|vice president|public advocate|sen\.?|senator|senators|rep\.?|"
    r"representative|representatives|"
    r"congressman|congresswoman|lawmakers?|legislators?|gov\.?|governor|mayor|secretary|minister|"
    r"ministry|prime minister|chancellor|ambassador|spokes(?:man|woman|person)|press secretary|"
    r"officials?|official|police|sheriff|chief|commissioner|prosecutors?|attorney general|"
    r"judge|(?-i:Justice)(?=\s+[A-Z])|justice department|court|department|agency|administration|"
    r"government|white house|pentagon|state department|fbi|cia|nsa|irs|dhs|epa|fda|cdc|fec|"
    r"congress|senate|house speaker|speaker of|(?-i:Speaker)|"
    r"military|army|navy|authorities|authority|u\.n\.|united nations|nato|european commission|"
    r"election board|election commission|federal reserve|central bank|census bureau|bureau|"
    r"kremlin|parliament|cabinet|council|regulators?|treasury|inspector general|aide to|"
    r"clerk|board|commission|auditor|inspectors?|troopers?|officers?|coroner|district attorney|"
    r"attorneys general|ministers|governors|mayors|embassy|consulate|legislature|assembly|"
    r"coroner's office|[a-z]\w+ office|(?:majority|minority) (?:leader|whip)|undersecretary|"
    r"u\.s\. attorney|national security advis[eo]r|del(?=\.\s)|(?-i:AG)|"
    # an official body's report is official: "a congressional report", "the IG report"
    r"congressional(?=\s+(?:report|review|investigat|inquiry|panel|committee|probe))|(?-i:IG)|"
    # a serving officer speaks for the military: "Rear Admiral Guan Youfei", "Gen. Joseph Dunford"
    r"(?-i:(?:Rear |Vice )?Admiral|Adm|Gen|General(?! (?:Motors|Electric|Mills|Dynamics))|Col|"
    r"Colonel|Lt|Maj)(?=\.?\s+[A-Z]))\b",  # "budget office", "Foreign Office"
    re.I)
NOT_OFFICIAL = re.compile(r"\b(?:former|ex-|served as|candidate|candidates|nominee|hopeful|"
                          r"front-?runner|challenger|campaign|presumptive|contender|would-be|retired|"
                          r"professor|chief executive)\b", re.I)
MEDIA = _phrases(
    r"\b(?:reuters|associated press|ap|afp|cnn|msnbc|fox news|fox|nbc|cbs|abc|npr|pbs|bbc|"
    r"new york times|times|washington post|post|wall street journal|journal|politico|breitbart|"
    r"huffington post|huffpost|usa today|bloomberg|axios|the hill|guardian|newsweek|time magazine|"
    r"report|reports|study|studies|poll|polls|survey|book|memo|document|documents|article|"
    r"newspaper|magazine|website|network|analysis|editorial|documentary|blog|tabloid|"
    r"interview|show|broadcast|filing|records|data|"
    # outlets by the words their names end in, and pollsters
    r"(?:[A-Z]\w+\s+)+(?-i:News|Times|Herald|Tribune|Register|Sentinel|Observer|Gazette|Chronicle|"
    r"Beacon|Caller|Examiner|Globe|Inquirer|Dispatch|Monitor|Courier|Telegraph|Review|Journalism)"
    r"(?!\s+(?!Service|Network|Magazine|Sunday)[A-Z]\w)|"  # not "the News Guild"
    r"(?-i:The Atlantic|The ?Blaze|Variety|Gallup|Rasmussen|Quinnipiac|Marist|Ipsos|YouGov|Pew|"
    r"Politi[Ff]act|BuzzFeed|"
    r"RealClearPolitics|Real Clear Politics)|"
    r"paper|lawsuit|tally|tracker|plea agreement|press release|outlets)\b", re.I)
# a poll in a sentence of figures: "in the new Gallup poll", "Wednesday's Quinnipiac poll has"
POLL = re.compile(
    r"\b(?:[Ii]n|[Bb]y)\s+(?:an?|the)\s+((?:[\w’'\-/.]+\s+){0,7}?(?:[Pp]oll|[Ss]urvey|tally|"
    r"average))\b|"
    r"^(?:[Tt]he\s+)?((?:[\w’'\-/.]+\s+){0,5}?(?:[Pp]oll|[Ss]urvey))\s+(?:has|gives)\s(?!an?\s+margin)")
FIGURES = re.compile(r"\d\s?(?:%|percent|points?)|\d+-\d+|\bpercent|points?\b")
# staff who speak for a campaign, company or union (the guidelines type them organization): a
# campaign role, or a role after the name it serves ("Sanders' senior media adviser", "Trump
# senior communications adviser", "United Steelworkers Political Director")
STAFF = _phrases(
    r"\b(?i:campaign (?:manager|chair(?:man|woman)?|spokes(?:man|woman|person)|aide|adviser|advisor|"
    r"director))\b|\b(?P<owner>[A-Z][\w\-]+)(?:['’]s?)? (?i:(?:senior |chief |top |deputy )?"
    r"(?:(?:[a-z]+ ){0,2}(?:advisers?|advisors?|aides?|strategists?|spokes(?:man|woman|person))|"
    r"(?:communications?|political|press|digital) director))\b|"
    # a role in a body's service: "legal director for the gay rights group" (its head, the
    # director or executive director, speaks as a person, like its president)
    r"\b(?:(?!executive )[a-z]+ director|(?i:(?:[a-z]+ )?(?:spokes(?:man|woman|person)|aide|adviser))) "
    r"(?:for|of|at|with) "
    r"(?:the |an? )?(?:[\w\-’']+ ){0,4}(?i:group|organization|campaign|union|coalition|association|"
    r"company|firm)\b")
# the head of a non-official body is a person ("CWA President Chris Shelton", "Judicial Watch
# president Tom Fitton", "president of the Union for Reform Judaism"), not an officeholder
ORG_LEADER = re.compile(
    r"(?:\b(?!U\.S\.)[A-Z]{2,}|\b[A-Z][a-z]+ (?:Watch|Coalition|Union|Foundation|Institute|Group|"
    r"Association|Council|Center|Committee|Fund|Alliance|League|Society|Network|Project|Action|"
    r"Parenthood)) (?:[Pp]resident|[Cc]hair(?:man|woman)?|CEO)\b|"
    r"\b[Pp]resident of (?:the )?(?:[A-Z][\w\-’']* )*(?:Union|Foundation|Institute|Group|Association|"
    r"Coalition|Center|Society|League|Alliance|Fund|Women|Council|Republicans|Democrats|Club)\b")
# words that make such a role a public one ("White House press secretary")
PUBLIC_BODY = re.compile(r"\b(?:white house|department|national security|administration|"
                         r"government|ministry|agency|pentagon)\b", re.I)
ORGANIZATION = _phrases(
    r"\b(?:inc\.?|corp\.?|company|co\.|llc|campaign|committee|rnc|dnc|party|union|foundation|"
    r"institute|group|association|coalition|center|centre|pac|super pac|organization|"
    r"organisation|society|league|alliance|federation|university|college|club|firm|bank|"
    r"network of|movement|caucus|chamber of commerce|church|council on|(?-i:Watch)|executives|"
    r"(?-i:Workers)|(?-i:Convention))\b", re.I)
ANONYMOUS = _phrases(
    r"^(?:an?|some|many|several|other|others|the|one|two|three|most|few|these|those)?\s*"
    r"(?:\w+\s+){0,3}?(?:sources?|witnesses|critics|experts|analysts|observers|people|"
    r"supporters|opponents|residents|voters|insiders|aides|advisers|advisors|democrats|"
    r"republicans|conservatives|liberals|activists|some|others|many|officials familiar|"
    r"person familiar|someone|observers|strategists|members|fans|protesters|scholars|historians|"
    r"analyst|users?|commenters?|readers?|tweets?|organizers?|employees?|another)\b",
    re.I)

# grammar of subject phrases (used by attribute)
# a cue whose subject follows one of these is in a subordinate clause ("after he said them");
# "while" and "though" often open a concession that is the claim's own frame
SUBORDINATORS = {"after", "when", "before", "since", "because", "if"}
SHARE = re.compile(r"^(?:\S+\s+)?(?:percent|%)|\d\s?(?:%|percent)\b|\b(?:in|of) (?:10|ten)\b|"
                   r"^(?:a|one|two) (?:third|quarter|half|majority)\b", re.I)
CONTRACTION = re.compile(r"(?:[A-Z][a-z]*)[’'](?:s|t|re|ll|d|ve)\b")  # "She’s", "That’s", "Don’t"
LEADING_CUE = re.compile(  # 'Said Comey, "..."'
    r"(Said|Says|Added|Wrote|Tweeted)\s+((?:[Tt]he\s+)?[A-Z][^,:“”\"]{0,60}?)(?=[,:])")
DOCUMENT = re.compile(r"\b(?:poll|survey|report|study|tally|tracker|analysis|book|article|memo)\b",
                      re.I)
DETERMINERS = {"the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "those", "these",
               "this", "such", "more", "any", "no", "many", "several", "further", "new"}
CONJ_CAP = {"But", "And", "Yet", "So", "Meanwhile", "Still", "However", "Then", "Also", "Now"}
# Subjects that are never a claim's source: the writer ("I", "we" outside quotes), expletives.
NOT_SUBJECT = {"it", "this", "that", "there", "i", "we", "you", "which", "what", "who", "a", "an",
               "the", "now", "yet", "of"}
# past tenses a sentence's main verb often has: "Mitt Romney ran on ... and accused Obama of"
IRREGULAR_PAST = (r"(?:did|does|do|has|had|was|is|will|would)(?:\s+not)?\s+[a-z]+|ran|went|made|"
                  r"gave|took|spoke|got|came|met|sent|left|put|kept|held|brought|saw|won|lost|"
                  r"began|stood|sat|drew|threw|broke|led|paid")
REPORTED_BY = re.compile(r"\s+by(?=\s+(?:the\s+)?[A-Z])")  # "As reported by X": X is the source
INTRODUCES = re.compile(r"(?:\s+[^\s“”\"]+){0,6}\s*:\s*")  # "... wrote:" ending a claim
# a claim ending in a participle frame and a colon: "..., observing of Trump:"
ENDS_INTRODUCING = re.compile(r"\b(?:observing|writing|saying|adding|noting)\b[^.:“”\"]{0,40}:$")

"""The rules: each finds one kind of proposal in an item's text and names itself in `rule`.

Explicit labels come first ("Decision:", "ACTION:", "AI(jdoe):", "RESOLUTION:"), then the section an
item sits in ("## Action items", "Decisions:"), then what a sentence says ("Alice to send …", "We
agreed to …", "blocked on …", "the customer asked …", "Bo is against …"). A sentence gives at most
one proposal of each kind; owners and due dates are taken only when the text says them plainly.
"""

from __future__ import annotations

import datetime as dt
import re

from intake.extract import dates
from intake.extract.model import Proposal, Workstream
from intake.extract.people import Resolver, fold
from intake.extract.structure import Item, clean_inline

_ABBREVIATIONS = r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bno)(?<!\bapprox)(?<!\b[A-Z])"
SENTENCE_SPLIT = re.compile(_ABBREVIATIONS + r"(?<=[.!?;])\s+(?=[A-Z@\"“(\[])")

LABEL = re.compile(
    r"^\W{0,3}(?P<label>"
    r"decisions?(?: made| taken| reached)?|decided|resolution|resolved|agreed|agreement|consensus(?: reached)?|conclusion|outcome|verdict|"
    r"decision needed|decision required|decision pending|needs? (?:a )?decision|open question|to decide|tbd|undecided|"
    r"action(?: items?)?|actions|ai|ap|todo|to-?do|follow[- ]?up|next steps?|task|"
    r"blockers?|blocked|escalation|escalate|"
    r"customer(?: feedback| signal| ask| quote| says)?|signal|voc|"
    r"status|update"
    r")(?:\s*\((?P<who>[^)]{1,60})\))?\s*(?:\*\*|__)?\s*(?::|–|—|-\s)\s*(?:\*\*|__)?\s*(?P<rest>.+)$",
    re.I,
)
BRACKET_LABEL = re.compile(
    r"^\s*\[(?P<label>decision|action|ai|todo|blocker|resolution|agreed|question)\]\s*(?P<rest>.+)$", re.I
)
PROPOSED = re.compile(
    r"^\W*(proposed(?: resolution)?|proposal|straw ?poll|poll|suggestion|idea|option)\b\s*[:\-–—]", re.I
)

LABEL_KIND = [
    (
        re.compile(
            r"decision needed|decision required|decision pending|needs? (a )?decision|open question|to decide|tbd|undecided",
            re.I,
        ),
        "decision_needed",
    ),
    (
        re.compile(
            r"decisions?|decided|resolution|resolved|agreed|agreement|consensus|conclusion|outcome|verdict",
            re.I,
        ),
        "decision",
    ),
    (re.compile(r"action|ai|ap|todo|to-?do|follow|next step|task", re.I), "action"),
    (re.compile(r"block|escalat", re.I), "blocker"),
    (re.compile(r"customer|signal|voc", re.I), "signal"),
    (re.compile(r"status|update", re.I), "update"),
]

STOP_NAMES = {
    "we",
    "they",
    "it",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "need",
    "needs",
    "plan",
    "plans",
    "going",
    "try",
    "remember",
    "make",
    "please",
    "let",
    "lets",
    "let's",
    "everyone",
    "everybody",
    "someone",
    "somebody",
    "anyone",
    "anybody",
    "nobody",
    "no one",
    "all",
    "group",
    "decision",
    "action",
    "agreed",
    "decided",
    "next",
    "also",
    "and",
    "but",
    "so",
    "then",
    "still",
    "currently",
    "now",
    "today",
    "tomorrow",
    "who",
    "what",
    "when",
    "where",
    "why",
    "how",
    "discussion",
    "discussed",
    "question",
    "goal",
    "review",
    "update",
    "status",
    "note",
    "notes",
    "proposal",
    "proposed",
    "consensus",
    "outcome",
    "follow",
    "continue",
    "work",
    "ask",
    "owner",
    "nothing",
    "needed",
    "want",
    "wants",
    "time",
    "seems",
    "hard",
    "easy",
    "good",
    "best",
    "better",
    "important",
    "happy",
    "glad",
    "first",
    "second",
    "finally",
    "maybe",
    "perhaps",
    "probably",
    "likely",
    "ok",
    "okay",
    "yes",
    "no",
    "sure",
    "thanks",
    "thank",
    "hi",
    "hello",
    "unclear",
    "tbd",
    "n/a",
    "feedback",
    "customer",
    "customers",
    "users",
    "user",
    "release",
    "meeting",
    "agenda",
    "topic",
    "pr",
    "prs",
    "issue",
    "issues",
    "docs",
    "ci",
    "tests",
    "api",
    "folks",
    "people",
    "you",
    "he",
    "she",
    "i",
    "one",
    "each",
    "both",
    "either",
    "neither",
    "some",
    "many",
    "most",
    "few",
    "more",
    "less",
    "if",
    "once",
    "after",
    "before",
    "while",
    "since",
    "until",
    "unless",
    "though",
    "although",
    "because",
    "as",
    "at",
    "in",
    "on",
    "for",
    "with",
    "about",
    "to",
    "from",
    "by",
    "of",
    "the",
    "a",
    "an",
    "our",
    "my",
    "your",
    "their",
    "his",
    "her",
    "its",
    "plan b",
    "step",
    "steps",
    "idea",
    "option",
    "options",
    "context",
    "background",
    "summary",
    "result",
    "results",
    "risk",
    "risks",
    "asks",
    "request",
    "requests",
    "priority",
    "blocked",
    "blocker",
    "waiting",
    "timeline",
    "deadline",
    "target",
    "scope",
    "budget",
    "process",
    "motion",
    "vote",
    "voting",
    "quorum",
    "minutes",
    "would",
    "could",
    "should",
    "might",
    "must",
    "can",
    "will",
    "may",
    "shall",
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "do",
    "does",
    "did",
    "none",
    "other",
    "others",
    "rest",
    "remaining",
    "alternatively",
    "otherwise",
    "additionally",
    "meanwhile",
    "overall",
    "generally",
    "ideally",
    "hopefully",
    "call",
    "roll",
    "adjourned",
    "adjournment",
    "unfortunately",
    "fortunately",
    "apparently",
    "obviously",
    "clearly",
    "basically",
    "actually",
    "really",
}
ROLE_OWNERS = {
    "chairs",
    "chair",
    "co-chairs",
    "editors",
    "editor",
    "secretary",
    "president",
    "treasurer",
    "board",
    "pmc",
    "sc",
    "tsc",
    "wg",
    "council",
    "steering council",
    "release manager",
    "release managers",
    "maintainers",
    "legal",
    "security",
    "finance",
    "marketing",
    "sales",
    "support",
    "design",
    "engineering",
    "infra",
    "ops",
}
UNCLEAR_OWNERS = {
    "someone",
    "somebody",
    "anyone",
    "volunteer",
    "volunteers",
    "tbd",
    "unassigned",
    "everyone",
    "all",
    "we",
    "team",
    "?",
    "n/a",
    "nobody",
}

_NAME = r"@[\w.\-]+|[A-Z][\w'’.\-]*(?:\s+(?:[A-Z][\w'’\-]*\.?|van|von|de|da|del|der|le|la)){0,3}|[a-z][\w.\-]{1,30}"
_OWNERS = rf"(?P<owner>(?:{_NAME})(?:\s*(?:,|&|and|/)\s*(?:{_NAME}))*)"
ACTION_VERBS = (
    r"to|will|shall|'ll|’ll|is going to|are going to|agreed to|agree to|volunteered to|volunteers to|offered to|offers to|"
    r"promised to|committed to|commits to|has (?:the|an) action to|took (?:the|an) action to|takes (?:the|an) action to|"
    r"will take (?:the|an) action to|is on the hook to|needs to|is to|are to|can take|to take|will take|takes"
)
OWNER_ACTION = re.compile(rf"^{_OWNERS}\s+(?P<verb>{ACTION_VERBS})\s+(?P<what>.+)$")
OWNER_COLON = re.compile(
    rf"^\W{{0,2}}(?:\[(?P<b>[^\]]{{1,40}})\]|(?P<owner>{_NAME}(?:\s*(?:,|&|and|/)\s*(?:{_NAME}))*))\s*(?:\*\*)?\s*[:–—]\s*(?:\*\*)?\s*(?P<what>.+)$"
)
OWNER_TRAILING = re.compile(
    rf"(?:\s[-–—]\s*|\s\(|\s\[|\s+owner:?\s*|\s+assigned to\s+)(?P<owner>{_NAME}(?:\s*(?:,|&|and|/)\s*(?:{_NAME}))*)\s*[)\]]?\s*\.?$"
)
OWNER_INLINE = re.compile(
    r"(?:\bowner|\bassignee|\bassigned to|\bwho)\s*[:=]\s*(?P<owner>@?[\w.\-]+(?:\s+[A-Z][\w'\-]*){0,2})",
    re.I,
)
MENTION = re.compile(r"(?<![\w@])@(?P<owner>[A-Za-z][\w.\-]*[A-Za-z0-9])")
SELF_ACTION = re.compile(
    r"^(?:(?:yes|yeah|yep|sure|ok|okay|right|great|cool|absolutely|definitely|sounds good|good idea|happy to|so|and|then|alright|fine)[,.!]?\s+)*"
    r"(?:I(?:'ll|’ll| will| shall| can| am going to|'m going to|’m going to| am taking| take| volunteer to| can take| will take| have the action to)|"
    r"(?:let me|leave it with me|on me)[,:]?)\s+(?P<what>.+)$",
    re.I,
)
SELF_NOT_ACTION = re.compile(
    r"^(?:be|say|admit|just say|tell you|have to say|let you|pass|leave it|stop|agree|disagree|note|mention|add that|argue|guess|bet|see|think|try to be|answer|go first|start|keep it short)\b",
    re.I,
)
WILL_NOT_ACTION = re.compile(
    r"^(?:be|not|never|probably|likely|have|need|remain|also be|still be|soon be|then be|get back|see)\b",
    re.I,
)

DECISION_SENTENCE = re.compile(
    r"^(?:(?:after (?:some )?discussion|in the end|finally|ultimately|so|ok|okay|overall)[,:]?\s+)?"
    r"(?:(?:we|the (?:group|team|council|committee|board|wg|working group|sc|tsc|steering council|pmc|room|meeting|leads|chairs)|"
    r"everyone|all|attendees|it|sc|tsc|pmc|board|council|group|team)\s+)?(?:have\s+|has\s+|had\s+)?"
    r"(?:(?:unanimously|formally|tentatively|collectively|all|jointly)\s+)?"
    r"(?P<verb>decided|decides|agreed|agree|agrees|resolved|resolves|concluded|concludes|approved|approves|accepted|accepts|voted|votes|adopted|adopts|rejected|rejects|chose|choose|opted|settled|signed off)\b"
    r"(?P<rest>.*)$",
    re.I,
)
DECISION_PHRASE = re.compile(
    r"(?:^|\b)(?:no objections?[,;.]?\s*(?:so\s+)?(?:agreed|approved|accepted|resolved|adopted|carried)|"
    r"(?:motion|proposal|resolution|pr|pep|rfc|request|change|budget|plan|amendment)\s*(?:#?\d+\s*)?(?:was|is|has been)?\s*(?:approved|adopted|accepted|passed|passes|carried|carries|rejected)\b|\bno objections?\.?\s*$|"
    r"consensus\s+(?:is|was|to|on|that|reached|in the room)|(?:agreed|approved|accepted) by (?:all|everyone|consensus|the group)|(?:all|everyone) agreed|(?:reached|have|had|there is|there was)\s+consensus|"
    r"approved\s+(?:by|unanimously|with)|unanimous(?:ly)?\s+(?:approved|accepted|agreed|adopted|vote)|"
    r"decision\s+(?:is|was|made)\s+(?:to|that)|the decision is|(?:we(?:'re| are| will|'ll)?)\s+go(?:ing)? with|"
    r"(?:^|\b)(?:decided|agreed)\s+(?:to|that|on|upon)\b|(?:^|\. )resolved,)",
    re.I,
)
NOT_DECISION = re.compile(
    r"\b(?:not (?:yet )?(?:decided|agreed)|no decision|didn'?t (?:decide|agree)|did not (?:decide|agree)|undecided|yet to (?:decide|agree)|"
    r"need(?:s|ed)? to (?:decide|agree)|will (?:decide|agree)|to be decided|decide whether|decide if|decide between|"
    r"(?:can|could|should|would|might|must) (?:decide|agree)|if (?:we|they) (?:decide|agree)|agree(?:d)? to disagree|"
    r"unless|whether (?:to|we)|was (?:not|n't) (?:approved|accepted)|pending|proposed|lack of (?:community )?consensus|no consensus|without consensus|(?:ask|asking|seek|seeking|request|requesting|get|call|calling|look|looking) (?:for )?consensus|(?:could|should|would|might|may|will|can|try to) (?:\w+ ){0,3}consensus|not (?:yet )?(?:approved|accepted))\b|\?\s*$",
    re.I,
)
NEEDED = re.compile(
    r"\b(?:decision (?:is )?(?:needed|required|pending)|need(?:s|ed)? (?:a |to make a )?decision|need(?:s)? to (?:decide|choose|pick|agree on)|"
    r"to be decided|tbd by|still undecided|no agreement(?: yet)?|undecided|open question|unresolved|no decision (?:yet|was made|reached)|"
    r"(?:not|n't) (?:yet )?decided|yet to (?:decide|agree)|decide (?:by|before|at|next)|will decide|"
    r"(?:defer(?:red)?|punt(?:ed)?) (?:the )?decision|decision (?:was )?(?:deferred|postponed))\b",
    re.I,
)
DEFER_DECISION = re.compile(r"\b(?:decided|agreed|decision) to (?:defer|postpone|punt|table)\b", re.I)
BLOCKER = re.compile(
    r"\b(?:blocked (?:on|by)|is blocked|are blocked|remains blocked|still blocked|blocking (?:us|the|on|release|launch)|blocker(?:s)? (?:is|are|:)|"
    r"waiting (?:on|for)|stuck (?:on|waiting|behind)|held up (?:by|on)|hold(?:ing)? up|can(?:no|')t (?:proceed|move forward|ship|start|launch) until|"
    r"gated (?:on|by)|dependency on|depends on .{0,40} which (?:is|has)|escalat(?:e|ed|ing|ion)\b)",
    re.I,
)
NOT_BLOCKER = re.compile(
    r"\b(?:not blocked|unblocked|no (?:longer )?block(?:ers?|ed|ing)|nothing (?:is )?blocking|no blockers|none|not (?:a )?blocker|"
    r"no need to escalate|won'?t escalate|not escalat|de-?escalat|without escalat|avoid escalat)\b",
    re.I,
)
SIGNAL_SUBJECT = (
    r"(?:the |a |one |our |several |many |some |two |three |multiple |most )?(?:(?:enterprise|government|agency|gov|pilot|design|beta|key|large|big|existing|new|potential)\s+)?"
    r"(?:customers?|clients?|prospects?|accounts?|buyers?|partners?|users?|merchants?|retailers?|banks?|tenants?|admins?|analysts?|the agency|agencies|counterparts?|their (?:team|cto|ciso|cio|vp|lead|admin)s?|"
    r"(?:the )?(?:cto|ciso|cio|procurement|buyer)|{orgs})"
)
SIGNAL_VERB = (
    r"(?:said|says|asked|asks|asking|complained|complains|complaining|reported|reports|requested|requests|requesting|mentioned|"
    r"mentions|wants?|wanted|would like|need(?:s|ed)?|raised|raises|pushed back|push back|flagged|flags|told us|tell us|expects?|expected|"
    r"threatened|threatens|prefer(?:s|red)?|love[sd]?|hate[sd]?|struggl(?:e|es|ed|ing)|(?:is|are|were|was) (?:unhappy|frustrated|happy|confused|concerned|worried|blocked|asking|pushing|considering|evaluating|churning|escalating)|keep asking|keeps asking|cannot|can't|couldn't|won't|will not)"
)
POSITION = re.compile(
    r"^(?P<who>{name})\s+(?:\((?:[^)]{{1,40}})\)\s+)?(?:(?:also|strongly|still|clearly|now|really)\s+)?(?P<stance>"
    r"supports?|is supportive|is in favou?r|favou?rs|backs|endorses|prefers|is for|\+1s?|is (?:fine|ok|okay|happy) with|likes|"
    r"is against|opposes|objects?|objected|pushed back|pushes back|disagrees?|disagreed|is (?:not|n't) convinced|does(?: not|n't) support|"
    r"is (?:worried|concerned|skeptical|sceptical|nervous|uneasy|cautious|hesitant)|has concerns|raised concerns|worries|fears|"
    r"is neutral|abstain(?:s|ed)?|has no (?:strong )?(?:view|opinion)"
    r")\b(?P<rest>.*)$".format(name=r"[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,2}|@[\w.\-]+"),
)
STANCE_WORDS = [
    (
        re.compile(r"support|favou?r|backs|endorse|prefer|\bfor\b|\+1|fine|ok|okay|happy|likes", re.I),
        "support",
    ),
    (
        re.compile(
            r"against|oppose|object|pushe?d? back|disagree|not convinced|n't convinced|not support|n't support",
            re.I,
        ),
        "oppose",
    ),
    (re.compile(r"worr|concern|skeptic|sceptic|nervous|uneasy|cautious|hesitant|fear", re.I), "neutral"),
    (re.compile(r"neutral|abstain|no (?:strong )?(?:view|opinion)", re.I), "neutral"),
]
STATE_WORDS = [
    (re.compile(r"\b(?:blocked)\b", re.I), "blocked"),
    (
        re.compile(r"\b(?:at risk|slipping|slipped|delayed|behind|yellow|amber|red|late|risky)\b", re.I),
        "at_risk",
    ),
    (
        re.compile(
            r"\b(?:shipped|launched|done|complete[d]?|finished|released|landed|wrapped up|closed out)\b", re.I
        ),
        "done",
    ),
    (re.compile(r"\b(?:paused|on hold|deprioriti[sz]ed|parked)\b", re.I), "paused"),
    (
        re.compile(
            r"\b(?:on track|green|ahead of schedule|going well|progressing|in progress|unblocked|moving)\b",
            re.I,
        ),
        "on_track",
    ),
]
NAMED_SIGNAL = re.compile(
    r"^(?P<who>[A-Z][\w&.\-]+(?:\s+[A-Z][\w&.\-]+)?)(?P<team>'s\s+(?:\w+\s+)?(?:team|cto|ciso|cio|lead|admins?|buyers?|procurement|legal|security|users|engineers))?\s+(?:\([^)]{1,30}\)\s+)?"
    r"(?:also\s+|again\s+)?(?:said|says|asked|asks|complained|complains|reported|requested|requests|wants|told us|pushed back|flagged|threatened|is asking|are asking|would like)\b"
)
SPEAKER_SIGNAL = re.compile(
    r"\b(?:we|our|us|my|i)\b.*\b(?:need|needs|want|wants|ask|asking|can(?:no|')t|cannot|won't|unable|evaluating|considering|"
    r"struggl\w*|frustrat\w*|worried|concerned|blocker|require[sd]?|expect\w*|hate|love|missing|slow|broken|switch\w*|cancel\w*)\b",
    re.I,
)
# "Updates to the CLA bot …": after "X to" comes a verb, not a determiner.
NOT_A_VERB = re.compile(
    r"(?:the|a|an|this|that|these|those|our|their|its|his|her|my|your|all|any|some|each|every|be|date|me|us|them)\b",
    re.I,
)
WS_KEY = re.compile(r"\bWS-\d+\b", re.I)


def sentences(text: str) -> list[str]:
    parts = [part.strip() for part in SENTENCE_SPLIT.split(text) if part.strip()]
    return parts or [text.strip()]


class Rules:
    def __init__(
        self,
        *,
        resolver: Resolver,
        meeting_date: dt.date | None,
        next_meeting: dt.date | None,
        attendee_words: set[str],
        workstreams: list[Workstream],
        tags: list[str],
        organizations: list[str],
    ):
        self.resolver = resolver
        self.meeting_date = meeting_date
        self.next_meeting = next_meeting
        self.attendee_words = attendee_words
        self.workstreams = workstreams
        self._ws_names = [(fold(w.name), w.key) for w in workstreams if len(fold(w.name)) >= 4]
        self.tags = tags
        orgs = "|".join(re.escape(org) for org in sorted(organizations, key=len, reverse=True) if org.strip())
        self.signal = re.compile(
            rf"(?:^|\b)(?P<who>{SIGNAL_SUBJECT.format(orgs=orgs or '(?!x)x')})(?:\s+(?:(?!(?:that|which|who|whom|we|i|you|to|if|when|so|and|but)\b)\w+\s+){{0,3}}?)?\s*(?:(?:also|again|repeatedly|explicitly|specifically|really|strongly|clearly|just)\s+)?{SIGNAL_VERB}\b",
            re.I,
        )
        self.org_names = [org for org in organizations if org.strip()]

    # -- names -------------------------------------------------------------------------------------

    def is_name(self, raw: str) -> bool:
        raw = raw.strip()
        low = fold(raw)
        if not low or low in STOP_NAMES or low.split()[0] in STOP_NAMES:
            return False
        if raw.startswith("@"):
            return True
        if raw.islower() and re.fullmatch(r"[a-z][\w.\-]{1,30}", raw) and low in self.attendee_words:
            return True
        if self.resolver.knows(raw) or low in self.attendee_words or low.split()[0] in self.attendee_words:
            return True
        if low in ROLE_OWNERS:
            return True
        if self.resolver or self.attendee_words:
            return False
        if re.search(r"(?:tion|sion|ment|ness|ity|ance|ence|ing|ship|ure|ism)$", low.split()[0]):
            return False  # a noun ("Suggestion to create …"), not a name
        if raw[0].isupper() and not raw.isupper():
            return all(
                word[0].isupper() or word in ("van", "von", "de", "da", "del", "der", "le", "la")
                for word in raw.split()
            )
        return False

    def is_external(self, raw: str) -> bool:
        person = self.resolver.resolve(raw).person
        return any(p.key == person and p.external for p in self.resolver.people)

    def is_organization(self, raw: str) -> bool:
        return fold(raw) in {fold(org) for org in self.org_names}

    def is_known_person(self, raw: str) -> bool:
        low = fold(raw)
        return (
            low in STOP_NAMES
            or self.resolver.knows(raw)
            or low in self.attendee_words
            or low.split()[0] in self.attendee_words
        )

    def owner(self, raw: str | None, proposal: Proposal) -> None:
        if raw is None:
            return
        raw = re.sub(r"\s+", " ", raw.strip(" *_:.,;[]()"))
        if not raw:
            return
        if fold(raw) in UNCLEAR_OWNERS:
            proposal.notes.append(f"owner unclear: '{raw}'")
            return
        parts = [p.strip() for p in re.split(r"\s*(?:,|&|\band\b|/)\s*", raw) if p.strip()]
        proposal.owner = raw
        if len(parts) > 1:
            proposal.notes.append(f"owner unclear: several people ({raw})")
            return
        if fold(raw) in ROLE_OWNERS:
            proposal.notes.append(f"owner unclear: '{raw}' is a role, not a person")
            return
        resolution = self.resolver.resolve(raw)
        proposal.owner_person = resolution.person
        if resolution.note and self.resolver:
            proposal.notes.append(resolution.note)

    def due(self, text: str, proposal: Proposal, hint: str | None = None) -> None:
        found = None
        if hint:
            date, note = dates.parse_absolute(hint, self.meeting_date)
            if date:
                found = dates.Due(date, hint)
            else:
                found = dates.find_due("by " + hint, self.meeting_date, self.next_meeting) or dates.Due(
                    None, hint, note or f"due unclear: '{hint}'"
                )
        if found is None:
            found = dates.find_due(text, self.meeting_date, self.next_meeting)
        if found is None:
            return
        proposal.due = found.date
        if found.note:
            proposal.notes.append(found.note)

    def workstream_of(self, text: str) -> str | None:
        keys = {match.group(0).upper() for match in WS_KEY.finditer(text)}
        folded = f" {fold(text)} "
        keys |= {key for name, key in self._ws_names if f" {name} " in folded}
        return next(iter(keys)) if len(keys) == 1 else None

    def tags_of(self, text: str) -> list[str]:
        folded = f" {fold(text)} "
        found = []
        for tag in self.tags:
            words = fold(tag.replace("-", " "))
            if words and (f" {words} " in folded or f" {words}s " in folded):
                found.append(tag)
        return found

    # -- the pass ------------------------------------------------------------------------------------

    def item(self, item: Item) -> list[Proposal]:
        if item.skip:
            return []
        if item.table is not None:
            return self._table(item)
        text = clean_inline(item.text)
        if not text or PROPOSED.match(text):
            return []
        speaker = item.speaker
        labelled = LABEL.match(text) or BRACKET_LABEL.match(text)
        if labelled:
            return self._labelled(item, labelled, speaker)
        section = item.section
        if section == "actions" and not self._is_heading_like(text, item):
            return [self._action(item, text, speaker, "action-section")]
        if section == "decisions" and not self._is_heading_like(text, item):
            return [self._make("decision", text, item, "decision-section")]
        if section == "questions" and not self._is_heading_like(text, item):
            return [self._make("decision_needed", text, item, "question-section")]
        if section == "blockers" and not NOT_BLOCKER.search(text) and not self._is_heading_like(text, item):
            proposal = self._make("blocker", text, item, "blocker-section")
            proposal.workstream = self.workstream_of(text)
            return [proposal]
        if section == "agenda" and item.top_level and item.is_list:
            return []
        if item.checkbox == " ":
            proposal = self._action(item, text, speaker, "action-checkbox")
            return [proposal] if proposal.owner or proposal.due else []
        out: list[Proposal] = []
        for sentence in sentences(text):
            for proposal in self._sentence(item, sentence, speaker, section):
                if proposal.kind in ("blocker", "signal", "update", "decision") and any(
                    p.kind == proposal.kind and (p.kind != "decision" or p.text == proposal.text) for p in out
                ):
                    continue
                out.append(proposal)
        return out

    def _is_heading_like(self, text: str, item: Item) -> bool:
        """A list item that only introduces its sub-items ("PEP 2026:")."""
        return bool(item.children) and text.rstrip().endswith(":")

    def _make(self, kind: str, text: str, item: Item, rule: str) -> Proposal:
        proposal = Proposal(
            kind=kind,
            text=text.strip().rstrip(" :"),
            lines=sorted(set(item.lines)),
            rule=rule,
            speaker=item.speaker,
        )
        if kind == "signal":
            proposal.tags = self.tags_of(text)
        if kind in ("blocker", "update", "action", "decision", "decision_needed"):
            proposal.workstream = self.workstream_of(text)
        return proposal

    def _labelled(self, item: Item, match: re.Match[str], speaker: str | None) -> list[Proposal]:
        label = match.group("label")
        rest = match.group("rest").strip()
        kind = next(k for pattern, k in LABEL_KIND if pattern.fullmatch(label) or pattern.match(label))
        rule = f"{kind.replace('_', '-')}-label"
        if kind == "action":
            who = match.groupdict().get("who")
            return [self._action(item, rest, speaker, rule, who=who)]
        if kind == "blocker" and NOT_BLOCKER.search(rest):
            return []
        if kind == "decision" and NEEDED.search(rest) and not DEFER_DECISION.search(rest):
            kind, rule = "decision_needed", "decision-needed-label"
        proposal = self._make(kind, rest, item, rule)
        if kind == "update":
            if not proposal.workstream:
                return []
            proposal.stance = _state(rest)
        out = [proposal]
        if kind == "decision":
            out.extend(self._embedded_action(item, rest, speaker))
        return out

    def _embedded_action(self, item: Item, text: str, speaker: str | None) -> list[Proposal]:
        found = re.search(rf"\b(?:that|so|and)\s+(?=(?:{_NAME})\s+(?:will|to|is going to)\s)", text)
        if not found:
            return []
        tail = text[found.end() :]
        match = OWNER_ACTION.match(tail)
        if match and self.is_name(match.group("owner")) and not WILL_NOT_ACTION.match(match.group("what")):
            proposal = self._make("action", tail, item, "action-in-decision")
            self.owner(match.group("owner"), proposal)
            self.due(tail, proposal, item.due_hint)
            return [proposal]
        return []

    def _action(
        self, item: Item, text: str, speaker: str | None, rule: str, *, who: str | None = None
    ) -> Proposal:
        text = text.strip()
        proposal = self._make("action", text, item, rule)
        owner = item.owner_hint or (
            who if (who and self.is_name(who.strip(" @"))) or (who and who.strip().startswith("@")) else None
        )
        if owner is None:
            match = OWNER_ACTION.match(text)
            if match and self.is_name(match.group("owner").split(",")[0].split(" and ")[0]):
                owner = match.group("owner")
        if owner is None:
            match = OWNER_COLON.match(text)
            if match:
                candidate = match.group("b") or match.group("owner")
                handle_like = (
                    bool(candidate) and re.fullmatch(r"[a-z][\w.\-]{1,30}", candidate.strip()) is not None
                )
                if candidate and (
                    handle_like or self.is_name(re.split(r"\s*(?:,|&|\band\b|/)\s*", candidate.strip())[0])
                ):
                    owner = candidate
                    proposal.text = match.group("what").strip()
        if owner is None:
            match = SELF_ACTION.match(text)
            if match:
                if speaker:
                    owner = speaker
                else:
                    proposal.notes.append("owner unclear: 'I' with no speaker")
        if owner is None:
            match = OWNER_INLINE.search(text) or OWNER_TRAILING.search(text)
            if (
                match
                and self.is_name(match.group("owner").split(",")[0])
                and not dates.RELATIVE.fullmatch(match.group("owner"))
            ):
                candidate = match.group("owner")
                if not re.fullmatch(dates._WEEKDAY + r"|" + dates._MONTH + r".*", candidate, re.I):
                    owner = candidate
        if owner is None:
            mentions = {m.group("owner") for m in MENTION.finditer(text)}
            if len(mentions) == 1:
                owner = "@" + mentions.pop()
            elif len(mentions) > 1:
                proposal.notes.append("owner unclear: several people mentioned")
        if owner is None and not any(n.startswith("owner unclear") for n in proposal.notes):
            proposal.notes.append("owner unclear")
        self.owner(owner, proposal)
        self.due(text, proposal, item.due_hint)
        return proposal

    def _table(self, item: Item) -> list[Proposal]:
        row = item.table or {}
        columns = {name: value for name, value in row.items() if value}

        def column(*names: str) -> str | None:
            for name, value in columns.items():
                if any(re.fullmatch(rf"{n}s?", name) for n in names):
                    return value
            return None

        what = column(
            "action",
            "action item",
            "task",
            "item",
            "what",
            "todo",
            "description",
            "next step",
            "follow[- ]?up",
        )
        decision = column("decision", "resolution", "outcome", "agreed")
        owner = column("owner", "who", "assignee", "assigned to", "responsible", "dri")
        due = column("due", "due date", "deadline", "when", "by when", "eta", "target", "target date", "date")
        status = (column("status", "state", "done") or "").lower()
        if status in ("done", "complete", "completed", "closed", "yes", "x", "✅"):
            return []
        if decision and not what:
            return [self._make("decision", decision, item, "decision-table")]
        if what and (owner or due or item.section == "actions"):
            proposal = self._make("action", what, item, "action-table")
            self.owner(owner, proposal) if owner else proposal.notes.append("owner unclear")
            if due:
                self.due("", proposal, due)
            return [proposal]
        # Any other table ("Topic | Notes"): its cells read as one line of notes.
        text = " — ".join(value for value in row.values() if value)
        out: list[Proposal] = []
        for sentence in sentences(text):
            out.extend(
                p for p in self._sentence(item, sentence, item.speaker, item.section) if p.kind != "action"
            )
        return out[:1]

    def _sentence(self, item: Item, sentence: str, speaker: str | None, section: str) -> list[Proposal]:
        text = sentence.strip().rstrip()
        # "[yang] text" (Kubernetes notes) and "Alice: text" name who spoke.
        bracket = re.match(r"^\[@?([\w.\- ]{2,30})\]\s+(?![:–—])(.+)$", text)
        if bracket and self.is_name(bracket.group(1)):
            speaker, text = bracket.group(1).strip(), bracket.group(2).strip()
            text = re.sub(r"^\((?:added|edited|noted)[^)]*\)\s*", "", text)
        body = text
        prefix = OWNER_COLON.match(text)
        if (
            prefix
            and prefix.group("owner")
            and self.is_name(prefix.group("owner"))
            and len(prefix.group("owner").split()) <= 3
        ):
            speaker, body = prefix.group("owner").strip(), prefix.group("what").strip()
        if not body or len(body) < 6:
            return []
        out: list[Proposal] = []
        lowered = body.lower()
        # Decisions made, and decisions still needed.
        decided = (DECISION_SENTENCE.match(body) or DECISION_PHRASE.search(body)) and not NOT_DECISION.search(
            body
        )
        if decided and not self._individual_agreement(body):
            if NEEDED.search(body) and not DEFER_DECISION.search(body):
                out.append(self._make("decision_needed", body, item, "decision-needed-sentence"))
            else:
                whole = clean_inline(item.text)
                # A short paragraph is the decision's context ("A moved X. B seconded. The motion passes.").
                out.append(
                    self._make("decision", whole if len(whole) <= 300 else body, item, "decision-sentence")
                )
                out.extend(self._embedded_action(item, body, speaker))
                return out
        elif NEEDED.search(body) and not re.match(r"(?i)\W*(goal|purpose|objective)\b", body):
            out.append(self._make("decision_needed", body, item, "decision-needed-sentence"))
            return out
        # Action items.
        action = self._sentence_action(item, body, speaker)
        if action is not None:
            out.append(action)
        # Blockers and escalations.
        if BLOCKER.search(body) and not NOT_BLOCKER.search(body) and not body.rstrip().endswith("?"):
            proposal = self._make(
                "blocker", body, item, "escalation-sentence" if "escalat" in lowered else "blocker-sentence"
            )
            out.append(proposal)
        if action is not None:
            return out
        # Stakeholders' positions.
        position = POSITION.match(body)
        if (
            position
            and self.is_name(position.group("who"))
            and fold(position.group("who")) not in ROLE_OWNERS
        ):
            proposal = self._make("position", body, item, "position-sentence")
            self.owner(position.group("who"), proposal)
            proposal.stance = next(
                (s for p, s in STANCE_WORDS if p.search(position.group("stance"))), "unknown"
            )
            out.append(proposal)
            return out
        # Customer signals.
        if self.signal.search(body) or (section == "signals" and not item.children):
            rule = "signal-sentence" if self.signal.search(body) else "signal-section"
            out.append(self._make("signal", body, item, rule))
            return out
        if speaker and self.is_external(speaker) and SPEAKER_SIGNAL.search(body):
            out.append(self._make("signal", body, item, "signal-speaker"))
            return out
        named = NAMED_SIGNAL.match(re.sub(r"(?i)^(?:heads up|fyi|note|btw)\s*[:,\-–—]\s*", "", body))
        if (
            named
            and (named.group("team") or self.is_organization(named.group("who")))
            and not self.is_known_person(named.group("who"))
        ):
            out.append(self._make("signal", body, item, "signal-named"))
            return out
        # Workstream updates.
        workstream = self.workstream_of(body)
        state = _state(body)
        if workstream and state and not any(p.kind == "blocker" for p in out):
            proposal = self._make("update", body, item, "update-sentence")
            proposal.stance = state
            out.append(proposal)
        return out

    def _individual_agreement(self, body: str) -> bool:
        """'Alice agreed to send it' is Alice's commitment, not a decision of the group."""
        match = OWNER_ACTION.match(body)
        return bool(
            match
            and self.is_name(match.group("owner"))
            and fold(match.group("owner")) not in ROLE_OWNERS | {"we", "everyone", "all", "group", "team"}
        )

    def _sentence_action(self, item: Item, body: str, speaker: str | None) -> Proposal | None:
        match = OWNER_ACTION.match(body)
        if match:
            owner = match.group("owner")
            what = match.group("what")
            verb = match.group("verb").lower()
            lowercase_handle = owner[0].islower() and not owner.startswith("@")
            parts = [p for p in re.split(r"\s*(?:,|&|\band\b|/)\s*", owner) if p]
            if (
                all(self.is_name(part) for part in parts)
                and not (
                    lowercase_handle
                    and not self.resolver.knows(owner)
                    and fold(owner) not in self.attendee_words
                )
                and not (
                    verb in ("will", "'ll", "’ll", "shall", "needs to", "is to", "are to")
                    and WILL_NOT_ACTION.match(what)
                )
                and not (verb == "to" and not re.match(r"[a-z]", what))
                and not (verb == "to" and NOT_A_VERB.match(what))
                and fold(owner) not in UNCLEAR_OWNERS
            ):
                proposal = self._make("action", body, item, "action-owner-verb")
                self.owner(owner, proposal)
                self.due(body, proposal, item.due_hint)
                return proposal
        match = SELF_ACTION.match(body)
        if match is None and speaker and "will" not in self.attendee_words:
            match = re.match(r"^Will\s+(?P<what>[a-z].+)$", body)  # "JWS: Will catch up on the notes"
        if match and not SELF_NOT_ACTION.match(match.group("what")) and not body.rstrip().endswith("?"):
            proposal = self._make("action", body, item, "action-first-person")
            if speaker and self.is_name(speaker):
                self.owner(speaker, proposal)
            else:
                proposal.notes.append("owner unclear: 'I' with no speaker")
            self.due(body, proposal, item.due_hint)
            return proposal
        return None


def _state(text: str) -> str | None:
    for pattern, state in STATE_WORDS:
        if pattern.search(text):
            return state
    return None

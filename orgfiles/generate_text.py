"""Word lists and sentence builders for the synthetic org (`generate_org`).

Plausible product-organization prose for an AI company, built from word lists with one seeded
`random.Random`, so the same seed writes the same words. No lorem ipsum: a reader skimming a
generated decision or signal should recognise the kind of thing a VP of Product deals with.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

COMPANY = "Meridian AI"

FIRST_NAMES = [
    "Ada", "Adrian", "Aisha", "Alex", "Amara", "Ana", "Anders", "Arjun", "Beatriz", "Ben", "Camille",
    "Carlos", "Chen", "Chloe", "Dana", "Daniel", "Deepa", "Diego", "Elena", "Eli", "Emeka", "Erin",
    "Farah", "Felix", "Fatima", "Gabriel", "Grace", "Hana", "Hiro", "Ibrahim", "Ines", "Isaac", "Jae",
    "James", "Jana", "Jonas", "Julia", "Kai", "Kamala", "Karin", "Kofi", "Lars", "Leila", "Leo", "Lina",
    "Lucas", "Maya", "Marco", "Maria", "Mateo", "Mei", "Miguel", "Mira", "Nadia", "Naomi", "Nikhil",
    "Nina", "Noah", "Olu", "Omar", "Pablo", "Petra", "Priya", "Rafael", "Rachel", "Ravi", "Rosa", "Ruth",
    "Sam", "Sana", "Sara", "Sean", "Sofia", "Tariq", "Tessa", "Theo", "Tomas", "Uma", "Vera", "Victor",
    "Wei", "Yara", "Yusuf", "Zara", "Zoe",
]  # fmt: skip
LAST_NAMES = [
    "Abara", "Adeyemi", "Alvarez", "Andersen", "Bakshi", "Bello", "Brennan", "Castillo", "Chen", "Costa",
    "Dahl", "Das", "Eriksen", "Fischer", "Fontaine", "Garcia", "Gupta", "Haddad", "Hansen", "Herrera",
    "Ito", "Iyer", "Jensen", "Kapoor", "Kim", "Kowalski", "Lindqvist", "Lopez", "Mahmoud", "Martin",
    "Mendes", "Mori", "Mwangi", "Nakamura", "Natarajan", "Nguyen", "Novak", "Nwosu", "Okafor", "Olsen",
    "Ortiz", "Park", "Patel", "Petrov", "Quinn", "Reyes", "Rossi", "Sato", "Schmidt", "Shah", "Silva",
    "Singh", "Stein", "Suzuki", "Tanaka", "Torres", "Vargas", "Volkov", "Wagner", "Walsh", "Weber",
    "Yamamoto", "Yilmaz", "Zhang",
]  # fmt: skip

LEADER_TITLES = [
    "VP of Product", "Chief of Staff to the VP of Product", "Head of Platform Engineering",
    "Director of Product, Government", "Director of Product, Enterprise", "Head of Applied Research",
    "Deputy General Counsel", "Head of Solutions Engineering", "Director of Trust and Safety",
    "Head of Go-to-Market", "CISO", "Head of Inference Infrastructure",
]  # fmt: skip
INTERNAL_TITLES = [
    "Product Manager", "Senior Product Manager", "Group PM", "Staff Engineer", "Engineering Manager",
    "Solutions Architect", "Program Manager", "Research Engineer", "Security Engineer",
    "Compliance Lead", "Product Marketing Manager", "Account Executive", "Customer Success Lead",
    "Technical Writer", "Data Scientist", "Design Lead", "Pricing Analyst", "Policy Lead",
]  # fmt: skip
CUSTOMERS = [
    "Northwind Bio", "Halcyon Labs", "Cobalt Financial", "Larkspur Health", "Tidewater Insurance",
    "Quillon Legal", "Brightline Retail", "Vireo Robotics", "Summit Pharma", "Keystone Bank",
    "Ardent Energy", "Polaris Logistics", "Fennec Research", "Granite Telecom", "Orchard Media",
    "Helix Genomics", "Juniper Capital", "Solstice Airlines", "Mosaic Education", "Redwood Manufacturing",
]  # fmt: skip
AGENCIES = [
    "Office of Digital Services", "Defense Analytics Agency", "State Revenue Department",
    "Public Health Data Office", "Federal Records Administration", "Veterans Benefits Office",
    "Transportation Safety Bureau", "Civil Service Modernization Office",
]  # fmt: skip
PARTNERS = [
    "Atlas Cloud", "Vantage Systems Integrators", "Beacon Federal Partners", "Strata Consulting",
    "Ironwood Hardware", "Lumen Marketplace",
]  # fmt: skip
CUSTOMER_TITLES = [
    "CTO", "VP of Engineering", "Head of ML Platform", "Chief Data Officer", "Director of IT",
    "Procurement Lead", "CISO", "Head of Applied AI", "Platform Architect",
]  # fmt: skip
AGENCY_TITLES = [
    "Chief Information Officer", "ISSO", "Program Director", "Contracting Officer", "Chief AI Officer",
    "Deputy CIO", "Authorizing Official",
]  # fmt: skip
PARTNER_TITLES = ["Alliance Manager", "Partner Engineer", "Managing Director", "Federal Practice Lead"]

SURFACES = [
    ("frontier-labs", "Frontier labs", "Model access, evaluations and safety tooling for frontier AI labs."),
    ("government", "Government", "Accredited deployments for public-sector agencies."),
    ("enterprise", "Enterprise deployments", "Private deployments run by enterprise platform teams."),
    ("developer-platform", "Developer platform", "The public API, SDKs, docs and the self-serve console."),
    (
        "regulated-industries",
        "Regulated industries",
        "Health, finance and insurance deployments under audit.",
    ),
]


@dataclass(frozen=True)
class Topic:
    """A subject the org works on, with the theme (tag) it belongs to."""

    thing: str
    theme: str


TOPICS = [
    Topic("FedRAMP High authorization", "fedramp"),
    Topic("the FedRAMP continuous-monitoring package", "fedramp"),
    Topic("IL5 accreditation", "il5"),
    Topic("EU data residency", "data-residency"),
    Topic("in-region inference for Japan", "data-residency"),
    Topic("SSO and SCIM provisioning", "sso"),
    Topic("SAML enforcement for enterprise tenants", "sso"),
    Topic("p95 inference latency", "inference-latency"),
    Topic("time-to-first-token on long prompts", "inference-latency"),
    Topic("the batch inference API", "batch-inference"),
    Topic("fine-tuning on customer data", "fine-tuning"),
    Topic("LoRA adapters for enterprise tenants", "fine-tuning"),
    Topic("the eval harness", "evals"),
    Topic("red-team evaluations", "evals"),
    Topic("published model cards", "model-cards"),
    Topic("audit logging", "audit-logs"),
    Topic("customer-managed encryption keys", "cmk"),
    Topic("VPC peering", "private-networking"),
    Topic("the air-gapped deployment kit", "air-gapped"),
    Topic("usage-based pricing", "pricing"),
    Topic("committed-spend discounts", "pricing"),
    Topic("per-tenant rate limits", "rate-limits"),
    Topic("the 1M-token context window", "long-context"),
    Topic("tool use in the API", "tool-use"),
    Topic("prompt caching", "prompt-caching"),
    Topic("safety classifiers", "safety"),
    Topic("zero data retention", "data-retention"),
    Topic("the HIPAA BAA", "hipaa"),
    Topic("the SOC 2 Type II report", "soc2"),
    Topic("reserved GPU capacity", "capacity"),
    Topic("the model deprecation schedule", "model-lifecycle"),
    Topic("the admin console", "admin-console"),
    Topic("usage analytics for admins", "analytics"),
    Topic("the on-prem inference appliance", "on-prem"),
    Topic("the embeddings API", "embeddings"),
    Topic("the agent sandbox", "agents"),
    Topic("structured outputs", "structured-outputs"),
    Topic("regional failover", "reliability"),
    Topic("the uptime SLA", "sla"),
    Topic("the cloud marketplace listing", "marketplace"),
    Topic("the GSA procurement vehicle", "procurement"),
    Topic("the export-controls review", "export-controls"),
]
THEMES = sorted({t.theme for t in TOPICS})
TAG_ASPECTS = [
    "pricing", "docs", "sla", "api", "onboarding", "eu", "gov", "apac", "beta", "ga", "security",
    "migration", "support", "contracts", "roadmap", "metrics",
]  # fmt: skip

DECISION_VERBS = [
    "Ship", "Gate", "Defer", "Fund", "Scope", "Price", "Sequence", "Staff", "Sunset", "Pilot",
    "Standardise", "Commit to",
]  # fmt: skip
SEGMENTS = [
    "enterprise tenants", "frontier labs", "agency pilots", "the self-serve tier", "regulated customers",
    "design partners", "the EU region", "APAC accounts", "the public API", "strategic accounts",
]  # fmt: skip
WHENS = [
    "this quarter",
    "before GA",
    "for the Q3 launch",
    "next half",
    "before the renewal cycle",
    "in the next release train",
]
OPTION_TITLES = [
    "Build it in-house on the current platform",
    "Partner with an integrator for the first deployments",
    "Ship a limited beta to design partners",
    "Defer until the capacity plan is settled",
    "Buy a vendor component and wrap it",
    "Extend the existing service instead of a new one",
    "Offer it only under an enterprise agreement",
    "Make it the default for new tenants",
    "Run a time-boxed pilot with two accounts",
    "Gate it behind the eval threshold",
    "Ship it region by region",
    "Do nothing and revisit next quarter",
]  # fmt: skip
PROS = [
    "gets us to the committed date fastest",
    "keeps the architecture simple",
    "lets the accounts asking for it start now",
    "needs no new headcount",
    "reuses the audited control set",
    "lowers inference cost per token",
    "keeps us inside the authorization boundary",
    "gives sales a clear story for renewals",
    "keeps the eval bar where research wants it",
    "is reversible within one release",
]  # fmt: skip
CONS = [
    "adds on-call load to a stretched team",
    "slips the roadmap item behind it by a sprint",
    "needs a new legal review of the data terms",
    "raises p95 latency for the largest tenants",
    "creates a second deployment path to maintain",
    "means redoing the accreditation evidence",
    "commits GPU capacity we have not secured",
    "makes pricing harder to explain",
    "benefits only two accounts this year",
    "depends on a partner's timeline we do not control",
]  # fmt: skip
REJECTIONS = [
    "the cost outweighed the benefit for this year's accounts",
    "it would have reopened the security review",
    "the capacity it needs is not there until next half",
    "the stakeholders most affected opposed it",
    "it solved the wrong customer problem",
    "it created a support burden we cannot staff",
    "it was slower to the committed date",
    "the eval results did not clear the bar",
]  # fmt: skip
CONTEXT_SENTENCES = [
    "Three strategic accounts raised {thing} in the last renewal cycle.",
    "The current design for {thing} was built for a single region and a handful of tenants.",
    "Legal and security want a clear answer on {thing} before the next audit window.",
    "Sales has been promising {thing} informally; we need a position we can stand behind.",
    "Research flagged that {thing} interacts with the eval thresholds we publish.",
    "The platform team estimates {thing} at two to three sprints of work.",
    "Two agency pilots are blocked until we settle {thing}.",
    "Competitors announced {thing} last month, and customers are asking about it.",
    "Support tickets about {thing} doubled this quarter.",
    "Finance wants the margin impact of {thing} understood before pricing changes.",
]  # fmt: skip
REASONING = [
    "It {pro}, and that decided it; that it {con} is acceptable for now.",
    "We chose the option that {pro}, accepting that it {con}.",
    "Every stakeholder could live with this, and it {pro}.",
    "It {pro}; it also {con}, so we will revisit if the numbers move.",
]  # fmt: skip
METRICS = [
    ("p95 inference latency in the EU region", "exceeds 900 ms for two consecutive weeks"),
    ("GPU utilisation on the reserved pool", "stays above 85% for a month"),
    ("the number of agency pilots", "grows past five"),
    ("churn among self-serve accounts", "rises above 3% a month"),
    ("support tickets about SSO", "double again"),
    ("eval pass rate on the safety suite", "drops below 97%"),
    ("gross margin on batch inference", "falls under 40%"),
    ("a strategic account", "makes it a renewal condition"),
    ("the accreditation sponsor", "changes its requirements"),
    ("a competitor", "ships the same capability at a lower price"),
]  # fmt: skip
STAKEHOLDER_POSITIONS = [
    "Wants {thing} settled before the renewal conversation.",
    "Supports it if the eval bar is not lowered.",
    "Worried about the on-call load this adds.",
    "Prefers the smallest change that unblocks the pilots.",
    "Will not sign off without a security review.",
    "Cares most about the margin impact.",
    "Needs a date they can give the customer.",
    "Has not said; the last two meetings ran out of time.",
    "Pushing for a regional rollout instead of a global one.",
    "Fine either way as long as the docs are ready.",
]  # fmt: skip
WORK_NOUNS = [
    "rollout", "migration", "GA readiness", "pilot", "hardening", "launch", "beta", "accreditation",
    "integration", "instrumentation",
]  # fmt: skip
BLOCKERS = [
    "waiting on legal review of the data processing terms",
    "GPU capacity in the EU region is not provisioned yet",
    "the agency's authorizing official has not scheduled the review",
    "the customer's security team has not approved VPC peering",
    "the eval suite fails on the new safety classifier",
    "the partner integration is two sprints late",
    "pricing is not approved by finance",
    "the SSO vendor's SCIM endpoint is unstable",
    "no owner on the platform side since the reorg",
    "the procurement vehicle is not in place",
]  # fmt: skip
UPDATE_NOTES = [
    "Shipped the first slice to design partners; feedback is positive.",
    "Still waiting on legal; escalated to the deputy GC this week.",
    "Load test met the p95 target in two of three regions.",
    "Scope cut agreed with the account team; date holds.",
    "Two engineers moved to the incident; expect a one-week slip.",
    "Customer confirmed the pilot success criteria.",
    "Security review passed with two minor findings.",
    "Blocked on capacity; no change since last week.",
    "Docs and pricing page are ready for review.",
    "Eval results are in; we clear the bar on all but one suite.",
]  # fmt: skip
COMMITMENT_VERBS = ["Send", "Share", "Draft", "Confirm", "Review", "Deliver", "Schedule", "Publish"]
COMMITMENT_OBJECTS = [
    "the control mapping for {thing}",
    "a written position on {thing}",
    "the pilot plan for {thing}",
    "pricing options for {thing}",
    "the architecture diagram for {thing}",
    "the eval results behind {thing}",
    "a date for {thing}",
    "the migration guide for {thing}",
]  # fmt: skip
RITUALS = [
    ("product_review", "Weekly product review", "FREQ=WEEKLY;BYDAY=MO"),
    ("async_update", "Async status update", "FREQ=WEEKLY;BYDAY=FR"),
    ("architecture_review", "Architecture review", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"),
    ("gtm_sync", "GTM sync", "FREQ=WEEKLY;BYDAY=TU"),
    ("strategy_review", "Monthly strategy review", "FREQ=MONTHLY;BYDAY=1TH"),
    ("retrospective", "Launch retrospective", "FREQ=MONTHLY;BYDAY=-1FR"),
    ("status_readout", "Exec status readout", "FREQ=WEEKLY;BYDAY=TH"),
    ("cross_functional", "Cross-functional sync", "FREQ=WEEKLY;BYDAY=TU,TH"),
    ("async_update", "Daily standup", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"),
]  # fmt: skip
RITUAL_PURPOSES = [
    "Keep the surface's roadmap and commitments honest, in one place.",
    "Review what shipped, what slipped and why.",
    "Get architecture decisions made before code is written.",
    "Align sales and product on what we promise customers.",
    "Give the VP one view of the risks across surfaces.",
]  # fmt: skip
RITUAL_INFORMS = [
    "Which roadmap items move in or out of the quarter.",
    "Whether a launch goes ahead on its date.",
    "Which architecture option a workstream takes.",
    "What we commit to customers at renewal.",
    "Where reserved capacity goes.",
]  # fmt: skip
RITUAL_SURFACES = [
    "Workstreams waiting on another team.",
    "Slipped commitments to customers.",
    "Security or legal reviews that have stalled.",
    "Capacity shortfalls before they hit a launch.",
    "Accounts at risk of churning.",
]  # fmt: skip
ENGAGEMENT_TITLES = {
    "customer_briefing": [
        "{org} quarterly business review",
        "Roadmap briefing for {org}",
        "{org} renewal: {thing}",
    ],
    "architecture_review": ["Architecture review: {thing} with {org}", "{org} deployment design review"],
    "strategy_session": ["Strategy session: {thing}", "Planning offsite: {thing}", "Bet review: {thing}"],
    "gtm_alignment": ["GTM alignment on {thing}", "Launch readiness: {thing}", "Pricing council: {thing}"],
    "government": ["{org} briefing on {thing}", "Accreditation check-in with {org}", "{org} pilot review"],
    "board_adjacent": [
        "Board prep: {thing}",
        "Investor update: {thing}",
        "Audit committee pre-read: {thing}",
    ],
}
OBJECTIVES = [
    "Get {org} to confirm the pilot scope and date for {thing}.",
    "Leave with a yes or no on {thing}.",
    "Hear their real constraint on {thing} before we commit.",
    "Agree the success criteria for {thing}.",
    "Secure a sponsor for {thing} on their side.",
]  # fmt: skip
ONE_THINGS = [
    "We will not lower the eval bar to hit the date.",
    "The {thing} date depends on capacity we have not secured yet.",
    "Pricing for {thing} is not final; do not quote a number.",
    "We need their security team in the next meeting.",
    "Their last escalation was resolved; thank them for the patience.",
]  # fmt: skip
SOURCES = [
    "Account call",
    "Support ticket",
    "QBR notes",
    "Slack thread with the account team",
    "Field report",
    "Survey comment",
]
SIGNAL_TITLES = [
    "{org} asks for {thing}",
    "{org} blocked on {thing}",
    "{org} compares us on {thing}",
    "{org} escalates {thing}",
    "{org} would expand with {thing}",
]  # fmt: skip
SIGNAL_SENTENCES = [
    "They raised {thing} three times in the last month.",
    "It is a condition for their next expansion.",
    "Their security team wants it documented before the pilot.",
    "A competitor offered it in the last bake-off.",
    "Usage dropped after the last change to {thing}.",
    "Their engineers built a workaround and want it retired.",
]  # fmt: skip
ENTRY_TITLES = {
    "strategy_bet": ["Bet: {thing} wins the regulated market", "Bet: lead on {thing} before competitors"],
    "open_question": [
        "Should {thing} be priced separately?",
        "Who owns {thing} after GA?",
        "Is {thing} worth a second region?",
    ],
    "resolved_debate": ["Settled: how we ship {thing}", "Settled: who pays for {thing}"],
    "framing": [
        "How we talk about {thing}",
        "Framing {thing} for agency buyers",
        "{thing}: the one-paragraph story",
    ],
    "note": ["Notes on {thing}", "What we learned about {thing}", "Reading list: {thing}"],
}
ENTRY_SENTENCES = [
    "The short version: {thing} matters most to regulated buyers.",
    "We have tried two approaches to {thing}; the second held up in production.",
    "Open risks: capacity, the accreditation timeline, and support load.",
    "This ties to the decision log entries linked below.",
    "Numbers are from the last two quarters of usage data.",
    "If this changes, update the framing used by the field team.",
]  # fmt: skip
START_HERE_WHY = [
    "Read first: the bet the whole surface is built on.",
    "The decision that shaped how we deploy to agencies.",
    "How we explain our position to customers.",
    "A debate that comes back every quarter, and how it was settled.",
    "The customer evidence behind the roadmap.",
]  # fmt: skip


def tag_names(count: int, rng: random.Random) -> list[str]:
    """The base themes first (the signal clusters), then theme-aspect pairs, `count` in all."""
    pairs = [f"{theme}-{aspect}" for theme in THEMES for aspect in TAG_ASPECTS]
    rng.shuffle(pairs)
    return (THEMES + pairs)[:count]


def sentences(rng: random.Random, pool: list[str], n: int, **slots: str) -> str:
    return " ".join(s.format(**slots) for s in rng.sample(pool, n))


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]

"""Question wordings for the multi-report golden set, several per figure so no fact is asked one way.

``{C}`` is the country's name, ``{D}`` its demonym, ``{Y}`` the year the figure belongs to. A
figure's expected answer is its value in the facts file; ``unit`` is appended where the answer
would otherwise be a bare number of another kind ("6.5" -> "6.5 million").
"""

from __future__ import annotations

# key -> wordings; every wording names the country ({C} or {D}) so the question has one scope
SCOPED: dict[str, tuple[str, ...]] = {
    "labor_inspectors": (
        "How many labor inspectors did {C} have in {Y}?",
        "What was the number of labour inspectors in {C} in {Y}?",
        "In {Y}, how many inspectors worked for the {D} labor inspectorate?",
    ),
    "inspectorate_funding": (
        "How much funding did {C}'s labor inspectorate receive in {Y}?",
        "What was the {D} labor inspectorate's funding in {Y}?",
        "What budget did the labor inspectorate of {C} have in {Y}?",
    ),
    "inspections": (
        "How many labor inspections were conducted in {C} in {Y}?",
        "How many inspections did {D} labor inspectors carry out in {Y}?",
    ),
    "labor_violations": (
        "How many labor law violations did the labor inspectorate identify in {C} in {Y}?",
        "In {Y}, how many violations of labor law were found by {D} inspectors?",
    ),
    "investigations": (
        "How many criminal investigations into the worst forms of child labor did {C} conduct in {Y}?",
        "What was the number of child labor criminal investigations in {C} in {Y}?",
    ),
    "violations_found": (
        "How many worst forms of child labor violations did {D} criminal law enforcement find in {Y}?",
        "In {Y}, how many criminal violations related to child labor were found in {C}?",
    ),
    "anti_trafficking_funding": (
        "How much did the {D} government allocate to anti-trafficking efforts in {Y}?",
        "What amount did {C} put toward fighting human trafficking in {Y}?",
    ),
    "army_children": (
        "How many children did the {D} Armed Forces recruit and use in support roles?",
        "How many children were used by army officials in {C} in domestic support roles?",
    ),
    "displaced_child_slaves": (
        "How many displaced child slaves did {C}'s National Commission on Human Rights identify?",
        "How many displaced child slaves were identified in {C} in {Y}?",
    ),
    "armed_group_cases": (
        "How many cases of children used by armed groups did {C} identify during the reporting period?",
        "How many children used by armed groups did the {D} Directorate for the Promotion of Children and Family identify?",
    ),
    "closed_schools": (
        "How many schools in conflict-affected zones of {C} remained closed?",
        "How many {D} schools stayed closed in conflict areas during the reporting period?",
    ),
    "working_pct": (
        "What percentage of children aged 5 to 14 work in {C}?",
        "What share of {D} children ages 5 to 14 are working?",
    ),
    "attending_pct": (
        "What percentage of children aged 5 to 14 attend school in {C}?",
        "How many {D} children ages 5 to 14 attend school, in percent?",
    ),
    "completion_pct": (
        "What is the primary completion rate in {C}?",
        "What primary school completion rate does the report give for {C}?",
    ),
    "min_age_work": (
        "What is the minimum age for work in {C}?",
        "At what age may children start working under {D} law?",
    ),
    "workforce_millions": (
        "How many workers does {C}'s workforce include?",
        "How large is the {D} workforce?",
    ),
    "bpmc_staff": (
        "How many staff did the BPMC employ in {C} in {Y}?",
        "What was the staff of {C}'s Police Brigade for the Protection of Morals and Children in {Y}?",
    ),
    "koranic_teachers": (
        "How many Koranic teachers did the police arrest in {C}?",
        "How many Koranic teachers were arrested for forced child begging in {C} in {Y}?",
    ),
    "trafficking_victims": (
        "How many trafficking victims did a {D} NGO assist with the government?",
        "How many victims of trafficking were assisted in {C} in collaboration with the government?",
    ),
    "ngo_funding": (
        "How much funding did the Government of {C} provide to NGOs for anti-trafficking trainings?",
        "What amount did {C} give NGOs to run anti-trafficking trainings in mining areas?",
    ),
    "stakeholders": (
        "How many stakeholders did the anti-trafficking trainings in {C} educate?",
        "How many people were trained on {C}'s anti-trafficking law and victim identification?",
    ),
    "tip_cases": (
        "How many new trafficking in persons cases were under investigation in {C}?",
        "How many new human trafficking cases did {C}'s Ministry of Justice report as under investigation?",
    ),
    "aba_trained": (
        "How many {D} justice sector representatives did the American Bar Association program train?",
        "How many representatives of the justice sector in {C} were trained by the American Bar Association?",
    ),
}
UNITS = {"workforce_millions": " million", "working_pct": "", "min_age_work": ""}
YEARLESS_OK = {"army_children", "closed_schools", "working_pct", "attending_pct", "completion_pct",
               "min_age_work", "workforce_millions", "koranic_teachers", "trafficking_victims", "ngo_funding",
               "stakeholders", "tip_cases", "aba_trained", "armed_group_cases", "displaced_child_slaves"}

# a table row asked for two countries, or for two editions of one
COMPARE: dict[str, tuple[str, ...]] = {
    "labor_inspectors": ("Compare the number of labor inspectors in {C1} and {C2} in {Y}.",
                         "How many labor inspectors did {C1} and {C2} each have in {Y}?"),
    "inspectorate_funding": ("Compare labor inspectorate funding in {C1} and {C2} in {Y}.",),
    "inspections": ("Which conducted more labor inspections in {Y}, {C1} or {C2}?",
                    "Compare the number of labor inspections conducted in {C1} and {C2} in {Y}."),
    "working_pct": ("Compare the share of working children aged 5 to 14 in {C1} and {C2}.",),
    "min_age_work": ("What are the minimum ages for work in {C1} and {C2}?",),
}
EDITIONS: dict[str, tuple[str, ...]] = {
    "labor_inspectors": ("How did the number of labor inspectors in {C} change between {P} and {Y}?",
                         "How did the number of labor inspectors change between the {P} and {Y} editions of the {C} report?"),
    "inspectorate_funding": ("How did labor inspectorate funding in {C} change from {P} to {Y}?",),
    "inspections": ("Compare the number of labor inspections in {C} in {P} and {Y}.",),
    "investigations": ("How did the number of criminal investigations in {C} change between {P} and {Y}?",),
}
FOLLOW_UP_YEAR = ("And in {P}?", "What about {P}?", "And the year before, {P}?")
FOLLOW_UP_COUNTRY = ("What about {C}?", "And in {C}?", "How about {C}?")

# facts every generated report shares with the seed: a question naming no country gets them from any report
NO_COUNTRY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Which community's children are subject to hereditary slavery?", ("Bellah",)),
    ("Where do Songhai children work in debt bondage?", ("Taoudenni",)),
    ("In which crops do children perform dangerous agricultural work?", ("cotton", "rice")),
    ("Which armed group led by an army general forcibly recruited children?", ("GATIA",)),
    ("What ratio of labor inspectors to workers does the ILO advise for less developed countries?", ("40,000",)),
    ("Who chairs the National Unit to Fight Against Child Labor?", ("Ministry of Labor",)),
    ("What does the Clear Cotton Project fight?", ("forced labor|forced labour",)),
    ("How much is the USAID Country Program worth?", ("$600 million",)),
    ("What is the minimum age for hazardous work?", ("18",)),
    ("Which article of the Penal Code excuses crimes committed under a force that could not be resisted?", ("28",)),
    ("What do Koranic teachers force boys in their care to do?", ("beg",)),
    ("How many hours of light work per day may children aged 12 to 14 do?", ("4.5",)),
)
UNINDEXED: tuple[str, ...] = (
    "What is the minimum age for work in {C}?",
    "How many labor inspectors did {C} have in {Y}?",
    "How many Koranic teachers did the police arrest in {C}?",
    "What percentage of children aged 5 to 14 work in {C}?",
    "How much did {C} allocate to anti-trafficking efforts in {Y}?",
    "Does {C} have a national plan to combat child labor?",
    "How many schools remained closed in {C}?",
)
REFERENCE: tuple[str, ...] = (
    "What is reference {N} in the {C} report?",
    "Which source is number {N} in {C}'s bibliography?",
    "What document does the {C} report cite as reference {N}?",
    "What is source {N} of the {Y} {C} report?",
)

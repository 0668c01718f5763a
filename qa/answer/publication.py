"""What a question asks of a document itself rather than of its facts: when it came out, who
published it, where it is ("When was the article published?", "Who published the article?", "What
is the URL of the Mali report?"). Its catalog entry answers (qa.answer.lookups.publication_answer).
"""

from __future__ import annotations

import re

# "When was it published?", "On what date did the ILO post its story?": a date asked of a publishing
# verb. "issued"/"released"/"dated" also fit a decree or freed children ("When were the children
# released?"), so those count only with a word naming the publication itself.
_DATE_ASKED = re.compile(r"\b(when|what date|which date|what day|on what day)\b")
_PUBLISHED = re.compile(r"\b(published|publish|posted|put (?:out|online|up)|came out|come out)\b|"
                        r"\b(?:did|does|do)(?:\s+[\w'’-]+){1,4}\s+post\b")  # "post" the verb, not "the post of"
# what is published named right after the verb, and no publication ("publish information", "publish
# its enforcement data"): a fact the reports may state or suggest, not a document's catalog date
_OTHER_THING = re.compile(r"\s+(?:(?:the|its|their|his|her|more|any|all|some|complete|annual)\s+)*(?!on\b|in\b|by\b|"
                          r"at\b|online\b|first\b|it\b|this\b|that\b|them\b)[a-z][\w'’-]*")
_ISSUED = re.compile(r"\b(released|release|issued|issue|dated)\b")
_PUBLICATION_NOUN = re.compile(r"\b(article|story|news|piece|report|page|document|edition|press release)\b")
_PUBLICATION_DATE = re.compile(r"\b(publication|release) date\b|\bdate of (?:the )?(?:publication|article|story|report)\b")


# the number after a law's article ("Article 152", "Article L.187"): no news article is numbered
_ARTICLE_NUMBER = r"\s+(?:l\.?\s*)?\d"
_LAW_ARTICLE = re.compile(rf"\barticles?{_ARTICLE_NUMBER}[\d.]*")
# what a government publishes, a fact the reports may state, not their own catalog entry ("When was
# Article 152 of the Labor Code published?", "When was the hazardous work list issued?")
_INSTRUMENT = re.compile(rf"{_LAW_ARTICLE.pattern}|\b(?:law|decree|act|code|convention|ordinance|order|"
                         r"protocol|plan|policy|strategy|list|regulation|circular|gazette)s?\b")


def asks_publication(low: str) -> bool:
    """The question asks when a document came out (answered from its catalog entry), not when a law
    or plan the reports describe was (unless a document is named as well)."""
    if _INSTRUMENT.search(low) and not _PUBLICATION_NOUN.search(_LAW_ARTICLE.sub(" ", low)):
        return False
    if _PUBLICATION_DATE.search(low):
        return True
    if not _DATE_ASKED.search(low):
        return False
    published = _PUBLISHED.search(low)
    after = " ".join(low[published.end():].split()[:4]) if published else ""
    if published and _OTHER_THING.match(low[published.end():]) and not _PUBLICATION_NOUN.search(after):
        return False  # "Since when has USDOL suggested that Senegal publish information on ...?"
    return bool(published or (_ISSUED.search(low) and _PUBLICATION_NOUN.search(low)))


# a news article (the ILO's kind of document), named by any of its nouns; not a law's numbered
# article ("Article 152 of the Labor Code", "Article L.187")
NEWS_ARTICLE = re.compile(rf"\b(?:article|story|news(?:\s+(?:item|story|piece))?|piece|press\s+release)s?\b"
                          rf"(?!{_ARTICLE_NUMBER})", re.I)


# "Who published the article?", "Which organisation wrote the Mali report?", "What is the URL of the
# ILO article?", "Give me the link to the report": a document's publisher or address, asked of the
# document itself (a publication noun; "Who published data on ...?" is a question of fact)
_PUBLISHER_ASKED = re.compile(r"\b(?:who|which (?:organi[sz]ation|agency|body|institution|bureau|office|department))\s+"
                              r"(?:(?:did|does|do)\s+)?(?:publish(?:es|ed)?|wr[io]tes?|wrote|issu(?:es|ed)|puts? out|produc(?:es|ed)|"
                              r"is behind|are behind)\b|\b(?:publisher|author)s?\b")
_DOCUMENT_PRONOUN = re.compile(r"^\s*(?:of|for|to|behind)?\s*(?:it|this|that|them|these|those)(?:\s+in\s+(?:19|20)\d\d)?\s*(?:[?.!]|$)")
_URL_ASKED = re.compile(r"\b(?:url|link|web\s*address|web\s*page|website)\b")
_TITLE_ASKED = re.compile(r"\b(?:full\s+|exact\s+)?title\b")
_DOCUMENT_NOUN = re.compile(r"^(?:[\w'’-]+\s+){0,4}(?:article|story|news\s+item|piece|report|document|"
                            rf"edition|chapter|press\s+release)s?\b(?!{_ARTICLE_NUMBER})")


def asks_catalog(low: str) -> str:
    """ "publisher", "url" or "title" when the lower-cased question asks that of a document, else ""."""
    for field, asked in (("publisher", _PUBLISHER_ASKED), ("url", _URL_ASKED), ("title", _TITLE_ASKED)):
        m = asked.search(low)
        if not m or _LAW_ARTICLE.search(low[m.end():]):
            continue
        # the document is named right after ("... published the article", "the URL of the ILO article"),
        # or stands for the one the conversation is about ("Who published it?")
        rest = low[m.end():]
        if _DOCUMENT_NOUN.match(re.sub(r"^\s*(?:of|for|to|behind)?\s*(?:the|this|that|these|those)?\s*", "", rest)) \
                or _DOCUMENT_PRONOUN.match(rest):
            return field
    return ""

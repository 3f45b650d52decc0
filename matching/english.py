"""How needs written in English (foreign buyers' RFQs) say what is wanted, who the poster is and what the goods are
for: the English counterparts of the Chinese patterns in :mod:`matching.clauses` and :mod:`matching.parties`. The
text is NFKC-normalised and lower-cased before any of these is applied; all match whole words."""

from __future__ import annotations

__all__ = ["OWN_START_EN", "PURPOSE_EN", "WANT_EN"]

# looking for EVA film suppliers, RFQ for ball valves, we need LED drivers
WANT_EN = (r"\b(?:looking for|look for|seeking|searching for|in search of|sourcing|source|need|needs|purchase|"
           r"purchasing|buy|buying|rfq for|request for quotation|inquiry for|enquiry for|wanted)\b")

# we are a solar module maker, as an OEM of …, our company makes …: a self-description at the start of a clause
# Our chip capacitor line makes …, our tyre plant needs …: what the poster's own line or plant makes
OWN_LINE_EN = r"\bour\s+((?:[a-z0-9\-\u3400-\u9fff]+\s+){1,3}?)(?:line|lines|plant|plants|factory|mill|products?)\b"
OWN_START_EN = (
    r"^(?:we are|we're|our company is|our company|as an?|we)\s+(?:an?\s+|the\s+|one of the\s+)?"
    r"(?=[a-z0-9 \-]{2,40}?\b(?:maker|manufacturer|producer|factory|plant|supplier|brand|company|oem|mill|"
    r"foundry|assembler|integrator)s?\b|(?:make|makes|produce|produces|manufacture|manufactures)\b)"
)

# for street lights, used in EV packs; not the for of who or what is sought (suppliers for EVA film, RFQ for)
_NOT_AFTER = ("looking", "look", "search", "rfq", "inquiry", "enquiry", "request", "quotation", "quote", "supplier",
              "suppliers", "manufacturer", "manufacturers", "maker", "makers", "factory", "vendor", "vendors",
              "partner", "source", "sources", "oem", "odm")
PURPOSE_EN = (r"\b(?:used (?:in|for|on)|for use (?:in|on|with)|applied (?:in|to)|"
              + "".join(f"(?<!{w} )" for w in _NOT_AFTER) + r"for)\b")

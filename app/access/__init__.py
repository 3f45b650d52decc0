"""The one access policy: who may see and who may manage needs and what hangs on them, catalogues and tokens.

- reach.py: an operator's regions and chains, the only place they are read;
- needs.py: needs and challenges (a challenge is a need) with their candidates, interests, applications and the
  offers ranked for them: what a principal may see, manage, and which fields (budget, poster) it is shown;
- catalogues.py: catalogues and their items, history, exports and imports;
- tokens.py: which tokens an operator issues, lists and revokes.

Each rule is written once, as a SQL clause where lists are filtered; the check for one object is that same rule
(evaluated in Python only where the two readings are plainly the same). Routes, web pages, exports and notification
payloads call these functions and never restate a rule.
"""

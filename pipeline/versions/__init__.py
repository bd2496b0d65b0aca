"""The approved version of each visit, and what changed since (§3.2.3, §3.3.4).

When a visit is first seen approved, what its plan says is kept (`content`: the visit's
rows as plain JSON values, only the fields the plan itself holds) beside the send log
(`store`). The check compares the visit as it stands with that version (`diff`: rows
added, removed and changed, cosmetic edits aside); the plan, the approver's message,
the dashboards and the index pages show the changes, and an update e-mail tells each
person what changed for them (`views`).
"""

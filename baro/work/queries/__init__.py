"""Reads of directives and tasks, always scoped to the actor. No writes here.

detail.py  one task or directive (its page)
lists.py   actor-scoped task lists, filters, timing status in SQL, completion rates
extras.py  the task page's collaboration panels (cascade, guidance, inputs, attachments, subtasks)
"""

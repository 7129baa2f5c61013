"""Cascade of a directive down the tree: each receiving unit's plan, its deployment, and every
member's acknowledgement (đã quán triệt). Rows change only through baro.cascade.services."""

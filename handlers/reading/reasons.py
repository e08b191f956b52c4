"""Why a line was not read as a confident order: short machine codes, stable for templates and tests.

`ReadRow.reason` and `Unclear.reason` carry one of these; `ReadRow.reason_detail` says it in words.
"""

from __future__ import annotations

from typing import Final

# Two or more products fit the words equally well (苹果 when 红富士苹果 and 青苹果 are both on sale),
# or a bare quantity (`要3份`) when several products are on sale.
AMBIGUOUS_PRODUCT: Final = "ambiguous_product"
# The words name no product of the catalog.
UNKNOWN_PRODUCT: Final = "unknown_product"
# A number that may be a quantity or something else: an address (512), a flag (,1), a range (2-3斤).
AMBIGUOUS_QUANTITY: Final = "ambiguous_quantity"
# A quantity no one orders: zero, negative, huge (99999999) or not a number at all (1e309).
ABSURD_QUANTITY: Final = "absurd_quantity"
# A product code that contradicts the dish written next to it (D 烤牛 when D is 鸡腿).
CONFLICTING_CODE: Final = "conflicting_code"
# Numbers inside remarks of a meal line (3加包子): per portion, or a count? The leader decides.
REMARK_NUMBERS: Final = "remark_numbers"
# Sold by weight (称重): the quantity is known only when the goods are weighed.
WEIGHED: Final = "weighed"
# The written unit does not convert to the product's unit (苹果1箱 when apples sell by 斤).
UNIT_MISMATCH: Final = "unit_mismatch"
# The flavours written do not fill the mixed box (三种口味 for a box of four).
VARIANT_COUNT: Final = "variant_count"
# An order line with no person to put it on.
NO_NAME: Final = "no_name"
# An edit or cancel that names nothing earlier to change.
NOTHING_TO_CHANGE: Final = "nothing_to_change"
# The same person sent +1 again: one more, or a repeat?
REPEATED_PLUS_ONE: Final = "repeated_plus_one"
# 同上, 我也要: the same as the message above, which the member is asked to confirm.
SAME_AS_ABOVE: Final = "same_as_above"
# Too long or too many lines: read in part, the rest left to the leader.
TOO_LONG: Final = "too_long"

"""The background's "busy" test asks whether the lightness spread is over a limit; the quick
float answer must be the statistics module's answer, at the limit itself too."""

from __future__ import annotations

import statistics

from hypothesis import given, settings
from hypothesis import strategies as st

from nominator.domain.photo import BUSY_L_SPREAD, _spread_over

counted_values = st.lists(
    st.tuples(st.integers(1, 500), st.floats(0, 100, allow_nan=False)), min_size=1, max_size=60
)


@settings(max_examples=300, deadline=None)
@given(counted_values, st.sampled_from([-1e-9, 0.0, 1e-9, 1e-3, -1e-3, None]))
def test_the_spread_is_judged_as_statistics_pstdev_judges_it(
    counted: list[tuple[int, float]], offset: float | None
) -> None:
    values = [value for count, value in counted for _ in range(count)]
    exact = statistics.pstdev(values)
    limit = BUSY_L_SPREAD if offset is None else exact + offset  # at and around the edge too
    assert _spread_over(counted, limit) == (exact > limit)

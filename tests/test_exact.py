"""The exact arbiter of the random-graph tests (`exact.py`) against closed forms, so that a mistake in it cannot
let a wrong derivative through."""
import math

from exact import exact, within_rounding


def f(x, y):
    "Every operation the arbiter has, on two leaves"
    return (x ** 3 * y + (x * y).exp() / y - (2.0 ** x) + (x * x + 1).log() + y.tanh() + x.sigmoid()
            + (y - 0.5).softplus() + (x - 1).relu() + (x + 3) ** (y / 2) + 1 / (y + 2) - 0.5 * x + 3 - y)


def closed_form(x, y):
    "f's value, gradient and Hessian, derived by hand"
    s, t, sp = 1 / (1 + math.exp(-x)), math.tanh(y), 1 / (1 + math.exp(-(y - 0.5)))
    e, b, c, lb = math.exp(x * y), x + 3, y / 2, math.log(x + 3)
    p = b ** c
    value = (x ** 3 * y + e / y - 2 ** x + math.log(x * x + 1) + t + s + math.log1p(math.exp(y - 0.5))
             + max(x - 1, 0) + p + 1 / (y + 2) - 0.5 * x + 3 - y)
    fx = (3 * x * x * y + e - math.log(2) * 2 ** x + 2 * x / (x * x + 1) + s * (1 - s) + (x > 1) + c * p / b - 0.5)
    fy = (x ** 3 + e * (x * y - 1) / (y * y) + 1 - t * t + sp + p * lb / 2 - 1 / (y + 2) ** 2 - 1)
    fxx = (6 * x * y + y * e - math.log(2) ** 2 * 2 ** x + 2 * (1 - x * x) / (x * x + 1) ** 2
           + s * (1 - s) * (1 - 2 * s) + c * (c - 1) * p / b ** 2)
    fxy = 3 * x * x + x * e + p / (2 * b) + c * p * lb / (2 * b)
    fyy = (e * (x * x * y * y - 2 * x * y + 2) / y ** 3 - 2 * t * (1 - t * t) + sp * (1 - sp) + p * lb * lb / 4
           + 2 / (y + 2) ** 3)
    return value, [fx, fy], [[fxx, fxy], [fxy, fyy]]


def test_exact_matches_closed_forms():
    for x, y, v in [(0.3, 1.7, [0.4, -1.1]), (1.6, 0.8, [1.0, 0.0]), (-0.9, 2.5, [-0.3, 2.0])]:
        value, g, hv, *_ = exact(lambda leaves: f(*leaves), [x, y], v)
        want, wg, H = closed_form(x, y)
        assert math.isclose(value, want, rel_tol=1e-12)
        for ours, theirs in zip(g, wg): assert math.isclose(ours, theirs, rel_tol=1e-12)
        for i in range(2):
            assert math.isclose(hv[i], H[i][0] * v[0] + H[i][1] * v[1], rel_tol=1e-11)


def test_exact_has_more_than_float_precision():
    "(x + 1e-30) - x is 1e-30 exactly, where floats give 0"
    e = exact(lambda leaves: (leaves[0] + 1e-30) - leaves[0], [1.0])
    assert e.value == 1e-30 and e.grads == [0.0]


def test_sizes_measure_cancellation():
    "x * 1e8 - x * 1e8 + x: exactly x, from terms of size 2e8 x, so float64 may be off by about 2e8 * 2**-53 x"
    e = exact(lambda l: l[0] * 1e8 - l[0] * 1e8 + l[0] * l[0], [3.0], [1.0])
    assert (e.value, e.grads, e.hv) == (9.0, [6.0], [2.0])
    assert math.isclose(e.value_size, 2 * 3e8 + 9) and math.isclose(e.grad_sizes[0], 2e8 + 6)
    assert e.hv_sizes == [2.0]  # no cancellation in the second derivative


def test_within_rounding_rejects_more_than_rounding():
    size = 6e8  # the terms of 3 * 1e8 - 3 * 1e8 + 9
    assert within_rounding(9.0 + 1e-7, 9.0, size, 3)      # a few units of roundoff of 6e8: rounding
    assert not within_rounding(9.0 + 1e-3, 9.0, size, 3)  # far more than rounding of terms of 6e8 can make
    assert not within_rounding(0.125, 0.0, 1.0, 40)       # a wrong derivative among terms of size 1
    assert within_rounding(0.0, 0.0, 0.0, 40)

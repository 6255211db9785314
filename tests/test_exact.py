"""The exact arbiter of the random-graph tests (`exact.py`) against closed forms, so that a mistake in it cannot
let a wrong derivative through."""
import math

from exact import exact, within_noise


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
        value, g, hv = exact(lambda leaves: f(*leaves), [x, y], v)
        want, wg, H = closed_form(x, y)
        assert math.isclose(value, want, rel_tol=1e-12)
        for ours, theirs in zip(g, wg): assert math.isclose(ours, theirs, rel_tol=1e-12)
        for i in range(2):
            assert math.isclose(hv[i], H[i][0] * v[0] + H[i][1] * v[1], rel_tol=1e-11)


def test_exact_has_more_than_float_precision():
    "(x + 1e-30) - x is 1e-30 exactly, where floats give 0"
    value, g, _ = exact(lambda leaves: (leaves[0] + 1e-30) - leaves[0], [1.0])
    assert value == 1e-30 and g == [0.0]


def test_within_noise_rejects_more_than_rounding():
    assert within_noise(0.0, 1e-11, 0.0)               # microgradnb exact, PyTorch noisy
    assert within_noise(1.5e-11, 1e-11, 0.0)           # both noisy, about equally
    assert not within_noise(1e-6, 1e-11, 0.0)          # microgradnb off by far more than PyTorch's rounding
    assert not within_noise(0.125, 0.0, 0.0)           # PyTorch exact, microgradnb not

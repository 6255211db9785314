"""An exact arbiter for the random-graph tests: values, first derivatives and Hessian-vector products computed
with 60 significant digits (mpmath), by forward mode on hyper-dual numbers, together with the size of the terms
each result is made of.

microgradnb and PyTorch both round to float64, in different orders. Where the exact answer comes from
cancellation (a derivative that is 0 in exact arithmetic, made of terms of 1e5, say), each engine is left with its
own rounding noise, far above any fixed absolute tolerance: 1e-11 from one engine and an exact 0.0 from the other,
or the other way round. When the two engines disagree beyond the tests' tolerance, this module decides:
microgradnb must then agree with the exact answer, or be off it by no more than float64 rounding of terms of that
size can explain. A wrong rule fails that, because its error is of the size of the terms, not of their rounding.

A hyper-dual number is a + b e1 + c e2 + d e1 e2 with e1**2 = e2**2 = 0. Seeding each leaf x_j as
(x_j, v_j, [j == i], 0) makes the output's c the derivative along leaf i and its d the i-th entry of the Hessian
times v. Each part also carries the size of its terms, propagated the way a rounding error is (first order):
sums add sizes, products multiply them, a function scales them by the absolute value of its derivatives.
"""
from collections import namedtuple

import mpmath

DIGITS = 60
ROUNDING = 4  # a safety factor on the rounding error bound of `within_rounding`


def _num(x):
    "A plain number as an exact mpf"
    return mpmath.mpf(x)


class HyperDual:
    """a + b e1 + c e2 + d e1 e2 with mpf parts, and for each part the size of the terms it is made of
    (ma, mb, mc, md): the scale of the rounding error a float64 computation of that part can make"""
    __slots__ = ('a', 'b', 'c', 'd', 'ma', 'mb', 'mc', 'md')

    def __init__(self, a, b=0, c=0, d=0, ma=None, mb=0, mc=0, md=0):
        self.a, self.b, self.c, self.d = a, b, c, d
        self.ma, self.mb, self.mc, self.md = abs(a) if ma is None else ma, mb, mc, md

    @staticmethod
    def lift(x): return x if isinstance(x, HyperDual) else HyperDual(_num(x))

    def chain(self, f, f1, f2):
        "phi(self) from phi(a), phi'(a) and phi''(a); the sizes include the error that a's error makes in each"
        f1a, f2a, ea = abs(f1), abs(f2), self.ma
        return HyperDual(f, f1 * self.b, f1 * self.c, f1 * self.d + f2 * self.b * self.c,
                         abs(f) + f1a * ea, f1a * self.mb + f2a * abs(self.b) * ea, f1a * self.mc + f2a * abs(self.c) * ea,
                         f1a * self.md + f2a * (self.mb * self.mc + abs(self.d) * ea))

    def __add__(self, o):
        o = HyperDual.lift(o)
        return HyperDual(self.a + o.a, self.b + o.b, self.c + o.c, self.d + o.d,
                         self.ma + o.ma, self.mb + o.mb, self.mc + o.mc, self.md + o.md)
    __radd__ = __add__
    def __neg__(self): return HyperDual(-self.a, -self.b, -self.c, -self.d, self.ma, self.mb, self.mc, self.md)
    def __sub__(self, o): return self + (-HyperDual.lift(o))
    def __rsub__(self, o): return HyperDual.lift(o) + (-self)

    def __mul__(self, o):
        o = HyperDual.lift(o)
        return HyperDual(self.a * o.a, self.a * o.b + self.b * o.a, self.a * o.c + self.c * o.a,
                         self.a * o.d + self.b * o.c + self.c * o.b + self.d * o.a,
                         self.ma * o.ma, self.ma * o.mb + self.mb * o.ma, self.ma * o.mc + self.mc * o.ma,
                         self.ma * o.md + self.mb * o.mc + self.mc * o.mb + self.md * o.ma)
    __rmul__ = __mul__

    def reciprocal(self):
        r = 1 / self.a
        return self.chain(r, -r * r, 2 * r * r * r)
    def __truediv__(self, o): return self * HyperDual.lift(o).reciprocal()
    def __rtruediv__(self, o): return HyperDual.lift(o) * self.reciprocal()

    def __pow__(self, o):
        if isinstance(o, HyperDual): return (self.log() * o).exp()  # the base is positive here
        n = _num(o)
        if n == 0: return HyperDual(_num(1))
        f1 = n * self.a ** (n - 1)
        f2 = 0 if n == 1 else n * (n - 1) * self.a ** (n - 2)
        return self.chain(self.a ** n, f1, f2)

    def __rpow__(self, base):
        lc = mpmath.log(_num(base))
        f = mpmath.exp(self.a * lc)
        return self.chain(f, lc * f, lc * lc * f)

    def exp(self):
        f = mpmath.exp(self.a)
        return self.chain(f, f, f)
    def log(self): return self.chain(mpmath.log(self.a), 1 / self.a, -1 / (self.a * self.a))
    def tanh(self):
        t = mpmath.tanh(self.a)
        return self.chain(t, 1 - t * t, -2 * t * (1 - t * t))
    def sigmoid(self):
        s = 1 / (1 + mpmath.exp(-self.a))
        return self.chain(s, s * (1 - s), s * (1 - s) * (1 - 2 * s))
    def softplus(self):
        s = 1 / (1 + mpmath.exp(-self.a))
        return self.chain(mpmath.log(1 + mpmath.exp(self.a)), s, s * (1 - s))
    def relu(self):
        on = self.a > 0
        return self.chain(self.a if on else _num(0), _num(1 if on else 0), _num(0))


Exact = namedtuple('Exact', 'value grads hv value_size grad_sizes hv_sizes')


def exact(build_fn, xs, v=None):
    """`build_fn(leaves)` evaluated exactly at the floats `xs`: its value, gradient and Hessian times `v` (None if
    `v` is None), each rounded once to a float, and the size of the terms each is made of"""
    with mpmath.workdps(DIGITS):
        grads, hvs, gsizes, hsizes = [], [], [], []
        for i in range(len(xs)):
            leaves = []
            for j, x in enumerate(xs):
                vj, dj = _num(0 if v is None else v[j]), _num(int(j == i))
                leaves.append(HyperDual(_num(x), vj, dj, _num(0), abs(_num(x)), abs(vj), dj, _num(0)))
            out = HyperDual.lift(build_fn(leaves))
            grads.append(float(out.c)); gsizes.append(float(out.mc))
            hvs.append(float(out.d)); hsizes.append(float(out.md))
        return Exact(float(out.a), grads, None if v is None else hvs, float(out.ma), gsizes, None if v is None else hsizes)


def within_rounding(ours, truth, size, n_ops):
    """True if `ours` is off the exact `truth` by no more than float64 rounding can explain: ROUNDING times the
    unit roundoff, per operation of the graph, times `size`, the size of the terms the result is made of"""
    return abs(ours - truth) <= ROUNDING * 2.0 ** -53 * n_ops * size

"""An exact arbiter for the random-graph tests: values, first derivatives and Hessian-vector products computed
with 60 significant digits (mpmath), by forward mode on hyper-dual numbers.

microgradnb and PyTorch both round to float64, in different orders. Where the exact answer comes from
cancellation (a derivative that is 0 in exact arithmetic, say), each engine is left with its own rounding noise,
and that noise can be far above any fixed absolute tolerance (1e-11 next to intermediate gradients of 1e5, for
one). When the two engines disagree beyond the tests' tolerance, this module decides: microgradnb must then be no
farther from the exact answer than PyTorch is. A wrong rule fails that, because its error is not rounding noise.

A hyper-dual number is a + b e1 + c e2 + d e1 e2 with e1**2 = e2**2 = 0. Seeding each leaf x_j as
(x_j, v_j, [j == i], 0) makes the output's c the derivative along leaf i and its d the i-th entry of the Hessian
times v.
"""
import mpmath

DIGITS = 60
NOISE = 16  # how many times PyTorch's rounding error microgradnb's may reach, where the exact answer decides


def _num(x):
    "A plain number as an exact mpf"
    return mpmath.mpf(x)


class HyperDual:
    "a + b e1 + c e2 + d e1 e2, with mpf parts; the operations the random graphs use"
    __slots__ = ('a', 'b', 'c', 'd')

    def __init__(self, a, b=0, c=0, d=0): self.a, self.b, self.c, self.d = a, b, c, d

    @staticmethod
    def lift(x): return x if isinstance(x, HyperDual) else HyperDual(_num(x))

    def chain(self, f, f1, f2):
        "phi(self) from phi(a), phi'(a) and phi''(a)"
        return HyperDual(f, f1 * self.b, f1 * self.c, f1 * self.d + f2 * self.b * self.c)

    def __add__(self, o):
        o = HyperDual.lift(o)
        return HyperDual(self.a + o.a, self.b + o.b, self.c + o.c, self.d + o.d)
    __radd__ = __add__
    def __neg__(self): return HyperDual(-self.a, -self.b, -self.c, -self.d)
    def __sub__(self, o): return self + (-HyperDual.lift(o))
    def __rsub__(self, o): return HyperDual.lift(o) + (-self)

    def __mul__(self, o):
        o = HyperDual.lift(o)
        return HyperDual(self.a * o.a, self.a * o.b + self.b * o.a, self.a * o.c + self.c * o.a,
                         self.a * o.d + self.b * o.c + self.c * o.b + self.d * o.a)
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


def exact(build_fn, xs, v=None):
    """`build_fn(leaves)` evaluated exactly at the floats `xs`: (value, gradient, H @ v), each as floats rounded
    once (H @ v is None when `v` is None)"""
    with mpmath.workdps(DIGITS):
        grads, hvs, value = [], [], None
        for i in range(len(xs)):
            leaves = [HyperDual(_num(x), _num(0 if v is None else v[j]), _num(int(j == i)), _num(0))
                      for j, x in enumerate(xs)]
            out = HyperDual.lift(build_fn(leaves))
            value = out.a
            grads.append(float(out.c))
            hvs.append(float(out.d))
        return float(value), grads, None if v is None else hvs


def within_noise(ours, theirs, truth):
    "True if `ours` is off the exact `truth` by no more than NOISE times `theirs` (PyTorch's float64 result) is"
    return abs(ours - truth) <= NOISE * abs(theirs - truth)

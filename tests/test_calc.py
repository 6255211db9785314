"""The calculator's defensive cases, moved out of its chapter (nbs/11_calc.ipynb), which shows one refusal per guard.

Each test holds the cases of one guard as the chapter once held them: the calculator's own reader against Python's
parser, the limits of Python's parser, every refused construct, numbers no float holds, wrong variables, the engine's
mathematical errors, long expressions, name=value pairs, the Python API's types, and the installed command's errors.
"""
import ast
import math
import os
import random
import shutil
import subprocess
import sys

from fastcore import test as ft  # ft.test_eq, not test_eq: pytest would collect a test_* name as a test

from microgradnb.engine import Value
from microgradnb.calc import ExpressionError, evaluate, grad_cli, _NotPlain, _parse_long, _parse, _checked_names, _parse_assignments


def nodes(tree):
    "Every node of `tree` with its name or number and its position, in `ast.walk`'s order: equal lists, equal trees (`ast.dump` recurses, and `test_eq` is slow on long lists)"
    return [(type(n).__name__, getattr(n, 'id', None), getattr(n, 'value', None), getattr(n, 'col_offset', None), getattr(n, 'end_col_offset', None))
            for n in ast.walk(tree)]


def names_in(expr): return _checked_names(_parse(expr), expr)


def grad(*args, cwd=None, env=None):
    "Run the installed microgradnb-grad (or, where it is not installed, this Python running what it runs) with `args`"
    exe = shutil.which('microgradnb-grad', path=os.path.dirname(sys.executable)) or shutil.which('microgradnb-grad')
    cmd = [exe] if exe else [sys.executable, '-c', 'import sys; from microgradnb.calc import grad_cli; sys.exit(grad_cli())']
    return subprocess.run([*cmd, *args], capture_output=True, text=True, cwd=cwd, env=env)


# ---- the calculator's own reader ----

def random_plain(r, depth=0):
    "A random expression of plain arithmetic, with odd spacing, line breaks inside brackets, and non-ASCII names"
    k = r.random()
    if depth > 4 or k < 0.3: return r.choice(['x', 'y', '\N{MICRO SIGN}', '\N{FULLWIDTH LATIN SMALL LETTER X}', 'ñ2', '2', '0.5', '1e3', '1_000', '0x1F', '3.', '.5', '2j'])
    if k < 0.55: return random_plain(r, depth + 1) + r.choice([' ', '']) + r.choice(['+', '-', '*', '/', '**']) + r.choice([' ', '']) + random_plain(r, depth + 1)
    if k < 0.7: return r.choice(['-', '+', '- ', '--']) + random_plain(r, depth + 1)
    if k < 0.85: return '(' + r.choice(['', ' ', '\n  ']) + random_plain(r, depth + 1) + r.choice(['', ' ', ' # note\n']) + ')'
    return r.choice(['tanh', 'exp', 'foo']) + r.choice(['', ' ']) + '(' + random_plain(r, depth + 1) + ')'


def test_own_reader_gives_pythons_tree_on_random_plain_arithmetic():
    r = random.Random(0)
    for _ in range(3000):
        e = random_plain(r)
        ft.test_eq(ast.dump(_parse_long(e), include_attributes=True), ast.dump(ast.parse(e, mode='eval'), include_attributes=True))


def test_own_reader_refusals():
    for bad, words in [('x +', 'ends with an operator'), ('', 'it is empty'), ('x y', "unexpected 'y' at column 3"), ('(x', 'never closed'),
                       ('x)', "unmatched ')' at column 2"), ('x ** ** y', "unexpected '**'"), ('x\n+ y', 'a line break outside brackets, at line 1'),
                       ('09', "unexpected '9'")]:
        ft.test_fail(lambda: _parse_long(bad), contains=words)
    for other in ['x.y', 'tanh(x, y)', '(x)(y)', 'lambda: 1', 'x $ y', "'a'", '2(3)']: ft.test_fail(lambda: _parse_long(other), exc=_NotPlain)


# ---- parsing: Python's parser first, the calculator's reader past its limits ----

def test_parse_refuses_what_is_not_one_expression():
    for bad in ['', 'x +', 'import os', 'x = 1', 'tanh(x', 'x\x00']: ft.test_fail(lambda: _parse(bad), contains='not a valid expression')


def test_parse_long_sum_is_the_own_readers_tree():
    long_sum = ' + '.join(['x'] * 12_000)  # more than any Python's parser builds
    assert nodes(_parse(long_sum)) == nodes(_parse_long(long_sum))


def test_parse_past_pythons_limits():
    ft.test_fail(lambda: _parse('x.real + ' + ' + '.join(['x'] * 20_000)), contains="plain arithmetic (numbers, variables, + - * / **, brackets, the functions) can be read without it: '.' at column 2 is not")
    ft.test_fail(lambda: _parse('[' + ' + '.join(['x'] * 20_000) + ']'), contains="'[' at column 1 is not")
    ft.test_fail(lambda: _parse(' + '.join(['x'] * 20_000) + ' +'), contains='not a valid expression')
    ft.test_fail(lambda: _parse('x +' * 20_000), contains='not a valid expression')  # Python's parser or the calculator's: the same words
    ft.test_fail(lambda: _parse('(' * 201 + 'x.real' + ')' * 201), contains="nested too deeply for Python's parser")
    ft.test_fail(lambda: _parse('(' * 201 + 'x'), contains='a bracket is never closed')
    ft.test_fail(lambda: _parse("'a' + " + '1' * 4301), contains='a whole number of more than 4,300 digits is too large for a float')
    ft.test_eq(_parse('1' * 4301).body.value, math.inf)  # refused by the check, next
    for deep in ['-' * 12_000 + 'x', 'x**' * 4_000 + 'x', 'tanh(' * 150 + ' + '.join(['x'] * 12_000) + ')' * 150]:
        assert nodes(_parse(deep)) == nodes(_parse_long(deep))


# ---- checking the tree ----

REFUSED = [
    ('x.real',               'attribute access'),
    ("__import__('os')",     "calling '__import__'"),
    ('x[0]',                 'subscript'),
    ('x < 1',                'comparison'),
    ('x and y',              'boolean operator'),
    ('x if y else 1',        'conditional expression'),
    ('lambda: 1',            'lambda'),
    ('[x for x in y]',       'list comprehension'),
    ('{x for x in y}',       'set comprehension'),
    ('{x: 1 for x in y}',    'dict comprehension'),
    ('sum(x for x in y)',    "calling 'sum'"),
    ('tanh(x for x in y)',   'generator expression'),
    ('[x]',                  'list'),
    ('(x, y)',               'tuple'),
    ('{x: 1}',               'dict'),
    ('{x}',                  'set'),
    ("'abc'",                "the constant 'abc' (str)"),
    ("f'{x}'",               'f-string'),
    ('None',                 'the constant None'),
    ('True + x',             'the constant True (bool)'),
    ('2j * x',               'the constant 2j (complex)'),
    ('(y := 2)',             'assignment expression'),
    ('tanh(*x)',             'starred expression'),
    ('x // 2',               'the operator //'),
    ('x % 2',                'the operator %'),
    ('x @ y',                'the operator @'),
    ('x ^ y',                'the operator ^'),
    ('x << 1',               'the operator <<'),
    ('~x',                   'the operator ~'),
    ('not x',                'the operator not'),
    ('foo(x)',               "calling 'foo'"),
    ('math.tanh(x)',         "calling 'math.tanh'"),
    ('x(2)',                 "calling 'x'"),
    ('tanh(x, y)',           'tanh with 2 arguments'),
    ('tanh()',               'tanh with 0 arguments'),
    ('tanh(x=1)',            'a keyword argument to tanh'),
    ('tanh + 1',             "the function 'tanh' without an argument"),
    ('exp',                  "the function 'exp' without an argument"),
]


def test_every_refused_construct():
    for expr, words in REFUSED:
        ft.test_fail(lambda: names_in(expr), contains=words)
        ft.test_fail(lambda: names_in(expr), contains='is not allowed')
    ft.test_eq(len(REFUSED), 38)


def test_numbers_no_float_holds_are_quoted_as_typed():
    ft.test_fail(lambda: names_in('x ** 1e-400'), contains='the number 1e-400 is too small for a float: it would be 0')
    ft.test_fail(lambda: names_in('x + ' + '1' * 4301), contains='the number 11111111111111111111...(4,301 digits) is too large for a float')


# ---- evaluate: the variables and their values ----

def test_wrong_variables():
    ft.test_fail(lambda: evaluate('x * y'), contains='no value given for x, y')
    ft.test_fail(lambda: evaluate('tanh(x)', x=1, tanh=2), contains="'tanh' is a function")
    ft.test_fail(lambda: evaluate('x', x='2'), contains='the value of x must be a real number, got str')
    ft.test_fail(lambda: evaluate('x', x=True), contains='got bool')
    ft.test_fail(lambda: evaluate('x', x=math.inf), contains='must be a finite number')
    ft.test_fail(lambda: evaluate('x', x=10**400), contains='the value of x must be a finite number, got an int of about 10**400, too large for a float')


def test_wrong_variable_names_and_long_lists():
    ft.test_fail(lambda: evaluate('x', x=Value(2.0)), contains='the value of x must be a real number, got a Value holding 2.0')
    ft.test_fail(lambda: evaluate('x', **{'1x': 2}), contains="'1x' is not a valid variable name")
    ft.test_fail(lambda: evaluate('x', **{'x': 1, 'lambda': 2}), contains="'lambda' is not a valid variable name")
    ft.test_fail(lambda: evaluate('x', x=1, **{'\N{FULLWIDTH LATIN SMALL LETTER X}': 2}), contains="'x' and 'ｘ' are the same name to Python, 'x': give its value once")
    ft.test_fail(lambda: evaluate('x', **{'\N{FULLWIDTH LATIN SMALL LETTER T}anh': 2, 'x': 1}), contains="is a function")
    many = {f'x{i}': 1 for i in range(2000)}
    ft.test_fail(lambda: evaluate('x0', **many), contains='x1, x2, x3, x4, x5, x6, x7, x8, x9, x10 and 1,989 more given but not used')
    ft.test_fail(lambda: evaluate(' * '.join(many)), contains='no value given for x0, x1, x2, x3, x4, x5, x6, x7, x8, x9 and 1,990 more')
    ft.test_fail(lambda: evaluate('x' * 5000 + '.real'), contains="attribute access (a.b) is not allowed, in 'xxxxx")
    for expr in ['x' * 5000 + '.real', 'x +' * 5000, '1' * 5000, 'foo' * 2000 + '(x)', '"' + 'a' * 5000 + '"']:
        try: evaluate(expr)
        except ExpressionError as e: assert len(str(e)) < 400, (expr[:20], len(str(e)))


def test_mathematical_errors_are_the_engines():
    ft.test_fail(lambda: evaluate('x / (y - 1)', x=1, y=1), contains='division by zero')
    ft.test_fail(lambda: evaluate('1 / 0'), contains='division by zero')
    ft.test_fail(lambda: evaluate('exp(x)', x=1000), contains='overflows')
    ft.test_fail(lambda: evaluate('sqrt(x)', x=0)[0].backward(), contains='infinite at x = 0')


# ---- long expressions, whitespace ----

def test_whitespace_brackets_and_the_expressions_type():
    ft.test_eq(evaluate('  x * 2 ', x=1)[0].val, 2.0)
    ft.test_eq(evaluate('(x +\n 2)', x=1)[0].val, 3.0)
    ft.test_eq(evaluate('(' * 300 + 'x + 1' + ')' * 300, x=1)[0].val, 2.0)
    ft.test_fail(lambda: evaluate(3), contains='the expression must be a str, got int')


def test_a_neuron_with_3000_inputs_and_a_long_product():
    terms = [f'x{i} * w{i}' for i in range(3000)]
    values = {f'{n}{i}': 0.5 for i in range(3000) for n in 'xw'}
    out, xs = evaluate('tanh(' + ' + '.join(terms) + ' - 749)', **values)  # a neuron with 3,000 inputs
    out.backward()
    ft.test_close((out.val, xs['w7'].grad), (math.tanh(1.0), 0.5 * (1 - math.tanh(1.0) ** 2)), eps=1e-12)
    out, xs = evaluate(' * '.join(['x'] * 5_000), x=1.0001)
    out.backward()
    ft.test_close(out.val, 1.0001 ** 5_000, eps=1e-9)


# ---- the command line: name=value pairs, the Python API's types ----

BAD_PAIRS = [
    (['x'],             "expected name=value, got 'x'"),
    (['=2'],            "'' is not a valid variable name"),
    (['2x=1'],          "'2x' is not a valid variable name"),
    (['x y=1'],         "'x y' is not a valid variable name"),
    (['lambda=1'],      "'lambda' is not a valid variable name"),
    (['x=1', 'x=2'],    'x is given twice'),
    (['x='],            "the value of x is not a number: ''"),
    (['x=abc'],         "the value of x is not a number: 'abc'"),
    (['x=1/3'],         "the value of x is not a number: '1/3'"),
    (['x=nan'],         'must be a finite number'),
    (['x=-inf'],        'must be a finite number'),
    (['x=1e999'],       'the value of x, 1e999, is too large for a float'),
    (['x=1e-400'],      'the value of x, 1e-400, is too small for a float: it would be 0'),
]


def test_bad_pairs():
    for pairs, words in BAD_PAIRS: ft.test_fail(lambda: _parse_assignments(pairs), contains=words)


def test_pairs_names_in_normal_form_and_numbers_at_the_edge():
    ft.test_fail(lambda: evaluate('\N{MICRO SIGN} * 2', **_parse_assignments(['\N{MICRO SIGN}=2', '\N{GREEK SMALL LETTER MU}=3'])), contains='are the same name to Python')
    ft.test_eq(evaluate('\N{MICRO SIGN} * 2', **_parse_assignments(['\N{GREEK SMALL LETTER MU}=3']))[0].val, 6.0)
    ft.test_eq(list(evaluate('\N{GREEK SMALL LETTER MU} * 2', **_parse_assignments(['\N{MICRO SIGN}=3']))[1]), ['\N{MICRO SIGN}'])  # keyed as given
    ft.test_fail(lambda: _parse_assignments(['x=' + '9' * 400]), contains='the value of x, 99999999999999999999...(400 digits), is too large')
    ft.test_eq(_parse_assignments(['x=0e-400', 'y=1e-320']), dict(x=0.0, y=1e-320))


def test_grad_cli_argument_types():
    ft.test_fail(lambda: grad_cli('x', 5), contains="assignments[0] must be a str such as 'x=2', got int: 5")
    ft.test_fail(lambda: grad_cli('x', 'x=1', svg=5), contains='svg must be a str naming an .svg file, got int: 5')
    ft.test_fail(lambda: grad_cli(None, 'x=1'), contains='the expression must be a str, got NoneType: None')


# ---- the installed command ----

CLI_ERRORS = [
    (['x.real', 'x=1'],                 2, 'attribute access'),
    (['x if x else 1', 'x=1'],          2, 'conditional expression'),
    (['x +', 'x=1'],                    2, 'not a valid expression'),
    (['x * y', 'x=1'],                  2, 'no value given for y'),
    (['x', 'x=1', 'y=2'],               2, 'y given but not used'),
    (['x', 'x'],                        2, 'expected name=value'),
    (['x', '1x=2'],                     2, 'not a valid variable name'),
    (['x', 'x=two'],                    2, 'the value of x is not a number'),
    (['x', 'x=inf'],                    2, 'must be a finite number'),
    (['x', 'x=1', 'x=2'],               2, 'x is given twice'),
    (['tanh(x)', 'x=1', 'tanh=2'],      2, "'tanh' is a function"),
    (['log(x)', 'x=0'],                 1, 'log is defined only for positive numbers'),
    (['1 / (x - 1)', 'x=1'],            1, 'division by zero'),
    (['exp(x)', 'x=1000'],              1, 'overflows'),
    (['sqrt(x)', 'x=0'],                1, 'infinite at x = 0'),
    ([],                                2, 'the following arguments are required: expr (see microgradnb-grad --help)'),
    (['x', 'x=1', '--bogus'],           2, 'unrecognized arguments: --bogus'),
    (['x', 'x=1', '--pdb'],             2, 'unrecognized arguments: --pdb'),
    (['--x', 'x=1'],                    2, 'unrecognized arguments: --x'),
    (['x', 'x=1', '--svg'],             2, 'argument --svg: expected one argument'),
    (['x', 'x=1', '--svg', 'g.png'],    2, "--svg needs a file name that ends in .svg, got 'g.png'"),
    (['x', 'x=1', '--sv', 'g.svg'],     2, 'unrecognized arguments: --sv'),
    (['x' + '+x' * 50_000, 'x=1'],     2, 'the calculator reads at most 100,000'),
    (['x\udcff', 'x=1'],               2, 'not a valid expression: it holds a byte that is not valid text, 0xff, at column 2'),  # $'x\xff'
    (['x+\n\udcff', 'x=1'],            2, 'it holds a byte that is not valid text, 0xff, at line 2, column 1'),
    (['x', 'x=1', '--svg', 'a.svg', '--svg', 'b.svg'], 2, '--svg is given twice'),
    (['x', 'x=1', '--svg', 'a' * 300 + '.svg'], 2, "--svg 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...aa.svg': File name too long"),
]


def test_every_kind_of_error_in_the_installed_command():
    for args, status, words in CLI_ERRORS:
        res = grad(*args)
        ft.test_eq(res.returncode, status)
        ft.test_eq(res.stdout, '')
        assert words in res.stderr, (args, res.stderr)
        ft.test_eq(len(res.stderr.splitlines()), 1)


def test_a_lone_surrogate_from_python_is_named_too():
    ft.test_fail(lambda: evaluate('x + \ud800', x=1), contains='it holds a lone surrogate, U+D800, which is not text, at column 5')


def test_an_expression_may_start_with_a_minus_sign_or_follow_a_double_dash():
    for args in [('-x*y', 'x=1', 'y=2'), ('--', '-x*y', 'x=1', 'y=2'), ('-h*y', 'h=1', 'y=2'), ('-x * y', 'x=1', 'y=2'), ('--', '--x*y', 'x=1', 'y=2')]:
        res = grad(*args)
        ft.test_eq((res.returncode, res.stderr, res.stdout.splitlines()[0].split(' = ')[1]), (0, '', '-2.0' if '--x*y' not in args else '2.0'))

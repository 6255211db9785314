"""The gradient calculator (`evaluate`, `microgradnb-grad`) and the drawing (`draw`, `Drawing.save`), as a user meets them:
expressions that start with a minus sign, long sums and products, variable names in any Unicode form, graphs too large
for Graphviz to lay out in seconds, the size of the printed report, and the messages of each refusal.
"""
import ast
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from microgradnb import Value, draw, evaluate
from microgradnb.calc import ExpressionError, _parse_long, grad_cli
from microgradnb.viz import Drawing, _layout_size, trace

MICRO, MU = '\N{MICRO SIGN}', '\N{GREEK SMALL LETTER MU}'


def command():
    "The installed microgradnb-grad, or this Python running what it runs"
    exe = Path(sys.executable).parent/'microgradnb-grad'
    if exe.exists(): return [str(exe)]
    found = shutil.which('microgradnb-grad')
    return [found] if found else [sys.executable, '-c', 'import sys; from microgradnb.calc import grad_cli; sys.exit(grad_cli())']


def run(*args, cwd=None, env=None):
    "Run microgradnb-grad with `args` in a new process; return (status, stdout, stderr)"
    res = subprocess.run([*command(), *args], capture_output=True, text=True, cwd=cwd, env=env, stdin=subprocess.DEVNULL, timeout=120)
    return res.returncode, res.stdout, res.stderr


def run_here(monkeypatch, capsys, *args):
    "Run grad_cli as the command runs it, reading `args` as its command line, in this process; return (status, stdout, stderr)"
    monkeypatch.setattr(sys, 'argv', ['microgradnb-grad', *args])
    status = grad_cli()
    out, err = capsys.readouterr()
    return status, out, err


def power(n):
    "x * x * ... * x with n factors: every product uses x, so its arrows cross the whole drawing"
    x = Value(1.0)
    y = x
    for _ in range(n - 1): y = y * x
    return y


# ---- an expression that starts with a minus sign ----

@pytest.mark.parametrize('expr,value', [('-x*y', -2.0), ('-x', -1.0), ('- x*y', -2.0), ('-(x)*y', -2.0), ('-x**2', -1.0),
                                        ('-tanh(x) + 1', 1 - math.tanh(1)), ('-1e3*x', -1000.0), ('-h*x', -1.0), ('+x', 1.0)])
def test_expression_may_start_with_a_sign(monkeypatch, capsys, expr, value):
    names = sorted({n.id for n in ast.walk(ast.parse(expr, mode='eval')) if isinstance(n, ast.Name) and n.id != 'tanh'})
    status, out, err = run_here(monkeypatch, capsys, expr, *[f'{n}={2 if n == "y" else 1}' for n in names])
    assert (status, err) == (0, ''), err
    assert float(out.splitlines()[0].split(' = ')[1]) == pytest.approx(value)


def test_leading_minus_in_the_installed_command(tmp_path):
    assert run('-x*y', 'x=1', 'y=2')[:2] == (0, '-x*y = -2.0\nd/dx = -2.0\nd/dy = -1.0\n')
    # options still work, before, between or after the rest, and a file name may start with a minus sign
    for args in (['--svg', 'a.svg', '-x*y', 'x=1', 'y=2'], ['-x*y', 'x=1', '--svg', 'b.svg', 'y=2'], ['-x*y', 'x=1', 'y=2', '--svg=c.svg'],
                 ['-x*y', 'x=1', 'y=2', '--svg', '-d.svg']):
        status, out, err = run(*args, cwd=tmp_path)
        assert (status, err) == (0, ''), (args, err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['-d.svg', 'a.svg', 'b.svg', 'c.svg']
    assert run('--', '--x', 'x=1')[:2] == (0, '--x  = 1.0\nd/dx = 1.0\n')  # an expression that starts with --
    status, out, err = run('-h')
    assert status == 0 and out.startswith('usage: microgradnb-grad') and err == ''


@pytest.mark.parametrize('args,words', [(['x', 'x=1', '--bogus'], 'unrecognized arguments: --bogus'), (['--x', 'x=1'], 'unrecognized arguments: --x'),
                                        (['x', 'x=1', '--sv', 'g.svg'], 'unrecognized arguments: --sv'), ([], 'required: expr'),
                                        (['x', 'x=1', '--svg'], 'argument --svg: expected one argument'), (['x', 'x=1', '--pdb'], '--pdb')])
def test_usage_errors_are_one_line(monkeypatch, capsys, args, words):
    status, out, err = run_here(monkeypatch, capsys, *args)
    assert (status, out) == (2, '') and len(err.splitlines()) == 1 and words in err and '(see microgradnb-grad --help)' in err, err


# ---- drawing: large graphs are refused before Graphviz, and the ones accepted are drawn in seconds ----

def test_draw_refuses_a_large_graph_before_drawing_any_of_it(monkeypatch):
    import microgradnb.viz
    def drawn(*args, **kwargs): raise AssertionError('a node was drawn before the size was checked')
    monkeypatch.setattr(microgradnb.viz.Drawing, 'node', drawn)
    for n in (100, 500, 3000):
        with pytest.raises(ValueError, match=rf'the graph is too large to draw in seconds: {n:,} values and {n - 1:,} operations make a layout'):
            draw(power(n))
    deep = Value(0.0)
    for _ in range(10_000): deep = deep + 0.5
    with pytest.raises(ValueError, match='pass max_size=60001 to draw'): draw(deep)
    with pytest.raises(AssertionError, match='before the size was checked'): draw(power(3))  # the guard itself works


def test_draw_max_size():
    y = power(60)
    size = _layout_size(trace(y)[0])
    assert size > 3000
    assert repr(draw(y, max_size=size)) == "<Drawing of 60 values and 59 operations: .save('graph.svg') writes it>"
    with pytest.raises(ValueError, match=f'above max_size={size - 1};'): draw(y, max_size=size - 1)
    for bad, error in ((0, ValueError), (-5, ValueError), (1.5, TypeError), ('3000', TypeError), (None, TypeError), (True, TypeError)):
        with pytest.raises(error, match='max_size must be'): draw(y, max_size=bad)


def test_layout_size_bounds_dot():
    "The layout size counts every box and oval, and one place per column that an arrow crosses: at least what dot lays out"
    x = Value(3.0)
    assert _layout_size(trace(x)[0]) == 1
    assert _layout_size(trace(x * x)[0]) == 6
    assert _layout_size(trace(x * x * x)[0]) == 13
    # power(100): 100 boxes, 99 ovals, 99 arrows into boxes; into the k-th product's oval, an arrow of 1 column from the
    # product before and one of 2k - 1 columns from x, which sits before the first product (x * x: two arrows of 1)
    assert _layout_size(trace(power(100))[0]) == 100 + 99 + 99 + 2 + sum(1 + 2 * k - 1 for k in range(2, 100))


def _cpu_seconds_to_lay_out(drawing):
    "Processor seconds that Graphviz's dot takes to lay out and render `drawing` as SVG"
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(['dot', '-Tsvg'], input=drawing.source.encode(), capture_output=True, check=True, timeout=300)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def _largest_accepted(make):
    "The graph `make(n)` for the largest n that draw accepts"
    lo, hi = 1, 2
    while _layout_size(trace(make(hi))[0]) <= 3000: lo, hi = hi, hi * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if _layout_size(trace(make(mid))[0]) <= 3000 else (lo, mid)
    return make(lo)


def _chain(n):
    y = Value(0.0)
    for _ in range(n): y = y + 0.5
    return y


def _network(h):
    from microgradnb import MLP
    return MLP(2, [h, h, 1], seed=0)([1.0, 0.0])


@pytest.mark.skipif(shutil.which('dot') is None, reason='needs Graphviz')
def test_graph_at_the_limit_is_drawn_in_seconds():
    y = _largest_accepted(power)
    assert _cpu_seconds_to_lay_out(draw(y)) < 10  # about 0.15 s; without nslimit=1, 8 s


@pytest.mark.slow
@pytest.mark.skipif(shutil.which('dot') is None, reason='needs Graphviz')
@pytest.mark.parametrize('make', [_chain, _network, lambda n: sum((Value(float(i)) for i in range(n)), Value(0.0))], ids=['chain', 'network', 'sum'])
def test_graphs_of_every_shape_at_the_limit_are_drawn_in_seconds(make):
    assert _cpu_seconds_to_lay_out(draw(_largest_accepted(make))) < 10  # about a second with Graphviz 2.43 on two cores


def test_svg_of_a_large_graph_is_refused_without_graphviz(tmp_path):
    "refused before Graphviz runs: with no `dot` on the PATH, the refusal is the same"
    env = {**os.environ, 'PATH': str(tmp_path)}
    status, out, err = run(' * '.join(['x'] * 500), 'x=1', '--svg', 'g.svg', cwd=tmp_path, env=env)
    assert (status, out, list(tmp_path.iterdir())) == (1, '', [])
    assert err.startswith('microgradnb-grad: error: --svg: the graph is too large to draw in seconds: 500 values and 499 operations')
    assert len(err.splitlines()) == 1


# ---- long expressions, and the size of what is printed ----

@pytest.mark.parametrize('n', [3000, 20_000])
def test_long_flat_sums_and_products(n):
    out, xs = evaluate(' + '.join(['x'] * n), x=1)
    out.backward()
    assert (out.val, xs['x'].grad) == (n, n)
    out, xs = evaluate('*'.join(['x'] * n), x=1.0001)
    out.backward()
    assert out.val == pytest.approx(1.0001 ** n) and xs['x'].grad == pytest.approx(n * 1.0001 ** (n - 1))
    out, xs = evaluate('tanh(' + ' + '.join(f'w{i}*x{i}' for i in range(n // 10)) + ')', **{f'{c}{i}': 0.1 for i in range(n // 10) for c in 'wx'})
    assert out.val == pytest.approx(math.tanh(n / 1000))


def test_length_limit():
    evaluate('x' + '+x' * 49_999, x=1)  # 99,999 characters
    with pytest.raises(ExpressionError, match='the expression is 100,001 characters long; the calculator reads at most 100,000'):
        evaluate('x' + '+x' * 50_000, x=1)


def test_long_sum_in_the_installed_command():
    status, out, err = run(' + '.join(['x'] * 3000), 'x=1')
    assert (status, err, out.splitlines()[-1]) == (0, '', 'd/dx = 3000.0')


def _plain(depth=4):
    "Plain arithmetic, as text, with odd spacing, brackets over several lines, and non-ASCII names"
    atom = st.sampled_from(['x', 'y', MICRO, '\N{FULLWIDTH LATIN SMALL LETTER X}', 'ñ1', '2', '0.5', '1e3', '1_0', '0x1F', '3.', '.5'])
    if depth == 0: return atom
    inner = _plain(depth - 1)
    space = st.sampled_from(['', ' ', '  '])
    return st.one_of(
        atom,
        st.tuples(inner, space, st.sampled_from(['+', '-', '*', '/', '**']), space, inner).map(''.join),
        st.tuples(st.sampled_from(['-', '+', '- ', '--']), inner).map(''.join),
        st.tuples(st.just('('), st.sampled_from(['', '\n ']), inner, st.sampled_from(['', ' ', ' # why\n']), st.just(')')).map(''.join),
        st.tuples(st.sampled_from(['tanh', 'exp', 'f']), space, st.just('('), inner, st.just(')')).map(''.join))


@settings(max_examples=500, deadline=None)
@given(_plain())
def test_own_reader_gives_pythons_tree(expr):
    "The calculator reads long plain arithmetic itself: the tree must be Python's, positions included"
    assert ast.dump(_parse_long(expr), include_attributes=True) == ast.dump(ast.parse(expr, mode='eval'), include_attributes=True)


def test_report_size(monkeypatch, capsys):
    "2,000 variables: each line was padded to the expression's width, 21 MB in all"
    names = [f'x{i}' for i in range(2000)]
    status, out, err = run_here(monkeypatch, capsys, ' + '.join(names), *[f'{n}=1' for n in names])
    assert status == 0 and len(out) < 60_000, len(out)
    lines = out.splitlines()
    assert lines[1] == 'd/dx0    = 1.0' and max(len(l) for l in lines[1:]) == len('d/dx1999 = 1.0')
    short = run_here(monkeypatch, capsys, 'tanh(x*w + b)', 'x=2', 'w=-3', 'b=6.8813735870195432')[1]  # short: aligned as before
    assert short.splitlines()[1] == 'd/dx          = -1.4999999999999993'


# ---- variable names as Python reads them ----

def test_names_in_normal_form(monkeypatch, capsys):
    assert evaluate(f'{MICRO} * 2', **{MICRO: 3})[0].val == 6.0
    assert evaluate(f'{MU} * 2', **{MICRO: 3})[0].val == 6.0
    assert evaluate('x * 2', **{'\N{FULLWIDTH LATIN SMALL LETTER X}': 3})[0].val == 6.0
    assert list(evaluate(f'{MU} * 2', **{MICRO: 3})[1]) == [MICRO]  # the dict is keyed by the name as given
    status, out, err = run_here(monkeypatch, capsys, f'{MICRO}*2', f'{MICRO}=3')
    assert (status, out) == (0, f'{MICRO}*2  = 6.0\nd/d{MICRO} = 2.0\n'), err
    with pytest.raises(ExpressionError, match='are the same name to Python'): evaluate(MU, **{MICRO: 1, MU: 2})
    status, out, err = run_here(monkeypatch, capsys, MU, f'{MICRO}=1', f'{MU}=2')
    assert status == 2 and 'are the same name to Python' in err


def test_micro_sign_in_the_installed_command():
    assert run(f'{MICRO}*2', f'{MICRO}=3')[0] == 0


# ---- messages ----

def test_help_lists_the_functions(monkeypatch, capsys):
    status, out, err = run_here(monkeypatch, capsys, '--help')
    assert status == 0 and 'None' not in out
    assert 'the functions tanh, relu, exp, log, sigmoid, sqrt' in ' '.join(out.split())
    assert 'must end in .svg' in ' '.join(out.split())


@pytest.mark.parametrize('name', ['g.png', 'g.pdf', 'g', '.', 'g.svg.txt', ''])
def test_svg_name_must_end_in_svg(monkeypatch, capsys, tmp_path, name):
    monkeypatch.chdir(tmp_path)
    status, out, err = run_here(monkeypatch, capsys, 'x', 'x=1', '--svg', name)
    assert (status, out, list(tmp_path.iterdir())) == (2, '', [])
    assert f"--svg needs a file name that ends in .svg, got {name!r}" in err


def test_svg_name_in_capitals(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert run_here(monkeypatch, capsys, 'x', 'x=1', '--svg', 'G.SVG')[0] == 0
    assert (tmp_path/'G.SVG').read_bytes().startswith(b'<?xml')


@pytest.mark.parametrize('value,words', [(10**400, 'got an int of about 10**400, too large for a float'), (-10**400, 'about -10**400'),
                                          (Value(2.0), 'got a Value holding 2.0'), (math.nan, 'got nan'), (1j, 'got complex'),
                                          ('x' * 10_000, 'got str')])
def test_value_messages_name_the_variable(value, words):
    with pytest.raises((ExpressionError, TypeError)) as info: evaluate('x * y', x=value, y=1)
    message = str(info.value)
    assert message.startswith('the value of x must be') and words in message and 'Value(' not in message and len(message) < 200


@pytest.mark.parametrize('expr', ['x' * 5000 + '.real', 'x +' * 5000, '1' * 5000, 'f' * 5000 + '(x)', '"' + 'a' * 5000 + '"',
                                  ' * '.join(f'y{i}' for i in range(3000)), '[' + ' + '.join(['x'] * 5000) + ']'])
def test_messages_about_long_expressions_are_short(expr):
    with pytest.raises(ExpressionError) as info: evaluate(expr)
    assert len(str(info.value)) < 400, str(info.value)[:500]


# ---- a drawing outside Jupyter: its text form, and save ----

def test_drawing_text_form():
    x = Value(2.0)
    assert repr(draw(x)) == "<Drawing of 1 value and 0 operations: .save('graph.svg') writes it>"
    assert repr(draw(x + 1)) == "<Drawing of 3 values and 1 operation: .save('graph.svg') writes it>"
    assert repr(draw(x * x + x)) == "<Drawing of 3 values and 2 operations: .save('graph.svg') writes it>"
    assert isinstance(draw(x), Drawing)


@pytest.mark.skipif(shutil.which('dot') is None, reason='needs Graphviz')
def test_save_by_extension(tmp_path):
    x = Value(2.0)
    d = draw(x * x + x)
    heads = {'svg': b'<?xml', 'png': b'\x89PNG', 'pdf': b'%PDF-', 'dot': b'digraph'}
    for ext, head in heads.items():
        assert d.save(tmp_path/f'graph.{ext}') == tmp_path/f'graph.{ext}'
        assert (tmp_path/f'graph.{ext}').read_bytes().startswith(head)
    assert d.save(str(tmp_path/'G.PNG')).read_bytes().startswith(b'\x89PNG')
    for bad in ('graph.jpg', 'graph', 'graph.svg.bak'):
        with pytest.raises(ValueError, match="save writes .svg, .png, .pdf or .dot files"): d.save(tmp_path/bad)
    with pytest.raises(TypeError, match='path must be a str or Path, got int'): d.save(3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['G.PNG', 'graph.dot', 'graph.pdf', 'graph.png', 'graph.svg']


def test_without_graphviz(monkeypatch, tmp_path):
    monkeypatch.setenv('PATH', '')
    d = draw(Value(2.0) * 3)
    with pytest.raises(RuntimeError, match="drawing needs Graphviz's dot program.*install Graphviz"): d.save(tmp_path/'graph.svg')
    assert list(tmp_path.iterdir()) == []
    bundle = d._repr_mimebundle_()
    assert list(bundle) == ['text/plain'] and 'install Graphviz' in bundle['text/plain']
    assert d.save(tmp_path/'graph.dot').read_text() == d.source


def test_command_without_graphviz(tmp_path):
    bare = tmp_path/'bin'
    bare.mkdir()
    status, out, err = run('x*y', 'x=1', 'y=2', '--svg', 'g.svg', cwd=tmp_path, env={**os.environ, 'PATH': str(bare)})
    assert (status, out) == (1, '') and len(err.splitlines()) == 1 and 'install Graphviz' in err, err
    assert not (tmp_path/'g.svg').exists()


# ---- brackets nested deeper than Python's parser takes ----

@pytest.mark.parametrize('n', [201, 5000])
def test_deeply_nested_brackets(n):
    "Python's parser refuses brackets nested more than 200 deep; the calculator's own reader has no such limit"
    out, xs = evaluate('x * (' * n + 'x' + ')' * n, x=1.0001)  # x ** (n + 1), nested to the right
    out.backward()
    assert out.val == pytest.approx(1.0001 ** (n + 1), rel=1e-12) and xs['x'].grad == pytest.approx((n + 1) * 1.0001 ** n, rel=1e-12)
    out, xs = evaluate('tanh(' * n + 'x' + ')' * n, x=0.5)
    out.backward()
    y, dy = 0.5, 1.0
    for _ in range(n): y, dy = math.tanh(y), dy * (1 - math.tanh(y) ** 2)
    assert out.val == pytest.approx(y, rel=1e-12) and xs['x'].grad == pytest.approx(dy, rel=1e-12)
    assert evaluate('(' * n + 'x + 1' + ')' * n, x=1)[0].val == 2.0


def test_deepest_nesting_the_length_allows():
    "100,000 characters, as deep as they nest: read and computed in seconds"
    n = (100_000 - 1) // 4
    out, xs = evaluate('x*(' * n + 'x' + ')' * n, x=1.0)
    out.backward()
    assert (out.val, xs['x'].grad) == (1.0, n + 1)
    assert evaluate('(' * 49_999 + 'x' + ')' * 49_999, x=3)[0].val == 3.0


def test_deeply_nested_brackets_in_the_installed_command():
    status, out, err = run('(' * 201 + 'x + 1' + ')' * 201, 'x=1')
    assert (status, err, out.splitlines()[-1]) == (0, '', 'd/dx = 1.0'), err


def test_deeply_nested_brackets_around_what_only_python_reads():
    with pytest.raises(ExpressionError) as info: evaluate('(' * 201 + 'x.real' + ')' * 201, x=1)
    message = str(info.value)
    assert 'nested too deeply for' in message and "'.' at column 203 is not" in message and 'parentheses' not in message, message


# ---- whitespace: every kind is a space, and the expression labels its drawing ----

@pytest.mark.parametrize('expr', ['x\t+ 1', 'x +\t1', '(x\n+ 1)', '(x\r\n+\t1)', 'x\f+ 1', 'x\v+ 1', 'x\N{NO-BREAK SPACE}+ 1',
                                  'x\N{IDEOGRAPHIC SPACE}+ 1', 'x\N{EM SPACE}+\N{NARROW NO-BREAK SPACE}1', 'x\N{LINE SEPARATOR}+ 1',
                                  '\N{NO-BREAK SPACE}x + 1\t'])
def test_any_whitespace_draws(monkeypatch, capsys, tmp_path, expr):
    monkeypatch.chdir(tmp_path)
    status, out, err = run_here(monkeypatch, capsys, expr, 'x=1', '--svg', 'g.svg')
    assert (status, err) == (0, ''), err
    label = ' '.join(expr.split())
    assert out.splitlines() == [f'{label} = 2.0', f'd/dx{" " * (len(label) - 4)} = 1.0', 'graph written to g.svg']  # the report on one line each
    assert label in (tmp_path/'g.svg').read_text()


def test_expression_with_a_control_character_in_a_comment_draws(monkeypatch, capsys, tmp_path):
    "Python takes any character in a comment; draw takes only printable labels: the output is then labelled 'output'"
    monkeypatch.chdir(tmp_path)
    status, out, err = run_here(monkeypatch, capsys, '(x # a bell \a\n + 1)', 'x=1', '--svg', 'g.svg')
    assert (status, err) == (0, ''), err
    assert '>output<' in (tmp_path/'g.svg').read_text()


# ---- numbers a float does not hold: named as the user typed them ----

@pytest.mark.parametrize('expr,words', [
    ('1e400*x', 'the number 1e400 is too large for a float (the largest is about 1.8e308)'),
    ('x - 1e400', 'the number 1e400 is too large'),
    ('x ** 1.5e309', 'the number 1.5e309 is too large'),
    ('1e99999999999999999999 + x', 'the number 1e99999999999999999999 is too large'),
    ('x + ' + '9' * 400, 'the number 99999999999999999999...(400 digits) is too large for a float'),
    ('x + ' + '1' * 4301, 'the number 11111111111111111111...(4,301 digits) is too large for a float'),
    ('x + ' + '1' * 5000 + '.5', 'the number 11111111111111111111...(5,002 characters) is too large'),
    ('x + 0x' + 'f' * 300, 'the number 0xffffffffffffffffff...(302 characters) is too large'),
    ('(' * 201 + 'x + ' + '1' * 4301 + ')' * 201, 'the number 11111111111111111111...(4,301 digits) is too large'),
    (' + '.join(['x'] * 5000) + ' + ' + '1' * 4301, '(4,301 digits) is too large'),
    ('1e-400*x', 'the number 1e-400 is too small for a float: it would be 0 (the smallest is about 5e-324)'),
    ('x ** 2.5e-999', 'the number 2.5e-999 is too small'),
    ('x * 0.00000000001e-320', 'the number 0.00000000001e-320 is too small'),
])
def test_numbers_no_float_holds(expr, words):
    with pytest.raises(ExpressionError) as info: evaluate(expr, x=1)
    message = str(info.value)
    assert words in message and 'inf' not in message and 'sys.' not in message and len(message) < 200, message


def test_a_whole_number_too_long_for_python_outside_plain_arithmetic():
    with pytest.raises(ExpressionError) as info: evaluate('[x, ' + '1' * 4301 + ']', x=1)
    message = str(info.value)
    assert 'more than 4,300 digits' in message and 'too large for a float' in message and 'sys.' not in message, message


def test_too_large_as_the_engine_says_it():
    "The engine refuses such an int in its own words; the calculator's agree"
    with pytest.raises(ValueError, match='too large for a float'): Value(10**4300)
    with pytest.raises(ExpressionError, match='too large for a float'): evaluate('1' + '0' * 4300)


@pytest.mark.parametrize('expr,value', [('0e-400 + x', 1.0), ('0.000e-999 + x', 1.0), ('1e-320 * 1e300 + x', 1 + 1e-320 * 1e300),
                                        ('1.7e308 + x', 1.7e308), ('0x0 + 0b0 + 0o0 + x', 1.0)])
def test_numbers_a_float_holds(expr, value):
    assert evaluate(expr, x=1)[0].val == value


@pytest.mark.parametrize('args,words', [
    (['1e400*x', 'x=1'], 'the number 1e400 is too large for a float'),
    (['x + ' + '1' * 4301, 'x=1'], 'the number 11111111111111111111...(4,301 digits) is too large for a float'),
    (['x', 'x=1e-400'], 'the value of x, 1e-400, is too small for a float: it would be 0'),
    (['x', 'x=1e999'], 'the value of x, 1e999, is too large for a float'),
    (['x', 'x=-\N{ARABIC-INDIC DIGIT ONE}e-400'], 'the value of x, -\N{ARABIC-INDIC DIGIT ONE}e-400, is too small for a float'),
    (['x', 'x=' + '9' * 400], 'the value of x, 99999999999999999999...(400 digits), is too large'),
])
def test_numbers_no_float_holds_in_the_command(monkeypatch, capsys, args, words):
    status, out, err = run_here(monkeypatch, capsys, *args)
    assert (status, out) == (2, '') and len(err.splitlines()) == 1 and words in err and 'inf' not in err and 'sys.' not in err, err

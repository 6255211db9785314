"""The data sets: `load_digits` gives exactly scikit-learn's digits (skipped where scikit-learn is not installed) and
refuses a missing or damaged data file; `make_spiral` draws CS231n's arms; `train_test_split` is a seeded partition."""
import gzip
import math
import random

import pytest

import microgradnb.datasets as datasets
from microgradnb import load_digits, make_spiral, train_test_split


# ---- the digits ----------------------------------------------------------------------------------------------------

def test_digits_match_scikit_learn_element_for_element():
    sk = pytest.importorskip('sklearn.datasets')
    ref = sk.load_digits()
    X, y = load_digits()
    assert (len(X), len(y)) == ref.data.shape[:1] * 2 == (1797, 1797)
    assert X == ref.data.tolist()   # floats compared exactly, row by row
    assert y == ref.target.tolist()
    assert all(type(v) is float for row in X for v in row) and all(type(t) is int for t in y)
    images = [[row[8 * r: 8 * r + 8] for r in range(8)] for row in X]
    assert images == ref.images.tolist()   # row-major 8x8, as scikit-learn's images


def test_digits_are_fresh_lists_on_every_call():
    X, y = load_digits()
    X[0][0], y[0] = -1.0, -1
    X.append([0.0] * 64)
    X2, y2 = load_digits()
    assert (len(X2), X2[0][0], y2[0]) == (1797, 0.0, 0)
    assert X2[0] is not load_digits()[0][0]


def test_digits_data_file_is_small_and_in_the_package():
    path = datasets._DIGITS_FILE
    assert path.name == 'digits.csv.gz' and path.parent.name == 'data'
    assert 20_000 < len(path.read_bytes()) < 100_000
    assert (path.parent / 'README.md').read_text().count('CC BY 4.0') >= 1


@pytest.mark.parametrize('content, error, words', [
    (None, FileNotFoundError, 'is missing: reinstall microgradnb'),
    (b'', OSError, 'is damaged'),
    (b'\x1f\x8b\x08\x00 truncated gzip', OSError, 'is damaged'),
    ('truncate', OSError, 'is damaged'),
    ('one byte', OSError, 'is damaged (its contents are not the published data)'),
    ('extra row', OSError, 'is damaged (its contents are not the published data)'),
])
def test_damaged_or_missing_data_file_is_refused(tmp_path, monkeypatch, content, error, words):
    good = datasets._DIGITS_FILE.read_bytes()
    text = gzip.decompress(good)
    content = {'truncate': good[:len(good) // 2], 'one byte': gzip.compress(text.replace(b',16,', b',15,', 1)),
               'extra row': gzip.compress(text + b'0,' * 64 + b'3\n')}.get(content, content)
    path = tmp_path / 'digits.csv.gz'
    if content is not None: path.write_bytes(content)
    monkeypatch.setattr(datasets, '_DIGITS_FILE', path)
    with pytest.raises(error) as e: load_digits()
    assert words in str(e.value) and str(path) in str(e.value)


# ---- the spiral ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('n, classes', [(2, 2), (7, 3), (100, 3), (10, 5)])
def test_spiral_shape_labels_and_seed(n, classes):
    X, y = make_spiral(n, classes, seed=3)
    assert len(X) == len(y) == n * classes
    assert all(y.count(j) == n for j in range(classes)) and all(type(t) is int for t in y)
    assert all(len(p) == 2 and math.hypot(*p) <= 1 + 1e-12 for p in X)
    assert make_spiral(n, classes, seed=3) == (X, y)
    assert make_spiral(n, classes, seed=random.Random(3)) == (X, y)


def test_spiral_is_cs231n_construction_without_noise():
    "Sorted by radius within each arm, the points are CS231n's r = linspace(0, 1, n), t = linspace(4j, 4j + 4, n)"
    n, classes = 11, 3
    X, y = make_spiral(n, classes, noise=0.0, seed=0)
    for j in range(classes):
        arm = sorted((p for p, t in zip(X, y) if t == j), key=lambda p: math.hypot(*p))
        for i, (x0, x1) in enumerate(arm):
            r, t = i / (n - 1), 4 * j + 4 * i / (n - 1)
            assert x0 == pytest.approx(r * math.sin(t), abs=1e-12) and x1 == pytest.approx(r * math.cos(t), abs=1e-12)


def test_spiral_noise_moves_points_along_their_circle():
    X0, _ = make_spiral(50, seed=0, noise=0.0)
    X1, _ = make_spiral(50, seed=0, noise=0.5)
    assert sorted(round(math.hypot(*p), 9) for p in X0) == sorted(round(math.hypot(*p), 9) for p in X1)
    assert X0 != X1


def test_spiral_global_random_when_no_seed():
    random.seed(5); a = make_spiral(10)
    random.seed(5); b = make_spiral(10)
    assert a == b


# ---- the split -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('n, test_size, n_test', [(10, 0.2, 2), (10, 0.25, 3), (2, 0.5, 1), (2, 1e-9, 1), (1797, 0.2, 360),
                                                  (10, 1, 1), (10, 9, 9), (3, 0.66, 2)])
def test_split_sizes_round_the_test_side_up(n, test_size, n_test):
    X, y = [[i, -i] for i in range(n)], list(range(n))
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size, seed=0)
    assert (len(X_test), len(y_test), len(X_train), len(y_train)) == (n_test, n_test, n - n_test, n - n_test)
    assert sorted(y_train + y_test) == y                      # a partition
    assert all(row == [t, -t] for row, t in zip(X_train + X_test, y_train + y_test))   # rows keep their targets
    assert all(a is X[t] for a, t in zip(X_train, y_train))   # the rows themselves, not copies


def test_split_is_seeded_and_leaves_inputs_alone():
    X, y = [[float(i)] for i in range(50)], [i % 3 for i in range(50)]
    before = ([list(r) for r in X], list(y))
    a = train_test_split(X, y, seed=1)
    assert a == train_test_split(X, y, seed=1) == train_test_split(X, y, seed=random.Random(1))
    assert a != train_test_split(X, y, seed=2)
    assert ([list(r) for r in X], list(y)) == before
    random.seed(9); b = train_test_split(X, y)
    random.seed(9); assert train_test_split(X, y) == b


@pytest.mark.parametrize('args, kwargs, error, words', [
    (([[1], [2]], [1]), {}, ValueError, 'X and y must have the same length, got 2 rows and 1 targets'),
    (([], []), {}, ValueError, 'X is empty'),
    (([[1]], []), {}, ValueError, 'y is empty'),
    (([[1]], [1]), {}, ValueError, 'a split needs at least 2'),
    (([[1], [2]], [1, 2]), dict(test_size=0.6), ValueError, 'leaves no row for training'),
    (([[1], [2]], [1, 2]), dict(test_size=2), ValueError, 'test_size must be at most 1'),
    (([[1], [2]], [1, 2]), dict(test_size=0), ValueError, 'test_size must be positive'),
    (([[1], [2]], [1, 2]), dict(test_size=-0.5), ValueError, 'test_size must be a fraction in (0, 1)'),
    (([[1], [2]], [1, 2]), dict(test_size=math.inf), ValueError, 'test_size must be a fraction in (0, 1)'),
    (([[1], [2]], [1, 2]), dict(test_size='0.5'), TypeError, 'test_size must be a real number'),
    (([[1], [2]], [1, 2]), dict(test_size=None), TypeError, 'test_size must be a real number'),
    (({1: 2, 3: 4}, [1, 2]), {}, TypeError, 'X must be a list of rows, got dict'),
    (({1, 2}, [1, 2]), {}, TypeError, 'X must be a list of rows, got set'),
    ((iter([[1], [2]]), [1, 2]), {}, TypeError, 'X must be a list of rows'),
    (([[1], [2]], None), {}, TypeError, 'y must be a list of targets, got NoneType'),
    (([[1], [2]], [1, 2]), dict(seed=0.5), TypeError, 'seed must be an int, a random.Random or None'),
])
def test_split_refuses_bad_input(args, kwargs, error, words):
    with pytest.raises(error) as e: train_test_split(*args, **kwargs)
    assert words in str(e.value)

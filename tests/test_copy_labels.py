"copy.copy of a Value shares the graph below it; draw refuses label names with control characters"
import copy

import pytest

from microgradnb import Value, draw, topological_order


def test_copy_after_an_earlier_change_is_up_to_date():
    Value(0.0).val = 1.0  # a change counted before the graph is made
    x = Value(2.0)
    y = x * x
    twin = copy.copy(y)
    twin.backward()
    assert twin._children == y._children and twin._children[0] is x
    assert (twin.val, twin.grad, x.grad) == (4.0, 1.0, 4.0)  # shallow: the original's leaf receives the gradient
    assert y.grad == 0.0  # the original's top node is not the copy


def test_copy_keeps_the_stamp_of_an_out_of_date_original():
    x, w = Value(1.0), Value(2.0)
    y = x * w
    w.val = 3.0
    with pytest.raises(RuntimeError, match='out of date'): copy.copy(y).backward()
    h = x * 2
    h.val = 5.0  # a computed node whose own number was assigned
    with pytest.raises(RuntimeError, match=r"the number of a '\*' node was assigned"): copy.copy(h).backward()


def test_copy_of_a_leaf_and_deepcopy_still_separate():
    x = Value(3.0)
    x.grad = 2.0
    c = copy.copy(x)
    assert c is not x and (c.val, c.grad, c._children) == (3.0, 2.0, ())
    c.backward()
    assert (c.grad, x.grad) == (3.0, 2.0)
    y = x * x
    deep = copy.deepcopy(y)
    deep.backward()
    assert x.grad == 2.0 and topological_order(deep)[0].grad == 2.0 + 6.0  # the copied leaf keeps its grad, 2


@pytest.mark.parametrize('name', ['a\x00', 'a\nb', 'tab\t', '\x7f', 'x\u200b'])
def test_draw_refuses_label_names_with_control_characters(name):
    x = Value(1.0)
    with pytest.raises(ValueError, match='labels keys must be printable text') as e: draw(x * 2, labels={name: x})
    assert repr(name) in str(e.value)


def test_draw_keeps_printable_names(tmp_path):
    x = Value(1.0)
    dot = draw(x * 2, labels={'µ x|y': x})
    assert r'µ x\|y' in dot.source
    assert dot.save(tmp_path / 'n.dot').read_text().startswith('digraph')

__version__ = "0.1.0"

# Every module that patches `Value` is imported here, so `from microgradnb.engine import Value`
# always gives the complete class, whichever module is imported first.
from .engine import Value, constant
from .backward import topological_order, check_fresh
from .gradcheck import numerical_grad, gradcheck
from .viz import trace, draw
from . import saving  # pickle and copy of a Value: methods only, no names of its own
from .nn import vsum, linear, Module, Neuron, Layer, MLP
from .higher import grad, hessian
from .xor import xor_data, squared_error, XorRun, train_xor, xor_graph
from .datasets import make_moons, make_spiral, load_digits, train_test_split
from .metrics import accuracy, predict, confusion_matrix
from .plots import plot_history, plot_decision_boundary, plot_confusion, plot_digits
from .calc import ExpressionError, evaluate, grad_cli
from .losses import mse_loss, hinge_loss, bce_with_logits, softmax, log_softmax, cross_entropy, l2_penalty
from .optim import Optimizer, SGD, Adam
from .train import TrainingDiverged, evaluate_model, fit, linear_decay, Run
from .depth import summarize_runs, grad_by_layer
from .moons import moons_data, train_moons
from .spiral import train_spiral
from .digits import digits_data, train_digits
from .cli import train_cli
from .compile import compile, CompiledStep, TraceError

# `from microgradnb import *` gives the names above, never the submodules (`train`, `digits`, ...) that the imports
# bind as attributes of the package too, nor a name that would hide one of Python's builtins (`compile`: write
# `microgradnb.compile` or import it by name).
import builtins as _builtins, types as _types
__all__ = [name for name, obj in globals().items()
           if not name.startswith('_') and not isinstance(obj, _types.ModuleType) and not hasattr(_builtins, name)]

# help() lists every argument with the comment beside it in the source, and what comes back (chapter Shared checks).
from ._checks import _document_arguments
_document_arguments([globals()[name] for name in __all__] + [compile])

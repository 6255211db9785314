__version__ = "0.1.0"

# Every module that patches `Value` is imported here, so `from microgradnb.engine import Value`
# always gives the complete class, whichever module is imported first.
from .engine import Value
from .backward import topological_order
from .gradcheck import numerical_grad, gradcheck
from .viz import trace, draw
from .nn import vsum, linear, Module, Neuron, Layer, MLP
from .xor import xor_data, squared_error, XorRun, train_xor, summarize_runs, xor_graph
from .datasets import make_moons
from .calc import ExpressionError, evaluate, grad_cli
from .train import mse_loss, hinge_loss, bce_with_logits, l2_penalty, Optimizer, SGD, Adam, accuracy, evaluate_model, fit, plot_history
from .depth import grad_by_layer
from .moons import moons_data, MoonsRun, train_moons, plot_decision_boundary
from .cli import train_cli

__version__ = "0.1.0"

# Every module that patches `Value` is imported here, so `from microgradnb.engine import Value`
# always gives the complete class, whichever module is imported first.
from .engine import Value
from .backward import topological_order

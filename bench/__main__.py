"`python -m bench [--quick]`: run the benchmark and print its table (see bench/run.py)"
import sys
from bench.run import main

sys.exit(main())

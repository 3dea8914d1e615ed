"""`python -m continuo`."""

from continuo.cli import main

main()

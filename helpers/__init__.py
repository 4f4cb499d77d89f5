"""helpers: the reusable maths, plots and widgets behind the notebooks.

Maths (pure numpy, read these first):
    activations   σ and σ' for sigmoid, tanh, relu, identity
    forward       01  dense_forward: z = Wx + b, a = σ(z)
    gradcheck     numerical_gradient and relative_error: the referee for every gradient
    shapes        the shape checks behind every ValueError
Plots and widgets (matplotlib + ipywidgets, built on the maths):
    live          LiveFigure (a figure redrawn in place) and Explorer (base of every widget)
    forward_ui    01  the computation graph, activation plots, forward_explorer
Notebook support: notebook (setup_notebook), checks (exercise self-checks), latex (matrices as LaTeX).

Import from the modules, e.g. ``from helpers.forward import dense_forward``.
"""

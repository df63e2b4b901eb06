"""Given plotting helpers of Part I (notebooks 01 to 03): the spiral's classes, each in its own
colour of Okabe and Ito's palette (which colour-blind readers tell apart) and its own marker,
with a legend; and the decision regions of a classifier in the same colours."""

import numpy as np


def class_style(k):
    """The colour and the marker of class k: Okabe and Ito's blue, orange, green, pink, sky blue."""
    colours = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9")
    markers = ("o", "s", "^", "D", "v")
    return colours[k % len(colours)], markers[k % len(markers)]


def plot_spiral(ax, X, y, title=""):
    """Draw the points of each class in its colour and marker on the axes `ax`, with a legend.

    Inputs:
    - ax: a matplotlib Axes.
    - X: points, shape (N, 2). y: their classes, shape (N,), integers from 0.
    - title: the title of the axes.
    """
    for k in np.unique(y):
        colour, marker = class_style(int(k))
        points = X[y == k]
        ax.scatter(points[:, 0], points[:, 1], s=18, color=colour, marker=marker, label=f"class {k}",
                   edgecolors="k", linewidths=0.3)  # fmt: skip
    ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$", xlim=(-1.1, 1.1), ylim=(-1.1, 1.1))
    ax.set_aspect("equal")
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)


def plot_decision_regions(ax, predict, X, y, title):
    """Colour the plane by the class that `predict` gives each point; draw the data on top.

    Inputs:
    - ax: a matplotlib Axes.
    - predict: a function from points of shape (M, 2) to their classes, shape (M,).
    - X, y: the data, as for plot_spiral. title: the title of the axes.
    """
    from matplotlib.colors import ListedColormap

    grid = np.linspace(-1.1, 1.1, 300, dtype=X.dtype)
    xx, yy = np.meshgrid(grid, grid)
    classes = predict(np.column_stack([xx.ravel(), yy.ravel()])).reshape(xx.shape)
    K = int(y.max()) + 1
    regions = ListedColormap([class_style(k)[0] for k in range(K)])
    ax.contourf(xx, yy, classes, levels=np.arange(-0.5, K), cmap=regions, alpha=0.3)
    plot_spiral(ax, X, y, title)

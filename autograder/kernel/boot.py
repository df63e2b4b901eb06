"""How a graded kernel starts, inside its sandbox: its limits, a warm start, then ipykernel.

    python -m autograder.kernel.boot -f CONNECTION_FILE [ipykernel options]

The grader starts it ahead of time (autograder/sandbox/kernels.py), before it knows the notebook:

1. the limits of every process of the kernel (RNN_LIMITS, JSON: resource name -> value), set
   here, before any student code runs, so that they hold for everything the kernel starts;
2. matplotlib's font list, built once by the grader (RNN_FONTS), and the modules every notebook
   imports, loaded now so that a notebook's first cell does not wait for them (the user's
   namespace stays empty: nothing is imported into it);
3. ipykernel.

When the grader hands the kernel a notebook it calls receive() once, before the first cell:
the notebook's files (data sets, the student's other files) are copied from the read-only
inbox (RNN_INBOX) into the working folder, where the notebook finds them.
"""

import json
import os
import resource
import shutil
import sys

LIMITS_ENV, FONTS_ENV, INBOX_ENV = "RNN_LIMITS", "RNN_FONTS", "RNN_INBOX"
WARM = ("numpy", "matplotlib.pyplot")


def set_limits(limits):
    """Lower the resource limits named in `limits` ({"AS": bytes, "CPU": seconds, ...})."""
    for name, value in limits.items():
        which = getattr(resource, f"RLIMIT_{name}")
        hard = value + 5 if name == "CPU" else value  # at the soft CPU limit: SIGXCPU
        resource.setrlimit(which, (value, hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def warm():
    fonts, config = os.environ.pop(FONTS_ENV, None), os.environ.get("MPLCONFIGDIR")
    if fonts and config and os.path.isdir(fonts):
        os.makedirs(config, exist_ok=True)
        for name in os.listdir(fonts):
            shutil.copyfile(os.path.join(fonts, name), os.path.join(config, name))
    for module in WARM:
        try:
            __import__(module)
        except ImportError:  # a kernel without matplotlib still grades
            pass


def receive():
    """Copy the notebook's files from the inbox into the working folder (the current one)."""
    inbox = os.environ.pop(INBOX_ENV)
    for name in sorted(os.listdir(inbox)):
        source = os.path.join(inbox, name)
        if os.path.isfile(source) and not os.path.islink(source):
            shutil.copyfile(source, name)


def main(argv):
    set_limits(json.loads(os.environ.pop(LIMITS_ENV, "{}")))
    warm()
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=argv)


if __name__ == "__main__":
    main(sys.argv[1:])

"""JupyterLab settings of the student's lab (`make lab`); overrides.json is in settings/."""

import os

c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)

# Default settings for the student: no prompt about fetching Jupyter news from the internet.
c.LabApp.app_settings_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "settings")

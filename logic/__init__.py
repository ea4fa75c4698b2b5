"""Municipal Toolbox Navigator: the pure-Python library behind the app.

No Streamlit here: loading and validating content, the rules, coverage and
exports are all usable from `python -m logic` and from plain pytest.
"""

from .content.files import content_signature, default_content_dir
from .content.load import load_catalog
from .model import Catalog, Challenge, Goal, Problem, Tool
from .profile import Profile
from .rules import recommend

__all__ = [
    "Catalog",
    "Challenge",
    "Goal",
    "Problem",
    "Profile",
    "Tool",
    "content_signature",
    "default_content_dir",
    "load_catalog",
    "recommend",
]

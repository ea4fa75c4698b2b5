"""Keyboard help for /find that Streamlit has no option for: a "Skip to goals" link as
the first Tab stop, and focus kept on a card's shortlist button across the rerun its
press starts (the button is drawn anew as "Remove from shortlist", and the browser
dropped focus to the page's body).

One small script, run once per browser tab; it only moves focus and shows or hides
its own link, never changes a widget's value. Elements are found by the class
Streamlit gives a widget with a key (`st-key-<key>`), never by generated class names.
"""

from __future__ import annotations

import streamlit as st

SKIP_LABEL = "Skip to goals"
GOALS_PREFIX = "find_goals_"  # every goal group's widget key starts with this
SHORTLIST_PREFIX = "find_short_"  # each card's "Add to shortlist" button

_SCRIPT = """
<script>
(() => {
  if (window.__findKeyboard) return;  // once per browser tab: the page's reruns keep it
  window.__findKeyboard = true;
  const GOALS = "[class*='st-key-%(goals)s'] button";
  const SHORT = "[class*='st-key-%(short)s']";
  const TARGET = "find-first-goal";
  const style = document.createElement("style");
  style.textContent = `
    .find-skip { position: absolute; left: -10000px; top: 0; }
    .find-skip:focus { left: 1rem; top: 1rem; z-index: 1000001; padding: 0.5rem 1rem;
      background: #ffffff; color: #0b3d91; font-weight: 600; outline: 3px solid #0b3d91; }`;
  document.head.append(style);
  // in a landmark of its own, pointing at the first goal (given an id below): every part of
  // the page sits in a landmark, and a skip link's target exists and takes focus
  const nav = document.createElement("nav");
  nav.setAttribute("aria-label", "%(label)s");
  nav.hidden = true;
  const link = document.createElement("a");
  link.href = "#" + TARGET;
  link.className = "find-skip";
  link.dataset.testid = "findSkipToGoals";
  link.textContent = "%(label)s";
  nav.append(link);
  link.addEventListener("click", (e) => {
    const first = document.querySelector(GOALS);
    if (!first) return;
    e.preventDefault();
    first.focus();
    first.scrollIntoView({ block: "center" });
  });
  document.body.prepend(nav);  // before Streamlit's own "Skip to main content"

  // the shortlist button last pressed: its key class, until focus goes elsewhere
  let pending = null;
  const keyOf = (el) => {
    const box = el && el.closest ? el.closest(SHORT) : null;
    return box ? [...box.classList].find((c) => c.startsWith("st-key-%(short)s")) : null;
  };
  document.addEventListener("click", (e) => { pending = keyOf(e.target) || null; }, true);
  document.addEventListener("pointerdown", (e) => { if (keyOf(e.target) !== pending) pending = null; }, true);
  document.addEventListener("focusin", (e) => { if (keyOf(e.target) !== pending) pending = null; });

  let queued = false;
  const update = () => {
    queued = false;
    const first = document.querySelector(GOALS);
    nav.hidden = !first;
    if (first && first.id !== TARGET) {
      document.getElementById(TARGET)?.removeAttribute("id");
      first.id = TARGET;
    }
    if (!pending) return;
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    const button = document.querySelector("." + CSS.escape(pending) + " button");
    if (button) button.focus();
  };
  new MutationObserver(() => {
    if (!queued) { queued = true; requestAnimationFrame(update); }
  }).observe(document.body, { childList: true, subtree: true });
  update();
})();
</script>
"""


def keyboard_help() -> None:
    """Add the skip link and the focus keeper (a script that runs once per browser tab)."""
    st.html(
        _SCRIPT % {"goals": GOALS_PREFIX, "short": SHORTLIST_PREFIX, "label": SKIP_LABEL},
        unsafe_allow_javascript=True,
    )

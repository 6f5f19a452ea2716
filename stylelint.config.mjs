// stylelint for the page's style (timeline/charts/assets/page.css), run by
// tests/test_page_assets.py: the recommended rules, which find errors (unknown
// properties, units and pseudo-classes, invalid colours, duplicate properties,
// syntax errors), not matters of style.
export default {
  extends: ["stylelint-config-recommended"],
  rules: {
    // A rule of cascade order, not of correctness: the page's rules are grouped by
    // the element they style.
    "no-descending-specificity": null,
  },
};

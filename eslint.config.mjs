// ESLint for the page's own script (timeline/charts/assets/page.js), run by
// tests/test_page_assets.py. The script is a classic script (one function run at
// once, "use strict") in a browser page, beside the Vega bundle, which defines
// window.vegaEmbed; any other name it uses must be declared in it.
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    files: ["timeline/charts/assets/**/*.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: {...globals.browser, vegaEmbed: "readonly"},
    },
    rules: {
      ...js.configs.recommended.rules,
      // `catch (error) { return null; }` names the error it ignores: allowed.
      "no-unused-vars": ["error", {caughtErrors: "none"}],
    },
  },
];

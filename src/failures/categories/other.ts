import type { FailureCategory } from "../category.js";

export default {
  id: "other",
  title: "Other",
  description: "Errors no category recognises yet: read them, then teach the registry a new matcher or category.",
  matchers: [],
  rules: [],
  templates: [],
} satisfies FailureCategory;

import type { FailureCategory } from "../category.js";
import templates from "../templates/unsafe-ffi.js";

export default {
  id: "unsafe-ffi",
  title: "Extern calls without `unsafe`",
  description: "A foreign function or raw-pointer operation used outside `unsafe { }`, in main, a helper, a handler or a loop.",
  matchers: [
    { description: "an extern call outside `unsafe`", codes: ["InvalidOperation"], message: /calling extern function `[^`]+` requires `unsafe/ },
    {
      description: "a raw-pointer operation outside `unsafe`",
      codes: ["UnsafeOperationRequiresBlock"],
      // Without an extern block the pointer is a Rust `*x` habit, not FFI.
      where: (_d, source) => /\bextern\s+"C"/.exec(source.code)?.[0],
    },
  ],
  rules: [
    {
      id: "extern-unsafe",
      text: "Declare C functions in `extern \"C\" { fn abs(x: i32) -> i32; fn strlen(s: string) -> u64; }` (C int is i32, long i64, size_t u64, const char* string, T* `*mut T`) and wrap every call in `unsafe { ... }`, also inside helpers, handlers and loops; expose a safe API through a small wrapper fn.",
      short: "Call `extern \"C\"` functions only inside `unsafe { }`.",
      reason: "A bare extern call is `InvalidOperation` \"calling extern function `abs` requires `unsafe { ... }`\"; models forgot it inside helpers and loops even when main was right.",
    },
  ],
  templates,
} satisfies FailureCategory;

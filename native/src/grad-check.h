#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hew {

// A finite-difference check of ggml's backward pass for one op, like test-backend-ops' grad mode: the analytic
// gradient of sum(op(inputs) * random weights) with respect to every input element, against central differences.
struct GradCheckResult {
    std::string op;
    int variant;
    int64_t checked;  // input elements compared
    int64_t nonzero;  // of them, with a non-zero analytic gradient
    double max_error; // max |analytic - numeric| / max(0.01, |numeric|)
};

std::vector<std::string> grad_check_ops();

// `variant` 0, 1 or 2 picks one of three input shapes.
GradCheckResult grad_check(const std::string & op, int variant);

}  // namespace hew

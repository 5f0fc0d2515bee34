#include "grad-check.h"

#include "ggml.h"
#include "ggml-cpu.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>

namespace hew {

namespace {

struct GgmlDeleter { void operator()(ggml_context * c) const { ggml_free(c); } };

struct Case {
    std::vector<ggml_tensor *> params;
    ggml_tensor * out = nullptr;
};

using Builder = std::function<Case(ggml_context *, std::mt19937 &, int)>;

ggml_tensor * uniform(ggml_context * ctx, std::mt19937 & rng, std::vector<int64_t> ne, float lo, float hi) {
    ggml_tensor * t = ggml_new_tensor(ctx, GGML_TYPE_F32, (int) ne.size(), ne.data());
    std::uniform_real_distribution<float> dist(lo, hi);
    float * data = (float *) t->data;
    for (int64_t i = 0; i < ggml_nelements(t); ++i) data[i] = dist(rng);
    return t;
}

ggml_tensor * param(ggml_context * ctx, Case & c, ggml_tensor * t) {
    ggml_set_param(t);
    c.params.push_back(t);
    return t;
}

// The shapes of each case: `variant` 0, 1, 2 pick small, odd and broadcasting ones.
const std::map<std::string, Builder> & cases() {
    static const std::map<std::string, Builder> all = {
        {"sigmoid", [](ggml_context * ctx, std::mt19937 & rng, int variant) {
            static const std::vector<std::vector<int64_t>> shapes = {{7}, {5, 3}, {4, 3, 2, 2}};
            Case c;
            c.out = ggml_sigmoid(ctx, param(ctx, c, uniform(ctx, rng, shapes.at(variant), -4.0f, 4.0f)));
            return c;
        }},
        {"l2_norm", [](ggml_context * ctx, std::mt19937 & rng, int variant) {
            static const std::vector<std::vector<int64_t>> shapes = {{8, 3}, {5, 4, 3}, {16, 2, 3, 2}};
            Case c;
            c.out = ggml_l2_norm(ctx, param(ctx, c, uniform(ctx, rng, shapes.at(variant), -1.0f, 1.0f)), 1e-6f);
            return c;
        }},
        {"l2_norm_view", [](ggml_context * ctx, std::mt19937 & rng, int variant) {
            // rows of a wider tensor, as qwen35 normalizes the q and k heads inside the convolution's output
            const int64_t d = 4 + 2 * variant, heads = 2 + variant, tokens = 3;
            Case c;
            ggml_tensor * x = param(ctx, c, uniform(ctx, rng, {3 * d * heads, tokens}, -1.0f, 1.0f));
            ggml_tensor * view = ggml_view_3d(ctx, x, d, heads, tokens, d * sizeof(float), x->nb[1], d * heads * sizeof(float));
            c.out = ggml_l2_norm(ctx, view, 1e-6f);
            return c;
        }},
        {"ssm_conv", [](ggml_context * ctx, std::mt19937 & rng, int variant) {
            static const std::vector<std::array<int64_t, 4>> shapes = {{4, 3, 5, 1}, {4, 6, 1, 1}, {3, 5, 7, 2}}; // d_conv, channels, tokens, seqs
            const auto [d_conv, channels, tokens, seqs] = shapes.at(variant);
            Case c;
            ggml_tensor * sx = param(ctx, c, uniform(ctx, rng, {d_conv - 1 + tokens, channels, seqs}, -1.0f, 1.0f));
            ggml_tensor * w  = param(ctx, c, uniform(ctx, rng, {d_conv, channels}, -1.0f, 1.0f));
            c.out = ggml_ssm_conv(ctx, sx, w);
            return c;
        }},
        {"concat", [](ggml_context * ctx, std::mt19937 & rng, int variant) {
            const int dim = variant;
            std::vector<int64_t> a = {3, 4, 2}, b = {3, 4, 2};
            b[dim] = 2 + variant;
            Case c;
            ggml_tensor * ta = param(ctx, c, uniform(ctx, rng, a, -1.0f, 1.0f));
            ggml_tensor * tb;
            if (variant == 0) {
                // qwen35 concatenates the convolution state with a transposed projection
                tb = ggml_transpose(ctx, param(ctx, c, uniform(ctx, rng, {b[1], b[0], b[2]}, -1.0f, 1.0f)));
            } else {
                tb = param(ctx, c, uniform(ctx, rng, b, -1.0f, 1.0f));
            }
            c.out = ggml_concat(ctx, ta, tb, dim);
            return c;
        }},
        {"rope_multi", [](ggml_context * ctx, std::mt19937 & rng, int variant) {
            // interleaved M-RoPE, as Qwen3.5 applies it, rotating all or part of each head
            const int64_t head_dim = 8 * (1 + variant), heads = 2, tokens = 3 + variant;
            const int n_dims = variant == 1 ? (int) head_dim / 2 : (int) head_dim;
            const int third = (n_dims / 2 + 2) / 3;
            int sections[4] = {third, third, n_dims / 2 - 2 * third, 0};
            Case c;
            ggml_tensor * x = param(ctx, c, uniform(ctx, rng, {head_dim, heads, tokens}, -1.0f, 1.0f));
            ggml_tensor * pos = ggml_new_tensor_1d(ctx, GGML_TYPE_I32, 4 * tokens);
            for (int64_t i = 0; i < 4 * tokens; ++i) ((int32_t *) pos->data)[i] = (int32_t) (i % tokens) * 3 + 1;
            c.out = ggml_rope_multi(ctx, x, pos, nullptr, n_dims, sections, GGML_ROPE_TYPE_IMROPE, 4096, 10000.0f, 1.0f, 0.0f, 1.0f, 32.0f, 1.0f);
            return c;
        }},
        {"gated_delta_net", [](ggml_context * ctx, std::mt19937 & rng, int variant) {
            // S, q/k heads, v heads, tokens, seqs, snapshots: tokens above one chunk, tiled q/k heads, two snapshots
            static const std::vector<std::array<int64_t, 6>> shapes = {{4, 2, 2, 3, 1, 1}, {3, 1, 2, 10, 2, 1}, {4, 2, 4, 6, 1, 2}};
            const auto [S, Hk, Hv, T, B, K] = shapes.at(variant);
            Case c;
            ggml_tensor * q     = param(ctx, c, uniform(ctx, rng, {S, Hk, T, B}, -0.7f, 0.7f));
            ggml_tensor * k     = param(ctx, c, uniform(ctx, rng, {S, Hk, T, B}, -0.7f, 0.7f));
            ggml_tensor * v     = param(ctx, c, uniform(ctx, rng, {S, Hv, T, B}, -1.0f, 1.0f));
            ggml_tensor * g     = param(ctx, c, uniform(ctx, rng, {1, Hv, T, B}, -1.0f, -0.05f));
            ggml_tensor * beta  = param(ctx, c, uniform(ctx, rng, {1, Hv, T, B}, 0.1f, 0.9f));
            ggml_tensor * state = param(ctx, c, uniform(ctx, rng, {S, S, Hv, B}, -0.3f, 0.3f));
            c.out = ggml_gated_delta_net(ctx, q, k, v, g, beta, state, K);
            return c;
        }},
        {"gated_delta_net_kda", [](ggml_context * ctx, std::mt19937 & rng, int variant) {
            // a decay per key dimension (Kimi's KDA)
            const int64_t S = 3 + variant, H = 2, T = 4 + 3 * variant;
            Case c;
            ggml_tensor * q     = param(ctx, c, uniform(ctx, rng, {S, H, T, 1}, -0.7f, 0.7f));
            ggml_tensor * k     = param(ctx, c, uniform(ctx, rng, {S, H, T, 1}, -0.7f, 0.7f));
            ggml_tensor * v     = param(ctx, c, uniform(ctx, rng, {S, H, T, 1}, -1.0f, 1.0f));
            ggml_tensor * g     = param(ctx, c, uniform(ctx, rng, {S, H, T, 1}, -1.0f, -0.05f));
            ggml_tensor * beta  = param(ctx, c, uniform(ctx, rng, {1, H, T, 1}, 0.1f, 0.9f));
            ggml_tensor * state = param(ctx, c, uniform(ctx, rng, {S, S, H, 1}, -0.3f, 0.3f));
            c.out = ggml_gated_delta_net(ctx, q, k, v, g, beta, state, 1);
            return c;
        }},
    };
    return all;
}

}  // namespace

std::vector<std::string> grad_check_ops() {
    std::vector<std::string> names;
    for (const auto & [name, _] : cases()) names.push_back(name);
    return names;
}

GradCheckResult grad_check(const std::string & op, int variant) {
    const auto it = cases().find(op);
    if (it == cases().end()) throw std::invalid_argument("no gradient check for op " + op);
    if (variant < 0 || variant > 2) throw std::invalid_argument("the shape variant must be 0, 1 or 2");

    ggml_init_params ip = { /*.mem_size =*/ 64u << 20, /*.mem_buffer =*/ nullptr, /*.no_alloc =*/ false };
    std::unique_ptr<ggml_context, GgmlDeleter> ctx(ggml_init(ip));
    if (!ctx) throw std::runtime_error("cannot allocate the gradient check's context");
    std::mt19937 rng(1234 + variant);

    Case c = it->second(ctx.get(), rng, variant);
    // a random weighting of the output, so that no gradient is a plain sum
    ggml_tensor * weights = uniform(ctx.get(), rng, {c.out->ne[0], c.out->ne[1], c.out->ne[2], c.out->ne[3]}, -1.0f, 1.0f);
    ggml_tensor * loss = ggml_sum(ctx.get(), ggml_mul(ctx.get(), ggml_cont(ctx.get(), c.out), weights));
    ggml_set_loss(loss);

    ggml_cgraph * gf = ggml_new_graph_custom(ctx.get(), 1024, true);
    ggml_build_forward_expand(gf, loss);
    ggml_cgraph * gb = ggml_graph_dup(ctx.get(), gf, true);
    ggml_build_backward_expand(ctx.get(), gb, nullptr);
    // a gradient may be a strided view (of a transpose, say): read it through a contiguous copy
    std::vector<ggml_tensor *> grads;
    for (ggml_tensor * p : c.params) {
        ggml_tensor * grad = ggml_graph_get_grad(gb, p);
        if (!grad) throw std::runtime_error(op + ": no gradient was computed for an input");
        grads.push_back(ggml_cont(ctx.get(), grad));
        ggml_build_forward_expand(gb, grads.back());
    }
    ggml_graph_reset(gb);
    ggml_graph_compute_with_ctx(ctx.get(), gb, 1);

    GradCheckResult result{op, variant, 0, 0, 0.0};
    const float eps = 1e-2f;
    for (size_t ip = 0; ip < c.params.size(); ++ip) {
        ggml_tensor * p = c.params[ip];
        std::vector<float> analytic(ggml_nelements(p));
        memcpy(analytic.data(), grads[ip]->data, analytic.size() * sizeof(float));
        float * x = (float *) p->data;
        for (int64_t i = 0; i < ggml_nelements(p); ++i) {
            const float x0 = x[i];
            auto loss_at = [&](float xi) {
                x[i] = xi;
                ggml_graph_compute_with_ctx(ctx.get(), gf, 1);
                return (double) ggml_get_f32_1d(loss, 0);
            };
            // five-point central difference: exact up to fifth-order terms
            const double numeric = (8.0 * (loss_at(x0 + eps) - loss_at(x0 - eps)) - (loss_at(x0 + 2 * eps) - loss_at(x0 - 2 * eps))) / (12.0 * eps);
            x[i] = x0;
            // relative where the gradient is large, absolute (against 0.01) where it is near zero
            const double err = std::fabs(analytic[i] - numeric) / std::max(0.01, std::fabs(numeric));
            result.max_error = std::max(result.max_error, err);
            result.checked++;
            result.nonzero += analytic[i] != 0.0f;
        }
    }
    return result;
}

}  // namespace hew
